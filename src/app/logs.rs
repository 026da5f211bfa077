//! The logs pane's state and keys: the selected pod's last lines, then followed live, in a
//! bounded ring. Scrolling up stops following; coming back to the bottom (or `f`) resumes it.
//! The runtime streams the lines (`Effect::OpenLogs`) and closes the stream when the pane goes.

use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::config::Command;
use crate::domain::{Level, LogBuffer, LogLevel, LogOptions};

/// Lines fetched when the pane opens, as `kubectl logs --tail`.
pub const TAIL_LINES: u64 = 200;
/// Lines kept per stream; older ones are dropped.
pub const RING_LINES: usize = 10_000;

#[derive(Debug, Clone)]
pub struct LogPane {
    pub stream: u64,
    /// `namespace/pod`.
    pub title: String,
    pub namespace: String,
    pub pod: String,
    /// The previous (crashed) container's log rather than the current one's.
    pub previous: bool,
    /// Lines carry the time the kubelet took them (`kubectl logs --timestamps`).
    pub timestamps: bool,
    /// Long lines wrap instead of being cut.
    pub wrap: bool,
    /// When the container last restarted: its previous log is worth offering.
    pub restarted: Option<crate::domain::UnixTime>,
    pub buffer: LogBuffer,
    pub follow: bool,
    /// Lines between the last one shown and the newest (0 while following).
    pub from_bottom: usize,
    /// Lines below this level are hidden (`Other` shows all).
    pub min_level: LogLevel,
    /// Set when the stream has ended: empty for a plain end, else the reason.
    pub ended: Option<String>,
}

impl PartialEq for LogPane {
    fn eq(&self, other: &Self) -> bool {
        self.stream == other.stream
    }
}

impl LogPane {
    /// Lines shown with the level filter on.
    pub fn shown(&self) -> usize {
        self.buffer.at_least(self.min_level).count()
    }

    fn scroll_up(&mut self, lines: usize) {
        let top = self.shown().saturating_sub(1);
        self.from_bottom = (self.from_bottom + lines).min(top);
        if self.from_bottom > 0 {
            self.follow = false;
        }
    }

    fn scroll_down(&mut self, lines: usize) {
        self.from_bottom = self.from_bottom.saturating_sub(lines);
        if self.from_bottom == 0 {
            self.follow = true;
        }
    }
}

/// Opens the selected pod's log: the last lines, then following.
pub(super) fn open_for_selected_pod(state: &mut State) -> Vec<Effect> {
    let Some(pod) = state
        .tables
        .pods
        .selected_index()
        .and_then(|i| state.estate.pods.get_index(i))
    else {
        state.notify("logs: select a pod first", Level::Warn, 3);
        return Vec::new();
    };
    let restarted = pod.last_restart;
    let (namespace, name) = (pod.key.namespace.to_string(), pod.key.name.to_string());
    let pane = LogPane {
        stream: 0,
        title: format!("{namespace}/{name}"),
        namespace,
        pod: name,
        previous: false,
        timestamps: false,
        wrap: false,
        restarted,
        buffer: LogBuffer::new(RING_LINES),
        follow: true,
        from_bottom: 0,
        min_level: LogLevel::Other,
        ended: None,
    };
    start(state, pane)
}

/// Shows `pane` and opens its stream, closing the one before.
fn start(state: &mut State, mut pane: LogPane) -> Vec<Effect> {
    state.next_seq += 1;
    let stream = state.next_seq;
    pane.stream = stream;
    pane.buffer = LogBuffer::new(RING_LINES);
    pane.ended = None;
    pane.follow = !pane.previous;
    pane.from_bottom = 0;
    let options = LogOptions {
        tail_lines: Some(TAIL_LINES),
        follow: !pane.previous,
        previous: pane.previous,
        timestamps: pane.timestamps,
        ..LogOptions::default()
    };
    let (namespace, pod) = (pane.namespace.clone(), pane.pod.clone());
    state.pane = Some(Pane::new(PaneKind::Logs(Box::new(pane))));
    let mut effects: Vec<Effect> = state
        .log_stream
        .replace(stream)
        .map(Effect::CloseLogs)
        .into_iter()
        .collect();
    effects.push(Effect::OpenLogs {
        stream,
        namespace,
        pod,
        options,
    });
    effects
}

