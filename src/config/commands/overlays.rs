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
    (
        Command::Up,
        "up",
        "Previous choice: the revision above, a shorter silence",
        Mode::Dialog,
    ),
    (
        Command::Down,
        "down",
        "Next choice: the revision below, a longer silence",
        Mode::Dialog,
    ),
    (
        Command::Activate,
        "activate",
        "In a field: the next one (after the last, the action's button); on a button: press it",
        Mode::Dialog,
    ),
    (
        Command::DialogCancel,
        "cancel",
        "Close the dialog: nothing is done",
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
    (
        Command::Complete,
        "complete",
        "On the command line: complete the word (again: the next candidate)",
        Mode::Filter,
    ),
    (Command::CloseHelp, "close", "Close help", Mode::Help),
    (Command::ClosePane, "close", "Close the pane", Mode::Pane),
    (
        Command::CloseForward,
        "close_forward",
        "Close the chosen port-forward",
        Mode::Pane,
    ),
    (
        Command::RejectRequest,
        "reject_request",
        "Reject the chosen two-person request, with a reason its requester sees",
        Mode::Pane,
    ),
    (
        Command::Up,
        "up",
        "Scroll up, or choose the entry above",
        Mode::Pane,
    ),
    (
        Command::Down,
        "down",
        "Scroll down, or choose the entry below",
        Mode::Pane,
    ),
    (
        Command::Activate,
        "select",
        "Open the chosen entry (context, namespace, target, container, member to follow, request to approve)",
        Mode::Pane,
    ),
    (
        Command::Follow,
        "follow",
        "Follow new lines, or stop",
        Mode::Pane,
    ),
    (
        Command::LogLevel,
        "level",
        "Show all levels, warnings and errors, errors only",
        Mode::Pane,
    ),
    (
        Command::PreviousLog,
        "previous",
        "The previous (crashed) container's log, or back",
        Mode::Pane,
    ),
    (
        Command::Timestamps,
        "timestamps",
        "Show or hide each line's time",
        Mode::Pane,
    ),
    (
        Command::Wrap,
        "wrap",
        "Wrap long lines, or cut them",
        Mode::Pane,
    ),
    (
        Command::SaveLogs,
        "save",
        "Save the lines shown (level filter applied) to the state directory",
        Mode::Pane,
    ),
    (
        Command::Filter,
        "search",
        "Search; matches are highlighted",
        Mode::Pane,
    ),
    (
        Command::NextMatch,
        "next_match",
        "Jump to the next match, older",
        Mode::Pane,
    ),
    (
        Command::PrevMatch,
        "prev_match",
        "Jump to the previous match, newer",
        Mode::Pane,
    ),
    (
        Command::Containers,
        "container",
        "Choose another of the pod's containers",
        Mode::Pane,
    ),
    (
        Command::Refresh,
        "refresh",
        "Fetch the object again (the YAML view)",
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
    (
        Command::QuitYes,
        "yes",
        "Quit: the checklist run and running actions named are lost",
        Mode::Quit,
    ),
    (
        Command::QuitNo,
        "no",
        "Stay (the default): nothing is lost",
        Mode::Quit,
    ),
];

/// The pane's keys in the help, by where they work: every pane scrolls and closes, the lists
/// choose, the logs have their own. A pane command missing here is shown with the first group.
pub(crate) const PANE_GROUPS: &[(&str, &[Command])] = &[
    (
        "In a pane (logs, silences, runbook, contexts, war room)",
        &[
            Command::ClosePane,
            Command::Up,
            Command::Down,
            Command::PageUp,
            Command::PageDown,
        ],
    ),
    (
        "In a list to choose from (contexts, namespaces, targets, containers, war room)",
        &[Command::Activate],
    ),
    (
        "In the runbook, the logs or the YAML view",
        &[Command::Copy],
    ),
    (
        "In the logs",
        &[
            Command::Follow,
            Command::LogLevel,
            Command::PreviousLog,
            Command::Timestamps,
            Command::Wrap,
            Command::SaveLogs,
            Command::Filter,
            Command::NextMatch,
            Command::PrevMatch,
            Command::Containers,
        ],
    ),
    (
        "In the YAML view (d on a pod or workload; / n N search, s saves there too)",
        &[Command::Refresh],
    ),
    ("In the port-forwards list", &[Command::CloseForward]),
    (
        "In the requests list (:requests)",
        &[Command::RejectRequest],
    ),
];
