//! The cockpit's state: the estate as last reported, and the UI (panel, tables, overlays).
//! Plain data; `update` changes it, `view` draws it.

use std::collections::BTreeMap;
use std::sync::Arc;

use ratatui_textarea::TextArea;

use super::dialog::Dialog;
use super::pane::Pane;
use super::panel::Panel;
use super::rows::AlertLens;
use super::summary::Summary;
use super::table::{Sort, TableView};
use super::timeline::Entry;
use crate::config::{Keymap, Theme};
use crate::domain::runbook::RunbookFile;
use crate::domain::{Estate, Level, PodKey, UnixTime};

/// What does not change while the cockpit runs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Draw with ASCII only.
    pub ascii: bool,
    /// Read-only cockpit (screen sharing); actions are refused.
    pub readonly: bool,
    /// Presenter mode (`--present`): read-only, and hostnames, addresses and paths are not drawn.
    pub present: bool,
    /// The Kubernetes context at start.
    pub context: String,
    /// The kubeconfig's contexts, for the context picker.
    pub contexts: Vec<String>,
    /// The contexts watched at once (`[kubernetes] contexts`, `--context a,b`), in order: two
    /// or more make the cockpit a fleet's (a CONTEXT column, `:ctx` chooses which are shown);
    /// empty when one cluster is watched (and `:ctx` switches it).
    pub watched: Vec<String>,
    /// Where saved logs (and later reports) go: `~/.local/state/opsdeck`.
    pub state_dir: Option<std::path::PathBuf>,
    /// The namespace filter shown in the status bar ("all" or a list).
    pub namespaces: String,
    pub operator: String,
    /// What to tell the operator when no source is configured.
    pub empty_hint: Option<String>,
    /// The team's runbooks (config `runbooks`), read at start.
    pub runbooks: Vec<RunbookFile>,
    /// `[logs]`: tail, ring, stream cap, error counts.
    pub logs: crate::config::LogsConfig,
    /// The checklists (shipped and the team's) and where their reports also go.
    pub checklists: super::checklist::ChecklistSettings,
    /// `[[guardrails]]`: the dialog shows and enforces them; the runner enforces them again.
    pub guardrails: Arc<crate::config::Guardrails>,
    /// `[[kubernetes.context_styles]]`: labels and colours naming contexts (`PROD prod-eu`).
    pub context_styles: Vec<crate::config::ContextStyle>,
    /// `[kubernetes] shell` and `exec_high_risk_namespaces`, for `s` and `x`.
    pub exec: crate::config::ExecSettings,
    /// `[[actions]]`: the team's own actions, checked against the keymap.
    pub team_actions: Vec<crate::config::TeamAction>,
}

impl Settings {
    /// The shipped default theme and keymap, context `demo`, every option at its default: the
    /// base that tests, benches and examples complete with `..Settings::builtin(operator)`, so
    /// a new setting is added in one place.
    pub fn builtin(operator: &str) -> Settings {
        Settings {
            keymap: Keymap::builtin("default").expect("the shipped keymap"),
            theme: Theme::builtin("default").expect("the shipped theme"),
            ascii: false,
            readonly: false,
            present: false,
            context: "demo".into(),
            contexts: Vec::new(),
            watched: Vec::new(),
            state_dir: None,
            namespaces: "all".into(),
            operator: operator.into(),
            empty_hint: None,
            runbooks: Vec::new(),
            logs: Default::default(),
            checklists: Default::default(),
            guardrails: Default::default(),
            context_styles: Vec::new(),
            exec: Default::default(),
            team_actions: Vec::new(),
        }
    }
}

/// The details pane's scroll and size; back to the top whenever another row is selected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetailsView {
    pub scroll: u16,
    /// Over the whole panel (the table hidden), for long details.
    pub full: bool,
}

