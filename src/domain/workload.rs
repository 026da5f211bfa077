//! Workloads (deployments and statefulsets), their revision history, namespaces, events, and the
//! health and KPI figures that the Services panel joins onto them by service name.

use super::level::{Level, Thresholds, defaults};
use super::time::UnixTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
}

impl WorkloadKind {
    /// The resource name kubectl uses, e.g. in `kubectl scale deployment/x`.
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::StatefulSet => "statefulset",
        }
    }

    /// The API kind, as in an event's involved object (`Deployment/pos-order`).
    pub fn api_kind(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deploy",
            WorkloadKind::StatefulSet => "sts",
        }
    }
}

/// One entry of a workload's rollout history (a ReplicaSet or ControllerRevision).
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: u64,
    pub image: String,
    pub change_cause: Option<String>,
    pub created: UnixTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub kind: WorkloadKind,
    pub namespace: String,
    pub name: String,
    pub desired: u32,
    pub ready: u32,
    /// Replicas already on the current revision.
    pub updated: u32,
    pub revision: u64,
    pub image: String,
    /// Newest last.
    pub history: Vec<Revision>,
    pub created: UnixTime,
    /// The Service in front of its pods, if one selects them: what `F` forwards to.
    pub service: Option<WorkloadService>,
    /// Each container's requests and limits in the pod template, the workload's own first.
    pub containers: Vec<super::resources::ContainerResources>,
    /// The ConfigMaps and Secrets its pod template mounts or reads (volumes, `envFrom`, env
    /// `valueFrom`), sorted, each once.
    pub config_refs: Vec<super::configs::ConfigRef>,
}

/// A Service whose selector matches a workload's pod template, and its first port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadService {
    pub name: String,
    /// The Service's port, and the pods' port it sends to (`targetPort`).
    pub port: u16,
    pub target_port: u16,
}

impl Workload {
    /// What its pods name as their owner: `Deployment/pos-order`.
    pub fn owner_ref(&self) -> String {
        format!("{}/{}", self.kind.api_kind(), self.name)
    }

    pub fn rollout_in_progress(&self) -> bool {
        self.updated < self.desired
    }

    pub fn level(&self) -> Level {
        if self.desired > 0 && self.ready == 0 {
            Level::Crit
        } else if self.ready < self.desired || self.rollout_in_progress() {
            Level::Warn
        } else {
            Level::Ok
        }
    }

    /// `namespace/name`, the key health checks and KPIs are joined on.
    pub fn qualified_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceInfo {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub name: String,
    /// An opsdeck deny-all NetworkPolicy is in place.
    pub locked_down: bool,
}

/// A Kubernetes event about one object, for the Events panel and the details panes.
#[derive(Debug, Clone, PartialEq)]
pub struct K8sEvent {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    /// The Event object's name: with the namespace, its identity (a repeat updates it).
    pub name: String,
    pub namespace: String,
    /// The involved object, `Kind/name`: `Pod/pos-order-7c9f-abcde`, `Deployment/pos-order`.
    pub object: String,
    pub reason: String,
    pub message: String,
    pub warning: bool,
    pub count: u32,
    pub first_seen: UnixTime,
    pub last_seen: UnixTime,
    /// Who reported it: `kubelet`, `default-scheduler`, `deployment-controller`.
    pub source: String,
}

impl K8sEvent {
    pub fn key(&self) -> super::events::EventKey {
        (
            self.context.clone(),
            self.namespace.clone(),
            self.name.clone(),
        )
    }

    /// The object the event is about (in the event's namespace, as namespaced objects are).
    pub fn involved(&self) -> super::events::InvolvedObject<'_> {
        let (kind, name) = self.object.split_once('/').unwrap_or(("", &self.object));
        super::events::InvolvedObject {
            kind,
            namespace: &self.namespace,
            name,
        }
    }
}

/// The result of a service's HTTP health check (like the runbooks' `curl -f .../health` loop).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceHealth {
    /// `namespace/name` of the workload it belongs to.
    pub service: String,
    pub url: String,
    pub up: bool,
    pub status_code: Option<u16>,
    pub latency_ms: u32,
    pub last_error: Option<String>,
    pub checked_at: UnixTime,
}

/// Prometheus KPIs of a service, with the thresholds they are judged by.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceKpis {
    pub service: String,
    pub p95_ms: Option<f64>,
    /// Fraction of requests failing, 0.0..=1.0.
    pub error_rate: Option<f64>,
    pub requests_per_s: Option<f64>,
    pub p95_thresholds: Thresholds,
    pub error_thresholds: Thresholds,
    /// p95 over the recent past (oldest first, evenly spaced; `None` where there was no data),
    /// for the sparkline in the details pane.
    pub p95_history: Vec<Option<f64>>,
    /// The span `p95_history` covers, in seconds.
    pub history_secs: u64,
}

impl ServiceKpis {
    /// KPIs judged by the reference runbooks' thresholds.
    pub fn new(service: impl Into<String>) -> Self {
        ServiceKpis {
            service: service.into(),
            p95_ms: None,
            error_rate: None,
            requests_per_s: None,
            p95_thresholds: defaults::P95_MS,
            error_thresholds: defaults::ERROR_RATE,
            p95_history: Vec::new(),
            history_secs: 0,
        }
    }
}

/// Rows for the domain's tests: a ready one-replica deployment and a check that answered 200.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn workload(namespace: &str, name: &str) -> Workload {
        Workload {
            context: "demo".into(),
            kind: WorkloadKind::Deployment,
            namespace: namespace.into(),
            name: name.into(),
            desired: 1,
            ready: 1,
            updated: 1,
            revision: 1,
            image: "i".into(),
            history: vec![],
            created: UnixTime(0),
            service: None,
            containers: vec![],
            config_refs: Vec::new(),
        }
    }

    pub fn check(service: &str) -> ServiceHealth {
        ServiceHealth {
            service: service.into(),
            url: "http://x/health".into(),
            up: true,
            status_code: Some(200),
            latency_ms: 1,
            last_error: None,
            checked_at: UnixTime(0),
        }
    }
}
