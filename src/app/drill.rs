//! Drill-down from what is selected to what it leads to, through the view filter's stack: a
//! workload to its pods, a pod to its owner, an alert to what its labels name (a short list
//! when several fit), an Overview tile to its panel narrowed to the problem it names.

use super::pane::{Pane, PaneKind};
use super::panel::Panel;
use super::state::State;
use super::view_filter::{self, Narrow};
use crate::domain::{Alert, Level};

/// The Overview's tiles in reading order, three to a row.
pub const TILES: [Panel; 6] = [
    Panel::Pods,
    Panel::Services,
    Panel::Alerts,
    Panel::Databases,
    Panel::Backups,
    // The Sources tile: where each source stands; it has no panel of its own.
    Panel::Overview,
];

/// One entry of the "which one?" list an alert naming several things opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub narrow: Narrow,
    /// How the list names it: `deployment workflow/pdf-recognizer`.
    pub label: String,
}

/// The drill key on the shown panel's selected row (or tile).
pub fn drill(state: &mut State) {
    state.dirty = true;
    match state.panel.spec().drill {
        Some(drill) => drill(state),
        None => {
            let text = format!("nothing to drill into from {}", state.panel.title());
            state.notify(text, Level::Warn, 3);
        }
    }
}

/// The selected row's name for the breadcrumb (`pos/pos-order`, an alert's name).
pub fn selected_label(state: &State) -> Option<String> {
    (state.panel.spec().label?)(state)
}

pub(super) fn pod_label(state: &State) -> Option<String> {
    state
        .selected_pod()
        .map(|p| format!("{}/{}", p.key.namespace, p.key.name))
}

pub(super) fn service_label(state: &State) -> Option<String> {
    state.selected_service_row().map(|r| match r.namespace() {
        Some(ns) => format!("{ns}/{}", r.name()),
        None => r.name().to_string(),
    })
}

pub(super) fn alert_label(state: &State) -> Option<String> {
    super::rows::selected_alert(state).map(|e| e.alert.name.clone())
}

pub(super) fn event_label(state: &State) -> Option<String> {
    state
        .selected_event()
        .map(|e| format!("{} {}", e.reason, e.involved().name))
}

/// From an event to the object it is about (a pod, a workload, a namespace).
pub(super) fn event_object(state: &mut State) {
    let Some(event) = state.selected_event() else {
        return state.notify("no event selected", Level::Warn, 3);
    };
    let o = event.involved();
    let context = event.context.to_string();
    let (kind, namespace, name) = (
        o.kind.to_string(),
        o.namespace.to_string(),
        o.name.to_string(),
    );
    view_filter::drill_to(state, &context, &kind, &namespace, &name);
}

pub(super) fn workload_pods(state: &mut State) {
    let Some(row) = state.selected_service_row() else {
        return state.notify("no workload selected", Level::Warn, 3);
    };
    let Some(workload) = row.workload() else {
        let text = format!(
            "{} is a health check outside Kubernetes: no pods",
            row.name()
        );
        return state.notify(text, Level::Warn, 4);
    };
    let narrow = Narrow::PodsOf {
        namespace: workload.namespace.clone(),
        owner: workload.owner_ref(),
    };
    let context = workload.context.clone();
    let origin = selected_label(state);
    view_filter::push_in(state, narrow, origin, Some(&context));
}

pub(super) fn config_label(state: &State) -> Option<String> {
    state
        .selected_config()
        .map(|c| format!("{}/{}", c.namespace, c.name))
}

pub(super) fn node_label(state: &State) -> Option<String> {
    state.selected_node().map(|n| n.name.clone())
}

/// From a node to the pods scheduled on it, in every namespace.
pub(super) fn node_pods(state: &mut State) {
    let Some(node) = state.selected_node() else {
        return state.notify("no node selected", Level::Warn, 3);
    };
    let narrow = Narrow::PodsOnNode(node.name.clone());
    let context = node.context.clone();
    let origin = selected_label(state);
    view_filter::push_in(state, narrow, origin, Some(&context));
}

pub(super) fn pod_owner(state: &mut State) {
    let Some(pod) = state.selected_pod() else {
        return state.notify("no pod selected", Level::Warn, 3);
    };
    let namespace = pod.key.namespace.to_string();
    let context = pod.key.context.to_string();
    let Some((kind, name)) = pod.owner.as_deref().and_then(|o| o.split_once('/')) else {
        let text = format!("{} has no controlling workload", pod.key.name);
        return state.notify(text, Level::Warn, 4);
    };
    let (kind, name) = (kind.to_string(), name.to_string());
    // Drilled here from that very workload: going to the owner is going back.
    let came_from_owner = state.view.stack.last().is_some_and(|c| {
        c.narrow
            == Narrow::PodsOf {
                namespace: namespace.clone(),
                owner: format!("{kind}/{name}"),
            }
    });
    if came_from_owner {
        view_filter::back(state);
        return;
    }
    if !matches!(kind.as_str(), "Deployment" | "StatefulSet") {
        let text = format!("{kind}/{name} is not a workload the Services panel shows");
        return state.notify(text, Level::Warn, 4);
    }
    view_filter::drill_to(state, &context, &kind, &namespace, &name);
}

