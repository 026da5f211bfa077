//! The modes in which keys are looked up, each a section of a keymap file.

/// Where a binding applies. Lookups try the most specific mode first, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Global,
    /// The Overview's tiles.
    Overview,
    Table,
    Pods,
    Services,
    Alerts,
    Databases,
    Backups,
    Checklist,
    Events,
    /// The Nodes panel's own keys.
    Nodes,
    /// The Jobs panel's own keys.
    Jobs,
    /// The Config panel's own keys (ConfigMaps and Secrets).
    Config,
    Dialog,
    Filter,
    Help,
    Pane,
    Editor,
    /// Asked whether to quit with work pending.
    Quit,
}

impl Mode {
    pub const ALL: [Mode; 19] = [
        Mode::Global,
        Mode::Overview,
        Mode::Table,
        Mode::Pods,
        Mode::Services,
        Mode::Alerts,
        Mode::Databases,
        Mode::Backups,
        Mode::Checklist,
        Mode::Events,
        Mode::Nodes,
        Mode::Jobs,
        Mode::Config,
        Mode::Dialog,
        Mode::Filter,
        Mode::Help,
        Mode::Pane,
        Mode::Editor,
        Mode::Quit,
    ];

    pub fn section(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Overview => "overview",
            Mode::Table => "table",
            Mode::Pods => "pods",
            Mode::Services => "services",
            Mode::Alerts => "alerts",
            Mode::Databases => "databases",
            Mode::Backups => "backups",
            Mode::Checklist => "checklist",
            Mode::Events => "events",
            Mode::Nodes => "nodes",
            Mode::Dialog => "dialog",
            Mode::Filter => "filter",
            Mode::Help => "help",
            Mode::Pane => "pane",
            Mode::Editor => "editor",
            Mode::Quit => "quit",
            Mode::Jobs => "jobs",
            Mode::Config => "config",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Mode::Global => "Everywhere",
            Mode::Overview => "Overview tiles",
            Mode::Table => "Tables",
            Mode::Pods => "Pods panel actions",
            Mode::Services => "Services panel actions",
            Mode::Alerts => "Alerts panel actions",
            Mode::Databases => "Databases panel actions",
            Mode::Backups => "Backups panel actions",
            Mode::Checklist => "Checklist panel",
            Mode::Events => "Events panel",
            Mode::Nodes => "Nodes panel actions",
            Mode::Dialog => "In a confirmation dialog",
            Mode::Filter => "While typing a filter or a note",
            Mode::Help => "In this help",
            Mode::Pane => "In the silences or runbook pane",
            Mode::Editor => "Editing the incident update",
            Mode::Quit => "Asked whether to quit (Ctrl-C again quits)",
            Mode::Jobs => "Jobs panel actions",
            Mode::Config => "Config panel (ConfigMaps and Secrets)",
        }
    }
}
