//! The RBAC question each action asks before its dialog offers it (a SelfSubjectAccessReview
//! of this verb on this resource): kubectl's own requests, resource by resource.

use crate::actions::{Action, ActionKind, Target, WorkloadKindName};

/// The RBAC question for an action: verb, group, resource, subresource.
pub(super) fn access(
    action: &Action,
) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    let workload = |kind: &WorkloadKindName| match kind {
        WorkloadKindName::Deployment => "deployments",
        WorkloadKindName::StatefulSet => "statefulsets",
    };
    Some(match (&action.kind, &action.target) {
        (ActionKind::Scale { .. }, Target::Workload { kind, .. }) => {
            ("patch", "apps", workload(kind), "scale")
        }
        (
            ActionKind::RolloutRestart | ActionKind::Rollback { .. },
            Target::Workload { kind, .. },
        ) => ("patch", "apps", workload(kind), ""),
        (ActionKind::Lockdown, Target::Namespace { .. }) => {
            ("create", "networking.k8s.io", "networkpolicies", "")
        }
        (ActionKind::LiftLockdown, Target::Namespace { .. }) => {
            ("delete", "networking.k8s.io", "networkpolicies", "")
        }
        (ActionKind::RestartPod, Target::Pod { .. }) => ("delete", "", "pods", ""),
        (ActionKind::Cordon | ActionKind::Uncordon, Target::Node { .. }) => {
            ("patch", "", "nodes", "")
        }
        (ActionKind::EditConfigMap { .. }, Target::ConfigMap { .. }) => {
            ("patch", "", "configmaps", "")
        }
        (ActionKind::Exec { .. } | ActionKind::Shell { .. }, Target::Pod { .. }) => {
            ("create", "", "pods", "exec")
        }
        (ActionKind::PortForward { .. }, Target::Pod { .. }) => {
            ("create", "", "pods", "portforward")
        }
        (ActionKind::HpaBounds { .. }, Target::Workload { .. }) => {
            ("patch", "autoscaling", "horizontalpodautoscalers", "")
        }
        (ActionKind::SetResources { .. }, Target::Workload { kind, .. }) => {
            ("patch", "apps", workload(kind), "")
        }
        // Cluster-wide: the pods are in every namespace (the cordon's patch is checked by
        // the dry run).
        (ActionKind::Drain, Target::Node { .. }) => ("create", "", "pods", "eviction"),
        _ => {
            let (verb, resource) = super::actions_job::access(action)?;
            (verb, "batch", resource, "")
        }
    })
}
