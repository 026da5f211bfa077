//! Preflight of a drain: the node is there, no pod on it blocks the drain, and the dialog says
//! the plan (pods to evict, DaemonSet pods left, what is lost with them), made by
//! `actions::drain::classify` from the estate's pods as the executor makes it from the API's.

use super::drain::{self, Disposition};
use super::preflight::Refusal;
use super::{Action, ActionKind, Target};
use crate::domain::{Estate, PodPhase};

/// The pods on a node by what a drain does with them, each as `namespace/name`, in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub evict: Vec<String>,
    pub skipped: Vec<String>,
    pub blockers: Vec<String>,
}

/// The plan from the estate's pods on `node` (mirror pods cannot be told from its rows; the
/// executor skips them from the API's).
pub fn plan(estate: &Estate, context: &str, node: &str) -> Plan {
    let mut plan = Plan::default();
    let mut pods: Vec<_> = estate
        .pods
        .iter()
        .filter(|p| &*p.key.context == context && &*p.node == node)
        .collect();
    pods.sort_by(|a, b| a.key.cmp(&b.key));
    for pod in pods {
        let kind = pod
            .owner
            .as_deref()
            .and_then(|o| o.split_once('/'))
            .map(|(kind, _)| kind);
        let finished = matches!(pod.phase, PodPhase::Succeeded | PodPhase::Failed);
        let name = format!("{}/{}", pod.key.namespace, pod.key.name);
        match drain::classify(kind, false, finished) {
            Disposition::Evict => plan.evict.push(name),
            Disposition::SkipDaemonSet | Disposition::SkipMirror => plan.skipped.push(name),
            Disposition::Blocker => plan.blockers.push(name),
        }
    }
    plan
}

/// How many names a dialog line lists before "and N more".
const NAMED: usize = 3;

fn listed(names: &[String]) -> String {
    let mut out: Vec<&str> = names.iter().take(NAMED).map(String::as_str).collect();
    let more = names.len().saturating_sub(NAMED);
    let tail = format!("and {more} more");
    if more > 0 {
        out.push(&tail);
    }
    out.join(", ")
}

