//! The commands a key can ask for, and the modes in which keys are looked up. One table gives
//! each command its name in keymap files, its help text and its mode.

pub use super::mode::Mode;

mod config_panel;
mod hpa_actions;
mod jobs;
mod overlays;
mod panel_actions;
mod panels;

pub(crate) use overlays::PANE_GROUPS;

/// Everything a key can ask the cockpit to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Repaint,
    ShowOverview,
    ShowPods,
    ShowServices,
    ShowAlerts,
    ShowDatabases,
    ShowBackups,
    ShowChecklist,
    ShowEvents,
    ShowNodes,
    Note,
    Room,
    /// The war room's two-person requests (`:requests`).
    Requests,
    /// In the Requests list: reject the chosen request, with a reason.
    RejectRequest,
    Incident,
    IncidentUpdate,
    EditorSave,
    EditorClose,
    NextPanel,
    PrevPanel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    ClearFilter,
    Sort,
    SortNext,
    SortReverse,
    Details,
    ZoomDetails,
    FilterAccept,
    FilterCancel,
    CloseHelp,
    Timeline,
    Contexts,
    Logs,
    Follow,
    LogLevel,
    PreviousLog,
    Timestamps,
    Wrap,
    SaveLogs,
    NextMatch,
    PrevMatch,
    Containers,
    Describe,
    Refresh,
    Scale,
    RolloutRestart,
    Rollback,
    Lockdown,
    LiftLockdown,
    Cordon,
    Uncordon,
    CountErrors,
    RestartPod,
    Exec,
    Shell,
    /// A port of the selected pod (or a workload's ready pod) on 127.0.0.1.
    PortForward,
    /// The list of open port-forwards.
    Forwards,
    /// In the forwards list: close the chosen one.
    CloseForward,
    /// End the running one-off command.
    CancelCommand,
    Silence,
    ExpireSilence,
    GroupAlerts,
    ToggleSilenced,
    WarningsOnly,
    Silences,
    Runbook,
    ClosePane,
    Copy,
    CancelQuery,
    TerminateBackend,
    TakeBackup,
    VerifyBackup,
    TestRestore,
    NextField,
    PrevField,
    Activate,
    DialogCancel,
    OnBlocker,
    ChecklistOpen,
    ChecklistPass,
    ChecklistFail,
    ChecklistSkip,
    ChecklistNote,
    ChecklistNextProblem,
    ChecklistRerun,
    ChecklistFinish,
    ChecklistAbandon,
    QuitYes,
    QuitNo,
    /// The namespace picker.
    Namespaces,
    /// The `:` command line.
    CommandLine,
    /// Tab on the command line: complete the word.
    Complete,
    /// From the selected row (or tile) to what it leads to: a workload's pods, a pod's owner,
    /// what an alert's labels name, a tile's problem.
    Drill,
    /// Back up one drill-down.
    DrillBack,
    /// The Overview's tile to the left or right.
    TileLeft,
    TileRight,
    /// The bounds of the HPA that scales the selected workload.
    HpaBounds,
    /// A container's requests and limits of the selected workload.
    SetResources,
    /// Drain the selected node: cordon, then evict its pods.
    Drain,
    ShowJobs,
    /// On a CronJob: a Job from its template, now.
    RunCronJob,
    /// On a CronJob: suspend it, or resume it when suspended.
    SuspendCronJob,
    /// On a finished Job: delete it and its pods.
    DeleteJob,
    ShowConfig,
    /// The Config panel: the selected ConfigMap's next / previous key.
    ConfigNextKey,
    ConfigPrevKey,
    /// The Config panel: edit the chosen key's value.
    EditConfigKey,
    /// The Config panel: rollout restart of the workloads that read the selected one.
    RestartUsers,
}

/// One row of the command table: the command, its name in keymap files, its help text, and
/// the mode it belongs in. The table's order is the help's order.
pub(crate) type CommandRow = (Command, &'static str, &'static str, Mode);

/// The command tables, in the help's order: global and table keys, each panel's own keys,
/// then the overlays' (dialog, filter, pane, help). A new panel's keys may be a file of their
/// own, listed here.
const TABLES: &[&[CommandRow]] = &[
    panels::COMMANDS,
    panel_actions::COMMANDS,
    jobs::COMMANDS,
    overlays::COMMANDS,
    hpa_actions::COMMANDS,
    config_panel::COMMANDS,
];

/// Commands the shipped keymaps leave without a key: the panels reached from the `:` command
/// line only (the number keys 1-9 are taken).
#[cfg(test)]
pub(crate) const WITHOUT_KEY: &[Command] =
    &[Command::ShowJobs, Command::ShowConfig, Command::Requests];

/// Every row of every table.
pub(crate) fn all() -> impl Iterator<Item = &'static CommandRow> {
    TABLES.iter().flat_map(|table| table.iter())
}

impl Command {
    pub fn describe(self, mode: Mode) -> &'static str {
        all()
            .find(|(c, _, _, m)| *c == self && *m == mode)
            .or_else(|| all().find(|(c, ..)| *c == self))
            .map_or("", |(_, _, d, _)| d)
    }

    pub(super) fn lookup(mode: Mode, name: &str) -> Option<Command> {
        all()
            .find(|(_, n, _, m)| *n == name && *m == mode)
            .map(|(c, ..)| *c)
    }
}

/// The command's position in the table, which orders the help.
pub(super) fn command_order(mode: Mode, command: Command) -> usize {
    all()
        .position(|(c, _, _, m)| *c == command && *m == mode)
        .unwrap_or(usize::MAX)
}

/// The command's name in keymap files.
pub(super) fn command_name(mode: Mode, command: Command) -> &'static str {
    all()
        .find(|(c, _, _, m)| *c == command && *m == mode)
        .map_or("?", |(_, n, ..)| n)
}
