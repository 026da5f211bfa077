//! The simple objects of the simulated API: namespaces, opsdeck's lockdown NetworkPolicy and
//! events, as the API server writes them (re-exported from `render`).

use serde_json::{Value, json};

use super::render::uid;
use crate::domain::{K8sEvent, UnixTime};

/// When the simulated cluster's namespaces were made.
const CLUSTER_BORN: UnixTime = UnixTime(1_735_689_600);

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
        "HorizontalPodAutoscaler" => "autoscaling/v2",
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
