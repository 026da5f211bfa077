//! Every panel's particulars in one table: its title, the command that shows it, its keymap
//! section, its names on the `:` command line, whether it follows the chosen namespace, its
//! sources, its table (the view bound to its rows), and what its selected row leads to (drill,
//! YAML, actions, the breadcrumb's label). Code that works on "the shown panel" looks its spec
//! up instead of matching over the panels, so a new panel is one entry here (and its view in
//! `ui::panels::view_of`).

use super::panel::Panel;
use super::rows::{
    AlertRows, BackupRows, ConfigRows, EventRows, JobRows, NodeRows, PodRows, ServiceRows,
    SessionRows,
};
use super::state::{State, Tables};
use super::summary::Summary;
use super::table::{Bound, ShownTable, ViewState};
use super::view_filter::Scoped;
use super::{action_intent as intent, drill, yaml_pane};
use crate::actions::{ActionKind, Target};
use crate::config::{Command, Mode};
use crate::domain::kube_object::ObjectRef;
use crate::domain::{Level, Revision, SourceKind};

/// Runs the body given on the panel's view bound to its rows.
pub type WithTable = fn(&mut State, &mut dyn FnMut(&mut dyn ShownTable));

/// The Kubernetes object behind the selected row, or why there is none.
pub type SelectedObject = fn(&State) -> Result<ObjectRef, &'static str>;

/// A panel's table: its view alone (read), and its view bound to its rows (to change it).
#[derive(Clone, Copy)]
pub struct TableSpec {
    pub view: fn(&Tables) -> &dyn ViewState,
    pub with: WithTable,
}

/// The action's target on the selected row, its parameters filled in, and the revisions a
/// rollback may choose from.
pub type ActionTarget = fn(&State, ActionKind, &mut Vec<Revision>) -> Option<(ActionKind, Target)>;

#[derive(Clone, Copy)]
pub struct PanelSpec {
    pub panel: Panel,
    pub title: &'static str,
    /// The global command that shows it (its tab's key is that command's).
    pub show: Command,
    /// The keymap section of its own keys.
    pub mode: Option<Mode>,
    /// Its names on the `:` command line that Tab offers, then the aliases it also accepts.
    pub names: &'static [&'static str],
    pub aliases: &'static [&'static str],
    /// It shows only the chosen namespace (and `:NAME NS` takes a namespace).
    pub namespaced: bool,
    /// The kinds of source its figures come from.
    pub sources: &'static [SourceKind],
    /// Its area's worst state, for the tab's mark.
    pub level: Option<fn(&Summary) -> Level>,
    pub table: Option<TableSpec>,
    /// The drill key on its selected row, and what the table's footer says it leads to.
    pub drill: Option<fn(&mut State)>,
    pub drill_hint: Option<&'static str>,
    /// The selected row's name in the breadcrumb.
    pub label: Option<fn(&State) -> Option<String>>,
    /// The Kubernetes object behind the selected row (`d`), or why there is none.
    pub yaml: Option<SelectedObject>,
    pub action_target: Option<ActionTarget>,
}

/// Binds `$field` of the tables to `$rows` (built from `$state`) for a `TableSpec`.
macro_rules! table {
    ($field:ident, |$state:ident| $rows:expr) => {
        Some(TableSpec {
            view: |tables| &tables.$field,
            with: |$state, body| {
                let rows = Scoped::new($rows, &$state.view);
                body(&mut Bound {
                    view: &mut $state.tables.$field,
                    rows,
                })
            },
        })
    };
}

