//! The commands a key can ask for, and the modes in which keys are looked up. One table gives
//! each command its name in keymap files, its help text and its mode.

pub use super::mode::Mode;

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
    SortNext,
    SortReverse,
    Details,
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
    Scale,
    RolloutRestart,
    Rollback,
    Lockdown,
    LiftLockdown,
    RestartPod,
    Silence,
    ExpireSilence,
    GroupAlerts,
    ToggleSilenced,
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
}

/// The command table: file name, help text, and the mode it belongs in.
pub(super) const COMMANDS: &[(Command, &str, &str, Mode)] = &[
    (Command::Quit, "quit", "Quit opsdeck", Mode::Global),
    (
        Command::Help,
        "help",
        "Show or hide this help",
        Mode::Global,
    ),
    (
        Command::Repaint,
        "repaint",
        "Repaint the whole screen",
        Mode::Global,
    ),
    (
        Command::ShowOverview,
        "show_overview",
        "Overview panel",
        Mode::Global,
    ),
    (Command::ShowPods, "show_pods", "Pods panel", Mode::Global),
    (
        Command::ShowServices,
        "show_services",
        "Services panel",
        Mode::Global,
    ),
    (
        Command::ShowAlerts,
        "show_alerts",
        "Alerts panel",
        Mode::Global,
    ),
    (
        Command::ShowDatabases,
        "show_databases",
        "Databases panel",
        Mode::Global,
    ),
    (
        Command::ShowBackups,
        "show_backups",
        "Backups panel",
        Mode::Global,
    ),
    (Command::NextPanel, "next_panel", "Next panel", Mode::Global),
    (
        Command::PrevPanel,
        "prev_panel",
        "Previous panel",
        Mode::Global,
    ),
    (Command::Up, "up", "Select the row above", Mode::Table),
    (Command::Down, "down", "Select the row below", Mode::Table),
    (Command::PageUp, "page_up", "One page up", Mode::Table),
    (Command::PageDown, "page_down", "One page down", Mode::Table),
    (Command::Top, "top", "First row", Mode::Table),
    (Command::Bottom, "bottom", "Last row", Mode::Table),
    (
        Command::Filter,
        "filter",
        "Filter rows (words must all match)",
        Mode::Table,
    ),
    (
        Command::ClearFilter,
        "clear_filter",
        "Clear the filter, close details",
        Mode::Table,
    ),
    (
        Command::SortNext,
        "sort_next",
        "Sort by the next column",
        Mode::Table,
    ),
    (
        Command::SortReverse,
        "sort_reverse",
        "Reverse the sort order",
        Mode::Table,
    ),
    (
        Command::Details,
        "details",
        "Show or hide details of the selected row",
        Mode::Table,
    ),
    (
        Command::Timeline,
        "timeline",
        "Show or hide this session's actions",
        Mode::Global,
    ),
    (
        Command::Logs,
        "logs",
        "The pod's log: the last 200 lines, then followed",
        Mode::Pods,
    ),
    (
        Command::Contexts,
        "contexts",
        "Pick the Kubernetes context (kubeconfig) to watch",
        Mode::Global,
    ),
    (
        Command::Scale,
        "scale",
        "Scale to N replicas",
        Mode::Services,
    ),
    (
        Command::RolloutRestart,
        "restart",
        "Rollout restart (replace every pod)",
        Mode::Services,
    ),
    (
        Command::Rollback,
        "rollback",
        "Roll back to an earlier revision",
        Mode::Services,
    ),
    (
        Command::Lockdown,
        "lockdown",
        "Lock down the namespace (deny all traffic)",
        Mode::Services,
    ),
    (
        Command::LiftLockdown,
        "lift_lockdown",
        "Lift the namespace's lockdown",
        Mode::Services,
    ),
    (
        Command::RestartPod,
        "restart_pod",
        "Restart the pod (its controller recreates it)",
        Mode::Pods,
    ),
    (
        Command::Silence,
        "silence",
        "Silence the alert",
        Mode::Alerts,
    ),
    (
        Command::ExpireSilence,
        "expire_silence",
        "Expire the alert's silence",
        Mode::Alerts,
    ),
    (
        Command::GroupAlerts,
        "group_by",
        "Group by alertname, then by each label, then not at all",
        Mode::Alerts,
    ),
    (
        Command::ToggleSilenced,
        "toggle_silenced",
        "Show or hide silenced and inhibited alerts",
        Mode::Alerts,
    ),
    (
        Command::Silences,
        "silences",
        "List silences: who, why, until when",
        Mode::Alerts,
    ),
    (
        Command::Runbook,
        "runbook",
        "Open the alert's runbook section",
        Mode::Alerts,
    ),
    (
        Command::CancelQuery,
        "cancel_query",
        "Cancel the session's query",
        Mode::Databases,
    ),
    (
        Command::TerminateBackend,
        "terminate",
        "Terminate the session's backend",
        Mode::Databases,
    ),
    (
        Command::TakeBackup,
        "take_backup",
        "Take a backup now",
        Mode::Backups,
    ),
    (
        Command::VerifyBackup,
        "verify",
        "Verify the newest backup",
        Mode::Backups,
    ),
    (
        Command::TestRestore,
        "test_restore",
        "Test-restore the newest backup",
        Mode::Backups,
    ),
    (
        Command::NextField,
        "next",
        "Next field or button",
        Mode::Dialog,
    ),
    (
        Command::PrevField,
        "previous",
        "Previous field or button",
        Mode::Dialog,
    ),
    (Command::Up, "up", "Previous choice in a list", Mode::Dialog),
    (Command::Down, "down", "Next choice in a list", Mode::Dialog),
    (
        Command::Activate,
        "activate",
        "Press the focused button",
        Mode::Dialog,
    ),
    (
        Command::DialogCancel,
        "cancel",
        "Cancel: nothing is done",
        Mode::Dialog,
    ),
    (
        Command::FilterAccept,
        "accept",
        "Keep the filter and return to the table",
        Mode::Filter,
    ),
    (
        Command::FilterCancel,
        "cancel",
        "Drop the filter and return to the table",
        Mode::Filter,
    ),
    (Command::CloseHelp, "close", "Close help", Mode::Help),
    (Command::ClosePane, "close", "Close the pane", Mode::Pane),
    (
        Command::Up,
        "up",
        "Scroll up (or choose the context above)",
        Mode::Pane,
    ),
    (
        Command::Down,
        "down",
        "Scroll down (or choose the context below)",
        Mode::Pane,
    ),
    (
        Command::Activate,
        "select",
        "Switch to the chosen context",
        Mode::Pane,
    ),
    (
        Command::Follow,
        "follow",
        "Logs: follow new lines, or stop",
        Mode::Pane,
    ),
    (
        Command::LogLevel,
        "level",
        "Logs: show all, warnings and errors, errors only",
        Mode::Pane,
    ),
    (
        Command::PreviousLog,
        "previous",
        "Logs: the previous (crashed) container's log, or back",
        Mode::Pane,
    ),
    (
        Command::Timestamps,
        "timestamps",
        "Logs: show or hide each line's time",
        Mode::Pane,
    ),
    (
        Command::Wrap,
        "wrap",
        "Logs: wrap long lines, or cut them",
        Mode::Pane,
    ),
    (
        Command::SaveLogs,
        "save",
        "Logs: save the lines shown (level filter applied) to the state directory",
        Mode::Pane,
    ),
    (Command::PageUp, "page_up", "Scroll up a page", Mode::Pane),
    (
        Command::PageDown,
        "page_down",
        "Scroll down a page",
        Mode::Pane,
    ),
    (
        Command::Copy,
        "copy",
        "Copy the runbook link to your clipboard (OSC 52, works over SSH)",
        Mode::Pane,
    ),
    (Command::Up, "up", "Scroll up", Mode::Help),
    (Command::Down, "down", "Scroll down", Mode::Help),
];

impl Command {
    pub fn describe(self, mode: Mode) -> &'static str {
        COMMANDS
            .iter()
            .find(|(c, _, _, m)| *c == self && *m == mode)
            .or_else(|| COMMANDS.iter().find(|(c, ..)| *c == self))
            .map_or("", |(_, _, d, _)| d)
    }

    pub(super) fn lookup(mode: Mode, name: &str) -> Option<Command> {
        COMMANDS
            .iter()
            .find(|(_, n, _, m)| *n == name && *m == mode)
            .map(|(c, ..)| *c)
    }
}

/// The command's position in the table, which orders the help.
pub(super) fn command_order(mode: Mode, command: Command) -> usize {
    COMMANDS
        .iter()
        .position(|(c, _, _, m)| *c == command && *m == mode)
        .unwrap_or(usize::MAX)
}

/// The command's name in keymap files.
pub(super) fn command_name(mode: Mode, command: Command) -> &'static str {
    COMMANDS
        .iter()
        .find(|(c, _, _, m)| *c == command && *m == mode)
        .map_or("?", |(_, n, ..)| n)
}
