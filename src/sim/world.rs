//! The simulated world: its generation from a seed, and the reports that describe it.

use std::sync::Arc;

use indexmap::IndexMap;

use super::workloads::{allocate_replicas, make_workload};
use super::{catalog, names};
use crate::config::DemoConfig;
use crate::domain::{
    Alert, BackupSet, K8sEvent, NamespaceInfo, PgInstance, Pod, PodKey, PodPhase, RedisInfo,
    Report, Silence, SourceId, SourceKind, SourceReport, UnixTime, Workload, WorkloadKind,
};

/// A workload plus what the simulation needs to evolve it.
pub(super) struct SimWorkload {
    pub workload: Workload,
    pub owner: Arc<str>,
    pub image_repo: &'static str,
    pub health_port: Option<u16>,
    pub p95_ms: f64,
    pub error_rate: f64,
    /// Resource figures of a typical pod.
    pub cpu_millis: u32,
    pub memory_bytes: u64,
}

/// An alert that fires while its rule's condition holds over the world (`condition`), else for
/// `on` ticks out of every `period` (always, when `period` is 0).
pub(super) struct SimAlert {
    pub alert: Alert,
    pub period: u64,
    pub on: u64,
    pub phase: u64,
    /// The rule, for alerts about something the world shows (a crash-looping pod, an old
    /// backup, a long query): they resolve when that is fixed, as Prometheus's would.
    pub condition: Option<fn(&World) -> bool>,
    /// Whether it fired at the last evaluation.
    pub firing_now: bool,
}

impl SimAlert {
    pub fn firing(&self, world: &World) -> bool {
        match self.condition {
            Some(rule) => rule(world),
            None => self.period == 0 || (world.tick + self.phase) % self.period < self.on,
        }
    }
}

pub struct World {
    pub(super) rng: fastrand::Rng,
    pub(super) now: UnixTime,
    pub(super) tick: u64,
    pub(super) churn: u32,
    /// Polled sources (databases, health, KPIs) report every this many ticks.
    pub(super) poll_every: u64,
    pub(super) namespaces: Vec<NamespaceInfo>,
    pub(super) nodes: Vec<crate::domain::Node>,
    /// CronJobs and the Jobs they ran (`jobs.rs`), with those Jobs' pods.
    pub(super) cronjobs: Vec<crate::domain::job::CronJob>,
    pub(super) jobs: Vec<super::jobs::SimJob>,
    /// ConfigMaps and Secrets, served by the API (`sim::configs`).
    pub(crate) configs: Vec<super::configs::SimConfig>,
    pub(super) workloads: Vec<SimWorkload>,
    pub(super) pods: IndexMap<PodKey, Pod>,
    /// Pods being created, with ticks left until they run.
    pub(super) starting: Vec<(PodKey, u8)>,
    /// Pods that went unready, with ticks left until they are ready again.
    pub(super) flapping: Vec<(PodKey, u8)>,
    pub(super) alerts: Vec<SimAlert>,
    pub(super) last_alerts: Vec<Alert>,
    /// Silences as Alertmanager keeps them; an alert is silenced while an active one matches.
    pub(super) silences: Vec<Silence>,
    pub(super) next_silence: u64,
    pub(super) postgres: Vec<PgInstance>,
    pub(super) redis: RedisInfo,
    pub(super) backups: Vec<BackupSet>,
    pub(super) new_events: Vec<K8sEvent>,
    /// Every event recorded, to count its repeats.
    pub(super) event_log: super::events::EventLog,
    pub(super) next_pid: i32,
    /// Ticks until the next rollout of the rolling workload starts, once one has finished.
    pub(super) next_rollout_in: Option<u64>,
    /// The Kubernetes API's view, when the world is served over it.
    pub(crate) api: Option<super::kubeapi::ApiMirror>,
    /// Reports of changes made through the APIs, for the feed to send on.
    pub(crate) outbox: Vec<SourceReport>,
    /// Log lines a second per container.
    pub(crate) log_rate: f64,
    /// The HorizontalPodAutoscalers and their controller's state (`hpas.rs`).
    pub(crate) hpas: Vec<super::hpas::SimHpa>,
}

pub(super) fn source(kind: SourceKind, name: &str) -> SourceId {
    SourceId::new(kind, name)
}