/// In the command line's order: the panels with a table first (their names are offered in
/// this order, before `ns` and `ctx`), then those without.
pub static SPECS: [PanelSpec; 11] = [
    PanelSpec {
        panel: Panel::Pods,
        title: "Pods",
        show: Command::ShowPods,
        mode: Some(Mode::Pods),
        names: &["pods"],
        aliases: &["po"],
        namespaced: true,
        sources: &[SourceKind::Kubernetes],
        level: Some(|s| s.pods.level),
        table: table!(pods, |state| PodRows(&state.estate.pods)),
        drill: Some(drill::pod_owner),
        drill_hint: Some("its owner"),
        label: Some(drill::pod_label),
        yaml: Some(yaml_pane::pod_object),
        action_target: Some(intent::pod_target),
    },
    PanelSpec {
        panel: Panel::Services,
        title: "Services",
        show: Command::ShowServices,
        mode: Some(Mode::Services),
        names: &["deploy", "svc"],
        aliases: &["sts", "deployments", "statefulsets", "services"],
        namespaced: true,
        sources: &[
            SourceKind::Kubernetes,
            SourceKind::Health,
            SourceKind::Prometheus,
        ],
        level: Some(|s| s.services.level),
        table: table!(services, |state| ServiceRows(&state.estate)),
        drill: Some(drill::workload_pods),
        drill_hint: Some("its pods"),
        label: Some(drill::service_label),
        yaml: Some(yaml_pane::workload_object),
        action_target: Some(intent::workload_target),
    },
    PanelSpec {
        panel: Panel::Events,
        title: "Events",
        show: Command::ShowEvents,
        mode: Some(Mode::Events),
        names: &["events"],
        aliases: &[],
        namespaced: true,
        sources: &[SourceKind::Kubernetes],
        level: None,
        table: table!(events, |state| EventRows {
            events: &state.estate.events,
            generation: state.estate.gens.events,
            warnings_only: state.tables.warnings_only,
        }),
        drill: Some(drill::event_object),
        drill_hint: Some("its object"),
        label: Some(drill::event_label),
        yaml: Some(yaml_pane::event_object),
        action_target: None,
    },
    PanelSpec {
        panel: Panel::Nodes,
        title: "Nodes",
        show: Command::ShowNodes,
        mode: Some(Mode::Nodes),
        names: &["nodes"],
        aliases: &["no"],
        namespaced: false,
        sources: &[SourceKind::Kubernetes],
        level: None,
        table: table!(nodes, |state| NodeRows::new(&state.estate)),
        drill: Some(drill::node_pods),
        drill_hint: Some("its pods"),
        label: Some(drill::node_label),
        yaml: Some(yaml_pane::node_object),
        action_target: Some(intent::node_target),
    },
    PanelSpec {
        panel: Panel::Jobs,
        title: "Jobs",
        show: Command::ShowJobs,
        mode: Some(Mode::Jobs),
        names: &["jobs"],
        aliases: &["cronjobs", "cj", "job"],
        namespaced: true,
        sources: &[SourceKind::Kubernetes],
        level: None,
        table: table!(jobs, |state| JobRows {
            estate: &state.estate,
            now: state.now,
        }),
        drill: Some(drill::cronjob_jobs),
        drill_hint: Some("its Jobs"),
        label: Some(drill::job_label),
        yaml: None,
        action_target: Some(intent::job_target),
    },
    PanelSpec {
        panel: Panel::Alerts,
        title: "Alerts",
        show: Command::ShowAlerts,
        mode: Some(Mode::Alerts),
        names: &["alerts"],
        aliases: &[],
        namespaced: false,
        sources: &[SourceKind::Alertmanager],
        level: Some(|s| s.alerts.level),
        table: table!(alerts, |state| AlertRows::new(
            &state.estate,
            &state.alert_lens
        )),
        drill: Some(drill::alert_targets),
        drill_hint: Some("what it names"),
        label: Some(drill::alert_label),
        yaml: None,
        action_target: Some(intent::alert_target),
    },
    PanelSpec {
        panel: Panel::Databases,
        title: "Databases",
        show: Command::ShowDatabases,
        mode: Some(Mode::Databases),
        names: &["db"],
        aliases: &["databases"],
        namespaced: false,
        sources: &[SourceKind::Postgres, SourceKind::Redis],
        level: Some(|s| s.databases),
        table: table!(sessions, |state| SessionRows {
            estate: &state.estate,
            now: state.now,
        }),
        drill: None,
        drill_hint: None,
        label: None,
        yaml: None,
        action_target: Some(intent::session_target),
    },
    PanelSpec {
        panel: Panel::Backups,
        title: "Backups",
        show: Command::ShowBackups,
        mode: Some(Mode::Backups),
        names: &["backups"],
        aliases: &[],
        namespaced: false,
        sources: &[SourceKind::Backups],
        level: Some(|s| s.backups),
        table: table!(backups, |state| BackupRows {
            estate: &state.estate,
            now: state.now,
        }),
        drill: None,
        drill_hint: None,
        label: None,
        yaml: None,
        action_target: Some(intent::backup_target),
    },
    PanelSpec {
        panel: Panel::Overview,
        title: "Overview",
        show: Command::ShowOverview,
        mode: None,
        names: &["overview"],
        aliases: &[],
        namespaced: false,
        sources: &[],
        level: None,
        table: None,
        drill: Some(drill::open_tile),
        drill_hint: None,
        label: None,
        yaml: None,
        action_target: None,
    },
    PanelSpec {
        panel: Panel::Checklist,
        title: "Checklist",
        show: Command::ShowChecklist,
        mode: Some(Mode::Checklist),
        names: &["checklist"],
        aliases: &[],
        namespaced: false,
        sources: &[],
        level: None,
        table: None,
        drill: None,
        drill_hint: None,
        label: None,
        yaml: None,
        action_target: None,
    },
    PanelSpec {
        panel: Panel::Config,
        title: "Config",
        show: Command::ShowConfig,
        mode: Some(Mode::Config),
        names: &["config"],
        aliases: &["cm", "configmaps", "secrets", "sec"],
        namespaced: true,
        sources: &[SourceKind::Kubernetes],
        level: None,
        table: table!(configs, |state| ConfigRows::new(&state.estate)),
        drill: None,
        drill_hint: None,
        label: Some(drill::config_label),
        yaml: Some(yaml_pane::config_object),
        // Its actions (edit, restart what reads it) are its own keys: `app::config_edit`.
        action_target: None,
    },
];

impl Panel {
    /// This panel's entry in [`SPECS`] (every panel has one: `every_panel_has_one_spec`).
    pub fn spec(self) -> &'static PanelSpec {
        SPECS
            .iter()
            .find(|s| s.panel == self)
            .unwrap_or(&SPECS[SPECS.len() - 1])
    }

    /// The panel the global `command` shows.
    pub fn shown_by(command: Command) -> Option<Panel> {
        SPECS.iter().find(|s| s.show == command).map(|s| s.panel)
    }
}

/// Runs `body` on the shown panel's table with its rows bound; nothing on panels without one.
pub fn with_shown(state: &mut State, mut body: impl FnMut(&mut dyn ShownTable)) {
    if let Some(table) = state.panel.spec().table {
        (table.with)(state, &mut body);
    }
}

/// The shown panel's table view, without its rows.
pub fn shown_view(state: &State) -> Option<&dyn ViewState> {
    state.panel.spec().table.map(|t| (t.view)(&state.tables))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_panel_has_one_spec() {
        for panel in Panel::ALL {
            let specs: Vec<_> = SPECS.iter().filter(|s| s.panel == panel).collect();
            assert_eq!(specs.len(), 1, "{panel:?}");
            assert_eq!(Panel::shown_by(specs[0].show), Some(panel));
        }
    }

    #[test]
    fn no_command_line_name_is_two_panels() {
        let mut names: Vec<&str> = SPECS
            .iter()
            .flat_map(|s| s.names.iter().chain(s.aliases))
            .copied()
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
