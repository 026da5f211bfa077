//! The resources the simulated API server serves: group, version, names, scope.

/// The resources the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Pods,
    Namespaces,
    Events,
    Deployments,
    StatefulSets,
    ReplicaSets,
    NetworkPolicies,
    Nodes,
    Services,
    HorizontalPodAutoscalers,
    PodDisruptionBudgets,
    DaemonSets,
    CronJobs,
    Jobs,
    ConfigMaps,
    Secrets,
}

impl Resource {
    pub const ALL: [Resource; 16] = [
        Resource::Pods,
        Resource::Namespaces,
        Resource::Events,
        Resource::Deployments,
        Resource::StatefulSets,
        Resource::ReplicaSets,
        Resource::NetworkPolicies,
        Resource::Nodes,
        Resource::Services,
        Resource::HorizontalPodAutoscalers,
        Resource::PodDisruptionBudgets,
        Resource::DaemonSets,
        Resource::CronJobs,
        Resource::Jobs,
        Resource::ConfigMaps,
        Resource::Secrets,
    ];

    /// API group ("" for the core group) and version.
    pub fn group_version(self) -> (&'static str, &'static str) {
        match self {
            Resource::Pods
            | Resource::Namespaces
            | Resource::Events
            | Resource::Nodes
            | Resource::Services => ("", "v1"),
            Resource::ConfigMaps | Resource::Secrets => ("", "v1"),
            Resource::Deployments | Resource::StatefulSets | Resource::ReplicaSets => {
                ("apps", "v1")
            }
            Resource::NetworkPolicies => ("networking.k8s.io", "v1"),
            Resource::HorizontalPodAutoscalers => ("autoscaling", "v2"),
            Resource::PodDisruptionBudgets => ("policy", "v1"),
            Resource::DaemonSets => ("apps", "v1"),
            Resource::CronJobs | Resource::Jobs => ("batch", "v1"),
        }
    }

    pub fn api_version(self) -> &'static str {
        match self.group_version() {
            ("", v) => v,
            ("apps", _) => "apps/v1",
            ("autoscaling", _) => "autoscaling/v2",
            ("policy", _) => "policy/v1",
            ("batch", _) => "batch/v1",
            _ => "networking.k8s.io/v1",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::Namespaces => "namespaces",
            Resource::Events => "events",
            Resource::Deployments => "deployments",
            Resource::StatefulSets => "statefulsets",
            Resource::ReplicaSets => "replicasets",
            Resource::NetworkPolicies => "networkpolicies",
            Resource::Nodes => "nodes",
            Resource::Services => "services",
            Resource::HorizontalPodAutoscalers => "horizontalpodautoscalers",
            Resource::PodDisruptionBudgets => "poddisruptionbudgets",
            Resource::DaemonSets => "daemonsets",
            Resource::CronJobs => "cronjobs",
            Resource::Jobs => "jobs",
            Resource::ConfigMaps => "configmaps",
            Resource::Secrets => "secrets",
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Resource::Pods => "Pod",
            Resource::Namespaces => "Namespace",
            Resource::Events => "Event",
            Resource::Deployments => "Deployment",
            Resource::StatefulSets => "StatefulSet",
            Resource::ReplicaSets => "ReplicaSet",
            Resource::NetworkPolicies => "NetworkPolicy",
            Resource::Nodes => "Node",
            Resource::Services => "Service",
            Resource::HorizontalPodAutoscalers => "HorizontalPodAutoscaler",
            Resource::PodDisruptionBudgets => "PodDisruptionBudget",
            Resource::DaemonSets => "DaemonSet",
            Resource::CronJobs => "CronJob",
            Resource::Jobs => "Job",
            Resource::ConfigMaps => "ConfigMap",
            Resource::Secrets => "Secret",
        }
    }

    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Resource::Pods => &["po"],
            Resource::Namespaces => &["ns"],
            Resource::Events => &["ev"],
            Resource::Deployments => &["deploy"],
            Resource::StatefulSets => &["sts"],
            Resource::ReplicaSets => &["rs"],
            Resource::NetworkPolicies => &["netpol"],
            Resource::Nodes => &["no"],
            Resource::Services => &["svc"],
            Resource::HorizontalPodAutoscalers => &["hpa"],
            Resource::PodDisruptionBudgets => &["pdb"],
            Resource::DaemonSets => &["ds"],
            Resource::CronJobs => &["cj"],
            Resource::Jobs => &[],
            Resource::ConfigMaps => &["cm"],
            Resource::Secrets => &[],
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Resource::Namespaces | Resource::Nodes)
    }

    pub fn find(group: &str, plural: &str) -> Option<Resource> {
        Self::ALL
            .into_iter()
            .find(|r| r.group_version().0 == group && r.plural() == plural)
    }
}
