//! The simulated world: its generation from a seed, and the reports that describe it.

use std::sync::Arc;

use indexmap::IndexMap;

use super::{catalog, names};
use crate::config::DemoConfig;
use crate::domain::{
    Alert, BackupSet, K8sEvent, NamespaceInfo, PgInstance, Pod, PodKey, PodPhase, RedisInfo,
    Report, Revision, SourceId, SourceKind, SourceReport, UnixTime, Workload, WorkloadKind,
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

/// An alert that fires for `on` ticks out of every `period` (always, when `period` is 0).
pub(super) struct SimAlert {
    pub alert: Alert,
    pub period: u64,
    pub on: u64,
    pub phase: u64,
}

impl SimAlert {
    pub fn firing(&self, tick: u64) -> bool {
        self.period == 0 || (tick + self.phase) % self.period < self.on
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
    pub(super) workloads: Vec<SimWorkload>,
    pub(super) pods: IndexMap<PodKey, Pod>,
    /// Pods being created, with ticks left until they run.
    pub(super) starting: Vec<(PodKey, u8)>,
    /// Pods that went unready for a tick and come back.
    pub(super) flapping: Vec<PodKey>,
    pub(super) alerts: Vec<SimAlert>,
    pub(super) last_alerts: Vec<Alert>,
    pub(super) postgres: Vec<PgInstance>,
    pub(super) redis: RedisInfo,
    pub(super) backups: Vec<BackupSet>,
    pub(super) new_events: Vec<K8sEvent>,
    pub(super) next_pid: i32,
    /// Ticks until the next rollout of the rolling workload starts, once one has finished.
    pub(super) next_rollout_in: Option<u64>,
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
        let mut world = World {
            now,
            tick: 0,
            churn: config.churn,
            poll_every: refresh_ticks.max(1),
            namespaces: catalog::NAMESPACES
                .iter()
                .map(|n| NamespaceInfo {
                    name: (*n).into(),
                    locked_down: catalog::LOCKED_NAMESPACE == Some(*n),
                })
                .collect(),
            workloads: Vec::new(),
            pods: IndexMap::with_capacity(config.pods),
            starting: Vec::new(),
            flapping: Vec::new(),
            alerts: Vec::new(),
            last_alerts: Vec::new(),
            postgres: Vec::new(),
            redis: super::databases::redis(now),
            backups: Vec::new(),
            new_events: Vec::new(),
            next_pid: 10_000,
            next_rollout_in: None,
            rng: fastrand::Rng::new(),
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
                    WorkloadKind::Deployment => {
                        format!(
                            "{}-{}-{}",
                            spec.name,
                            names::template_hash(spec.name, revision),
                            names::suffix(&mut rng, 5)
                        )
                    }
                    WorkloadKind::StatefulSet => format!("{}-{i}", spec.name),
                };
                let age = if on_new && rolling {
                    rng.i64(60..900)
                } else {
                    rng.i64(3_600..20 * 86_400)
                };
                let restarts = if rng.f32() < 0.08 { rng.u32(1..4) } else { 0 };
                let pod = Pod {
                    key: PodKey {
                        namespace: ns.clone(),
                        name: name.into(),
                    },
                    phase: PodPhase::Running,
                    status: "Running".into(),
                    ready_containers: 1,
                    total_containers: 1,
                    restarts,
                    last_restart: (restarts > 0).then(|| now.plus(-rng.i64(600..86_400))),
                    node: nodes[rng.usize(..nodes.len())].clone(),
                    owner: Some(sim.owner.clone()),
                    created: now.plus(-age),
                    image: image.as_str().into(),
                    cpu_millis: Some(sim.cpu_millis * rng.u32(60..140) / 100),
                    memory_bytes: Some(sim.memory_bytes * rng.u64(70..130) / 100),
                };
                world.pods.insert(pod.key.clone(), pod);
            }
            world.workloads.push(sim);
        }
        world.mark_special_pods();
        world.recount_workloads();
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
        world.last_alerts = world.firing_alerts();
        world.rng = rng;
        world
    }

    /// Puts the pods that make the demo tell a story into their state: one crash-looping, one
    /// that cannot be scheduled.
    fn mark_special_pods(&mut self) {
        let now = self.now;
        if let Some(pod) = self
            .pods
            .values_mut()
            .find(|p| owner_is(p, catalog::CRASH_LOOPING))
        {
            pod.status = "CrashLoopBackOff".into();
            pod.ready_containers = 0;
            pod.restarts = 14;
            pod.last_restart = Some(now.plus(-40));
            self.new_events.push(K8sEvent {
                namespace: pod.key.namespace.to_string(),
                object: format!("Pod/{}", pod.key.name),
                reason: "BackOff".into(),
                message: "Back-off restarting failed container recognizer in pod".into(),
                warning: true,
                count: 14,
                last_seen: now.plus(-40),
            });
        }
        if let Some(pod) = self
            .pods
            .values_mut()
            .rev()
            .find(|p| owner_is(p, catalog::UNSCHEDULABLE))
        {
            pod.phase = PodPhase::Pending;
            pod.status = "Pending".into();
            pod.ready_containers = 0;
            pod.created = now.plus(-540);
            pod.node = "".into();
            pod.cpu_millis = None;
            pod.memory_bytes = None;
            self.new_events.push(K8sEvent {
                namespace: pod.key.namespace.to_string(),
                object: format!("Pod/{}", pod.key.name),
                reason: "FailedScheduling".into(),
                message: "0/12 nodes are available: 12 Insufficient memory.".into(),
                warning: true,
                count: 31,
                last_seen: now.plus(-20),
            });
        }
    }

    /// Recomputes ready and updated replicas of every workload from its pods.
    pub(super) fn recount_workloads(&mut self) {
        let mut counts: std::collections::HashMap<&str, (u32, u32)> =
            std::collections::HashMap::new();
        let images: std::collections::HashMap<&str, &str> = self
            .workloads
            .iter()
            .map(|w| (&*w.owner, w.workload.image.as_str()))
            .collect();
        for pod in self.pods.values() {
            let Some(owner) = pod.owner.as_deref() else {
                continue;
            };
            let entry = counts.entry(owner).or_default();
            if pod.phase == PodPhase::Running && pod.ready_containers == pod.total_containers {
                entry.0 += 1;
            }
            if images.get(owner).is_some_and(|img| *img == &*pod.image) {
                entry.1 += 1;
            }
        }
        for w in &mut self.workloads {
            let (ready, updated) = counts.get(&*w.owner).copied().unwrap_or_default();
            w.workload.ready = ready;
            w.workload.updated = updated;
        }
    }

    pub(super) fn firing_alerts(&self) -> Vec<Alert> {
        self.alerts
            .iter()
            .filter(|a| a.firing(self.tick))
            .map(|a| a.alert.clone())
            .collect()
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
                report: Report::PodsReset(self.pods.values().cloned().collect()),
            },
            SourceReport {
                source: k8s.clone(),
                at,
                report: Report::Workloads(self.workload_rows()),
            },
            SourceReport {
                source: k8s,
                at,
                report: Report::Events(self.new_events.clone()),
            },
            SourceReport {
                source: source(SourceKind::Alertmanager, super::CONTEXT),
                at,
                report: Report::Alerts(self.last_alerts.clone()),
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

    pub(super) fn workload_rows(&self) -> Vec<Workload> {
        self.workloads.iter().map(|w| w.workload.clone()).collect()
    }
}

