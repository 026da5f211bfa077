//! The logs pane's state: a pod's log (or every pod's of a workload, each line marked with its
//! pod), the last lines first and then followed live, in a bounded ring. Scrolling up stops
//! following; coming back to the bottom (or `f`) resumes it. The runtime streams the lines
//! (`Effect::OpenLogs`) and closes the streams when the pane goes. Keys are in `keys`, the
//! search in `search`, the pickers and openers in `open`, the error counts in `errors`.

mod errors;
mod keys;
mod open;
mod search;

pub use errors::{
    ErrorReads, on_errors_pass_done, on_errors_read, schedule_error_reads, start_on_request,
};
pub use keys::{on_command, on_reopen};
pub use open::{ContainerPicker, on_container_chosen, open_for_selected};
pub use search::set_search;

use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::domain::logs::STAMP_WIDTH;
use crate::domain::{LogBuffer, LogLevel, LogLine, LogOptions};

#[derive(Debug, Clone)]
pub struct LogPane {
    pub stream: u64,
    /// `namespace/pod`, or `namespace/workload (n pods)`.
    pub title: String,
    /// The pods' cluster (kubeconfig context).
    pub context: String,
    pub namespace: String,
    /// The pods streamed: one, or a workload's (each line then carries its pod's index).
    pub pods: Vec<String>,
    /// What is written in front of each line when there are several pods.
    pub prefixes: Vec<String>,
    /// The workload's pods left out by the `[logs] max_streams` cap.
    pub left_out: usize,
    /// The container read, when the pod has several.
    pub container: Option<String>,
    /// The pod's containers when it has several, for the picker.
    pub containers: Vec<String>,
    /// The previous (crashed) container's log rather than the current one's.
    pub previous: bool,
    /// Lines are shown with the time the kubelet took them. The streams always carry it
    /// (a workload's pods' tails are merged by it); this only says whether it is drawn.
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
    /// Streams still open.
    pub open: usize,
    /// Set when every stream has ended: empty for a plain end, else the (last) reason.
    pub ended: Option<String>,
    /// A workload's pods whose stream failed, and why.
    pub failed: Vec<(u16, String)>,
    /// The search typed with `/`; matches are highlighted.
    pub search: String,
    /// The match jumped to, as lines from the newest shown.
    pub match_at: Option<usize>,
}

impl PartialEq for LogPane {
    fn eq(&self, other: &Self) -> bool {
        self.stream == other.stream
    }
}

impl LogPane {
    /// Lines shown with the level filter on.
    pub fn shown(&self) -> usize {
        if self.min_level == LogLevel::Other {
            return self.buffer.len();
        }
        self.buffer.at_least(self.min_level).count()
    }

    /// The prefix of a line from one of several pods.
    pub fn prefix(&self, line: &LogLine) -> Option<&str> {
        let source = line.source?;
        self.prefixes.get(usize::from(source)).map(String::as_str)
    }

    /// The lines on screen in a text area `width` wide and `rows` high: the newest that fit
    /// (or, scrolled up, the ones the reader is at), oldest first.
    pub fn visible(&self, width: usize, rows: usize) -> Vec<&LogLine> {
        // From the newest back: only the lines scrolled past and the ones on screen are read.
        let mut newest_first = self
            .buffer
            .at_least(self.min_level)
            .rev()
            .skip(self.from_bottom);
        let mut out = Vec::with_capacity(rows);
        let mut used = 0;
        for line in newest_first.by_ref() {
            // Wrapped, a line takes as many rows as its width needs.
            let height = if self.wrap {
                let prefix = self.prefix(line).map_or(0, |p| p.len() + 1);
                let stamp = if self.timestamps && line.stamp().is_some() {
                    STAMP_WIDTH + 1
                } else {
                    0
                };
                let text = unicode_width::UnicodeWidthStr::width(line.body()) + prefix + stamp;
                text.div_ceil(width.max(1)).max(1)
            } else {
                1
            };
            if used + height > rows && !out.is_empty() {
                break;
            }
            used += height;
            out.push(line);
        }
        out.reverse();
        out
    }

    /// A line as saved or copied: its pod's short name and the kubelet's timestamp in front
    /// when they are shown.
    pub fn plain(&self, line: &LogLine) -> String {
        let mut out = String::new();
        if let Some(prefix) = self.prefix(line) {
            out.push_str(prefix);
            out.push(' ');
        }
        match line.stamp().filter(|_| self.timestamps) {
            Some(_) => out.push_str(&line.text),
            None => out.push_str(line.body()),
        }
        out
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

/// Shows `pane` and opens its streams, closing the ones before.
fn start(state: &mut State, mut pane: LogPane) -> Vec<Effect> {
    state.next_seq += 1;
    let stream = state.next_seq;
    pane.stream = stream;
    pane.buffer = LogBuffer::new(state.settings.logs.ring);
    pane.ended = None;
    pane.failed.clear();
    pane.open = pane.pods.len();
    pane.follow = !pane.previous;
    pane.from_bottom = 0;
    pane.match_at = None;
    let options = LogOptions {
        container: pane.container.clone(),
        tail_lines: Some(state.settings.logs.tail),
        follow: !pane.previous,
        previous: pane.previous,
        timestamps: true,
        ..LogOptions::default()
    };
    let (context, namespace, pods) = (
        pane.context.clone(),
        pane.namespace.clone(),
        pane.pods.clone(),
    );
    state.pane = Some(Pane::new(PaneKind::Logs(Box::new(pane))));
    let mut effects: Vec<Effect> = state
        .log_stream
        .replace(stream)
        .map(Effect::CloseLogs)
        .into_iter()
        .collect();
    effects.push(Effect::OpenLogs {
        stream,
        context,
        namespace,
        pods,
        options,
    });
    effects
}

fn pane_for(state: &mut State, stream: u64) -> Option<&mut LogPane> {
    match state.pane.as_mut().map(|p| &mut p.kind) {
        Some(PaneKind::Logs(pane)) if pane.stream == stream => Some(pane),
        _ => None,
    }
}

/// Lines from one of the streams: kept, and the view stays where the reader left it.
pub(super) fn on_lines(state: &mut State, stream: u64, source: u16, lines: Vec<String>) {
    let Some(pane) = pane_for(state, stream) else {
        return;
    };
    let tag = (pane.pods.len() > 1).then_some(source);
    let mut added = 0;
    for line in &lines {
        if pane.buffer.push(tag, line) >= pane.min_level || pane.min_level == LogLevel::Other {
            added += 1;
        }
    }
    let shown = pane.shown();
    // A reader scrolled up stays on the lines they were reading; a match stays the match.
    if !pane.follow && pane.from_bottom > 0 {
        pane.from_bottom = (pane.from_bottom + added).min(shown.saturating_sub(1));
    }
    pane.match_at = pane.match_at.map(|m| m + added).filter(|m| *m < shown);
    state.dirty = true;
}

pub(super) fn on_ended(state: &mut State, stream: u64, source: u16, error: Option<String>) {
    if let Some(pane) = pane_for(state, stream) {
        pane.open = pane.open.saturating_sub(1);
        if let Some(why) = &error
            && pane.pods.len() > 1
        {
            pane.failed.push((source, why.clone()));
        }
        if pane.open == 0 {
            pane.ended = Some(error.unwrap_or_default());
        }
        state.dirty = true;
    }
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
