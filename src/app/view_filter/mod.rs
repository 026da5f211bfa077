//! The view filter: what the panels show of what is watched. A namespace chosen in the picker
//! (or `:ns`) narrows every Kubernetes panel and the Overview; a drill-down (a workload's pods,
//! an alert's target, a tile's problem) pushes a narrowed view of one panel on a stack, and
//! going back pops it, restoring the panel, selection and filter it came from. Nothing here
//! changes what the adapters watch: no re-list, only rows left out.

mod scoped;

pub use scoped::Scoped;

use super::panel::Panel;
use super::state::State;
use super::table::TableMark;
use crate::domain::PodKey;

/// How many recently chosen namespaces the picker offers one key away.
pub const RECENT_NAMESPACES: usize = 5;

/// What the shown panel is narrowed to, beyond the text filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Narrow {
    /// Pods whose controller is `owner` (`Deployment/pos-order`) in `namespace`.
    PodsOf {
        namespace: String,
        owner: String,
    },
    /// One pod.
    Pod {
        namespace: String,
        name: String,
    },
    /// The Services row of a workload (or the workload a `service` label names).
    Workload {
        namespace: String,
        name: String,
    },
    CrashLooping,
    /// Pods that are not ok (pending, unready, broken).
    PodsInTrouble,
    /// Workloads with fewer replicas ready than desired.
    NotReady,
    /// Critical alerts firing (not silenced, inhibited or resolved).
    FiringCritical,
    /// One PostgreSQL instance's sessions.
    Instance(String),
    BackupSet(String),
    /// Backup sets whose newest complete backup is older than their RPO (or unreadable).
    BeyondRpo,
    /// The pods scheduled on one node, in every namespace.
    PodsOnNode(String),
    /// A CronJob and the Jobs it made.
    JobsOf {
        namespace: String,
        cronjob: String,
    },
}

impl Narrow {
    /// The namespace it names, if it names one: then it is shown whatever namespace is chosen
    /// (an alert in `workflow` leads to its workload while `pos` is chosen).
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Narrow::PodsOf { namespace, .. }
            | Narrow::Pod { namespace, .. }
            | Narrow::Workload { namespace, .. }
            | Narrow::JobsOf { namespace, .. } => Some(namespace),
            _ => None,
        }
    }

    /// The panel that shows it.
    pub fn panel(&self) -> Panel {
        match self {
            Narrow::PodsOf { .. } | Narrow::Pod { .. } | Narrow::CrashLooping => Panel::Pods,
            Narrow::PodsInTrouble | Narrow::PodsOnNode(_) => Panel::Pods,
            Narrow::Workload { .. } | Narrow::NotReady => Panel::Services,
            Narrow::FiringCritical => Panel::Alerts,
            Narrow::Instance(_) => Panel::Databases,
            Narrow::BackupSet(_) | Narrow::BeyondRpo => Panel::Backups,
            Narrow::JobsOf { .. } => Panel::Jobs,
        }
    }

    /// The breadcrumb's last word: what is shown.
    pub fn word(&self) -> String {
        match self {
            Narrow::PodsOf { .. } => "pods".into(),
            Narrow::Pod { namespace, name } => format!("pod {namespace}/{name}"),
            Narrow::Workload { namespace, name } => format!("{namespace}/{name}"),
            Narrow::CrashLooping => "crash-looping pods".into(),
            Narrow::PodsInTrouble => "pods not ok".into(),
            Narrow::NotReady => "workloads not ready".into(),
            Narrow::FiringCritical => "firing criticals".into(),
            Narrow::Instance(name) => format!("instance {name}"),
            Narrow::BackupSet(name) => format!("set {name}"),
            Narrow::BeyondRpo => "sets beyond RPO".into(),
            Narrow::PodsOnNode(node) => format!("pods on {node}"),
            Narrow::JobsOf { .. } => "its jobs".into(),
        }
    }
}

