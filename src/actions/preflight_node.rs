//! Preflight of cordon and uncordon: the node is there, not already so, and the operator is
//! told what changes (new pods only: those running stay).

use super::preflight::Refusal;
use super::{Action, ActionKind, Target};
use crate::domain::Estate;

/// The change line of a cordon or uncordon and its warnings, or why it cannot be done.
pub(super) fn describe(action: &Action, estate: &Estate) -> Result<(String, Vec<String>), Refusal> {
    let (kind @ (ActionKind::Cordon | ActionKind::Uncordon), Target::Node { name }) =
        (&action.kind, &action.target)
    else {
        return Err(Refusal::Invalid(
            "not a cordon or uncordon of a node".into(),
        ));
    };
    let node = estate
        .nodes
        .iter()
        .find(|n| *n.context == *action.context && &n.name == name)
        .ok_or_else(|| Refusal::TargetGone(action.target.key()))?;
    let cordon = *kind == ActionKind::Cordon;
    if cordon && node.unschedulable {
        // Said after the dialog's title ("Cordon node NAME: ..."), short enough for 80 columns.
        return Err(Refusal::Invalid(
            "already cordoned (SchedulingDisabled)".into(),
        ));
    }
    if !cordon && !node.unschedulable {
        return Err(Refusal::Invalid(
            "not cordoned: new pods already go there".into(),
        ));
    }
    let pods = estate
        .pods
        .iter()
        .filter(|p| *p.key.context == *action.context && *p.node == **name)
        .count();
    if cordon {
        let mut warnings = vec![format!(
            "No new pod is scheduled on {name}; its {pods} pods keep running (drain is not part of cordon)."
        )];
        let others = estate
            .nodes
            .iter()
            .filter(|n| *n.context == *action.context && n.name != *name)
            .filter(|n| n.ready && !n.unschedulable)
            .count();
        if others == 0 {
            warnings.push("No other node takes new pods: nothing can be scheduled.".into());
        }
        Ok((
            format!("node {name}: spec.unschedulable false → true (SchedulingDisabled)"),
            warnings,
        ))
    } else {
        Ok((
            format!("node {name}: spec.unschedulable true → false (new pods may go there)"),
            Vec::new(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Node, NodeResources, UnixTime};

    fn estate(unschedulable: bool) -> Estate {
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
        Estate {
            nodes: vec![node("worker-01", unschedulable), node("worker-02", false)],
            ..Estate::default()
        }
    }

    fn action(kind: ActionKind, name: &str) -> Action {
        Action {
            kind,
            target: Target::Node { name: name.into() },
            context: "demo".into(),
        }
    }

    #[test]
    fn cordon_is_refused_with_why_on_a_cordoned_node_and_uncordon_on_a_schedulable_one() {
        let cordoned = estate(true);
        let refused = describe(&action(ActionKind::Cordon, "worker-01"), &cordoned);
        assert_eq!(
            refused,
            Err(Refusal::Invalid(
                "already cordoned (SchedulingDisabled)".into()
            ))
        );
        let (change, warnings) =
            describe(&action(ActionKind::Uncordon, "worker-01"), &cordoned).expect("uncordon");
        assert!(change.contains("true → false"), "{change}");
        assert!(warnings.is_empty());

        let open = estate(false);
        assert!(describe(&action(ActionKind::Uncordon, "worker-01"), &open).is_err());
        let (change, warnings) =
            describe(&action(ActionKind::Cordon, "worker-01"), &open).expect("cordon");
        assert!(change.contains("false → true"), "{change}");
        assert!(warnings[0].contains("keep running"), "{warnings:?}");
        assert_eq!(
            describe(&action(ActionKind::Cordon, "worker-99"), &open),
            Err(Refusal::TargetGone("node/worker-99".into()))
        );
    }
}
