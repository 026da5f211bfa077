//! The parts of simulated objects that `kubectl describe` and the cockpit's details read beyond
//! their rows: each container's resources, the QoS class they make, the last state of a
//! container that restarted, the pod's conditions, a deployment's conditions. All derived from
//! the rows, so they stay stable between renders.

use serde_json::{Value, json};

use crate::domain::{ContainerResources, Pod, PodPhase, Quantities, UnixTime, Workload};
use crate::sim::names::template_hash;

/// How a namespace's containers are sized, as teams usually do: the databases with requests
/// equal to limits (Guaranteed), monitoring's agents unsized (BestEffort), the applications
/// with requests and a memory limit (Burstable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sizing {
    Guaranteed,
    Burstable,
    BestEffort,
}

fn sizing(namespace: &str) -> Sizing {
    match namespace {
        "data" => Sizing::Guaranteed,
        "monitoring" => Sizing::BestEffort,
        _ => Sizing::Burstable,
    }
}

/// The memory limit of a pod's first container, in bytes, when it has one.
pub fn memory_limit_bytes(namespace: &str) -> Option<u64> {
    let limit = resources(namespace, 0)["limits"]["memory"]
        .as_str()?
        .to_string();
    let (number, unit) = limit.split_at(limit.find(|c: char| !c.is_ascii_digit())?);
    let scale = match unit {
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        _ => return None,
    };
    Some(number.parse::<u64>().ok()? * scale)
}

/// A container's `resources`: the first (the workload's own) container is larger than sidecars.
pub fn resources(namespace: &str, container: usize) -> Value {
    let main = container == 0;
    match sizing(namespace) {
        Sizing::Guaranteed => {
            let (cpu, memory) = if main {
                ("500m", "1Gi")
            } else {
                ("50m", "64Mi")
            };
            json!({"requests": {"cpu": cpu, "memory": memory},
                   "limits": {"cpu": cpu, "memory": memory}})
        }
        Sizing::Burstable => {
            let (cpu, request, limit) = if main {
                ("100m", "256Mi", "512Mi")
            } else {
                ("10m", "32Mi", "64Mi")
            };
            json!({"requests": {"cpu": cpu, "memory": request}, "limits": {"memory": limit}})
        }
        Sizing::BestEffort => json!({}),
    }
}

/// The containers of a workload's pod template as the namespace sizes them (`resources`), by
/// name, the workload's own first.
pub fn default_containers(namespace: &str, names: &[&str]) -> Vec<ContainerResources> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let r = resources(namespace, i);
            let q = |part: &str| Quantities {
                cpu: r[part]["cpu"].as_str().map(str::to_string),
                memory: r[part]["memory"].as_str().map(str::to_string),
            };
            ContainerResources {
                name: name.to_string(),
                requests: q("requests"),
                limits: q("limits"),
            }
        })
        .collect()
}

/// A container's `resources` as the API writes them (absent quantities left out).
pub fn resources_value(c: &ContainerResources) -> Value {
    let part = |q: &Quantities| {
        let mut m = serde_json::Map::new();
        if let Some(cpu) = &q.cpu {
            m.insert("cpu".into(), json!(cpu));
        }
        if let Some(memory) = &q.memory {
            m.insert("memory".into(), json!(memory));
        }
        m
    };
    let mut out = serde_json::Map::new();
    for (key, q) in [("requests", &c.requests), ("limits", &c.limits)] {
        let m = part(q);
        if !m.is_empty() {
            out.insert(key.into(), Value::Object(m));
        }
    }
    Value::Object(out)
}

/// The containers' resources of a rendered pod template (`spec.template`), as stored after a
/// patch: what `kubectl set resources` changed.
pub fn containers_of(template: &Value) -> Vec<ContainerResources> {
    let q = |v: &Value| Quantities {
        cpu: quantity(&v["cpu"]),
        memory: quantity(&v["memory"]),
    };
    template["spec"]["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| ContainerResources {
            name: c["name"].as_str().unwrap_or_default().to_string(),
            requests: q(&c["resources"]["requests"]),
            limits: q(&c["resources"]["limits"]),
        })
        .collect()
}