/// What an alert's labels name that a panel shows: `namespace` with `deployment`,
/// `statefulset`, `service` (the workload of that name) or `pod`; `instance` a database
/// instance; `backup` a backup set. Only what exists in the estate is offered.
pub fn targets_of(state: &State, alert: &Alert) -> Vec<Target> {
    let mut out = Vec::new();
    let namespace = alert.label("namespace");
    for key in ["deployment", "statefulset", "service"] {
        let (Some(ns), Some(name)) = (namespace, alert.label(key)) else {
            continue;
        };
        let narrow = Narrow::Workload {
            namespace: ns.into(),
            name: name.into(),
        };
        let exists = state
            .estate
            .workloads
            .iter()
            .any(|w| w.namespace == ns && w.name == name);
        if exists && !out.iter().any(|t: &Target| t.narrow == narrow) {
            out.push(Target {
                narrow,
                label: format!("{key} {ns}/{name}"),
            });
        }
    }
    if let (Some(ns), Some(name)) = (namespace, alert.label("pod"))
        && state
            .estate
            .pods
            .iter()
            .any(|p| *p.key.namespace == *ns && *p.key.name == *name)
    {
        out.push(Target {
            narrow: Narrow::Pod {
                namespace: ns.into(),
                name: name.into(),
            },
            label: format!("pod {ns}/{name}"),
        });
    }
    if let Some(name) = alert.label("instance") {
        let postgres = state.estate.postgres.iter().any(|p| p.name == name);
        let redis = state.estate.redis.iter().any(|r| r.name == name);
        if postgres || redis {
            out.push(Target {
                narrow: Narrow::Instance(name.into()),
                label: format!("database instance {name}"),
            });
        }
    }
    if let Some(name) = alert.label("backup")
        && state.estate.backups.iter().any(|b| b.name == name)
    {
        out.push(Target {
            narrow: Narrow::BackupSet(name.into()),
            label: format!("backup set {name}"),
        });
    }
    out
}

pub(super) fn alert_targets(state: &mut State) {
    let Some(alert) = super::rows::selected_alert(state).map(|e| e.alert.clone()) else {
        return state.notify("no alert selected", Level::Warn, 3);
    };
    let mut targets = targets_of(state, &alert);
    match targets.len() {
        0 => {
            let text = format!(
                "{}: its labels name nothing shown here (namespace with deployment, \
                 statefulset, service or pod; instance; backup)",
                alert.name
            );
            state.notify(text, Level::Warn, 5);
        }
        1 => {
            let target = targets.remove(0);
            view_filter::push(state, target.narrow, Some(alert.name));
        }
        _ => {
            state.pane = Some(Pane::new(PaneKind::Targets {
                alert: alert.name,
                targets,
                selected: 0,
            }));
        }
    }
}

/// A target chosen from an alert's list.
pub fn on_target_chosen(state: &mut State, alert: String, target: Target) {
    state.pane = None;
    view_filter::push(state, target.narrow, Some(alert));
}

/// Moves the Overview's selected tile: `columns` across, `rows` down (the grid is 3 by 2).
pub fn move_tile(state: &mut State, columns: isize, rows: isize) {
    let tile = state.view.tile as isize;
    let (row, column) = (tile / 3, tile % 3);
    let column = (column + columns).clamp(0, 2);
    let row = (row + rows).clamp(0, 1);
    state.view.tile = (row * 3 + column) as usize;
    state.dirty = true;
}

/// Enter on a tile: its panel, narrowed to the problem the tile names when there is one.
pub(super) fn open_tile(state: &mut State) {
    let panel = TILES[state.view.tile.min(TILES.len() - 1)];
    let narrow = match panel {
        Panel::Pods if state.summary.pods.crash_looping > 0 => Some(Narrow::CrashLooping),
        Panel::Pods if state.summary.pods.level > Level::Ok => Some(Narrow::PodsInTrouble),
        Panel::Services
            if state.summary.services.fully_ready < state.summary.services.workloads =>
        {
            Some(Narrow::NotReady)
        }
        Panel::Alerts if state.summary.alerts.critical > 0 => Some(Narrow::FiringCritical),
        Panel::Databases => fullest_instance(state).map(Narrow::Instance),
        Panel::Backups if state.estate.backups.iter().any(|b| beyond_rpo(b, state)) => {
            Some(Narrow::BeyondRpo)
        }
        Panel::Overview => {
            return state.notify("the Sources tile has no panel of its own", Level::Ok, 3);
        }
        _ => None,
    };
    match narrow {
        Some(narrow) => view_filter::push(state, narrow, Some(format!("{} tile", panel.title()))),
        None => {
            state.panel = panel;
            super::update::sync_current(state);
        }
    }
}

fn beyond_rpo(set: &crate::domain::BackupSet, state: &State) -> bool {
    set.problem.is_some() || !set.within_rpo(state.now)
}

/// The PostgreSQL instance with the largest share of `max_connections` in use.
fn fullest_instance(state: &State) -> Option<String> {
    state
        .estate
        .postgres
        .iter()
        .filter(|p| p.connection_ratio().is_finite())
        .max_by(|a, b| a.connection_ratio().total_cmp(&b.connection_ratio()))
        .map(|p| p.name.clone())
}

pub(super) fn job_label(state: &State) -> Option<String> {
    state
        .selected_job_row()
        .map(|r| format!("{}/{}", r.namespace(), r.name()))
}

/// From a CronJob to itself and the Jobs it made (a Job: to its CronJob's).
pub(super) fn cronjob_jobs(state: &mut State) {
    let Some(row) = state.selected_job_row() else {
        return state.notify("no CronJob selected", Level::Warn, 3);
    };
    let cronjob = match row {
        crate::app::rows::JobRow::Cron(c) => c.name.clone(),
        crate::app::rows::JobRow::Job(j) => match &j.owner {
            Some(owner) => owner.clone(),
            None => {
                let text = format!("{} belongs to no CronJob", crate::ui::text::clean(&j.name));
                return state.notify(text, Level::Warn, 3);
            }
        },
    };
    let narrow = Narrow::JobsOf {
        namespace: row.namespace().to_string(),
        cronjob,
    };
    let context = row.context().to_string();
    let origin = selected_label(state);
    view_filter::push_in(state, narrow, origin, Some(&context));
}
