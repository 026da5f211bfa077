//! A node as the API server's JSON, and its usage as metrics.k8s.io answers it.

use serde_json::{Value, json};

use super::render::uid;
use crate::domain::node::{Node, PROBLEM_CONDITIONS};
use crate::domain::{Pod, UnixTime};

fn kib(bytes: u64) -> String {
    format!("{}Ki", bytes / 1024)
}

fn cpu(millis: u64) -> String {
    if millis % 1000 == 0 {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

pub fn node(n: &Node) -> Value {
    let mut labels = serde_json::Map::new();
    labels.insert("kubernetes.io/hostname".into(), json!(n.name));
    labels.insert("kubernetes.io/os".into(), json!("linux"));
    for role in &n.roles {
        labels.insert(format!("node-role.kubernetes.io/{role}"), json!(""));
    }
    let taints: Vec<Value> = n
        .taints
        .iter()
        .map(|t| {
            let (key_value, effect) = t.rsplit_once(':').unwrap_or((t, "NoSchedule"));
            match key_value.split_once('=') {
                Some((k, v)) => json!({"key": k, "value": v, "effect": effect}),
                None => json!({"key": key_value, "effect": effect}),
            }
        })
        .collect();
    let mut spec = json!({"podCIDR": "10.244.0.0/24"});
    if n.unschedulable {
        spec["unschedulable"] = json!(true);
    }
    if !taints.is_empty() {
        spec["taints"] = json!(taints);
    }
    let since = n.created.rfc3339();
    let mut conditions: Vec<Value> = PROBLEM_CONDITIONS
        .iter()
        .map(|c| {
            let on = n.problems.iter().any(|p| p == c);
            json!({
                "type": c, "status": if on { "True" } else { "False" },
                "reason": if on { format!("KubeletHas{c}") } else { format!("KubeletHasNo{c}") },
                "lastTransitionTime": since, "lastHeartbeatTime": UnixTime::now().rfc3339(),
            })
        })
        .collect();
    conditions.push(json!({
        "type": "Ready", "status": if n.ready { "True" } else { "False" },
        "reason": if n.ready { "KubeletReady" } else { "KubeletNotReady" },
        "lastTransitionTime": since, "lastHeartbeatTime": UnixTime::now().rfc3339(),
    }));
    let resources = |r: crate::domain::NodeResources| json!({"cpu": cpu(r.cpu_millis), "memory": kib(r.memory_bytes), "pods": r.pods.to_string()});
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": n.name,
            "uid": uid(&["Node", &n.name]),
            "creationTimestamp": since,
            "labels": labels,
        },
        "spec": spec,
        "status": {
            "capacity": resources(n.capacity),
            "allocatable": resources(n.allocatable),
            "conditions": conditions,
            "nodeInfo": {
                "kubeletVersion": n.kubelet, "kubeProxyVersion": n.kubelet,
                "containerRuntimeVersion": "containerd://1.7.13", "osImage": "Ubuntu 22.04.4 LTS",
                "kernelVersion": "5.15.0-105-generic", "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    })
}

/// What the system itself (kubelet, runtime, daemons) uses on every node, beside its pods.
const SYSTEM_CPU_MILLIS: u64 = 180;
const SYSTEM_MEMORY_BYTES: u64 = 1_200 << 20;

/// A node's usage as metrics-server reports it: its running pods' usage and the system's.
pub fn node_metrics<'a>(node: &Node, pods: impl Iterator<Item = &'a Pod>) -> Value {
    let (mut cpu_millis, mut memory) = (SYSTEM_CPU_MILLIS, SYSTEM_MEMORY_BYTES);
    for pod in pods.filter(|p| *p.node == *node.name && &*p.status == "Running") {
        cpu_millis += u64::from(pod.cpu_millis.unwrap_or(0));
        memory += pod.memory_bytes.unwrap_or(0);
    }
    json!({
        "metadata": {"name": node.name},
        "timestamp": UnixTime::now().rfc3339(),
        "window": "20s",
        "usage": {"cpu": format!("{cpu_millis}m"), "memory": kib(memory)},
    })
}