impl World {
    /// Generates the estate at `now`. The same `config.seed` and `config.pods` give the same
    /// estate; the pod count is at least one per workload.
    pub fn generate(config: &DemoConfig, refresh_ticks: u64, now: UnixTime) -> World {
        let mut rng = fastrand::Rng::with_seed(config.seed);
        let replicas = allocate_replicas(config.pods);
        let (cronjobs, jobs) = super::jobs::make(now);
        let mut world = World {
            now,
            tick: 0,
            churn: config.churn,
            poll_every: refresh_ticks.max(1),
            namespaces: catalog::NAMESPACES
                .iter()
                .map(|n| NamespaceInfo {
                    context: crate::domain::cluster_row::no_context(),
                    name: (*n).into(),
                    locked_down: catalog::LOCKED_NAMESPACE == Some(*n),
                })
                .collect(),
            nodes: super::nodes::make(now),
            cronjobs,
            jobs,
            configs: super::configs::make(now),
            workloads: Vec::new(),
            pods: IndexMap::with_capacity(config.pods),
            starting: Vec::new(),
            flapping: Vec::new(),
            alerts: Vec::new(),
            last_alerts: Vec::new(),
            silences: Vec::new(),
            next_silence: 1,
            postgres: Vec::new(),
            redis: super::databases::redis(now),
            backups: Vec::new(),
            new_events: Vec::new(),
            event_log: Default::default(),
            next_pid: 10_000,
            next_rollout_in: None,
            api: None,
            outbox: Vec::new(),
            log_rate: config.log_rate.max(0.01),
            rng: fastrand::Rng::new(),
            hpas: Vec::new(),
        };
        let namespaces: Vec<Arc<str>> = catalog::NAMESPACES.iter().map(|n| Arc::from(*n)).collect();
        let nodes: Vec<Arc<str>> = catalog::NODES.iter().map(|n| Arc::from(*n)).collect();
        for (spec, replicas) in catalog::WORKLOADS.iter().zip(replicas) {
            let ns = namespaces
                .iter()
                .find(|n| &***n == spec.namespace)
                .cloned()
                .unwrap_or_else(|| spec.namespace.into());
            let sim = make_workload(&mut rng, spec, replicas, now);
            let rolling = spec.name == catalog::ROLLING_OUT && sim.workload.history.len() > 1;
            let new_count = if rolling { replicas * 2 / 5 } else { replicas };
            for i in 0..replicas {
                let on_new = i < new_count;
                let revision = if on_new {
                    sim.workload.revision
                } else {
                    sim.workload.revision - 1
                };
                let image = if on_new {
                    sim.workload.image.clone()
                } else {
                    sim.workload.history[sim.workload.history.len() - 2]
                        .image
                        .clone()
                };
                let name = match spec.kind {
                    // Random suffixes collide now and then among 100,000 pods: draw again.
                    WorkloadKind::Deployment => loop {
                        let name = format!(
                            "{}-{}-{}",
                            spec.name,
                            names::template_hash(spec.name, revision),
                            names::suffix(&mut rng, 5)
                        );
                        if !world
                            .pods
                            .contains_key(&PodKey::new(ns.clone(), name.as_str()))
                        {
                            break name;
                        }
                    },
                    WorkloadKind::StatefulSet => format!("{}-{i}", spec.name),
                };
                let age = if on_new && rolling {
                    rng.i64(60..900)
                } else {
                    rng.i64(3_600..20 * 86_400)
                };
                let restarts = if rng.f32() < 0.08 { rng.u32(1..4) } else { 0 };
                let ip = super::names::pod_ip(&ns, &name);
                let pod = Pod {
                    key: PodKey {
                        context: crate::domain::cluster_row::no_context(),
                        namespace: ns.clone(),
                        name: name.into(),
                    },
                    phase: PodPhase::Running,
                    status: "Running".into(),
                    ready_containers: 1 + spec.sidecars.len() as u8,
                    total_containers: 1 + spec.sidecars.len() as u8,
                    containers: if spec.sidecars.is_empty() {
                        Box::default()
                    } else {
                        std::iter::once(spec.name)
                            .chain(spec.sidecars.iter().copied())
                            .map(Box::from)
                            .collect()
                    },
                    restarts,
                    // A restart after the pod was created, never before (a 16 min old pod
                    // "restarted 19 h ago" was drawn).
                    last_restart: (restarts > 0)
                        .then(|| now.plus(-rng.i64(600..86_400).min(age * 9 / 10).max(1))),
                    last_terminated: None,
                    node: nodes[rng.usize(..nodes.len())].clone(),
                    owner: Some(sim.owner.clone()),
                    created: now.plus(-age),
                    image: image.as_str().into(),
                    cpu_millis: Some(sim.cpu_millis * rng.u32(60..140) / 100),
                    memory_bytes: Some(sim.memory_bytes * rng.u64(70..130) / 100),
                    ip: Some(ip),
                };
                world.pods.insert(pod.key.clone(), pod);
            }
            world.workloads.push(sim);
        }
        world.mark_special_pods();
        for pod in super::daemonsets::pods(now) {
            world.pods.insert(pod.key.clone(), pod);
        }
        world.recount_workloads();
        world.hpas = world.make_hpas();
        // The first sync, for the metric: nothing rescales (the HPAs want what there is).
        let _ = world.step_hpas();
        world.alerts = super::alerts::alerts(now);
        world.postgres = vec![
            super::databases::postgres(
                &mut rng,
                &mut world.next_pid,
                "positivity-db",
                200,
                168,
                true,
                now,
            ),
            super::databases::postgres(
                &mut rng,
                &mut world.next_pid,
                "workflow-db",
                100,
                38,
                false,
                now,
            ),
        ];
        world.backups = super::backups::backups(now);
        super::alerts::standing_silences(&mut world);
        world.evaluate_alerts();
        world.last_alerts = world.firing_alerts();
        world.rng = rng;
        world
    }

