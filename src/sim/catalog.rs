//! What the simulated estate is made of: namespaces and workloads of the kind the reference
//! runbooks describe (a POS backend, a workflow engine, an agent platform, their data stores).

use crate::domain::WorkloadKind;

pub struct WorkloadSpec {
    pub namespace: &'static str,
    pub name: &'static str,
    pub kind: WorkloadKind,
    /// Relative share of the estate's pods; statefulsets keep exactly this many.
    pub replicas: u32,
    pub image: &'static str,
    /// Versions oldest first; the last is running.
    pub versions: &'static [&'static str],
    /// HTTP port of the health endpoint, when the service has one.
    pub health_port: Option<u16>,
    /// Typical p95 latency (ms) and error rate.
    pub p95_ms: f64,
    pub error_rate: f64,
    /// Containers beside the workload's own, e.g. a service-mesh proxy.
    pub sidecars: &'static [&'static str],
}

impl WorkloadSpec {
    const fn with_sidecars(mut self, sidecars: &'static [&'static str]) -> WorkloadSpec {
        self.sidecars = sidecars;
        self
    }
}

/// A deployment; `service` is its health port with typical p95 (ms) and error rate, for those
/// that serve HTTP.
const fn deploy(
    namespace: &'static str,
    name: &'static str,
    replicas: u32,
    image: &'static str,
    versions: &'static [&'static str],
    service: Option<(u16, f64, f64)>,
) -> WorkloadSpec {
    let (health_port, p95_ms, error_rate) = match service {
        Some((port, p95, errors)) => (Some(port), p95, errors),
        None => (None, 0.0, 0.0),
    };
    WorkloadSpec {
        namespace,
        name,
        kind: WorkloadKind::Deployment,
        replicas,
        image,
        versions,
        health_port,
        p95_ms,
        error_rate,
        sidecars: &[],
    }
}

const fn sts(
    namespace: &'static str,
    name: &'static str,
    replicas: u32,
    image: &'static str,
) -> WorkloadSpec {
    WorkloadSpec {
        namespace,
        name,
        kind: WorkloadKind::StatefulSet,
        replicas,
        image,
        versions: &["1"],
        health_port: None,
        p95_ms: 0.0,
        error_rate: 0.0,
        sidecars: &[],
    }
}

pub const NAMESPACES: &[&str] = &["pos", "workflow", "agents", "data", "monitoring"];

/// The namespace shown locked down when the demo starts, so the column is visible.
pub const LOCKED_NAMESPACE: Option<&str> = None;

