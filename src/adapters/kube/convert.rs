//! Kubernetes objects into the cockpit's domain rows. The API objects are dropped after this;
//! only what the panels and actions need is kept (a pod row is a few hundred bytes).

use std::collections::HashMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::Event;

use super::convert_resources::{container_resources, last_terminated};
use super::slim::SlimPod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::domain::{self, K8sEvent, PodKey, PodPhase, Revision, UnixTime, Workload, WorkloadKind};

pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
pub const TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// CPU in millicores and memory in bytes, from metrics.k8s.io.
pub type Usage = (u32, u64);

fn time(t: &Option<Time>) -> Option<UnixTime> {
    t.as_ref().map(|t| UnixTime(t.0.as_second()))
}

/// Interns namespace and node names: a hundred thousand pods share a few dozen of each.
#[derive(Default)]
pub struct Interner {
    strings: std::collections::HashSet<Arc<str>>,
}

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.strings.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.strings.insert(new.clone());
        new
    }
}

pub fn pod_key(meta: &ObjectMeta) -> PodKey {
    PodKey::new(
        meta.namespace.as_deref().unwrap_or_default(),
        meta.name.as_deref().unwrap_or_default(),
    )
}

/// What `kubectl get pods` prints in STATUS: Terminating, a container's waiting or terminated
/// reason, the pod's reason (Evicted), else the phase.
fn status_word(pod: &SlimPod) -> String {
    if pod.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    for c in &pod.statuses {
        let state = c.state.as_ref();
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
        {
            return reason;
        }
        if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
            return t
                .reason
                .clone()
                .unwrap_or_else(|| format!("ExitCode:{}", t.exit_code));
        }
    }
    pod.reason
        .clone()
        .or_else(|| pod.phase.clone())
        .unwrap_or_else(|| "Unknown".into())
}

fn phase(pod: &SlimPod) -> PodPhase {
    match pod.phase.as_deref() {
        Some("Pending") => PodPhase::Pending,
        Some("Running") => PodPhase::Running,
        Some("Succeeded") => PodPhase::Succeeded,
        Some("Failed") => PodPhase::Failed,
        _ => PodPhase::Unknown,
    }
}

/// The controlling workload, `Deployment/pos-order`: a ReplicaSet's pods belong to the
/// deployment whose name is the set's without its template hash.
fn owner(meta: &ObjectMeta) -> Option<String> {
    let controller = meta
        .owner_references
        .as_deref()?
        .iter()
        .find(|o| o.controller == Some(true))?;
    if controller.kind == "ReplicaSet" {
        let hash = meta
            .labels
            .as_ref()
            .and_then(|l| l.get(TEMPLATE_HASH_LABEL));
        if let Some(deployment) = hash.and_then(|h| controller.name.strip_suffix(&format!("-{h}")))
        {
            return Some(format!("Deployment/{deployment}"));
        }
    }
    Some(format!("{}/{}", controller.kind, controller.name))
}

pub fn pod(p: &SlimPod, usage: Option<Usage>, strings: &mut Interner) -> domain::Pod {
    let last_restart = p
        .statuses
        .iter()
        .filter_map(|c| {
            c.last_state
                .as_ref()?
                .terminated
                .as_ref()?
                .finished_at
                .as_ref()
        })
        .map(|t| UnixTime(t.0.as_second()))
        .max();
    let key = pod_key(&p.metadata);
    domain::Pod {
        key: PodKey {
            context: crate::domain::cluster_row::no_context(),
            namespace: strings.get(&key.namespace),
            name: key.name,
        },
        phase: phase(p),
        status: status_word(p).into(),
        ready_containers: p.statuses.iter().filter(|c| c.ready).count().min(255) as u8,
        total_containers: p.containers.max(p.statuses.len()).min(255) as u8,
        containers: p
            .container_names
            .iter()
            .map(|c| c.as_str().into())
            .collect(),
        restarts: p
            .statuses
            .iter()
            .map(|c| c.restart_count.max(0) as u32)
            .sum(),
        last_restart,
        last_terminated: last_terminated(p).map(Arc::from),
        node: strings.get(p.node.as_deref().unwrap_or_default()),
        owner: owner(&p.metadata).map(|o| strings.get(&o)),
        created: time(&p.metadata.creation_timestamp).unwrap_or(UnixTime(0)),
        image: strings.get(p.image.as_deref().unwrap_or_default()),
        cpu_millis: usage.map(|u| u.0),
        memory_bytes: usage.map(|u| u.1),
        ip: p.ip,
    }
}

fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations.as_ref()?.get(key).map(String::as_str)
}

fn first_image(template: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>) -> String {
    template
        .and_then(|t| t.spec.as_ref())
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

/// A deployment's revisions, from the ReplicaSets it controls (by uid, as kubectl does).
pub fn history(d: &Deployment, sets: &[Arc<ReplicaSet>]) -> Vec<Revision> {
    let uid = d.metadata.uid.as_deref();
    let mut revisions: Vec<Revision> = sets
        .iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|o| o.controller == Some(true) && Some(o.uid.as_str()) == uid)
        })
        .filter_map(|rs| {
            Some(Revision {
                number: annotation(&rs.metadata, REVISION_ANNOTATION)?
                    .parse()
                    .ok()?,
                image: first_image(rs.spec.template.as_ref()),
                change_cause: annotation(&rs.metadata, CHANGE_CAUSE_ANNOTATION).map(str::to_string),
                created: time(&rs.metadata.creation_timestamp).unwrap_or(UnixTime(0)),
            })
        })
        .collect();
    revisions.sort_by_key(|r| r.number);
    revisions
}

pub fn deployment(d: &Deployment, sets: &[Arc<ReplicaSet>]) -> Workload {
    let spec = Some(&d.spec);
    let status = d.status.as_ref();
    let history = history(d, sets);
    Workload {
        context: crate::domain::cluster_row::no_context(),
        kind: WorkloadKind::Deployment,
        namespace: d.metadata.namespace.clone().unwrap_or_default(),
        name: d.metadata.name.clone().unwrap_or_default(),
        desired: spec.and_then(|s| s.replicas).unwrap_or(1).max(0) as u32,
        ready: status.and_then(|s| s.ready_replicas).unwrap_or(0).max(0) as u32,
        updated: status.and_then(|s| s.updated_replicas).unwrap_or(0).max(0) as u32,
        revision: annotation(&d.metadata, REVISION_ANNOTATION)
            .and_then(|r| r.parse().ok())
            .or_else(|| history.last().map(|r| r.number))
            .unwrap_or(0),
        image: first_image(spec.map(|s| &s.template)),
        history,
        created: time(&d.metadata.creation_timestamp).unwrap_or(UnixTime(0)),
        service: None,
        containers: container_resources(spec.map(|s| &s.template)),
        config_refs: super::convert_config::template_refs(spec.map(|s| &s.template)),
    }
}

pub fn stateful_set(s: &StatefulSet) -> Workload {
    let spec = Some(&s.spec);
    let status = s.status.as_ref();
    Workload {
        context: crate::domain::cluster_row::no_context(),
        kind: WorkloadKind::StatefulSet,
        namespace: s.metadata.namespace.clone().unwrap_or_default(),
        name: s.metadata.name.clone().unwrap_or_default(),
        desired: spec.and_then(|s| s.replicas).unwrap_or(1).max(0) as u32,
        ready: status.and_then(|s| s.ready_replicas).unwrap_or(0).max(0) as u32,
        updated: status.and_then(|s| s.updated_replicas).unwrap_or(0).max(0) as u32,
        revision: s.metadata.generation.unwrap_or(0).max(0) as u64,
        image: first_image(spec.map(|s| &s.template)),
        // ControllerRevisions are not read: statefulsets show no history (and offer no rollback).
        history: Vec::new(),
        created: time(&s.metadata.creation_timestamp).unwrap_or(UnixTime(0)),
        service: None,
        containers: container_resources(spec.map(|s| &s.template)),
        config_refs: super::convert_config::template_refs(spec.map(|s| &s.template)),
    }
}

/// Deployments (with their ReplicaSets' history) and statefulsets, sorted as the panel lists
/// them.
pub fn workloads(
    deployments: &[Arc<Deployment>],
    sets: &[Arc<ReplicaSet>],
    stateful: &[Arc<StatefulSet>],
) -> Vec<Workload> {
    let mut by_namespace: HashMap<&str, Vec<Arc<ReplicaSet>>> = HashMap::new();
    for rs in sets {
        by_namespace
            .entry(rs.metadata.namespace.as_deref().unwrap_or_default())
            .or_default()
            .push(rs.clone());
    }
    let mut out: Vec<Workload> = deployments
        .iter()
        .map(|d| {
            let ns = d.metadata.namespace.as_deref().unwrap_or_default();
            deployment(d, by_namespace.get(ns).map_or(&[][..], Vec::as_slice))
        })
        .chain(stateful.iter().map(|s| stateful_set(s)))
        .collect();
    out.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    out
}

