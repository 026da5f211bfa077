//! A pod as the Kubernetes API writes it: owners, containers with their requests and limits,
//! volumes, status with its conditions, container states and IP.

use serde_json::{Value, json};

use super::describe_parts;
use super::render::{LOCAL_STORAGE_WORKLOAD, TEMPLATE_HASH_LABEL, owner_ref, uid};
use crate::domain::{ContainerResources, Pod, PodPhase};

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
