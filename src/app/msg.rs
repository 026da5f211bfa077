//! Everything that can happen to the cockpit, and what `update` asks the runtime to do.

use crossterm::event::KeyEvent;

use crate::actions::Action;
use crate::actions::audit::Intent;
use crate::actions::executor::Permission;
use crate::domain::{SourceReport, UnixTime};

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// The wall clock, sent a few times a second.
    Tick(UnixTime),
    Report(SourceReport),
    /// The backend's answer to "may the operator do this?" for the dialog `seq`.
    Permission {
        seq: u64,
        permission: Permission,
    },
    /// A line of progress from a running action.
    ActionProgress {
        seq: u64,
        line: String,
    },
    /// How long a running action ran, in milliseconds: sent just before its
    /// `ActionFinished` (the state's clock counts whole seconds).
    ActionTook {
        seq: u64,
        millis: u64,
    },
    /// A running action ended: what happened, or the error.
    ActionFinished {
        seq: u64,
        result: Result<String, String>,
    },
    /// Lines from an open log stream.
    LogLines {
        stream: u64,
        /// Which of the stream's pods (index into `Effect::OpenLogs::pods`).
        source: u16,
        lines: Vec<String>,
    },
    /// One pod of a log stream ended: `None` when the log did, else why.
    LogEnded {
        stream: u64,
        source: u16,
        error: Option<String>,
    },
    /// One pod's log read for the error counts: what it found, or why it could not be read.
    LogErrorsRead {
        scan: crate::domain::LogScan,
        result: Result<crate::domain::ScanResult, String>,
    },
    /// Every read of an error-count pass is done.
    LogErrorsPassDone,
    /// The answer of a checklist step's query (`Effect::RunProbes`).
    ProbeAnswered {
        run: u64,
        step: usize,
        answer: crate::checklist::ProbeAnswer,
    },
    /// A finished run's report was written (the Markdown files), or why not.
    ReportWritten(Result<Vec<std::path::PathBuf>, String>),
    /// What the war room says: connected or not, who is here, its events.
    Room(crate::warroom::task::RoomUpdate),
    /// The object asked for by `Effect::FetchObject`, prepared for showing, or why not.
    ObjectFetched {
        seq: u64,
        result: Result<serde_json::Value, String>,
    },
    /// The port-forward of action `seq` is open on this local port of 127.0.0.1.
    ForwardOpened {
        seq: u64,
        local: u16,
    },
    /// What the port-forward of action `seq` has carried each way, and why it no longer
    /// reaches its pod if it does not. Sent when it changes.
    ForwardStats {
        seq: u64,
        sent: u64,
        received: u64,
        broken: Option<String>,
    },
    /// A file asked for by `Effect::WriteFile` was written, or why not.
    FileWritten {
        path: std::path::PathBuf,
        result: Result<(), String>,
    },
}

/// Work for the runtime: the only way `update` reaches the outside world.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Clear the terminal and draw everything again (after line noise on a bad link).
    Repaint,
    /// Put this text on the operator's own clipboard (OSC 52, through SSH and tmux).
    Copy(String),
    /// Watch and act on this kubeconfig context from now on.
    SwitchContext(String),
    /// Stream pods' logs (one, or a workload's) into `Msg::LogLines` until `CloseLogs`.
    OpenLogs {
        stream: u64,
        /// The pods' cluster (kubeconfig context).
        context: String,
        namespace: String,
        pods: Vec<String>,
        options: crate::domain::LogOptions,
    },
    /// Read these pods' logs for the error counts, a few at a time; answer each with
    /// `Msg::LogErrorsRead`, then `Msg::LogErrorsPassDone`.
    ReadLogErrors(Vec<crate::domain::LogScan>),
    CloseLogs(u64),
    /// GET this object once from the cluster; answer with `Msg::ObjectFetched`.
    FetchObject {
        seq: u64,
        object: crate::domain::kube_object::ObjectRef,
    },
    /// Write this file (creating its directory), off the UI loop; answer with
    /// `Msg::FileWritten`.
    WriteFile {
        path: std::path::PathBuf,
        contents: String,
    },
    /// Run a checklist's queries (SQL, PromQL); answer each with `Msg::ProbeAnswered`.
    RunProbes {
        run: u64,
        probes: Vec<(usize, crate::checklist::Probe)>,
    },
    /// Write a finished run's report (Markdown and JSON) into each folder; answer with
    /// `Msg::ReportWritten`.
    WriteReport {
        record: Box<crate::checklist::RunRecord>,
        dirs: Vec<std::path::PathBuf>,
    },
    /// Follow this member of the war room (its view arrives as `RoomUpdate::Followed`), or stop.
    Follow(Option<String>),
    /// Open (or with `None` close) the room's incident, with the note that says so.
    SetIncident(Option<crate::warroom::Incident>, String),
    /// Send a note to the war room.
    PublishNote(String),
    /// Close the port-forward opened by action `seq`.
    CloseForward(u64),
    /// Ask the backend whether the operator may do this; answer with `Msg::Permission`.
    CheckPermission {
        seq: u64,
        action: Action,
    },
    /// Write the intent to the audit log, then carry the action out; report with
    /// `Msg::ActionProgress` and `Msg::ActionFinished`.
    Execute {
        seq: u64,
        intent: Box<Intent>,
    },
    /// Post the intent to the war room as a two-person request; answered with `Msg::Room`
    /// (`RequestPosted`, then `RequestDecided`).
    RequestApproval {
        seq: u64,
        intent: Box<Intent>,
    },
    /// Approve or reject the room's request `id` as this operator; answered with `Msg::Room`
    /// (`DecideAnswer`).
    DecideRequest {
        id: u64,
        approve: bool,
        reason: String,
    },
    /// End a running one-off command (closing its stream ends it remotely); its outcome is
    /// recorded as cancelled.
    CancelAction(u64),
    /// Append these records to the audit log (a second operator's decision on a two-person
    /// request: the approver's own trail).
    Audit(Vec<crate::actions::audit::AuditRecord>),
}
