//! Kubernetes nodes as the Nodes panel and cordon need them: status, roles, what the kubelet
//! says is wrong (pressure conditions), taints, and capacity against allocatable.

use super::time::UnixTime;

/// CPU (millicores), memory (bytes) and pods: a node's capacity or allocatable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeResources {
    pub cpu_millis: u64,
    pub memory_bytes: u64,
    pub pods: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub name: String,
    /// From the `node-role.kubernetes.io/ROLE` labels.
    pub roles: Vec<String>,
    /// `spec.unschedulable`: cordoned.
    pub unschedulable: bool,
    /// The `Ready` condition is `True`.
    pub ready: bool,
    /// The conditions that are `True` and should not be: `MemoryPressure`, `DiskPressure`,
    /// `PIDPressure`, `NetworkUnavailable`.
    pub problems: Vec<String>,
    /// `key=value:Effect` (or `key:Effect`).
    pub taints: Vec<String>,
    pub kubelet: String,
    pub capacity: NodeResources,
    pub allocatable: NodeResources,
    pub created: UnixTime,
}

/// The pressure conditions a kubelet reports, `True` when something is wrong.
pub const PROBLEM_CONDITIONS: [&str; 4] = [
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "NetworkUnavailable",
];

/// Which usage the screen shows, so that only that is asked of metrics.k8s.io: pods' on the
/// Pods panel, nodes' on the Nodes panel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MetricsDemand {
    pub pods: bool,
    pub nodes: bool,
}

impl MetricsDemand {
    pub fn any(self) -> bool {
        self.pods || self.nodes
    }
}

/// The taint the API server puts on a cordoned node.
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable:NoSchedule";

impl Node {
    /// As `kubectl get nodes` shows it: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    pub fn status(&self) -> String {
        let ready = if self.ready { "Ready" } else { "NotReady" };
        if self.unschedulable {
            format!("{ready},SchedulingDisabled")
        } else {
            ready.to_string()
        }
    }

    /// One word for a table's column: `NotReady` first (the worse), then `SchedulingDisabled`
    /// (cordoned), else `Ready`. `status` says both.
    pub fn status_word(&self) -> &'static str {
        match (self.ready, self.unschedulable) {
            (false, _) => "NotReady",
            (true, true) => "SchedulingDisabled",
            (true, false) => "Ready",
        }
    }

    /// `<none>` when it has no role label, as kubectl shows it.
    pub fn roles_text(&self) -> String {
        if self.roles.is_empty() {
            "<none>".into()
        } else {
            self.roles.join(",")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reads_as_kubectl_prints_it() {
        let mut node = Node {
            context: crate::domain::cluster_row::no_context(),
            name: "worker-01".into(),
            roles: Vec::new(),
            unschedulable: false,
            ready: true,
            problems: Vec::new(),
            taints: Vec::new(),
            kubelet: "v1.29.4".into(),
            capacity: NodeResources::default(),
            allocatable: NodeResources::default(),
            created: UnixTime(0),
        };
        assert_eq!(node.status(), "Ready");
        assert_eq!(node.roles_text(), "<none>");
        node.unschedulable = true;
        assert_eq!(node.status_word(), "SchedulingDisabled");
        node.ready = false;
        assert_eq!(node.status(), "NotReady,SchedulingDisabled");
        assert_eq!(node.status_word(), "NotReady");
    }
}
