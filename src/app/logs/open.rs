//! Opening a log: the selected pod's (Pods panel) or every pod's of the selected workload
//! (Services panel), and the container picker for pods with several containers.

use super::super::msg::Effect;
use super::super::pane::{Pane, PaneKind};
use super::super::panel::Panel;
use super::super::state::State;
use super::{LogPane, start};
use crate::domain::{Level, LogBuffer, LogLevel, Pod};

/// The containers of the pod (or workload) about to be shown, one to choose.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerPicker {
    /// The log to open once a container is chosen.
    pub pane: Box<LogPane>,
    pub selected: usize,
}

/// `l`: the selected pod's log, or the selected workload's pods' logs.
pub fn open_for_selected(state: &mut State) -> Vec<Effect> {
    match state.panel {
        Panel::Pods => open_for_selected_pod(state),
        Panel::Services => open_for_selected_workload(state),
        Panel::Jobs => open_for_selected_job(state),
        _ => {
            state.notify("logs: select a pod or a service first", Level::Warn, 3);
            Vec::new()
        }
    }
}

fn blank(context: &str, namespace: String, title: String, state: &State) -> LogPane {
    LogPane {
        stream: 0,
        title,
        context: context.to_string(),
        namespace,
        pods: Vec::new(),
        prefixes: Vec::new(),
        left_out: 0,
        container: None,
        containers: Vec::new(),
        previous: false,
        timestamps: false,
        wrap: false,
        restarted: None,
        buffer: LogBuffer::new(state.settings.logs.ring),
        follow: true,
        from_bottom: 0,
        min_level: LogLevel::Other,
        open: 0,
        ended: None,
        failed: Vec::new(),
        search: String::new(),
        match_at: None,
    }
}

fn open_for_selected_pod(state: &mut State) -> Vec<Effect> {
    let Some(pod) = state.selected_pod() else {
        state.notify("logs: select a pod first", Level::Warn, 3);
        return Vec::new();
    };
    let pane = one_pod(pod, state);
    choose_container_or_start(state, pane)
}

/// The pane for one pod's log: titled `namespace/pod`, in the pod's cluster.
fn one_pod(pod: &Pod, state: &State) -> LogPane {
    let (namespace, name) = (pod.key.namespace.to_string(), pod.key.name.to_string());
    let mut pane = blank(
        &pod.key.context,
        namespace.clone(),
        format!("{namespace}/{name}"),
        state,
    );
    pane.restarted = pod.last_restart;
    pane.containers = pod.containers.iter().map(|c| c.to_string()).collect();
    pane.pods = vec![name];
    pane
}

/// A Job's newest pod (its last attempt); on a CronJob, its newest Job's.
fn open_for_selected_job(state: &mut State) -> Vec<Effect> {
    use crate::app::rows::JobRow;
    let Some(row) = state.selected_job_row() else {
        state.notify("logs: select a Job first", Level::Warn, 3);
        return Vec::new();
    };
    let namespace = row.namespace().to_string();
    let job = match row {
        JobRow::Job(j) => Some(j.name.clone()),
        JobRow::Cron(c) => state
            .estate
            .jobs
            .iter()
            .filter(|j| j.context == c.context && j.namespace == c.namespace)
            .filter(|j| j.owner.as_ref() == Some(&c.name))
            .max_by_key(|j| j.created)
            .map(|j| j.name.clone()),
    };
    let Some(job) = job else {
        let text = format!("logs: {namespace}/{} has run no Job yet", row.name());
        state.notify(crate::ui::text::clean(&text).into_owned(), Level::Warn, 4);
        return Vec::new();
    };
    let owner = format!("Job/{job}");
    let newest = state
        .estate
        .pods
        .iter()
        .filter(|p| *p.key.context == *row.context() && *p.key.namespace == *namespace)
        .filter(|p| p.owner.as_deref() == Some(&owner))
        .max_by_key(|p| (p.created, p.key.name.clone()));
    let Some(pod) = newest else {
        let text = format!("logs: job {namespace}/{job} has no pods left");
        state.notify(crate::ui::text::clean(&text).into_owned(), Level::Warn, 4);
        return Vec::new();
    };
    let pane = one_pod(pod, state);
    choose_container_or_start(state, pane)
}

