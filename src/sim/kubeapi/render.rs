//! The world's objects as the Kubernetes API writes them: the JSON shapes `kubectl` and
//! k8s-openapi expect, with stable uids so owner references hold across renders.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use serde_json::{Value, json};

use super::collection::Key;
use super::describe_parts;
use crate::domain::{K8sEvent, Pod, PodPhase, Revision, UnixTime, Workload, WorkloadKind};
use crate::sim::names::template_hash;

/// The label that ties a deployment's pods and ReplicaSets to their template.
pub const TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";
/// When the simulated cluster's namespaces were made.
const CLUSTER_BORN: UnixTime = UnixTime(1_735_689_600);

/// A stable uid for an object, from what identifies it.
pub fn uid(parts: &[&str]) -> String {
    let half = |seed: u64| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        seed.hash(&mut h);
        parts.hash(&mut h);
        h.finish()
    };
    let (a, b) = (half(1), half(2));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

pub fn with_rv(mut object: Value, rv: u64) -> Value {
    object["metadata"]["resourceVersion"] = json!(rv.to_string());
    object
}

pub fn key_of_value(object: &Value) -> Key {
    let meta = &object["metadata"];
    (
        meta["namespace"].as_str().unwrap_or_default().to_string(),
        meta["name"].as_str().unwrap_or_default().to_string(),
    )
}

fn phase_word(phase: PodPhase) -> &'static str {
    match phase {
        PodPhase::Pending => "Pending",
        PodPhase::Running => "Running",
        PodPhase::Succeeded => "Succeeded",
        PodPhase::Failed => "Failed",
        PodPhase::Unknown => "Unknown",
    }
}

/// The owning workload's kind and name, from `Deployment/pos-order`.
fn owner_of(pod: &Pod) -> Option<(&str, &str)> {
    pod.owner.as_deref().and_then(|o| o.split_once('/'))
}

pub fn pod(pod: &Pod, rv: u64) -> Value {
    let ns = &*pod.key.namespace;
    let name = &*pod.key.name;
    let owner = owner_of(pod);
    let names = container_names(pod);
    let mut labels = serde_json::Map::new();
    let mut owners = Vec::new();
    match owner {
        Some(("Deployment", workload)) => {
            labels.insert("app".into(), json!(workload));
            let hash = name
                .strip_prefix(workload)
                .and_then(|rest| rest.trim_start_matches('-').rsplit_once('-'))
                .map(|(hash, _)| hash)
                .unwrap_or_default();
            labels.insert(TEMPLATE_HASH_LABEL.into(), json!(hash));
            let set = format!("{workload}-{hash}");
            owners.push(owner_ref("apps/v1", "ReplicaSet", ns, &set));
        }
        Some((kind, workload)) => {
            labels.insert("app".into(), json!(workload));
            owners.push(owner_ref("apps/v1", kind, ns, workload));
        }
        None => {}
    }
    let created = pod.created.rfc3339();
    let waiting = !matches!(
        &*pod.status,
        "Running" | "Pending" | "Succeeded" | "Failed" | "Unknown" | "Terminating"
    );
    let statuses: Vec<Value> = (0..pod.total_containers)
        .filter(|_| waiting || pod.phase != PodPhase::Pending)
        .map(|i| {
            let cname = &names[usize::from(i)];
            let state = if i == 0 && waiting {
                json!({"waiting": {"reason": &*pod.status}})
            } else {
                let started = pod.last_restart.unwrap_or(pod.created).rfc3339();
                json!({"running": {"startedAt": started}})
            };
            let mut status = json!({
                "name": cname,
                "image": &*pod.image,
                "imageID": "",
                "ready": i < pod.ready_containers,
                "started": i < pod.ready_containers,
                "restartCount": if i == 0 { pod.restarts } else { 0 },
                "state": state,
            });
            if i == 0
                && let Some(last) = describe_parts::last_state(pod)
            {
                status["lastState"] = last;
            }
            status
        })
        .collect();
    let containers: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"name": name, "image": &*pod.image,
                   "resources": describe_parts::resources(ns, i)})
        })
        .collect();
    let mut spec = json!({"containers": containers, "restartPolicy": "Always"});
    if !pod.node.is_empty() {
        spec["nodeName"] = json!(&*pod.node);
    }
    let conditions = describe_parts::conditions(pod);
    // A pod with a sidecar names its own container as the default, as meshes' injectors do
    // (kubectl exec and logs, and opsdeck, take that one without -c).
    let default_container = (names.len() > 1).then(|| &names[0]);
    let mut object = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": ns,
            "uid": uid(&["Pod", ns, name, &created]),
            "resourceVersion": rv.to_string(),
            "creationTimestamp": created,
            "labels": labels,
            "ownerReferences": owners,
        },
        "spec": spec,
        "status": {
            "phase": phase_word(pod.phase),
            "conditions": conditions,
            "startTime": created,
            "containerStatuses": statuses,
            "qosClass": describe_parts::qos_class(ns),
        },
    });
    if let Some(name) = default_container {
        object["metadata"]["annotations"] =
            json!({ "kubectl.kubernetes.io/default-container": name });
    }
    object
}