#[derive(Debug, Clone)]
pub struct Tables {
    pub pods: TableView<PodKey>,
    pub services: TableView<crate::app::rows::ServiceId>,
    pub alerts: TableView<(String, String)>,
    pub sessions: TableView<(String, i32)>,
    pub backups: TableView<String>,
    pub events: TableView<crate::domain::EventKey>,
    pub nodes: TableView<String>,
    pub jobs: TableView<(&'static str, String, String)>,
    /// The Events panel shows only Warnings.
    pub warnings_only: bool,
    pub configs: TableView<super::rows::ConfigId>,
    /// The Config panel's chosen key of the selected ConfigMap (`[` / `]`), shown and edited.
    pub config_key: Option<String>,
}

impl Tables {
    /// The shown table's filter, sort and selected position (what a follower mirrors).
    pub fn view_of(&self, panel: super::Panel) -> Option<(&str, Sort, usize)> {
        let view = (panel.spec().table?.view)(self);
        Some((view.filter(), view.sort(), view.selected()))
    }
}

impl Default for Tables {
    fn default() -> Self {
        let by = |column| Sort {
            column,
            descending: false,
        };
        Tables {
            pods: TableView::new(by(0)),
            services: TableView::new(by(0)),
            // SEVERITY: the group with the worst active alert first, worst first within it.
            alerts: TableView::new(by(1)),
            sessions: TableView::new(by(super::rows::BLOCKING_COLUMN)),
            backups: TableView::new(by(2)),
            events: TableView::new(by(super::rows::LAST_SEEN_COLUMN)),
            nodes: TableView::new(by(0)),
            jobs: TableView::new(by(super::rows::JOB_NAME_COLUMN)),
            warnings_only: false,
            configs: TableView::new(by(0)),
            config_key: None,
        }
    }
}

/// A message shown in the status bar for a while.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    pub until: UnixTime,
    /// How many bytes at the end of `text` (an action's outcome) a narrow status bar keeps
    /// whole, cutting what comes before them instead.
    pub keep_end: usize,
}

#[derive(Debug, Clone)]
pub struct State {
    pub settings: Arc<Settings>,
    /// The Kubernetes context being watched and acted on (the status bar shows it).
    pub context: String,
    pub estate: Estate,
    pub now: UnixTime,
    pub panel: Panel,
    /// Terminal size in columns and rows.
    pub size: (u16, u16),
    pub tables: Tables,
    /// How the Alerts panel groups and which alerts it hides.
    pub alert_lens: AlertLens,
    /// The overlay pane (silences, a runbook section), while one is open.
    pub pane: Option<Pane>,
    /// The log stream the runtime has open for the logs pane.
    pub log_stream: Option<u64>,
    /// The passes reading pods' logs for the error counts.
    pub error_reads: super::logs::ErrorReads,
    /// The Checklist panel: the chosen checklist, the run being walked.
    pub checklist: super::checklist::ChecklistState,
    /// The war room, when `[warroom]` is configured.
    pub room: Option<super::room::RoomState>,
    /// The cockpit this one follows (read-only mirror of its view), by operator; the member id
    /// once found in the room.
    pub follow: Option<(String, Option<String>)>,
    /// The note being typed for the timeline (or an incident's title or resolution).
    pub note_input: Option<TextArea<'static>>,
    pub note_purpose: super::room::InputPurpose,
    /// The incident update message being edited.
    pub update_editor: Option<TextArea<'static>>,
    /// A ConfigMap key's value being edited (`e` on the Config panel).
    pub config_editor: Option<Box<super::config_edit::ConfigEditor>>,
    /// The dialog (and then the action) of the last ConfigMap edit, for the restart offer.
    pub config_pending: Option<u64>,
    /// Which of the selected config's workloads `R` offers next.
    pub config_restart: usize,
    /// The open incident (the room's, or this cockpit's without a room): the banner.
    pub incident: Option<crate::warroom::Incident>,
    /// The details pane of the selected row is open.
    pub details: bool,
    /// How the details pane is shown: scrolled by this many lines, over the whole panel.
    pub details_view: DetailsView,
    /// The object fetched for the open details of a pod or workload (`object_details`).
    pub details_fetch: Option<super::object_details::DetailsFetch>,
    /// The help overlay is open, scrolled by this many lines.
    pub help: Option<u16>,
    /// The filter being typed, while the operator types it.
    pub filter_input: Option<TextArea<'static>>,
    pub notices: Vec<Notice>,
    /// The confirmation dialog, while one is open.
    pub dialog: Option<Dialog>,
    /// Actions running now: target key → sequence number. One action at a time per target.
    pub running: BTreeMap<String, u64>,
    /// This session's actions, oldest first.
    pub timeline: Vec<Entry>,
    /// The timeline pane is open.
    pub show_timeline: bool,
    /// Numbers dialogs and actions.
    pub next_seq: u64,
    /// Counts and worst states per area, refreshed before each frame when the estate changed.
    pub summary: Summary,
    pub quit: bool,
    /// The question asked before quitting with work pending (`Quit? ... — y / N`).
    pub quit_prompt: Option<String>,
    /// Something visible changed since the last frame.
    pub dirty: bool,
    /// The namespace shown, the drill-downs, the Overview's selected tile.
    pub view: super::view_filter::ViewFilter,
    /// The `:` command line, while one is typed.
    pub command_line: Option<super::command_line::CommandLine>,
    /// The port-forwards open (or opening), oldest first.
    pub forwards: Vec<super::forwards::ForwardRow>,
    /// Two-person requests: the room's pending ones, this cockpit's waiting ones.
    pub requests: super::requests::Requests,
    /// One-off commands run this session, per workload (`exec_intent::history_key`), oldest
    /// first: the prompt's Up/Down. Kept in memory only: a command line can carry a secret.
    pub exec_history: std::collections::HashMap<String, Vec<String>>,
    /// One-off commands running now, by sequence number: what the cancel key ends.
    pub exec_running: Vec<u64>,
    /// What the last one-off commands and team actions printed, oldest first: the output pane.
    pub outputs: std::collections::VecDeque<super::output::Run>,
}

