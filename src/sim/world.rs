//! The simulated world: its generation from a seed, and the reports that describe it.

use std::sync::Arc;

use indexmap::IndexMap;

use super::{catalog, names};
use crate::config::DemoConfig;
use crate::domain::{
    Alert, AlertState, BackupItem, BackupSet, K8sEvent, NamespaceInfo, PgInstance, PgRole,
    PgSession, Pod, PodKey, PodPhase, RedisInfo, Report, Revision, ServiceHealth, ServiceKpis,
    SessionState, Severity, SourceId, SourceKind, SourceReport, UnixTime, Verification, Workload,
    WorkloadKind,
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
            redis: redis(now),
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
        world.alerts = alerts(now);
        world.postgres = vec![
            postgres(
                &mut rng,
                &mut world.next_pid,
                "positivity-db",
                200,
                168,
                true,
                now,
            ),
            postgres(
                &mut rng,
                &mut world.next_pid,
                "workflow-db",
                100,
                38,
                false,
                now,
            ),
        ];
        world.backups = backups(now);
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

    fn health(&self) -> Vec<ServiceHealth> {
        let mut rng = fastrand::Rng::with_seed(self.tick ^ 0x5eed);
        self.workloads
            .iter()
            .filter_map(|w| {
                let port = w.health_port?;
                let name = &w.workload.name;
                // validation-service drops out now and then, like the runbooks' flaky checks.
                let down = name == "validation-service" && self.tick % 60 >= 50;
                let slow = w.p95_ms > 1500.0;
                Some(ServiceHealth {
                    service: w.workload.qualified_name(),
                    url: format!("http://{name}.{}:{port}/health", w.workload.namespace),
                    up: !down,
                    status_code: Some(if down { 503 } else { 200 }),
                    latency_ms: if slow {
                        rng.u32(700..900)
                    } else {
                        rng.u32(3..40)
                    },
                    last_error: down.then(|| "HTTP 503 Service Unavailable".to_string()),
                    checked_at: self.now,
                })
            })
            .collect()
    }

    fn kpis(&self) -> Vec<ServiceKpis> {
        let mut rng = fastrand::Rng::with_seed(self.tick ^ 0xc0ffee);
        self.workloads
            .iter()
            .filter(|w| w.health_port.is_some())
            .map(|w| {
                let jitter = 0.9 + rng.f64() * 0.2;
                ServiceKpis {
                    service: w.workload.qualified_name(),
                    p95_ms: Some((w.p95_ms * jitter).round()),
                    error_rate: Some(w.error_rate * jitter),
                    requests_per_s: Some(f64::from(w.workload.ready) * (20.0 + rng.f64() * 5.0)),
                }
            })
            .collect()
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

fn alert(
    name: &str,
    severity: Severity,
    labels: &[(&str, &str)],
    summary: &str,
    description: &str,
    runbook: &str,
    starts_at: UnixTime,
) -> Alert {
    let mut all: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    all.push(("alertname".into(), name.into()));
    all.push(("severity".into(), severity.word().into()));
    all.sort();
    Alert {
        fingerprint: format!(
            "{:016x}",
            all.iter().fold(0u64, |h, (k, v)| {
                k.bytes()
                    .chain(v.bytes())
                    .fold(h, |h, b| h.rotate_left(7) ^ u64::from(b))
            })
        ),
        source: super::CONTEXT.into(),
        name: name.into(),
        severity,
        state: AlertState::Active,
        starts_at,
        summary: summary.into(),
        description: description.into(),
        runbook: Some(runbook.into()),
        labels: all,
    }
}

fn alerts(now: UnixTime) -> Vec<SimAlert> {
    let always = |alert| SimAlert {
        alert,
        period: 0,
        on: 0,
        phase: 0,
    };
    let mut silenced = alert(
        "NodeDiskPressure",
        Severity::Info,
        &[("node", "worker-07")],
        "worker-07 root disk 81% full",
        "Image garbage collection is behind on worker-07.",
        "core-agent-runbook.md#disk-space",
        now.plus(-5 * 3600),
    );
    silenced.state = AlertState::Silenced;
    vec![
        always(alert(
            "KubePodCrashLooping",
            Severity::Critical,
            &[("namespace", "workflow"), ("deployment", "pdf-recognizer")],
            "pdf-recognizer is crash looping (14 restarts)",
            "Container recognizer in workflow/pdf-recognizer restarts repeatedly; check its previous logs.",
            "workflow-engine-runbook.md#troubleshooting-playbooks",
            now.plus(-38 * 60),
        )),
        always(alert(
            "HighLatencyP95",
            Severity::Warning,
            &[("namespace", "pos"), ("service", "pos-payment")],
            "pos-payment p95 latency 1.3s above 1s",
            "p95 over the last 5 minutes is above the warning threshold of 1 s.",
            "Section 3.2 - Performance Issues",
            now.plus(-17 * 60),
        )),
        always(alert(
            "RedisMemoryHigh",
            Severity::Warning,
            &[("namespace", "data"), ("instance", "cache")],
            "Redis cache memory near maxmemory",
            "used_memory is above 85% of maxmemory; evictions will start at the limit.",
            "workspace-agents-runbook.md#redis-issues",
            now.plus(-2 * 3600),
        )),
        always(alert(
            "BackupTooOld",
            Severity::Critical,
            &[("backup", "positivity nightly")],
            "positivity nightly backup older than its 24h RPO",
            "The newest dump in /backups/postgres is older than the recovery point objective.",
            "pos-backend-runbook.md#backup-and-recovery",
            now.plus(-2 * 3600),
        )),
        always(silenced),
        SimAlert {
            alert: alert(
                "HighErrorRate",
                Severity::Critical,
                &[("namespace", "workflow"), ("service", "pdf-recognizer")],
                "pdf-recognizer error rate above 5%",
                "5xx responses above 5% of requests for 2 minutes.",
                "workflow-engine-runbook.md#incident-response",
                now.plus(-3 * 60),
            ),
            period: 90,
            on: 50,
            phase: 0,
        },
        SimAlert {
            alert: alert(
                "PostgresLongRunningQuery",
                Severity::Warning,
                &[("namespace", "data"), ("instance", "positivity-db")],
                "Query running for more than 5 minutes on positivity-db",
                "A query in pg_stat_activity has been active for over 300 s.",
                "pos-backend-runbook.md#database-issues",
                now.plus(-120),
            ),
            period: 120,
            on: 80,
            phase: 10,
        },
        SimAlert {
            alert: alert(
                "ServiceHealthCheckFailed",
                Severity::Warning,
                &[("namespace", "workflow"), ("service", "validation-service")],
                "validation-service /health failing",
                "The HTTP health check returned 503.",
                "workflow-engine-runbook.md#daily-operations",
                now,
            ),
            period: 60,
            on: 10,
            phase: 10,
        },
    ]
}

const QUERIES: &[&str] = &[
    "SELECT id, status, total FROM orders WHERE store_id = $1 AND created_at > $2",
    "UPDATE order_items SET qty = $1 WHERE order_id = $2 AND sku = $3",
    "INSERT INTO payments (order_id, amount, method) VALUES ($1, $2, $3)",
    "SELECT sku, qty FROM inventory WHERE sku = ANY($1)",
    "SELECT * FROM workflow_runs WHERE state = 'running' ORDER BY started_at LIMIT 50",
    "UPDATE workflow_runs SET state = $1, finished_at = now() WHERE id = $2",
    "COMMIT",
    "BEGIN",
];

fn session(
    rng: &mut fastrand::Rng,
    pid: &mut i32,
    db: &str,
    apps: &[&str],
    now: UnixTime,
) -> PgSession {
    *pid += rng.i32(1..40);
    let roll = rng.f32();
    let state = if roll < 0.22 {
        SessionState::Active
    } else if roll < 0.92 {
        SessionState::Idle
    } else {
        SessionState::IdleInTransaction
    };
    let app = apps[rng.usize(..apps.len())];
    let query_age = match state {
        SessionState::Active => rng.i64(0..3),
        _ => rng.i64(1..600),
    };
    PgSession {
        pid: *pid,
        user: format!("{}_app", db.split('-').next().unwrap_or(db)),
        database: db.split('-').next().unwrap_or(db).into(),
        application: app.into(),
        client: format!("10.42.{}.{}", rng.u8(0..8), rng.u8(2..250)),
        state,
        wait_event: (state == SessionState::Idle).then(|| "Client: ClientRead".to_string()),
        query_start: Some(now.plus(-query_age)),
        xact_start: (state != SessionState::Idle).then(|| now.plus(-query_age - rng.i64(0..5))),
        query: QUERIES[rng.usize(..QUERIES.len())].into(),
        blocked_by: vec![],
    }
}

fn postgres(
    rng: &mut fastrand::Rng,
    pid: &mut i32,
    name: &str,
    max: u32,
    count: usize,
    story: bool,
    now: UnixTime,
) -> PgInstance {
    let apps: &[&str] = if story {
        &[
            "pos-order",
            "pos-payment",
            "pos-inventory",
            "pos-catalog",
            "pgbouncer",
        ]
    } else {
        &[
            "workflow-orchestrator",
            "workflow-worker",
            "validation-service",
        ]
    };
    let mut sessions: Vec<PgSession> = (0..count)
        .map(|_| session(rng, pid, name, apps, now))
        .collect();
    if story {
        // The long-running report query, a transaction left open, and a session it blocks.
        sessions[0] = PgSession {
            pid: 4242,
            user: "analyst".into(),
            database: "positivity".into(),
            application: "metabase".into(),
            client: "10.42.7.19".into(),
            state: SessionState::Active,
            wait_event: Some("IO: DataFileRead".into()),
            query_start: Some(now.plus(-412)),
            xact_start: Some(now.plus(-412)),
            query: "SELECT o.store_id, date_trunc('day', o.created_at) AS day, sum(i.qty * i.price) AS revenue \
                    FROM orders o JOIN order_items i ON i.order_id = o.id \
                    WHERE o.created_at > now() - interval '400 days' GROUP BY 1, 2 ORDER BY 3 DESC"
                .into(),
            blocked_by: vec![],
        };
        sessions[1] = PgSession {
            pid: 5120,
            user: "positivity_app".into(),
            database: "positivity".into(),
            application: "pos-inventory".into(),
            client: "10.42.3.77".into(),
            state: SessionState::IdleInTransaction,
            wait_event: Some("Client: ClientRead".into()),
            query_start: Some(now.plus(-185)),
            xact_start: Some(now.plus(-190)),
            query: "UPDATE inventory SET qty = qty - 1 WHERE sku = $1".into(),
            blocked_by: vec![],
        };
        sessions[2] = PgSession {
            pid: 5133,
            user: "positivity_app".into(),
            database: "positivity".into(),
            application: "pos-order".into(),
            client: "10.42.1.12".into(),
            state: SessionState::Waiting,
            wait_event: Some("Lock: transactionid".into()),
            query_start: Some(now.plus(-95)),
            xact_start: Some(now.plus(-95)),
            query: "UPDATE inventory SET qty = qty - $2 WHERE sku = $1".into(),
            blocked_by: vec![5120],
        };
    }
    PgInstance {
        name: name.into(),
        version: "15.8".into(),
        role: PgRole::Primary,
        max_connections: max,
        sessions,
        size_bytes: if story {
            48 * 1024 * 1024 * 1024
        } else {
            6 * 1024 * 1024 * 1024
        },
        replication_lag_secs: story.then_some(0.4),
    }
}

fn redis(now: UnixTime) -> RedisInfo {
    let _ = now;
    RedisInfo {
        name: "cache".into(),
        role: "master".into(),
        used_memory: 1_780 * 1024 * 1024,
        maxmemory: 2_048 * 1024 * 1024,
        connected_clients: 142,
        blocked_clients: 0,
        ops_per_sec: 5_200,
        keyspace_hits: 98_000_000,
        keyspace_misses: 7_400_000,
        evicted_keys: 0,
        expired_keys: 1_200_000,
        ping_ms: 0.3,
        uptime_secs: 41 * 86_400,
    }
}

fn backup_items(
    prefix: &str,
    ext: &str,
    newest: UnixTime,
    every_secs: i64,
    count: usize,
    size: u64,
) -> Vec<BackupItem> {
    (0..count)
        .map(|i| {
            let created = newest.plus(-(i as i64) * every_secs);
            BackupItem {
                name: format!("{prefix}{}{ext}", created.0 / 60),
                created,
                size_bytes: size - (i as u64) * size / 200,
            }
        })
        .collect()
}

fn backups(now: UnixTime) -> Vec<BackupSet> {
    const GIB: u64 = 1024 * 1024 * 1024;
    vec![
        BackupSet {
            name: "positivity nightly".into(),
            kind: "directory".into(),
            location: "/backups/postgres/backup_*.dump.gz".into(),
            rpo_secs: 24 * 3600,
            retention_days: 30,
            items: backup_items(
                "backup_",
                ".dump.gz",
                now.plus(-26 * 3600),
                86_400,
                30,
                9 * GIB,
            ),
            verification: Some(Verification {
                at: now.plus(-25 * 3600),
                ok: true,
                detail: "gzip ok; pg_restore --list: 214 entries".into(),
            }),
        },
        BackupSet {
            name: "workflow hourly".into(),
            kind: "directory".into(),
            location: "/backups/workflow/*.sql.gz".into(),
            rpo_secs: 3600,
            retention_days: 7,
            items: backup_items("workflow_", ".sql.gz", now.plus(-25 * 60), 3600, 48, GIB),
            verification: Some(Verification {
                at: now.plus(-20 * 60),
                ok: true,
                detail: "gzip ok".into(),
            }),
        },
        BackupSet {
            name: "cluster daily".into(),
            kind: "velero".into(),
            location: "velero/daily-cluster".into(),
            rpo_secs: 24 * 3600,
            retention_days: 14,
            items: backup_items(
                "daily-cluster-",
                "",
                now.plus(-6 * 3600),
                86_400,
                14,
                3 * GIB,
            ),
            verification: Some(Verification {
                at: now.plus(-5 * 3600),
                ok: true,
                detail: "phase Completed, 0 errors, 2 warnings".into(),
            }),
        },
        BackupSet {
            name: "weaviate snapshots".into(),
            kind: "command".into(),
            location: "weaviate-backup list --output=json".into(),
            rpo_secs: 12 * 3600,
            retention_days: 7,
            items: backup_items(
                "snapshot-",
                "",
                now.plus(-4 * 3600),
                12 * 3600,
                14,
                22 * GIB,
            ),
            verification: None,
        },
    ]
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