    /// Every source's full report, as the adapters send after connecting.
    pub fn initial_reports(&self) -> Vec<SourceReport> {
        let at = self.now;
        let k8s = source(SourceKind::Kubernetes, super::CONTEXT);
        let mut out = vec![
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Namespaces(self.namespaces.clone()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Nodes(self.nodes.clone()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::PodsReset(self.pods.values().cloned().collect()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Workloads(self.workload_rows()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Hpas(self.hpa_rows()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Events(self.new_events.clone()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::CronJobs(self.cronjobs.clone()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Jobs(self.job_rows()),
            },
            SourceReport {
                source: k8s,
                at,
                report: Report::Configs(self.config_rows()),
            },
            SourceReport {
                source: source(SourceKind::Alertmanager, super::CONTEXT),
                at,
                report: Report::Alerts(self.last_alerts.clone()),
            },
            SourceReport {
                source: source(SourceKind::Alertmanager, super::CONTEXT),
                at,
                report: Report::Silences(self.silences_now()),
            },
            SourceReport {
                source: source(SourceKind::Backups, super::CONTEXT),
                at,
                report: Report::Backups(self.backups.clone()),
            },
        ];
        out.extend(self.polled_reports());
        out
    }

    /// Reports of the polled sources: health checks, KPIs, databases.
    pub(super) fn polled_reports(&self) -> Vec<SourceReport> {
        let at = self.now;
        let mut out = vec![
            SourceReport {
                source: source(SourceKind::Health, super::CONTEXT),
                at,
                report: Report::Health(self.health()),
            },
            SourceReport {
                source: source(SourceKind::Prometheus, super::CONTEXT),
                at,
                report: Report::Kpis(self.kpis()),
            },
            SourceReport {
                source: source(SourceKind::Redis, &self.redis.name),
                at,
                report: Report::Redis(self.redis.clone()),
            },
        ];
        out.extend(self.postgres.iter().map(|pg| SourceReport {
            source: source(SourceKind::Postgres, &pg.name),
            at,
            report: Report::Postgres(pg.clone()),
        }));
        out
    }

    /// The sources this world reports as, for registering them before the first report.
    pub fn sources(&self) -> Vec<SourceId> {
        let mut out = vec![
            source(SourceKind::Kubernetes, super::CONTEXT),
            source(SourceKind::Alertmanager, super::CONTEXT),
            source(SourceKind::Health, super::CONTEXT),
            source(SourceKind::Prometheus, super::CONTEXT),
            source(SourceKind::Redis, &self.redis.name),
            source(SourceKind::Backups, super::CONTEXT),
        ];
        out.extend(
            self.postgres
                .iter()
                .map(|pg| source(SourceKind::Postgres, &pg.name)),
        );
        out
    }

    /// Starts keeping the Kubernetes API's view of the world, under `policy`.
    pub fn serve_kubernetes(&mut self, policy: super::kubeapi::Policy, journal: usize) {
        let mut api = super::kubeapi::ApiMirror::new(journal);
        api.policy = policy;
        let reports: Vec<Report> = self
            .initial_reports()
            .into_iter()
            .filter(|r| r.source.kind == SourceKind::Kubernetes)
            .map(|r| r.report)
            .collect();
        api.seed(&reports);
        api.seed_values(
            self.configs
                .iter()
                .map(|c| {
                    let object = super::kubeapi::render_config::config(c);
                    (super::configs::resource_of(c.kind), object)
                })
                .collect(),
        );
        self.api = Some(api);
    }

    /// Takes the Kubernetes source's reports into the API's view, if it is kept.
    pub fn absorb_kubernetes(&mut self, reports: &[SourceReport]) {
        if let Some(api) = self.api.as_mut() {
            for r in reports
                .iter()
                .filter(|r| r.source.kind == SourceKind::Kubernetes)
            {
                api.absorb(&r.report);
            }
        }
    }

    pub(super) fn workload_rows(&self) -> Vec<Workload> {
        self.workloads.iter().map(|w| w.workload.clone()).collect()
    }
}
