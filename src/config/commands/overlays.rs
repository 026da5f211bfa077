//! The command table's rows for what opens over the panels: the action dialog, the filter
//! line, the help, and the panes (silences, runbook, contexts, logs).

use super::{Command, CommandRow, Mode};

pub(super) const COMMANDS: &[CommandRow] = &[
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
        Command::OnBlocker,
        "blocker",
        "Act on the session blocking this one instead (its lock is what holds it up)",
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
        "Open the chosen context or container",
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
    (
        Command::Filter,
        "search",
        "Logs: search; matches are highlighted",
        Mode::Pane,
    ),
    (
        Command::NextMatch,
        "next_match",
        "Logs: jump to the next match, older",
        Mode::Pane,
    ),
    (
        Command::PrevMatch,
        "prev_match",
        "Logs: jump to the previous match, newer",
        Mode::Pane,
    ),
    (
        Command::Containers,
        "container",
        "Logs: choose another of the pod's containers",
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
        "Copy the runbook link, or the log lines on screen (OSC 52, works over SSH)",
        Mode::Pane,
    ),
    (Command::Up, "up", "Scroll up", Mode::Help),
    (Command::Down, "down", "Scroll down", Mode::Help),
    (
        Command::EditorSave,
        "save",
        "Save the update to a file and copy it to your clipboard",
        Mode::Editor,
    ),
    (
        Command::EditorClose,
        "close",
        "Close the editor (nothing is saved)",
        Mode::Editor,
    ),
];