/// A pod's container names: the workload's name (the pod's own without one), then sidecars.
pub fn container_names(pod: &Pod) -> Vec<String> {
    if !pod.containers.is_empty() {
        return pod.containers.iter().map(|c| c.to_string()).collect();
    }
    let first = owner_of(pod).map_or(&*pod.key.name, |(_, w)| w);
    (0..pod.total_containers.max(1))
        .map(|i| match i {
            0 => first.to_string(),
            i => format!("sidecar-{i}"),
        })
        .collect()
}

fn owner_ref(api_version: &str, kind: &str, ns: &str, name: &str) -> Value {
    json!({
        "apiVersion": api_version, "kind": kind, "name": name,
        "uid": uid(&[kind, ns, name]), "controller": true, "blockOwnerDeletion": true,
    })
}

/// The pod template of a revision: what a rollback copies back into the deployment. Its
/// container is sized as the namespace's pods are.
pub fn template(ns: &str, workload: &str, image: &str, restarted_at: Option<&String>) -> Value {
    let mut template = json!({
        "metadata": {"labels": {"app": workload}},
        "spec": {"containers": [{"name": workload, "image": image,
                                 "resources": describe_parts::resources(ns, 0)}],
                 "restartPolicy": "Always"},
    });
    if let Some(at) = restarted_at {
        template["metadata"]["annotations"] = json!({ RESTARTED_AT_ANNOTATION: at });
    }
    template
}

pub type RestartTimes = BTreeMap<(String, String, u64), String>;

fn restarted<'a>(w: &Workload, revision: u64, times: &'a RestartTimes) -> Option<&'a String> {
    times.get(&(w.namespace.clone(), w.name.clone(), revision))
}

/// A Deployment or StatefulSet, without its resource version.
pub fn workload(w: &Workload, times: &RestartTimes) -> Value {
    let kind = w.kind.api_kind();
    let ns = &w.namespace;
    let mut annotations = serde_json::Map::new();
    if let Some(cause) = w.history.last().and_then(|r| r.change_cause.as_ref()) {
        annotations.insert(CHANGE_CAUSE_ANNOTATION.into(), json!(cause));
    }
    let mut pod_template = template(ns, &w.name, &w.image, restarted(w, w.revision, times));
    super::render_config::add_refs(&mut pod_template, ns, &w.name, &w.config_refs);
    let mut object = json!({
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {
            "name": &w.name,
            "namespace": ns,
            "uid": uid(&[kind, ns, &w.name]),
            "generation": w.revision,
            "creationTimestamp": w.created.rfc3339(),
            "labels": {"app": &w.name},
            "annotations": annotations,
        },
        "spec": {
            "replicas": w.desired,
            "selector": {"matchLabels": {"app": &w.name}},
            "template": pod_template,
            "revisionHistoryLimit": 10,
        },
    });
    match w.kind {
        WorkloadKind::Deployment => {
            object["metadata"]["annotations"][REVISION_ANNOTATION] = json!(w.revision.to_string());
            object["spec"]["strategy"] = json!({"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}});
            object["status"] = json!({
                "observedGeneration": w.revision,
                "replicas": w.desired.max(w.updated),
                "updatedReplicas": w.updated,
                "readyReplicas": w.ready,
                "availableReplicas": w.ready,
                "unavailableReplicas": w.desired.saturating_sub(w.ready),
                "conditions": describe_parts::deployment_conditions(w),
            });
        }
        WorkloadKind::StatefulSet => {
            let revision = format!("{}-{}", w.name, template_hash(&w.name, w.revision));
            object["spec"]["serviceName"] = json!(&w.name);
            object["status"] = json!({
                "observedGeneration": w.revision,
                "replicas": w.desired,
                "readyReplicas": w.ready,
                "availableReplicas": w.ready,
                "currentReplicas": w.updated,
                "updatedReplicas": w.updated,
                "currentRevision": revision,
                "updateRevision": revision,
            });
        }
    }
    object
}

/// A deployment's ReplicaSets, one per revision in its history.
pub fn replica_sets(w: &Workload, times: &RestartTimes) -> Vec<Value> {
    let previous = w.history.len().checked_sub(2);
    w.history
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let replicas = if r.number == w.revision {
                (w.desired, w.updated)
            } else if Some(i) == previous && w.rollout_in_progress() {
                let old = w.desired.saturating_sub(w.updated);
                (old, old)
            } else {
                (0, 0)
            };
            replica_set(w, r, replicas, times)
        })
        .collect()
}

