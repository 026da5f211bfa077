//! Preflight of the actions on a pod: delete it (restart), a one-off command, a shell.

use super::preflight::{Refusal, gone};
use super::{Action, ActionKind};
use crate::domain::Estate;

/// The exact change of the action on pod `namespace/name`, and its warnings.
pub(super) fn describe(
    action: &Action,
    namespace: &str,
    name: &str,
    estate: &Estate,
    warnings: &mut Vec<String>,
) -> Result<String, Refusal> {
    use ActionKind as K;
    let pod = estate
        .pods
        .get(&crate::domain::PodKey::in_cluster(
            action.context.as_str(),
            namespace,
            name,
        ))
        .ok_or_else(|| gone(action))?;
    let (K::Exec { container, .. } | K::Shell { container, .. }) = &action.kind else {
        return Ok(restart(pod, name, warnings));
    };
    // A crash-looping pod's phase is Running, its STATUS the container's waiting
    // reason: only a pod whose STATUS says Running has a container to exec into.
    if pod.phase != crate::domain::PodPhase::Running || &*pod.status != "Running" {
        return Err(Refusal::Invalid(format!(
            "pod {name} is {}: nothing runs in it",
            pod.status
        )));
    }
    let container = container
        .as_deref()
        .map_or(String::new(), |c| format!(" (container {c})"));
    // On a workload the pod was chosen for the operator: say whose it is.
    let container = match &pod.owner {
        Some(owner) => format!("{container} of {owner}"),
        None => container,
    };
    Ok(match &action.kind {
        K::Exec { command, .. } if command.is_empty() => {
            return Err(Refusal::Invalid("type the command to run".into()));
        }
        K::Exec { command, .. } => {
            let words: Vec<String> = command.iter().map(|w| super::quoted(w)).collect();
            format!(
                "runs `{}` in pod {name}{container}; its output opens in a pane, its exit status is audited",
                words.join(" ")
            )
        }
        shell => {
            let shells = match shell {
                K::Shell { shells, .. } => shells.join(", else "),
                _ => String::new(),
            };
            format!(
                "opens an interactive shell ({shells}, the first the image has) in pod {name}{container} \
                 on this terminal; its exit status is audited, never what is typed or shown"
            )
        }
    })
}

/// Deleting the pod: its controller makes a new one, if it has one.
fn restart(pod: &crate::domain::Pod, name: &str, warnings: &mut Vec<String>) -> String {
    match &pod.owner {
        Some(owner) => format!("pod {name} deleted; {owner} creates a replacement"),
        None => {
            warnings.push("This pod has no controller: it will not come back.".into());
            format!("pod {name} deleted")
        }
    }
}