/// The target panel's table as it was before a drill narrowed it.
#[derive(Debug, Clone, PartialEq)]
enum TargetMark {
    Pods(TableMark<PodKey>),
    Services(TableMark<crate::app::rows::ServiceId>),
    Alerts(TableMark<(String, String)>),
    Sessions(TableMark<(String, i32)>),
    Backups(TableMark<String>),
    Jobs(TableMark<(&'static str, String, String)>),
}

/// One drill-down: what it narrowed, where it came from, and how to get back.
#[derive(Debug, Clone, PartialEq)]
pub struct Crumb {
    pub narrow: Narrow,
    /// The panel it was drilled from.
    pub from: Panel,
    /// The row or tile it was drilled from (`pos/pos-order`), when it names one.
    pub origin: Option<String>,
    /// The cluster of the row it was drilled from: its rows alone are shown (a workload's
    /// pods are in its own cluster, not in another that has one of the same name).
    pub context: Option<String>,
    details: bool,
    details_view: super::state::DetailsView,
    target: TargetMark,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewFilter {
    /// The namespace chosen; `None` shows all that is watched.
    pub namespace: Option<String>,
    /// Namespaces chosen before, newest first (`all` included as `None`).
    pub recent: Vec<Option<String>>,
    /// Drill-downs, oldest first; the last one narrows the shown panel.
    pub stack: Vec<Crumb>,
    /// The clusters shown when several are watched (`:ctx`); `None` shows them all.
    pub contexts: Option<std::collections::BTreeSet<String>>,
    /// The Overview's selected tile (an index into `drill::TILES`).
    pub tile: usize,
    /// Changes with every change above; the tables' scope key.
    generation: u64,
}

impl ViewFilter {
    /// The drill-down narrowing `panel`, when the shown view is one.
    pub fn narrow_for(&self, panel: Panel) -> Option<&Narrow> {
        self.stack
            .last()
            .map(|c| &c.narrow)
            .filter(|n| n.panel() == panel)
    }

    /// Whether a row of cluster `context` is shown on `panel`: its cluster is among those
    /// chosen, and a drill-down into `panel` from a row of one cluster keeps to that cluster.
    pub fn shows_context(&self, panel: Panel, context: &str) -> bool {
        if self.contexts.as_ref().is_some_and(|c| !c.contains(context)) {
            return false;
        }
        match self.stack.last().filter(|c| c.narrow.panel() == panel) {
            Some(Crumb {
                context: Some(c), ..
            }) => c == context,
            _ => true,
        }
    }

    /// The tables' scope key for `panel`: 0 when nothing narrows it.
    pub fn scope_key(&self, panel: Panel) -> u64 {
        let namespaced = self.namespace.is_some() && panel.spec().namespaced;
        if namespaced || self.contexts.is_some() || self.narrow_for(panel).is_some() {
            self.generation.max(1)
        } else {
            0
        }
    }

    /// `Services › pos/pos-order › pods`: where the drill-downs came from and what is shown.
    pub fn breadcrumb(&self) -> Option<Vec<String>> {
        let first = self.stack.first()?;
        let mut parts = vec![first.from.title().to_string()];
        for crumb in &self.stack {
            // Drilled from what the previous crumb shows: it is named already.
            if let Some(origin) = &crumb.origin
                && parts.last() != Some(origin)
            {
                parts.push(origin.clone());
            }
            parts.push(crumb.narrow.word());
        }
        Some(parts)
    }

    fn changed(&mut self) {
        self.generation += 1;
    }
}

/// Chooses the namespace every Kubernetes panel and the Overview show (`None`: all).
pub fn set_namespace(state: &mut State, namespace: Option<String>) {
    let view = &mut state.view;
    let previous = view.namespace.clone();
    if previous != namespace {
        view.recent.retain(|r| *r != previous && *r != namespace);
        view.recent.insert(0, previous);
        view.recent.truncate(RECENT_NAMESPACES);
    }
    view.namespace = namespace;
    view.changed();
    // A table's selection may have been on a row of another namespace: back to the top.
    scroll_tables_to_top(state);
    state.summary.invalidate();
    state.dirty = true;
    super::update::sync_current(state);
}

/// Chooses the clusters every Kubernetes panel shows (`None`: all watched).
pub fn set_contexts(state: &mut State, contexts: Option<std::collections::BTreeSet<String>>) {
    state.view.contexts = contexts;
    state.view.changed();
    scroll_tables_to_top(state);
    state.summary.invalidate();
    state.dirty = true;
    super::update::sync_current(state);
}

fn scroll_tables_to_top(state: &mut State) {
    state.tables.pods.offset = 0;
    state.tables.services.offset = 0;
}

/// Narrows `narrow.panel()` to `narrow`, coming from the shown panel (its row `origin`), and
/// shows it with the selection on the first row; [`back`] returns.
pub fn push(state: &mut State, narrow: Narrow, origin: Option<String>) {
    push_in(state, narrow, origin, None)
}

/// [`push`] from a row of cluster `context`: the narrowed panel shows that cluster's rows only.
pub fn push_in(state: &mut State, narrow: Narrow, origin: Option<String>, context: Option<&str>) {
    let panel = narrow.panel();
    let target = match panel {
        Panel::Pods => TargetMark::Pods(state.tables.pods.mark()),
        Panel::Services => TargetMark::Services(state.tables.services.mark()),
        Panel::Alerts => TargetMark::Alerts(state.tables.alerts.mark()),
        Panel::Databases => TargetMark::Sessions(state.tables.sessions.mark()),
        Panel::Backups => TargetMark::Backups(state.tables.backups.mark()),
        Panel::Jobs => TargetMark::Jobs(state.tables.jobs.mark()),
        // No drill-down narrows any other panel.
        _ => return,
    };
    state.view.stack.push(Crumb {
        narrow,
        from: state.panel,
        origin,
        context: context.map(str::to_string),
        details: state.details,
        details_view: state.details_view,
        target,
    });
    state.view.changed();
    state.panel = panel;
    state.details = false;
    state.details_view = Default::default();
    state.dirty = true;
    super::shown_table::set_filter(state, "");
    super::shown_table::select_top(state);
    if panel == Panel::Pods {
        select_worst_pod(state);
    }
}

/// Among a drill-down's pods, the selection goes to the one in the worst state (the most
/// restarted among equals): the pod the operator came for, whatever the sort.
fn select_worst_pod(state: &mut State) {
    let pods = &state.estate.pods;
    let worst = state
        .tables
        .pods
        .visible()
        .iter()
        .enumerate()
        .filter_map(|(position, i)| pods.get_index(*i as usize).map(|p| (position, p)))
        .max_by_key(|(position, p)| (p.level(), p.restarts, std::cmp::Reverse(*position)))
        .map(|(position, _)| position);
    if let Some(position) = worst {
        let height = crate::ui::layout::table_body_height(state);
        let rows = super::rows::PodRows(&state.estate.pods);
        let rows = Scoped::new(rows, &state.view);
        state.tables.pods.select(&rows, position);
        state.tables.pods.scroll_into_view(height);
    }
}

/// Back up one drill-down: the panel it came from, with its details, and the target table's
/// filter and selection as they were. Whether there was one.
pub fn back(state: &mut State) -> bool {
    let Some(crumb) = state.view.stack.pop() else {
        return false;
    };
    match crumb.target {
        TargetMark::Pods(m) => state.tables.pods.restore(m),
        TargetMark::Services(m) => state.tables.services.restore(m),
        TargetMark::Alerts(m) => state.tables.alerts.restore(m),
        TargetMark::Sessions(m) => state.tables.sessions.restore(m),
        TargetMark::Backups(m) => state.tables.backups.restore(m),
        TargetMark::Jobs(m) => state.tables.jobs.restore(m),
    }
    state.view.changed();
    state.panel = crumb.from;
    state.details = crumb.details;
    state.details_view = crumb.details_view;
    state.dirty = true;
    super::update::sync_current(state);
    true
}

/// Another panel chosen by its key: the drill-downs are left where they are (not restored).
pub fn leave(state: &mut State) {
    if !state.view.stack.is_empty() {
        state.view.stack.clear();
        state.view.changed();
    }
}

/// The public entry point for "show me that object": a Kubernetes kind (`Pod`, `Deployment`,
/// `StatefulSet`, `ReplicaSet`, `Service`, `Namespace`), its namespace and name. A pod shows
/// that pod; a workload (or a service, named like its workload) its Services row; a namespace
/// becomes the namespace filter. Says so when the kind has no panel.
pub fn drill_to(state: &mut State, context: &str, kind: &str, namespace: &str, name: &str) {
    let narrow = match kind.to_ascii_lowercase().as_str() {
        "pod" => Narrow::Pod {
            namespace: namespace.into(),
            name: name.into(),
        },
        "deployment" | "statefulset" | "service" => Narrow::Workload {
            namespace: namespace.into(),
            name: name.into(),
        },
        // A ReplicaSet's pods name their Deployment as owner: `name-<hash>` → `name`.
        "replicaset" => Narrow::Workload {
            namespace: namespace.into(),
            name: name.rsplit_once('-').map_or(name, |(n, _)| n).into(),
        },
        "namespace" => return set_namespace(state, Some(name.into())),
        _ => {
            let text = format!("{kind} {namespace}/{name}: no panel shows this kind");
            return state.notify(text, crate::domain::Level::Warn, 4);
        }
    };
    let origin = super::drill::selected_label(state);
    push_in(state, narrow, origin, Some(context));
}

#[cfg(test)]
mod tests;
