//! The action output pane's state: what a one-off command (`x`) or a team action (`[[actions]]`)
//! printed, as it comes, stdout and stderr told apart, then how it ended (exit status and how
//! long it took, or cancelled). The last `RUNS_KEPT` runs are kept, each in a ring of
//! `LINES_KEPT` lines; the pane shows one (the newest when it opens). Scrolling up stops at the
//! lines being read; back at the bottom it follows again. Copy and save are the logs pane's
//! (`export`). In memory only: a command's output is never audited nor written unasked.

use std::collections::VecDeque;

use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::actions::executor::ActionError;
use crate::actions::output::{STDERR_MARK, Stream, parse};
use crate::actions::team::Place;
use crate::actions::{Action, ActionKind, Target, quoted};
use crate::config::Command;

/// How many runs' outputs are kept; the oldest goes first.
pub const RUNS_KEPT: usize = 20;
/// How many lines a run keeps, as the logs pane's ring (`[logs] ring`'s default) does.
pub const LINES_KEPT: usize = 10_000;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// `exit status 0`.
    Succeeded(String),
    /// `exit status 3`, or why it could not run.
    Failed(String),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The action's number.
    pub seq: u64,
    /// What runs, as a shell would read it: `redis-cli ping`.
    pub command: String,
    /// Where: `data/redis-0 (redis)`, or `this machine`.
    pub place: String,
    /// The saved file's name: namespace (or `local`) and who.
    file: (String, String),
    pub lines: VecDeque<(Stream, String)>,
    /// Lines the ring let go, oldest first.
    pub dropped: usize,
    /// How many of the lines kept are stderr's (the pane marks them only when there are some).
    pub stderr_kept: usize,
    /// Lines between the last one shown and the newest (0: following).
    pub from_bottom: usize,
    /// How long it ran, in milliseconds, once it has ended.
    pub took_ms: Option<u64>,
    pub end: Option<End>,
}

impl Run {
    /// The pane's title: what runs where.
    pub fn title(&self) -> String {
        format!("{} — {}", self.command, self.place)
    }

    /// The lines on screen in a text area `rows` high: the newest that fit, or, scrolled up,
    /// the ones the reader is at; oldest first.
    pub fn visible(&self, rows: usize) -> impl Iterator<Item = &(Stream, String)> {
        let end = self.lines.len().saturating_sub(self.from_bottom);
        self.lines.range(end.saturating_sub(rows)..end)
    }

    fn push(&mut self, stream: Stream, text: &str) {
        if self.lines.len() == LINES_KEPT {
            if let Some((Stream::Stderr, _)) = self.lines.pop_front() {
                self.stderr_kept -= 1;
            }
            self.dropped += 1;
        }
        if stream == Stream::Stderr {
            self.stderr_kept += 1;
        }
        self.lines.push_back((stream, text.to_string()));
        // A reader scrolled up stays on the lines they were reading.
        if self.from_bottom > 0 {
            self.from_bottom = (self.from_bottom + 1).min(self.top());
        }
    }

    fn top(&self) -> usize {
        self.lines.len().saturating_sub(1)
    }

    fn scroll_up(&mut self, lines: usize) {
        self.from_bottom = (self.from_bottom + lines).min(self.top());
    }

    fn scroll_down(&mut self, lines: usize) {
        self.from_bottom = self.from_bottom.saturating_sub(lines);
    }
}

/// A line as saved or copied: stderr's marked `stderr: `, as it was in the timeline.
pub fn plain((stream, text): &(Stream, String)) -> String {
    match stream {
        Stream::Stdout => text.clone(),
        Stream::Stderr => format!("{STDERR_MARK}{text}"),
    }
}

/// An output progress line as `plain` gives it; `None` when it is not output.
pub fn plain_of(line: &str) -> Option<String> {
    parse(line).map(|(stream, text)| plain(&(stream, text.to_string())))
}

/// The run whose output the pane shows, if it is open on one.
pub fn shown(state: &State) -> Option<&Run> {
    let Some(PaneKind::Output { seq }) = state.pane.as_ref().map(|p| &p.kind) else {
        return None;
    };
    state.outputs.iter().find(|r| r.seq == *seq)
}

fn shown_mut(state: &mut State) -> Option<&mut Run> {
    let Some(PaneKind::Output { seq }) = state.pane.as_ref().map(|p| &p.kind) else {
        return None;
    };
    let seq = *seq;
    state.outputs.iter_mut().find(|r| r.seq == seq)
}

/// What runs and where, for an action that prints output (`x`, a team action); `None` for
/// the others.
fn describe(state: &State, action: &Action) -> Option<(String, String, (String, String))> {
    let words = |argv: &[String]| argv.iter().map(|w| quoted(w)).collect::<Vec<_>>().join(" ");
    let in_pod = |namespace: &str, pod: &str, container: Option<&str>| {
        // A pod's only container is not in the action: the estate names it.
        let container = container.map(str::to_string).or_else(|| {
            let key = crate::domain::PodKey::in_cluster(action.context.as_str(), namespace, pod);
            let pod = state.estate.pods.get(&key)?;
            pod.containers.first().map(|c| c.to_string())
        });
        let place = match container {
            Some(c) => format!("{namespace}/{pod} ({c})"),
            None => format!("{namespace}/{pod}"),
        };
        (place, (namespace.to_string(), pod.to_string()))
    };
    match &action.kind {
        ActionKind::Exec {
            command, container, ..
        } => {
            let Target::Pod { namespace, name } = &action.target else {
                return None;
            };
            let (place, file) = in_pod(namespace, name, container.as_deref());
            Some((words(command), place, file))
        }
        ActionKind::Team { place, argv, .. } => {
            let (place, file) = match place {
                Place::Pod(p) => in_pod(&p.namespace, &p.pod, p.container.as_deref()),
                Place::Local => {
                    let who: String = action
                        .target
                        .key()
                        .chars()
                        .map(|c| match c {
                            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => c,
                            _ => '-',
                        })
                        .collect();
                    ("this machine".to_string(), ("local".to_string(), who))
                }
            };
            Some((words(argv), place, file))
        }
        _ => None,
    }
}