pub fn event(e: &Event) -> K8sEvent {
    let object = &e.involved_object;
    let last = time(&e.last_timestamp)
        .or_else(|| e.event_time.as_ref().map(|t| UnixTime(t.0.as_second())))
        .or_else(|| time(&e.metadata.creation_timestamp))
        .unwrap_or(UnixTime(0));
    let first = time(&e.first_timestamp)
        .or_else(|| time(&e.metadata.creation_timestamp))
        .unwrap_or(last);
    // Newer components (events.k8s.io) set the series and reportingComponent instead.
    let count = e
        .series
        .as_ref()
        .and_then(|s| s.count)
        .or(e.count)
        .unwrap_or(1)
        .max(1) as u32;
    let last = e
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
        .map_or(last, |t| UnixTime(t.0.as_second()).max(last));
    let source = e
        .source
        .as_ref()
        .and_then(|s| s.component.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| e.reporting_component.clone())
        .unwrap_or_default();
    K8sEvent {
        context: crate::domain::cluster_row::no_context(),
        name: e.metadata.name.clone().unwrap_or_default(),
        namespace: e
            .metadata
            .namespace
            .clone()
            .or_else(|| object.namespace.clone())
            .unwrap_or_default(),
        object: format!(
            "{}/{}",
            object.kind.as_deref().unwrap_or("?"),
            object.name.as_deref().unwrap_or("?")
        ),
        reason: e.reason.clone().unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
        warning: e.type_.as_deref() == Some("Warning"),
        count,
        first_seen: first,
        last_seen: last,
        source,
    }
}

/// A Kubernetes CPU quantity in millicores: `250m`, `1`, `1.5`, `120000n`, `300u`.
pub fn cpu_millis(q: &str) -> Option<u32> {
    let (number, scale) = match q.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&q[..i], &q[i..]),
        None => (q, ""),
    };
    let n: f64 = number.parse().ok()?;
    let millis = match scale {
        "" => n * 1000.0,
        "m" => n,
        "u" => n / 1000.0,
        "n" => n / 1_000_000.0,
        _ => return None,
    };
    Some(millis.round() as u32)
}

/// A Kubernetes memory quantity in bytes: `128Mi`, `1Gi`, `500M`, `123456`.
pub fn memory_bytes(q: &str) -> Option<u64> {
    let (number, scale) = match q.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&q[..i], &q[i..]),
        None => (q, ""),
    };
    let n: f64 = number.parse().ok()?;
    let factor: f64 = match scale {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return None,
    };
    Some((n * factor).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_in_every_unit_the_metrics_api_uses() {
        assert_eq!(cpu_millis("250m"), Some(250));
        assert_eq!(cpu_millis("2"), Some(2000));
        assert_eq!(cpu_millis("120000000n"), Some(120));
        assert_eq!(cpu_millis("1.5"), Some(1500));
        assert_eq!(memory_bytes("128Mi"), Some(128 << 20));
        assert_eq!(memory_bytes("1Gi"), Some(1 << 30));
        assert_eq!(memory_bytes("500M"), Some(500_000_000));
        assert_eq!(memory_bytes("123456"), Some(123_456));
        assert_eq!(memory_bytes("12Xi"), None);
    }

    #[test]
    fn pods_read_status_restarts_and_owner_like_kubectl() {
        let pod: SlimPod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "pos-order-abc123-x1", "namespace": "pos",
                "creationTimestamp": "2026-11-22T10:00:00Z",
                "labels": {"pod-template-hash": "abc123"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "name": "pos-order-abc123", "uid": "u", "controller": true}]},
            "spec": {"nodeName": "worker-01", "containers": [{"name": "a", "image": "pos:1"}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "a", "image": "pos:1",
                "imageID": "", "ready": false, "restartCount": 7,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-22T11:00:00Z"}}}]}
        }))
        .unwrap();
        let row = self::pod(&pod, Some((120, 1 << 20)), &mut Interner::default());
        assert_eq!(&*row.status, "CrashLoopBackOff");
        assert_eq!(row.restarts, 7);
        assert_eq!(row.owner.as_deref(), Some("Deployment/pos-order"));
        assert_eq!((row.ready_containers, row.total_containers), (0, 1));
        assert_eq!(
            row.last_restart,
            UnixTime::parse_rfc3339("2026-11-22T11:00:00Z")
        );
        assert_eq!(row.cpu_millis, Some(120));
        assert!(
            pod.metadata.managed_fields.is_none(),
            "managedFields are not kept"
        );
    }
}