/// Keys that reopen the log with other options: the previous container, timestamps.
pub(super) fn on_reopen(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let Some(PaneKind::Logs(pane)) = state.pane.as_ref().map(|p| &p.kind) else {
        return None;
    };
    let mut pane = (**pane).clone();
    match command {
        Command::PreviousLog => pane.previous = !pane.previous,
        Command::Timestamps => pane.timestamps = !pane.timestamps,
        Command::SaveLogs => return Some(save(state, &pane)),
        _ => return None,
    }
    Some(start(state, pane))
}

/// Writes the lines shown (the level filter applied) to `logs/` in the state directory, named
/// by pod and time.
fn save(state: &mut State, pane: &LogPane) -> Vec<Effect> {
    let Some(dir) = state.settings.state_dir.clone() else {
        state.notify("no state directory to save into", Level::Warn, 5);
        return Vec::new();
    };
    let stamp = state.now.rfc3339().replace([':', '-'], "");
    let suffix = if pane.previous { "-previous" } else { "" };
    let name = format!("{}_{}{suffix}_{stamp}.log", pane.namespace, pane.pod);
    let mut contents = String::new();
    for line in pane.buffer.at_least(pane.min_level) {
        contents.push_str(&line.text);
        contents.push('\n');
    }
    vec![Effect::WriteFile {
        path: dir.join("logs").join(name),
        contents,
    }]
}

fn pane_for(state: &mut State, stream: u64) -> Option<&mut LogPane> {
    match state.pane.as_mut().map(|p| &mut p.kind) {
        Some(PaneKind::Logs(pane)) if pane.stream == stream => Some(pane),
        _ => None,
    }
}

/// Lines from the stream: kept, and the view stays where the reader left it.
pub(super) fn on_lines(state: &mut State, stream: u64, lines: Vec<String>) {
    let Some(pane) = pane_for(state, stream) else {
        return;
    };
    let before = pane.shown();
    for line in &lines {
        pane.buffer.push(None, line);
    }
    // A reader scrolled up stays on the lines they were reading.
    if !pane.follow && pane.from_bottom > 0 {
        let added = pane.shown().saturating_sub(before);
        pane.from_bottom += added;
    }
    state.dirty = true;
}

pub(super) fn on_ended(state: &mut State, stream: u64, error: Option<String>) {
    if let Some(pane) = pane_for(state, stream) {
        pane.ended = Some(error.unwrap_or_default());
        state.dirty = true;
    }
}

/// Keys while the logs pane is open; `None` for the ones that are not its own.
pub(super) fn on_command(pane: &mut LogPane, command: Command, page: usize) -> Option<()> {
    match command {
        Command::Up => pane.scroll_up(1),
        Command::Down => pane.scroll_down(1),
        Command::PageUp => pane.scroll_up(page),
        Command::PageDown => pane.scroll_down(page),
        Command::Follow => {
            pane.follow = !pane.follow;
            if pane.follow {
                pane.from_bottom = 0;
            }
        }
        Command::Wrap => pane.wrap = !pane.wrap,
        Command::LogLevel => {
            pane.min_level = match pane.min_level {
                LogLevel::Other => LogLevel::Warn,
                LogLevel::Warn => LogLevel::Error,
                _ => LogLevel::Other,
            };
            pane.from_bottom = 0;
            pane.follow = true;
        }
        _ => return None,
    }
    Some(())
}

/// The stream of a logs pane that is no longer shown, to be closed.
pub(super) fn closed_stream(state: &mut State) -> Option<u64> {
    let open = state.log_stream?;
    let shown = matches!(
        state.pane.as_ref().map(|p| &p.kind),
        Some(PaneKind::Logs(pane)) if pane.stream == open
    );
    if shown {
        return None;
    }
    state.log_stream = None;
    Some(open)
}
