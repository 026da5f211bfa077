//! Pod and node usage as metrics.k8s.io answers it: what metrics-server would report.

use serde_json::{Value, json};

use super::describe_parts;
use super::render::container_names;
use crate::domain::Pod;

/// A pod's usage as metrics.k8s.io reports it; `None` for a pod that is not running. Like
/// metrics-server, nothing for a container that does not run (a crash-looping one waits
/// between restarts), and never above the memory limit (the kernel kills it there).
pub fn pod_metrics(pod: &Pod) -> Option<Value> {
    if &*pod.status != "Running" {
        return None;
    }
    let (cpu, memory) = (pod.cpu_millis?, pod.memory_bytes?);
    let memory = match describe_parts::memory_limit_bytes(&pod.key.namespace) {
        Some(limit) => memory.min(limit / 100 * 95),
        None => memory,
    };
    let container = container_names(pod).swap_remove(0);
    Some(json!({
        "metadata": {"name": &*pod.key.name, "namespace": &*pod.key.namespace},
        "timestamp": crate::sim::clock::now().rfc3339(),
        "window": "30s",
        "containers": [{"name": container, "usage": {
            "cpu": format!("{cpu}m"), "memory": format!("{}Ki", memory / 1024),
        }}],
    }))
}

impl super::ApiMirror {
    /// Node metrics as metrics.k8s.io serves them: each node's pods and its system's usage.
    pub fn node_metrics(&self) -> Value {
        let items: Vec<Value> = self
            .nodes
            .iter()
            .map(|n| {
                super::render_node::node_metrics(n, self.pods.iter_in(None).map(|e| &e.object))
            })
            .collect();
        serde_json::json!({
            "kind": "NodeMetricsList",
            "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": {},
            "items": items,
        })
    }

    /// Pod metrics as metrics.k8s.io serves them, for a namespace or all.
    pub fn pod_metrics(&self, namespace: Option<&str>) -> Value {
        let items: Vec<Value> = self
            .pods
            .iter_in(namespace)
            .filter_map(|e| pod_metrics(&e.object))
            .collect();
        serde_json::json!({
            "kind": "PodMetricsList",
            "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": {},
            "items": items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(status: &str, memory: u64) -> Pod {
        let mut pod = crate::domain::pod::tests::pod("pos", "pos-order-7c9f-abcde", status);
        pod.cpu_millis = Some(368);
        pod.memory_bytes = Some(memory);
        pod
    }

    #[test]
    fn a_crash_looping_pod_has_no_usage_and_none_is_above_its_limit() {
        assert!(pod_metrics(&pod("CrashLoopBackOff", 100 << 20)).is_none());
        let over = pod_metrics(&pod("Running", 607 << 20)).expect("a running pod's usage");
        let kib: u64 = over["containers"][0]["usage"]["memory"]
            .as_str()
            .unwrap()
            .trim_end_matches("Ki")
            .parse()
            .unwrap();
        let limit = describe_parts::memory_limit_bytes("pos").expect("pos pods have a limit");
        assert!(
            kib * 1024 < limit,
            "{kib} KiB against a limit of {limit} bytes"
        );
    }
}