fn owner_is(pod: &Pod, workload: &str) -> bool {
    pod.owner
        .as_deref()
        .and_then(|o| o.split_once('/'))
        .is_some_and(|(_, n)| n == workload)
}

/// Replicas per workload so that the estate has `total` pods: statefulsets keep their count,
/// deployments share the rest by weight, at least one each.
fn allocate_replicas(total: usize) -> Vec<u32> {
    let fixed: u32 = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::StatefulSet)
        .map(|w| w.replicas)
        .sum();
    let weights: u32 = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::Deployment)
        .map(|w| w.replicas)
        .sum();
    let deployments = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::Deployment)
        .count() as u32;
    let budget = (total as u32).saturating_sub(fixed).max(deployments);
    let mut out: Vec<u32> = catalog::WORKLOADS
        .iter()
        .map(|w| match w.kind {
            WorkloadKind::StatefulSet => w.replicas,
            WorkloadKind::Deployment => 1 + (budget - deployments) * w.replicas / weights,
        })
        .collect();
    let mut assigned: u32 = out.iter().sum();
    let mut i = 0;
    let n = out.len();
    while assigned < budget + fixed {
        if catalog::WORKLOADS[i % n].kind == WorkloadKind::Deployment {
            out[i % n] += 1;
            assigned += 1;
        }
        i += 1;
    }
    out
}

fn make_workload(
    rng: &mut fastrand::Rng,
    spec: &catalog::WorkloadSpec,
    replicas: u32,
    now: UnixTime,
) -> SimWorkload {
    let first = rng.u64(2..12);
    let count = spec.versions.len() as u64;
    let history: Vec<Revision> = spec
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let back = (count - i as u64) as i64;
            Revision {
                number: first + i as u64,
                image: image_ref(spec.image, v),
                change_cause: Some(
                    catalog::CHANGE_CAUSES[(first as usize + i) % catalog::CHANGE_CAUSES.len()]
                        .into(),
                ),
                created: if spec.name == catalog::ROLLING_OUT && back == 1 {
                    now.plus(-900)
                } else {
                    now.plus(-back * 86_400 * 3 - rng.i64(0..86_400))
                },
            }
        })
        .collect();
    let current = history.last().cloned().unwrap_or(Revision {
        number: first,
        image: spec.image.into(),
        change_cause: None,
        created: now,
    });
    let (cpu, mem) = match spec.kind {
        WorkloadKind::StatefulSet => (400, 2 * 1024 * 1024 * 1024),
        WorkloadKind::Deployment => (rng.u32(50..400), rng.u64(128..1024) * 1024 * 1024),
    };
    SimWorkload {
        owner: format!("{}/{}", spec.kind.api_kind(), spec.name).into(),
        workload: Workload {
            kind: spec.kind,
            namespace: spec.namespace.into(),
            name: spec.name.into(),
            desired: replicas,
            ready: 0,
            updated: 0,
            revision: current.number,
            image: current.image.clone(),
            history,
            created: now.plus(-200 * 86_400),
        },
        image_repo: spec.image,
        health_port: spec.health_port,
        p95_ms: spec.p95_ms,
        error_rate: spec.error_rate,
        cpu_millis: cpu,
        memory_bytes: mem,
    }
}

pub(super) fn image_ref(repo: &str, version: &str) -> String {
    if repo.contains(':') {
        repo.to_string()
    } else {
        format!("{repo}:{version}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_add_up_to_the_requested_pod_count() {
        for total in [1, 22, 300, 10_000, 100_000] {
            let sum: u32 = allocate_replicas(total).iter().sum();
            let minimum = catalog::WORKLOADS.len() as u32;
            assert_eq!(sum, (total as u32).max(minimum), "total {total}");
        }
    }
}
