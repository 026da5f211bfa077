//! A Kubernetes Node as the Nodes panel's row: status, roles, pressure conditions, taints,
//! capacity and allocatable; and node usage from metrics.k8s.io.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node as KubeNode;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::convert::{cpu_millis, memory_bytes};
use crate::domain::UnixTime;
use crate::domain::node::{Node, NodeResources, PROBLEM_CONDITIONS};

const ROLE_PREFIX: &str = "node-role.kubernetes.io/";

fn resources(r: Option<&BTreeMap<String, Quantity>>) -> NodeResources {
    let get = |k: &str| r.and_then(|m| m.get(k)).map(|q| q.0.as_str());
    NodeResources {
        cpu_millis: get("cpu").and_then(cpu_millis).map_or(0, u64::from),
        memory_bytes: get("memory").and_then(memory_bytes).unwrap_or(0),
        pods: get("pods").and_then(|p| p.parse().ok()).unwrap_or(0),
    }
}

pub fn node(n: &KubeNode) -> Node {
    let mut roles: Vec<String> = n
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix(ROLE_PREFIX))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    roles.sort();
    let spec = n.spec.as_ref();
    let status = n.status.as_ref();
    let conditions = status.and_then(|s| s.conditions.as_ref());
    let is_true = |c: &&k8s_openapi::api::core::v1::NodeCondition| c.status == "True";
    let ready = conditions
        .into_iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && is_true(&c));
    let problems = conditions
        .into_iter()
        .flatten()
        .filter(is_true)
        .filter(|c| PROBLEM_CONDITIONS.contains(&c.type_.as_str()))
        .map(|c| c.type_.clone())
        .collect();
    let taints = spec
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(|t| match &t.value {
            Some(v) if !v.is_empty() => format!("{}={v}:{}", t.key, t.effect),
            _ => format!("{}:{}", t.key, t.effect),
        })
        .collect();
    Node {
        context: crate::domain::cluster_row::no_context(),
        name: n.metadata.name.clone().unwrap_or_default(),
        roles,
        unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
        ready,
        problems,
        taints,
        kubelet: status
            .and_then(|s| s.node_info.as_ref())
            .map(|i| i.kubelet_version.clone())
            .unwrap_or_default(),
        capacity: resources(status.and_then(|s| s.capacity.as_ref())),
        allocatable: resources(status.and_then(|s| s.allocatable.as_ref())),
        created: n
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or(UnixTime(0), |t| UnixTime(t.0.as_second())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cordoned_node_under_pressure_reads_as_kubectl_shows_it() {
        let n: KubeNode = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "worker-02", "creationTimestamp": "2026-01-01T00:00:00Z",
                "labels": {"node-role.kubernetes.io/worker": "", "kubernetes.io/os": "linux"}},
            "spec": {"unschedulable": true, "taints": [
                {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"},
                {"key": "dedicated", "value": "db", "effect": "NoExecute"}]},
            "status": {
                "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                "allocatable": {"cpu": "7800m", "memory": "31Gi", "pods": "110"},
                "conditions": [
                    {"type": "MemoryPressure", "status": "True"},
                    {"type": "DiskPressure", "status": "False"},
                    {"type": "Ready", "status": "True"}],
                "nodeInfo": {"kubeletVersion": "v1.29.4", "kubeProxyVersion": "", "machineID": "",
                    "systemUUID": "", "bootID": "", "kernelVersion": "", "osImage": "",
                    "containerRuntimeVersion": "", "operatingSystem": "linux", "architecture": "amd64"}
            }
        }))
        .expect("a node");
        let row = node(&n);
        assert_eq!(row.status(), "Ready,SchedulingDisabled");
        assert_eq!(row.roles, ["worker"]);
        assert_eq!(row.problems, ["MemoryPressure"]);
        assert_eq!(
            row.taints,
            [
                "node.kubernetes.io/unschedulable:NoSchedule",
                "dedicated=db:NoExecute"
            ]
        );
        assert_eq!(row.capacity.cpu_millis, 8000);
        assert_eq!(row.allocatable.cpu_millis, 7800);
        assert_eq!(row.allocatable.memory_bytes, 31 << 30);
        assert_eq!(row.capacity.pods, 110);
        assert_eq!(row.kubelet, "v1.29.4");
    }
}