pub const WORKLOADS: &[WorkloadSpec] = &[
    deploy(
        "pos",
        "pos-order",
        4,
        "registry.local/pos/pos-order",
        &["2.2.4", "2.2.5", "2.3.0", "2.3.1"],
        Some((8080, 180.0, 0.002)),
    ),
    deploy(
        "pos",
        "pos-catalog",
        3,
        "registry.local/pos/pos-catalog",
        &["1.8.0", "1.8.2"],
        Some((8080, 95.0, 0.001)),
    ),
    deploy(
        "pos",
        "pos-payment",
        3,
        "registry.local/pos/pos-payment",
        &["3.0.9", "3.1.0"],
        Some((8080, 1300.0, 0.004)),
    ),
    deploy(
        "pos",
        "pos-inventory",
        2,
        "registry.local/pos/pos-inventory",
        &["1.4.1"],
        Some((8080, 140.0, 0.001)),
    ),
    deploy(
        "pos",
        "pos-gateway",
        3,
        "registry.local/pos/pos-gateway",
        &["5.2.0", "5.2.1"],
        Some((8080, 60.0, 0.003)),
    )
    // A mesh proxy beside the gateway, so the demo has pods whose log needs a container chosen.
    .with_sidecars(&["envoy"]),
    deploy(
        "workflow",
        "workflow-orchestrator",
        3,
        "registry.local/dox/workflow-orchestrator",
        &["4.0.2", "4.1.0"],
        Some((5000, 240.0, 0.002)),
    ),
    deploy(
        "workflow",
        "validation-service",
        2,
        "registry.local/dox/validation-service",
        &["2.7.3"],
        Some((5007, 950.0, 0.006)),
    ),
    deploy(
        "workflow",
        "pdf-upload",
        2,
        "registry.local/dox/pdf-upload",
        &["1.2.0", "1.3.0"],
        Some((5002, 410.0, 0.003)),
    ),
    deploy(
        "workflow",
        "pdf-recognizer",
        4,
        "registry.local/dox/pdf-recognizer",
        &["0.9.8", "0.9.9"],
        Some((5003, 1750.0, 0.062)),
    ),
    deploy(
        "workflow",
        "workflow-worker",
        6,
        "registry.local/dox/workflow-worker",
        &["4.0.2", "4.1.0"],
        None,
    ),
    deploy(
        "agents",
        "core-agent",
        2,
        "registry.local/agents/core-agent",
        &["0.14.0", "0.15.1"],
        Some((8000, 320.0, 0.004)),
    ),
    deploy(
        "agents",
        "workspace-agents",
        3,
        "registry.local/agents/workspace-agents",
        &["2.0.0", "2.1.0"],
        Some((8000, 280.0, 0.002)),
    ),
    deploy(
        "agents",
        "episodic-memory",
        2,
        "registry.local/agents/episodic-memory",
        &["1.1.0"],
        Some((8081, 120.0, 0.001)),
    ),
    deploy(
        "agents",
        "reputation-service",
        2,
        "registry.local/agents/reputation-service",
        &["0.7.2"],
        Some((8090, 85.0, 0.000)),
    ),
    deploy(
        "agents",
        "research-engine",
        2,
        "registry.local/agents/research-engine",
        &["3.3.0", "3.4.0"],
        Some((8070, 620.0, 0.008)),
    ),
    sts("data", "positivity-db", 1, "postgres:15.8"),
    sts("data", "workflow-db", 1, "postgres:15.8"),
    sts("data", "redis", 1, "redis:7.0-alpine"),
    sts("data", "weaviate", 1, "semitechnologies/weaviate:1.24.1"),
    sts("monitoring", "prometheus", 1, "prom/prometheus:v2.42.0"),
    sts("monitoring", "alertmanager", 1, "prom/alertmanager:v0.25.0"),
    deploy(
        "monitoring",
        "grafana",
        1,
        "grafana/grafana",
        &["10.2.3"],
        Some((3000, 40.0, 0.0)),
    ),
];

/// The Service in front of a workload's pods, named as it is: an HTTP service's port 80 sends
/// to its health port; the rest keep their well-known port on both sides (Grafana's 3000, as
/// the runbooks' `kubectl port-forward svc/grafana 3000:3000`).
pub fn service(spec: &WorkloadSpec) -> Option<crate::domain::WorkloadService> {
    let (port, target_port) = match (spec.name, spec.health_port) {
        ("grafana", Some(port)) => (port, port),
        (_, Some(port)) => (80, port),
        ("positivity-db" | "workflow-db", None) => (5432, 5432),
        ("redis", None) => (6379, 6379),
        ("weaviate", None) => (8080, 8080),
        ("prometheus", None) => (9090, 9090),
        ("alertmanager", None) => (9093, 9093),
        _ => return None,
    };
    Some(crate::domain::WorkloadService {
        name: spec.name.into(),
        port,
        target_port,
    })
}

/// The workload whose rollout is in progress when the demo starts.
pub const ROLLING_OUT: &str = "pos-order";
/// The workload with a crash-looping pod.
pub const CRASH_LOOPING: &str = "pdf-recognizer";
/// The workload with a pod that cannot be scheduled.
pub const UNSCHEDULABLE: &str = "research-engine";
/// Workloads with a reason to restart now and then (a memory leak, a flaky dependency); the
/// demo's random restarts and readiness flaps happen in their pods only, so "restarted <1h"
/// stays a signal rather than growing to every pod.
pub const FLAKY: &[&str] = &["pdf-recognizer", "validation-service", "research-engine"];
/// Of a flaky workload's pods, this many have the reason; the rest stay up.
pub const FLAKY_PODS_PER_WORKLOAD: usize = 2;

pub const NODES: &[&str] = &[
    "worker-01",
    "worker-02",
    "worker-03",
    "worker-04",
    "worker-05",
    "worker-06",
    "worker-07",
    "worker-08",
    "worker-09",
    "worker-10",
    "worker-11",
    "worker-12",
];

pub const CHANGE_CAUSES: &[&str] = &[
    "CI deploy from main",
    "hotfix: connection pool size",
    "feature flag cleanup",
    "dependency bump",
    "rollback after incident",
];
