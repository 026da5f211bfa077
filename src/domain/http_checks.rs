//! HTTP health checks that belong to no workload: a service outside Kubernetes (under systemd,
//! on ECS) or one whose workload the cluster does not show. They get rows of their own in the
//! Services panel, so that every configured check is seen somewhere.

use std::collections::{HashMap, HashSet};

use super::{ServiceHealth, Workload};

/// The names of the checks that match no workload (neither as `namespace/name` nor as the
/// plain name), sorted.
pub fn standalone(workloads: &[Workload], health: &HashMap<String, ServiceHealth>) -> Vec<String> {
    let mut names: HashSet<&str> = HashSet::with_capacity(workloads.len() * 2);
    let qualified: Vec<String> = workloads.iter().map(Workload::qualified_name).collect();
    names.extend(qualified.iter().map(String::as_str));
    names.extend(workloads.iter().map(|w| w.name.as_str()));
    let mut out: Vec<String> = health
        .keys()
        .filter(|k| !names.contains(k.as_str()))
        .cloned()
        .collect();
    out.sort();
    out
}

/// A check's name split as it was configured: `namespace/name`, or a plain name.
pub fn split(service: &str) -> (Option<&str>, &str) {
    match service.split_once('/') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, service),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workload::fixtures::workload;

    fn check(service: &str) -> (String, ServiceHealth) {
        (
            service.into(),
            crate::domain::workload::fixtures::check(service),
        )
    }

    #[test]
    fn checks_that_match_no_workload_stand_alone() {
        let workloads = [
            workload("pos", "pos-order"),
            workload("workflow", "validation"),
        ];
        let health: HashMap<_, _> = [
            check("pos/pos-order"),
            check("validation"),
            check("moqui-server"),
            check("ecs/positivity"),
            check("other/pos-order"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            standalone(&workloads, &health),
            ["ecs/positivity", "moqui-server", "other/pos-order"]
        );
        assert_eq!(standalone(&[], &health).len(), 5);
        assert_eq!(split("ecs/positivity"), (Some("ecs"), "positivity"));
        assert_eq!(split("moqui-server"), (None, "moqui-server"));
    }
}