impl State {
    pub fn new(settings: Arc<Settings>, now: UnixTime, size: (u16, u16)) -> Self {
        State {
            context: settings.context.clone(),
            settings,
            estate: Estate::default(),
            now,
            panel: Panel::Overview,
            size,
            tables: Tables::default(),
            alert_lens: AlertLens::default(),
            pane: None,
            log_stream: None,
            error_reads: Default::default(),
            checklist: Default::default(),
            room: None,
            follow: None,
            note_input: None,
            note_purpose: Default::default(),
            update_editor: None,
            config_editor: None,
            config_pending: None,
            config_restart: 0,
            incident: None,
            details: false,
            details_view: DetailsView::default(),
            details_fetch: None,
            help: None,
            filter_input: None,
            notices: Vec::new(),
            summary: Summary::default(),
            dialog: None,
            running: BTreeMap::new(),
            timeline: Vec::new(),
            show_timeline: false,
            next_seq: 0,
            quit: false,
            quit_prompt: None,
            dirty: true,
            view: Default::default(),
            command_line: None,
            forwards: Vec::new(),
            requests: Default::default(),
            exec_history: Default::default(),
            exec_running: Vec::new(),
            outputs: Default::default(),
        }
    }

    pub fn notify(&mut self, text: impl Into<String>, level: Level, secs: i64) {
        self.notices.push(Notice {
            text: text.into(),
            level,
            until: self.now.plus(secs),
            keep_end: 0,
        });
        self.dirty = true;
    }

    /// A notice `about: outcome` whose outcome stays whole when the bar is narrow (the title
    /// before it is cut instead).
    pub fn notify_outcome(&mut self, about: &str, outcome: &str, level: Level, secs: i64) {
        self.notify(format!("{about}{outcome}"), level, secs);
        if let Some(notice) = self.notices.last_mut() {
            notice.keep_end = outcome.len();
        }
    }

    /// The pod selected in the Pods panel's table.
    pub fn selected_pod(&self) -> Option<&crate::domain::Pod> {
        let i = self.tables.pods.selected_index()?;
        self.estate.pods.get_index(i)
    }

    /// The workload selected in the Services panel's table.
    pub fn selected_workload(&self) -> Option<&crate::domain::Workload> {
        let i = self.tables.services.selected_index()?;
        self.estate.workloads.get(i)
    }

    /// The Services panel's selected row: a workload or a standalone health check.
    pub fn selected_service_row(&self) -> Option<crate::app::rows::ServiceRow<'_>> {
        let i = self.tables.services.selected_index()?;
        crate::app::rows::ServiceRows(&self.estate).row(i)
    }

    /// The backup set selected in the Backups panel's table.
    pub fn selected_backup_set(&self) -> Option<&crate::domain::BackupSet> {
        let i = self.tables.backups.selected_index()?;
        self.estate.backups.get(i)
    }

    /// The CronJob or Job selected in the Jobs panel's table.
    pub fn selected_job_row(&self) -> Option<crate::app::rows::JobRow<'_>> {
        let i = self.tables.jobs.selected_index()?;
        crate::app::rows::JobRows {
            estate: &self.estate,
            now: self.now,
        }
        .row(i)
    }

    /// The node selected in the Nodes panel's table.
    pub fn selected_node(&self) -> Option<&crate::domain::Node> {
        let i = self.tables.nodes.selected_index()?;
        self.estate.nodes.get(i)
    }

    /// The ConfigMap or Secret selected in the Config panel's table.
    pub fn selected_config(&self) -> Option<&crate::domain::ConfigObject> {
        let i = self.tables.configs.selected_index()?;
        self.estate.configs.get(i)
    }

    /// The selected ConfigMap's chosen key (the first until `[` / `]` choose another).
    pub fn selected_config_key(&self) -> Option<&crate::domain::ConfigKey> {
        let config = self.selected_config()?;
        let chosen = self.tables.config_key.as_deref();
        chosen
            .and_then(|k| config.key(k))
            .or_else(|| config.keys.first())
    }

    /// The event selected in the Events panel's table.
    pub fn selected_event(&self) -> Option<&crate::domain::K8sEvent> {
        let i = self.tables.events.selected_index()?;
        self.estate.events.get_index(i)
    }

    /// The notice to show now, newest first.
    pub fn current_notice(&self) -> Option<&Notice> {
        self.notices.iter().rev().find(|n| n.until > self.now)
    }
}