/// A confirmed action that prints output: its run is kept and the pane opens on it. `false`
/// for an action that prints none.
pub(super) fn start(state: &mut State, seq: u64, action: &Action) -> bool {
    let Some((command, place, file)) = describe(state, action) else {
        return false;
    };
    if state.outputs.len() == RUNS_KEPT {
        state.outputs.pop_front();
    }
    state.outputs.push_back(Run {
        seq,
        command,
        place,
        file,
        lines: VecDeque::new(),
        dropped: 0,
        stderr_kept: 0,
        from_bottom: 0,
        took_ms: None,
        end: None,
    });
    state.pane = Some(Pane::new(PaneKind::Output { seq }));
    state.dirty = true;
    true
}

/// `:out N`: the pane on the `nth` newest run kept (1, the newest), or why there is none.
pub(super) fn open(state: &mut State, nth: usize) {
    let Some(run) = state.outputs.iter().rev().nth(nth.saturating_sub(1)) else {
        let text = "no output kept: x runs a command, and the team's actions print here";
        return state.notify(text, crate::domain::Level::Warn, 4);
    };
    state.pane = Some(Pane::new(PaneKind::Output { seq: run.seq }));
    state.dirty = true;
}

/// Which of the runs kept `seq` is, counted from the oldest, and how many there are.
pub fn place_of(state: &State, seq: u64) -> Option<(usize, usize)> {
    let at = state.outputs.iter().position(|r| r.seq == seq)?;
    Some((at + 1, state.outputs.len()))
}

/// A progress line of action `seq`: kept when it is output of a run. `false` when it is not
/// (another action's progress, or the runner's own note about this one).
pub(super) fn on_line(state: &mut State, seq: u64, line: &str) -> bool {
    let Some((stream, text)) = parse(line) else {
        return false;
    };
    let Some(run) = state.outputs.iter_mut().find(|r| r.seq == seq) else {
        return false;
    };
    run.push(stream, text);
    if shown(state).is_some_and(|r| r.seq == seq) {
        state.dirty = true;
    }
    true
}

pub(super) fn on_took(state: &mut State, seq: u64, millis: u64) {
    if let Some(run) = state.outputs.iter_mut().find(|r| r.seq == seq) {
        run.took_ms = Some(millis);
    }
}

pub(super) fn on_finished(state: &mut State, seq: u64, result: &Result<String, String>) {
    let Some(run) = state.outputs.iter_mut().find(|r| r.seq == seq) else {
        return;
    };
    run.end = Some(match result {
        Ok(message) => End::Succeeded(message.clone()),
        Err(e) if *e == ActionError::Cancelled.to_string() => End::Cancelled,
        Err(e) => End::Failed(e.clone()),
    });
    state.dirty = true;
}

/// The lines on screen, as text.
fn on_screen(state: &State, run: &Run) -> String {
    let (_, rows) = crate::ui::output::text_size(state.size);
    let mut out = String::new();
    for line in run.visible(rows) {
        out.push_str(&crate::ui::text::clean(&plain(line)));
        out.push('\n');
    }
    out
}

/// Keys while the output pane is open; `None` for the ones that are not its own.
pub(super) fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let (_, rows) = crate::ui::output::text_size(state.size);
    let page = rows.max(1);
    match command {
        Command::Copy => {
            let text = on_screen(state, shown(state)?);
            return Some(vec![super::export::copy(state, text)]);
        }
        Command::SaveLogs => {
            let run = shown(state)?;
            let (namespace, who) = run.file.clone();
            let mut contents = String::new();
            for line in &run.lines {
                contents.push_str(&plain(line));
                contents.push('\n');
            }
            return Some(super::export::save(
                state, &namespace, &who, "-output", contents,
            ));
        }
        // The run shown while it runs, else the newest still running; the pane stays open.
        Command::CancelCommand => {
            let seq = shown(state)
                .map(|r| r.seq)
                .filter(|seq| state.exec_running.contains(seq));
            return Some(match seq {
                Some(seq) => super::actions::cancel(state, seq),
                None => super::actions::cancel_command(state),
            });
        }
        _ => {}
    }
    let run = shown_mut(state)?;
    match command {
        Command::Up => run.scroll_up(1),
        Command::Down => run.scroll_down(1),
        Command::PageUp => run.scroll_up(page),
        Command::PageDown => run.scroll_down(page),
        Command::Follow => run.from_bottom = 0,
        _ => return None,
    }
    state.dirty = true;
    Some(Vec::new())
}
