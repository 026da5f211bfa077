//! The world's objects as the Kubernetes API writes them: the JSON shapes `kubectl` and
//! k8s-openapi expect, with stable uids so owner references hold across renders.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use serde_json::{Value, json};

use super::collection::Key;
use super::describe_parts;
use crate::domain::{ContainerResources, Pod, PodPhase, Revision, Workload, WorkloadKind};
use crate::sim::names::template_hash;

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
    pod_sized(pod, rv, None)
}

/// The ReplicaSet (a deployment's pod) or workload (a statefulset's) whose template made the
/// pod, as `(kind, name)`.
pub fn template_owner(pod: &Pod) -> Option<String> {
    match owner_of(pod)? {
        ("Deployment", workload) => {
            let hash = pod
                .key
                .name
                .strip_prefix(workload)
                .and_then(|rest| rest.trim_start_matches('-').rsplit_once('-'))
                .map(|(hash, _)| hash)
                .unwrap_or_default();
            Some(format!("{workload}-{hash}"))
        }
        (_, workload) => Some(workload.to_string()),
    }
}

/// A pod whose containers are sized by `sizes` (its template's), or as its namespace's are.
pub fn pod_sized(pod: &Pod, rv: u64, sizes: Option<&[ContainerResources]>) -> Value {
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
        Some(("Job", job)) => {
            labels.insert(super::render_job::JOB_NAME_LABEL.into(), json!(job));
            labels.insert("job-name".into(), json!(job));
            let controller = uid(&["Job", ns, job]);
            labels.insert(
                "batch.kubernetes.io/controller-uid".into(),
                json!(controller),
            );
            labels.insert("controller-uid".into(), json!(controller));
            owners.push(owner_ref("batch/v1", "Job", ns, job));
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
    ) && !matches!(pod.phase, PodPhase::Succeeded | PodPhase::Failed);
    let statuses: Vec<Value> = (0..pod.total_containers)
        .filter(|_| waiting || pod.phase != PodPhase::Pending)
        .map(|i| {
            let cname = &names[usize::from(i)];
            let finished = matches!(pod.phase, PodPhase::Succeeded | PodPhase::Failed);
            let state = if finished {
                // A Job's pod that ran to its end: Completed (exit 0) or Error (exit 1).
                let code = i32::from(pod.phase == PodPhase::Failed);
                json!({"terminated": {"reason": &*pod.status, "exitCode": code,
                                      "startedAt": pod.created.rfc3339()}})
            } else if i == 0 && waiting {
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
            let resources = sizes
                .and_then(|s| s.iter().find(|c| c.name == *name))
                .map_or_else(
                    || describe_parts::resources(ns, i),
                    describe_parts::resources_value,
                );
            json!({"name": name, "image": &*pod.image, "resources": resources})
        })
        .collect();
    let restart_policy = if matches!(owner, Some(("Job", _))) {
        "Never"
    } else {
        "Always"
    };
    let mut spec = json!({"containers": containers, "restartPolicy": restart_policy});
    if !pod.node.is_empty() {
        spec["nodeName"] = json!(&*pod.node);
    }
    if owner == Some(("Deployment", LOCAL_STORAGE_WORKLOAD)) {
        // Uploads are staged on the node: a drain deletes that data (`--delete-emptydir-data`).
        spec["volumes"] = json!([{"name": "scratch", "emptyDir": {}}]);
        spec["containers"][0]["volumeMounts"] =
            json!([{"name": "scratch", "mountPath": "/scratch"}]);
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
            "qosClass": match sizes {
                Some(sizes) => describe_parts::qos_of(sizes),
                None => describe_parts::qos_class(ns),
            },
        },
    });
    if let Some(ip) = pod.ip {
        object["status"]["podIP"] = json!(ip.to_string());
        object["status"]["podIPs"] = json!([{ "ip": ip.to_string() }]);
    }
    if let Some(name) = default_container {
        object["metadata"]["annotations"] =
            json!({ "kubectl.kubernetes.io/default-container": name });
    }
    object
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
