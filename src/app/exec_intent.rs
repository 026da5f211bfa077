//! Into a container (`s`, `x`): which pod (on a workload, one of its ready pods), which
//! container (a picker when the pod has several, the default one selected), the shells and the
//! risk from `[kubernetes]`, and the command prompt's history per workload. Pure.

use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::{Pod, PodPhase, Workload};

/// How many command lines the prompt keeps per workload.
const HISTORY_KEPT: usize = 50;

/// The containers of the pod a shell or a command is about to go into, one to choose.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerChoice {
    /// The action, its container filled in once one is chosen.
    pub action: Box<Action>,
    pub containers: Vec<String>,
    pub selected: usize,
}

/// The workload's pod a one-off command runs in: its first ready one by name (every container
/// ready, as `kubectl exec deploy/NAME` picks a running pod).
pub(super) fn ready_pod<'a>(state: &'a State, w: &Workload) -> Option<&'a Pod> {
    let owner = format!("{}/{}", w.kind.api_kind(), w.name);
    state
        .estate
        .pods
        .iter()
        .filter(|p| p.key.context == w.context && *p.key.namespace == *w.namespace)
        .filter(|p| p.owner.as_deref() == Some(&owner))
        .filter(|p| {
            p.phase == PodPhase::Running
                && &*p.status == "Running"
                && p.ready_containers == p.total_containers
        })
        .min_by(|a, b| a.key.name.cmp(&b.key.name))
}

/// `s` / `x` on this pod: its default container (listed first: the adapter puts the one the
/// `kubectl.kubernetes.io/default-container` annotation names there), the configured shells,
/// and high risk in the configured namespaces.
pub(super) fn on_pod(state: &State, pod: &Pod, kind: ActionKind) -> (ActionKind, Target) {
    let container = pod.containers.first().map(|c| c.to_string());
    let high_risk = state.settings.exec.high_risk(&pod.key.namespace);
    let kind = match kind {
        ActionKind::Exec { command, .. } => ActionKind::Exec {
            container,
            command,
            high_risk,
        },
        ActionKind::Shell { .. } => ActionKind::Shell {
            container,
            shells: state.settings.exec.shells.clone(),
            high_risk,
        },
        other => other,
    };
    let target = Target::Pod {
        namespace: pod.key.namespace.to_string(),
        name: pod.key.name.to_string(),
    };
    (kind, target)
}

/// Opens the container picker when the action goes into a pod with several containers; the
/// dialog opens once one is chosen. `false`: nothing to choose.
pub(super) fn pick_container(state: &mut State, action: &Action) -> bool {
    let Target::Pod { namespace, name } = &action.target else {
        return false;
    };
    let chosen = match &action.kind {
        ActionKind::Exec { container, .. } | ActionKind::Shell { container, .. } => container,
        _ => return false,
    };
    let Some(pod) = state.estate.pods.get(&crate::domain::PodKey::in_cluster(
        action.context.as_str(),
        namespace.as_str(),
        name.as_str(),
    )) else {
        return false;
    };
    if pod.containers.len() < 2 {
        return false;
    }
    let containers: Vec<String> = pod.containers.iter().map(|c| c.to_string()).collect();
    let selected = chosen
        .as_ref()
        .and_then(|c| containers.iter().position(|n| n == c))
        .unwrap_or(0);
    state.pane = Some(Pane::new(PaneKind::ExecContainers(ContainerChoice {
        action: Box::new(action.clone()),
        containers,
        selected,
    })));
    true
}

/// Enter in the picker: the action in that container, on to its dialog.
pub(super) fn on_container_chosen(
    state: &mut State,
    choice: ContainerChoice,
) -> Vec<super::msg::Effect> {
    state.pane = None;
    let mut action = *choice.action;
    let name = choice.containers.get(choice.selected).cloned();
    match &mut action.kind {
        ActionKind::Exec { container, .. } | ActionKind::Shell { container, .. } => {
            *container = name;
        }
        _ => {}
    }
    super::actions::open_dialog(state, action, Vec::new())
}

/// What the prompt's history is kept under: the pod's workload (so every pod of a deployment
/// shares it), else the pod itself.
pub fn history_key(state: &State, action: &Action) -> Option<String> {
    let Target::Pod { namespace, name } = &action.target else {
        return None;
    };
    let owner = state
        .estate
        .pods
        .get(&crate::domain::PodKey::in_cluster(
            action.context.as_str(),
            namespace.as_str(),
            name.as_str(),
        ))
        .and_then(|p| p.owner.clone());
    Some(match owner {
        Some(owner) => format!("{namespace}/{owner}"),
        None => format!("{namespace}/Pod/{name}"),
    })
}

/// The command lines run before on this workload, oldest first.
pub(super) fn history(state: &State, action: &Action) -> Vec<String> {
    history_key(state, action)
        .and_then(|k| state.exec_history.get(&k).cloned())
        .unwrap_or_default()
}

/// A confirmed command goes to its workload's history (once: run again, it moves to the end).
pub(super) fn remember(state: &mut State, action: &Action) {
    let ActionKind::Exec { command, .. } = &action.kind else {
        return;
    };
    let Some(key) = history_key(state, action) else {
        return;
    };
    let line: Vec<String> = command.iter().map(|w| crate::actions::quoted(w)).collect();
    let line = line.join(" ");
    let lines = state.exec_history.entry(key).or_default();
    lines.retain(|l| *l != line);
    lines.push(line);
    if lines.len() > HISTORY_KEPT {
        lines.remove(0);
    }
}
