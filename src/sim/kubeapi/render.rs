//! The world's objects as the Kubernetes API writes them: the JSON shapes `kubectl` and
//! k8s-openapi expect, with stable uids so owner references hold across renders.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use serde_json::{Value, json};

use super::collection::Key;
use super::describe_parts;
use crate::domain::{ContainerResources, Revision, Workload, WorkloadKind};
use crate::sim::names::template_hash;

pub use super::render_pod::{container_names, pod, pod_sized, template_owner};

/// The label that ties a deployment's pods and ReplicaSets to their template.
pub const TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";
/// The workload whose pods keep data in an emptyDir volume (what a drain must be told to delete).
pub const LOCAL_STORAGE_WORKLOAD: &str = "pdf-upload";

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

/// A workload's Service: ClusterIP, selecting its pods (`app: NAME`), one TCP port to the
/// pods' target port. Its cluster IP is derived from its name, in 10.96.0.0/12 as kubeadm's
/// default service range is.
pub fn service(w: &Workload, service: &crate::domain::WorkloadService) -> Value {
    let ns = &w.namespace;
    let created = w.created.rfc3339();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ("Service", ns, &service.name).hash(&mut h);
    let h = h.finish();
    let ip = std::net::Ipv4Addr::new(
        10,
        96 + ((h >> 16) as u8 & 0x0f),
        (h >> 8) as u8,
        (h as u8).max(1),
    );
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": &service.name,
            "namespace": ns,
            "uid": uid(&["Service", ns, &service.name]),
            "creationTimestamp": created,
            "labels": {"app": &w.name},
        },
        "spec": {
            "type": "ClusterIP",
            "clusterIP": ip.to_string(),
            "clusterIPs": [ip.to_string()],
            "selector": {"app": &w.name},
            // One port: its name may be left out.
            "ports": [{
                "protocol": "TCP",
                "port": service.port,
                "targetPort": service.target_port,
            }],
            "sessionAffinity": "None",
        },
        "status": {"loadBalancer": {}},
    })
}

pub(super) fn owner_ref(api_version: &str, kind: &str, ns: &str, name: &str) -> Value {
    json!({
        "apiVersion": api_version, "kind": kind, "name": name,
        "uid": uid(&[kind, ns, name]), "controller": true, "blockOwnerDeletion": true,
    })
}

/// The pod template of a revision: what a rollback copies back into the deployment, its
/// containers sized by `sizes` (one sized as the namespace's pods are, when empty).
pub fn template(
    ns: &str,
    workload: &str,
    image: &str,
    restarted_at: Option<&String>,
    sizes: &[ContainerResources],
) -> Value {
    let containers: Vec<Value> = if sizes.is_empty() {
        vec![json!({"name": workload, "image": image,
                    "resources": describe_parts::resources(ns, 0)})]
    } else {
        sizes
            .iter()
            .map(|c| {
                json!({"name": c.name, "image": image,
                       "resources": describe_parts::resources_value(c)})
            })
            .collect()
    };
    let mut template = json!({
        "metadata": {"labels": {"app": workload}},
        "spec": {"containers": containers, "restartPolicy": "Always"},
    });
    if let Some(at) = restarted_at {
        template["metadata"]["annotations"] = json!({ RESTARTED_AT_ANNOTATION: at });
    }
    template
}

pub type RestartTimes = BTreeMap<(String, String, u64), String>;
/// The containers' resources of each revision made by `kubectl set resources`, by (namespace,
/// workload, revision): the world keeps the current template's only.
pub type Sizes = BTreeMap<(String, String, u64), Vec<ContainerResources>>;

/// The containers' resources of a workload's revision: the current one's from the row, an
/// earlier one's as it was set, else as the namespace sizes them.
pub fn sizes_of(w: &Workload, revision: u64, sizes: &Sizes) -> Vec<ContainerResources> {
    if revision == w.revision {
        return w.containers.clone();
    }
    sizes
        .get(&(w.namespace.clone(), w.name.clone(), revision))
        .cloned()
        .unwrap_or_else(|| {
            let names: Vec<&str> = w.containers.iter().map(|c| c.name.as_str()).collect();
            describe_parts::default_containers(&w.namespace, &names)
        })
}

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
    let mut pod_template = template(
        ns,
        &w.name,
        &w.image,
        restarted(w, w.revision, times),
        &w.containers,
    );
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
pub fn replica_sets(w: &Workload, times: &RestartTimes, sizes: &Sizes) -> Vec<Value> {
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
            replica_set(w, r, replicas, times, &sizes_of(w, r.number, sizes))
        })
        .collect()
}

fn replica_set(
    w: &Workload,
    r: &Revision,
    (spec, status): (u32, u32),
    times: &RestartTimes,
    sizes: &[ContainerResources],
) -> Value {
    let ns = &w.namespace;
    let hash = template_hash(&w.name, r.number);
    let name = format!("{}-{hash}", w.name);
    let mut template = template(ns, &w.name, &r.image, restarted(w, r.number, times), sizes);
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

pub use super::render_misc::{event, lockdown_policy, namespace};