fn replica_set(
    w: &Workload,
    r: &Revision,
    (spec, status): (u32, u32),
    times: &RestartTimes,
) -> Value {
    let ns = &w.namespace;
    let hash = template_hash(&w.name, r.number);
    let name = format!("{}-{hash}", w.name);
    let mut template = template(ns, &w.name, &r.image, restarted(w, r.number, times));
    super::render_config::add_refs(&mut template, ns, &w.name, &w.config_refs);
    template["metadata"]["labels"][TEMPLATE_HASH_LABEL] = json!(hash);
    let mut annotations = json!({ REVISION_ANNOTATION: r.number.to_string() });
    if let Some(cause) = &r.change_cause {
        annotations[CHANGE_CAUSE_ANNOTATION] = json!(cause);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": ns,
            "uid": uid(&["ReplicaSet", ns, &name]),
            "creationTimestamp": r.created.rfc3339(),
            "labels": {"app": &w.name, TEMPLATE_HASH_LABEL: hash},
            "annotations": annotations,
            "ownerReferences": [owner_ref("apps/v1", "Deployment", ns, &w.name)],
        },
        "spec": {
            "replicas": spec,
            "selector": {"matchLabels": {"app": &w.name, TEMPLATE_HASH_LABEL: hash}},
            "template": template,
        },
        "status": {"replicas": status, "readyReplicas": status, "availableReplicas": status},
    })
}

pub fn namespace(name: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "uid": uid(&["Namespace", name]),
            "creationTimestamp": CLUSTER_BORN.rfc3339(),
            "labels": {"kubernetes.io/metadata.name": name},
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    })
}

/// The deny-all policy of a lockdown: every pod, no ingress, no egress.
pub fn lockdown_policy(namespace: &str, created: UnixTime) -> Value {
    let name = crate::actions::LOCKDOWN_POLICY;
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": uid(&["NetworkPolicy", namespace, name, &created.rfc3339()]),
            "creationTimestamp": created.rfc3339(),
            "labels": {"app.kubernetes.io/managed-by": "opsdeck"},
        },
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    })
}

/// An event as core/v1 serves it; the world has counted its repeats (`count`, first and last
/// timestamps), so a repeat replaces the object of the same name.
pub fn event(e: &K8sEvent, _rv: u64) -> Value {
    let (kind, object) = e.object.split_once('/').unwrap_or(("Pod", &e.object));
    let api_version = match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" => "apps/v1",
        _ => "v1",
    };
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": &e.name,
            "namespace": &e.namespace,
            "uid": uid(&["Event", &e.namespace, &e.name]),
            "creationTimestamp": e.first_seen.rfc3339(),
        },
        "involvedObject": {
            "apiVersion": api_version,
            "kind": kind,
            "name": object,
            "namespace": &e.namespace,
            "uid": uid(&[kind, &e.namespace, object]),
        },
        "reason": &e.reason,
        "message": &e.message,
        "type": if e.warning { "Warning" } else { "Normal" },
        "count": e.count,
        "firstTimestamp": e.first_seen.rfc3339(),
        "lastTimestamp": e.last_seen.rfc3339(),
        "eventTime": null,
        "source": {"component": &e.source},
        "reportingComponent": &e.source,
        "reportingInstance": "",
    })
}