/// The change line of a drain and its warnings (the plan), or why it cannot be done.
pub(super) fn describe(action: &Action, estate: &Estate) -> Result<(String, Vec<String>), Refusal> {
    let (ActionKind::Drain, Target::Node { name }) = (&action.kind, &action.target) else {
        return Err(Refusal::Invalid("not a drain of a node".into()));
    };
    let node = estate
        .nodes
        .iter()
        .find(|n| *n.context == *action.context && &n.name == name)
        .ok_or_else(|| Refusal::TargetGone(action.target.key()))?;
    let plan = plan(estate, &action.context, name);
    if !plan.blockers.is_empty() {
        return Err(Refusal::Invalid(drain::blockers_refusal(&plan.blockers)));
    }
    if node.unschedulable && plan.evict.is_empty() {
        return Err(Refusal::Invalid(
            "already cordoned, and no pod on it to evict".into(),
        ));
    }
    let cordon = if node.unschedulable {
        "already cordoned"
    } else {
        "cordon"
    };
    let change = format!(
        "node {name}: {cordon}, evict {}, leave {} (DaemonSet)",
        drain::pods(plan.evict.len()),
        drain::pods(plan.skipped.len())
    );
    let mut warnings = Vec::new();
    if !plan.evict.is_empty() {
        warnings.push(format!("Evicted: {}.", listed(&plan.evict)));
    }
    if !plan.skipped.is_empty() {
        warnings.push(format!("Skipped (DaemonSet): {}.", listed(&plan.skipped)));
    }
    // Short: with the plan it must leave the typed name's field on an 80x24 screen.
    warnings.push(
        "Evictions wait for PodDisruptionBudgets (retried every 2 s); emptyDir data is lost; \
         Ctrl-x cancels."
            .into(),
    );
    let others = estate
        .nodes
        .iter()
        .filter(|n| *n.context == *action.context && n.name != *name)
        .filter(|n| n.ready && !n.unschedulable)
        .count();
    if others == 0 {
        warnings.push(
            "No other node takes new pods: the evicted pods' replacements stay Pending.".into(),
        );
    }
    Ok((change, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pod::tests::pod;
    use crate::domain::{Node, NodeResources, PodStore, UnixTime};

    fn estate(pods: Vec<crate::domain::Pod>, cordoned: bool) -> Estate {
        let node = |name: &str, unschedulable| Node {
            context: "demo".into(),
            name: name.into(),
            roles: vec!["worker".into()],
            unschedulable,
            ready: true,
            problems: Vec::new(),
            taints: Vec::new(),
            kubelet: "v1.29.4".into(),
            capacity: NodeResources::default(),
            allocatable: NodeResources::default(),
            created: UnixTime(0),
        };
        let mut store = PodStore::default();
        for p in pods {
            store.upsert(p);
        }
        Estate {
            nodes: vec![node("worker-01", cordoned), node("worker-02", false)],
            pods: store,
            ..Estate::default()
        }
    }

    fn on(ns: &str, name: &str, node: &str, owner: Option<&str>) -> crate::domain::Pod {
        let mut p = pod(ns, name, "Running");
        p.key.context = "demo".into();
        p.node = node.into();
        p.owner = owner.map(Into::into);
        p
    }

    fn drain(name: &str) -> Action {
        Action {
            kind: ActionKind::Drain,
            target: Target::Node { name: name.into() },
            context: "demo".into(),
        }
    }

    #[test]
    fn the_plan_evicts_workload_pods_skips_daemonset_ones_and_ignores_other_nodes() {
        let e = estate(
            vec![
                on(
                    "pos",
                    "pos-order-a-1",
                    "worker-01",
                    Some("Deployment/pos-order"),
                ),
                on("data", "redis-0", "worker-01", Some("StatefulSet/redis")),
                on(
                    "monitoring",
                    "node-exporter-x",
                    "worker-01",
                    Some("DaemonSet/node-exporter"),
                ),
                on(
                    "pos",
                    "pos-order-a-2",
                    "worker-02",
                    Some("Deployment/pos-order"),
                ),
            ],
            false,
        );
        let plan = plan(&e, "demo", "worker-01");
        assert_eq!(plan.evict, ["data/redis-0", "pos/pos-order-a-1"]);
        assert_eq!(plan.skipped, ["monitoring/node-exporter-x"]);
        assert!(plan.blockers.is_empty());
        let (change, warnings) = describe(&drain("worker-01"), &e).expect("a drain");
        assert_eq!(
            change,
            "node worker-01: cordon, evict 2 pods, leave 1 pod (DaemonSet)"
        );
        assert_eq!(warnings[0], "Evicted: data/redis-0, pos/pos-order-a-1.");
        assert_eq!(
            warnings[1],
            "Skipped (DaemonSet): monitoring/node-exporter-x."
        );
    }

    #[test]
    fn a_pod_no_controller_owns_refuses_the_drain_by_name() {
        let e = estate(
            vec![
                on(
                    "pos",
                    "pos-order-a-1",
                    "worker-01",
                    Some("Deployment/pos-order"),
                ),
                on("data", "debug-toolbox", "worker-01", None),
            ],
            false,
        );
        assert_eq!(
            describe(&drain("worker-01"), &e),
            Err(Refusal::Invalid(
                "pods no controller owns: data/debug-toolbox (kubectl drain refuses them without --force; delete or move them first)".into()
            ))
        );
    }

    #[test]
    fn a_cordoned_empty_node_has_nothing_to_drain_and_a_gone_one_is_gone() {
        let e = estate(
            vec![on(
                "monitoring",
                "node-exporter-x",
                "worker-01",
                Some("DaemonSet/node-exporter"),
            )],
            true,
        );
        assert_eq!(
            describe(&drain("worker-01"), &e),
            Err(Refusal::Invalid(
                "already cordoned, and no pod on it to evict".into()
            ))
        );
        assert!(matches!(
            describe(&drain("worker-99"), &e),
            Err(Refusal::TargetGone(_))
        ));
        let long: Vec<String> = (0..9).map(|i| format!("ns/p{i}")).collect();
        assert_eq!(listed(&long), "ns/p0, ns/p1, ns/p2, and 6 more");
    }
}