/// A quantity as JSON gives it: a string, or a bare number (`"cpu": 2`).
fn quantity(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `status.qosClass` of containers sized so: Guaranteed when every one's requests equal its
/// limits for both CPU and memory, BestEffort when none has any, else Burstable.
pub fn qos_of(containers: &[ContainerResources]) -> &'static str {
    let unsized_ = |q: &Quantities| q.cpu.is_none() && q.memory.is_none();
    if containers
        .iter()
        .all(|c| unsized_(&c.requests) && unsized_(&c.limits))
    {
        return "BestEffort";
    }
    let guaranteed = containers.iter().all(|c| {
        c.limits.cpu.is_some()
            && c.limits.memory.is_some()
            && c.requests
                .cpu
                .as_ref()
                .is_none_or(|r| Some(r) == c.limits.cpu.as_ref())
            && c.requests
                .memory
                .as_ref()
                .is_none_or(|r| Some(r) == c.limits.memory.as_ref())
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// `status.qosClass`, as the API server derives it from the containers' resources.
pub fn qos_class(namespace: &str) -> &'static str {
    match sizing(namespace) {
        Sizing::Guaranteed => "Guaranteed",
        Sizing::Burstable => "Burstable",
        Sizing::BestEffort => "BestEffort",
    }
}

/// The first container's `lastState` when it restarted: a crash-looping pod's container was
/// killed for memory (`OOMKilled`, exit 137, as a PDF recogniser over its limit is); any other
/// restart exited with an error (exit 1). It ran from the pod's start (or a minute before it
/// died, for a restart long after) until the last restart.
pub fn last_state(pod: &Pod) -> Option<Value> {
    let finished = pod.last_restart?;
    let (reason, code) = if pod.is_crash_looping() {
        ("OOMKilled", 137)
    } else {
        ("Error", 1)
    };
    let started = UnixTime(finished.0.saturating_sub(60).max(pod.created.0));
    Some(json!({"terminated": {
        "exitCode": code, "reason": reason,
        "startedAt": started.rfc3339(), "finishedAt": finished.rfc3339(),
        "containerID": "",
    }}))
}

/// The pod's conditions, with when each last changed. A pod not on a node is unschedulable
/// (the scheduler's message names why); a scheduled one is initialised, and ready when all its
/// containers are.
pub fn conditions(pod: &Pod) -> Vec<Value> {
    let since = pod.created.rfc3339();
    if pod.node.is_empty() {
        return vec![json!({
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/12 nodes are available: 12 Insufficient memory.",
            "lastProbeTime": null, "lastTransitionTime": since,
        })];
    }
    let ready = pod.ready_containers >= pod.total_containers && pod.phase == PodPhase::Running;
    let changed = pod.last_restart.unwrap_or(pod.created).rfc3339();
    let readiness = |kind: &str| {
        let mut c = json!({"type": kind, "status": if ready { "True" } else { "False" },
                           "lastProbeTime": null, "lastTransitionTime": changed});
        if !ready {
            c["reason"] = json!("ContainersNotReady");
            c["message"] = json!("containers with unready status");
        }
        c
    };
    vec![
        json!({"type": "Initialized", "status": "True", "lastProbeTime": null,
               "lastTransitionTime": since}),
        readiness("Ready"),
        readiness("ContainersReady"),
        json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null,
               "lastTransitionTime": since}),
    ]
}

/// A deployment's conditions as its controller sets them: Available while no more replicas
/// are missing than the strategy's 25 % max unavailable allows; Progressing with the new
/// ReplicaSet rolling out, or done.
pub fn deployment_conditions(w: &Workload) -> Vec<Value> {
    let allowed = w.desired / 4;
    let available = w.ready + allowed >= w.desired;
    let since = w.history.last().map_or(w.created, |r| r.created).rfc3339();
    let set = format!("{}-{}", w.name, template_hash(&w.name, w.revision));
    let (reason, message) = if w.rollout_in_progress() {
        (
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{set}\" is progressing."),
        )
    } else {
        (
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{set}\" has successfully progressed."),
        )
    };
    let availability = if available {
        (
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        )
    } else {
        (
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        )
    };
    vec![
        json!({"type": "Available", "status": if available { "True" } else { "False" },
               "reason": availability.0, "message": availability.1,
               "lastUpdateTime": since, "lastTransitionTime": since}),
        json!({"type": "Progressing", "status": "True", "reason": reason, "message": message,
               "lastUpdateTime": since, "lastTransitionTime": since}),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PodKey, PodPhase};

    fn pod(ns: &str, status: &str, last_restart: Option<UnixTime>) -> Pod {
        Pod {
            key: PodKey::new(ns, "p-1"),
            phase: PodPhase::Running,
            status: status.into(),
            ready_containers: 0,
            total_containers: 1,
            containers: Box::new([]),
            restarts: 3,
            last_restart,
            last_terminated: None,
            node: "worker-01".into(),
            owner: None,
            created: UnixTime(1_000_000),
            image: "img:1".into(),
            cpu_millis: None,
            memory_bytes: None,
            ip: None,
        }
    }

    #[test]
    fn a_crash_looping_container_was_oom_killed_and_another_restart_exited_with_an_error() {
        let at = UnixTime(2_000_000);
        let looping = last_state(&pod("pos", "CrashLoopBackOff", Some(at))).unwrap();
        assert_eq!(looping["terminated"]["reason"], "OOMKilled");
        assert_eq!(looping["terminated"]["exitCode"], 137);
        assert_eq!(looping["terminated"]["finishedAt"], at.rfc3339());
        let restarted = last_state(&pod("pos", "Running", Some(at))).unwrap();
        assert_eq!(restarted["terminated"]["reason"], "Error");
        assert_eq!(restarted["terminated"]["exitCode"], 1);
        assert!(last_state(&pod("pos", "Running", None)).is_none());
    }

    #[test]
    fn the_qos_class_is_the_one_the_resources_make() {
        // Guaranteed: every container's requests equal its limits, for CPU and memory.
        for i in 0..2 {
            let r = resources("data", i);
            assert_eq!(r["requests"], r["limits"]);
        }
        assert_eq!(qos_class("data"), "Guaranteed");
        // Burstable: requests, and limits that are not all equal to them.
        let r = resources("pos", 0);
        assert_ne!(r["requests"], r["limits"]);
        assert_eq!(qos_class("pos"), "Burstable");
        assert_eq!(resources("monitoring", 0), json!({}));
        assert_eq!(qos_class("monitoring"), "BestEffort");
    }

    #[test]
    fn an_unscheduled_pod_says_why_and_a_crashing_one_is_not_ready() {
        let mut pending = pod("agents", "Pending", None);
        pending.node = "".into();
        let c = conditions(&pending);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0]["type"], "PodScheduled");
        assert_eq!(c[0]["status"], "False");
        assert_eq!(c[0]["reason"], "Unschedulable");
        let crashing = conditions(&pod("pos", "CrashLoopBackOff", Some(UnixTime(2_000_000))));
        let ready = crashing.iter().find(|c| c["type"] == "Ready").unwrap();
        assert_eq!(ready["status"], "False");
        assert_eq!(ready["reason"], "ContainersNotReady");
    }
}