fn open_for_selected_workload(state: &mut State) -> Vec<Effect> {
    let Some(workload) = state.selected_workload() else {
        let text = match state.selected_service_row() {
            Some(crate::app::rows::ServiceRow::Check(h)) => format!(
                "logs: `{}` is an HTTP health check outside the cluster; it has no pods",
                crate::ui::text::clean(&h.service)
            ),
            _ => "logs: select a service first".to_string(),
        };
        state.notify(text, Level::Warn, 3);
        return Vec::new();
    };
    let owner = format!("{}/{}", workload.kind.api_kind(), workload.name);
    let (namespace, name) = (workload.namespace.clone(), workload.name.clone());
    let mut pods: Vec<&Pod> = state
        .estate
        .pods
        .iter()
        .filter(|p| p.key.context == workload.context && *p.key.namespace == *namespace)
        .filter(|p| p.owner.as_deref() == Some(&owner))
        .collect();
    if pods.is_empty() {
        state.notify(format!("{namespace}/{name} has no pods"), Level::Warn, 4);
        return Vec::new();
    }
    pods.sort_by(|a, b| a.key.name.cmp(&b.key.name));
    let cap = state.settings.logs.max_streams;
    let left_out = pods.len().saturating_sub(cap);
    pods.truncate(cap);
    let title = format!("{namespace}/{name} ({} pods)", pods.len());
    let context = workload.context.clone();
    let mut pane = blank(&context, namespace, title, state);
    pane.left_out = left_out;
    // Several pods' lines side by side: when each was written tells them apart.
    pane.timestamps = pods.len() > 1;
    pane.containers = pods[0].containers.iter().map(|c| c.to_string()).collect();
    pane.prefixes = short_names(&pods, &name);
    pane.pods = pods.iter().map(|p| p.key.name.to_string()).collect();
    choose_container_or_start(state, pane)
}

/// What sets each of a workload's pods apart: the last part of its name (`x2x4z`) when those
/// differ, else its name after the workload's (`7d9f8-x2x4z`).
fn short_names(pods: &[&Pod], workload: &str) -> Vec<String> {
    let last: Vec<&str> = pods
        .iter()
        .map(|p| p.key.name.rsplit('-').next().unwrap_or(&p.key.name))
        .collect();
    let distinct: std::collections::HashSet<&&str> = last.iter().collect();
    if distinct.len() == last.len() && last.iter().all(|l| l.len() > 2) {
        return last.into_iter().map(String::from).collect();
    }
    pods.iter()
        .map(|p| short_name(&p.key.name, workload))
        .collect()
}

/// A pod's name after its workload's (`7d9f8-x2x4z`), or the whole name when that is short.
fn short_name(pod: &str, workload: &str) -> String {
    match pod
        .strip_prefix(workload)
        .map(|r| r.trim_start_matches('-'))
    {
        Some(rest) if rest.len() > 2 => rest.to_string(),
        _ => pod.to_string(),
    }
}

fn choose_container_or_start(state: &mut State, pane: LogPane) -> Vec<Effect> {
    if pane.containers.len() > 1 && pane.container.is_none() {
        state.pane = Some(Pane::new(PaneKind::Containers(ContainerPicker {
            pane: Box::new(pane),
            selected: 0,
        })));
        return Vec::new();
    }
    start(state, pane)
}

/// `c` in the logs pane: choose another of the pod's containers.
pub(super) fn pick_container(state: &mut State, pane: &LogPane) -> Vec<Effect> {
    if pane.containers.len() < 2 {
        state.notify("this pod has one container", Level::Ok, 3);
        return Vec::new();
    }
    let selected = pane
        .container
        .as_ref()
        .and_then(|c| pane.containers.iter().position(|n| n == c))
        .unwrap_or(0);
    state.pane = Some(Pane::new(PaneKind::Containers(ContainerPicker {
        pane: Box::new(pane.clone()),
        selected,
    })));
    Vec::new()
}

/// Enter in the container picker: open that container's log.
pub fn on_container_chosen(state: &mut State, picker: ContainerPicker) -> Vec<Effect> {
    let mut pane = *picker.pane;
    pane.container = pane.containers.get(picker.selected).cloned();
    start(state, pane)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pod_is_known_by_what_follows_its_workload_name() {
        assert_eq!(
            super::short_name("pos-order-7d9f8-x2x4z", "pos-order"),
            "7d9f8-x2x4z"
        );
        assert_eq!(super::short_name("redis-0", "redis"), "redis-0");
        assert_eq!(super::short_name("other", "pos-order"), "other");
    }
}
