//! The action output pane (`app::output`): what runs where in the title, the lines on screen
//! made harmless (`clean`) and cut to the width, stderr's marked `err` in the warning colour
//! (a word as well as a colour), then how it ended (`✔ exit status 0 in 0.3s`, `✖ exit status
//! 3 in 1.2s`, `cancelled`), and where the reader is and the pane's keys on the bottom border.
//! Placed as the logs pane is, over the panels.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::look::Look;
use super::popup::Scrolled;
use super::text::{clean, fit};
use crate::actions::output::Stream;
use crate::app::State;
use crate::app::output::{End, Run};
use crate::config::{Command, Mode, Role};
use crate::domain::Level;

/// Widest the pane gets, as the logs pane.
const MAX_WIDTH: u16 = 200;
/// What stands before a stderr line, and the blank as wide before a stdout line.
const STDERR_GUTTER: &str = "err ";
const STDOUT_GUTTER: &str = "    ";

/// The output's text area on a terminal of `size`: the logs pane's, less the row of the end
/// line.
pub fn text_size(size: (u16, u16)) -> (usize, usize) {
    let (width, rows) = super::logs::text_size(size);
    (width, rows.saturating_sub(1))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look, seq: u64) {
    let (width, rows) = text_size((area.width, area.height));
    let Some(run) = state.outputs.iter().find(|r| r.seq == seq) else {
        let text = format!(
            "This output is no longer kept (the last {} runs are).",
            crate::app::output::RUNS_KEPT
        );
        let popup = Scrolled {
            title: "Output".into(),
            lines: vec![Line::from(Span::styled(text, look.style(Role::Muted)))],
            scroll: 0,
            down_key: None,
            max_width: MAX_WIDTH,
        };
        return super::popup::draw(frame, area, look, popup);
    };
    let gutter = run.stderr_kept > 0;
    let mut lines: Vec<Line<'static>> = run
        .visible(rows)
        .map(|line| output_line(look, line, width, gutter))
        .collect();
    if run.lines.is_empty() {
        let text = match run.end {
            None => "waiting for output…",
            Some(_) => "(no output)",
        };
        lines.push(Line::from(Span::styled(text, look.style(Role::Muted))));
    }
    lines.push(end_line(look, run));
    let popup = Scrolled {
        title: title(run, width, look.sym.dot, look.sym.ellipsis),
        lines,
        scroll: 0,
        down_key: None,
        max_width: MAX_WIDTH,
    };
    super::popup::draw(frame, area, look, popup);
    draw_bottom(frame, area, state, look, run);
}

fn output_line(
    look: Look,
    (stream, text): &(Stream, String),
    width: usize,
    gutter: bool,
) -> Line<'static> {
    let (mark, role) = match stream {
        Stream::Stdout => (STDOUT_GUTTER, Role::Text),
        Stream::Stderr => (STDERR_GUTTER, Role::Warn),
    };
    let room = match gutter {
        true => width.saturating_sub(mark.len()),
        false => width,
    };
    let mut spans = Vec::with_capacity(2);
    if gutter {
        spans.push(Span::styled(mark, look.style(role)));
    }
    spans.push(Span::styled(
        fit(&clean(text), room, look.sym.ellipsis),
        look.style(role),
    ));
    Line::from(spans)
}

/// Running, or how it ended and how long it took.
fn end_line(look: Look, run: &Run) -> Line<'static> {
    let took = run.took_ms.map(took).unwrap_or_default();
    Line::from(match &run.end {
        None => Span::styled(
            format!("{} running…", look.sym.connecting),
            look.style(Role::Accent),
        ),
        Some(End::Succeeded(message)) => {
            look.marked(Level::Ok, &format!("{}{took}", clean(message)))
        }
        Some(End::Failed(error)) => look.marked(Level::Crit, &format!("{}{took}", clean(error))),
        Some(End::Cancelled) => {
            let after = took.replacen(" in ", " after ", 1);
            look.marked(Level::Warn, &format!("cancelled{after}"))
        }
    })
}

/// ` in 0.3s` to a tenth under a minute, ` in 2m 5s` beyond.
fn took(millis: u64) -> String {
    if millis < 100 {
        return " in <0.1s".into();
    }
    if millis < 60_000 {
        return format!(" in {:.1}s", millis as f64 / 1000.0);
    }
    let secs = millis / 1000;
    format!(" in {}m {}s", secs / 60, secs % 60)
}

/// What runs where; the command gives way first, then the whole is cut.
fn title(run: &Run, width: usize, dot: &str, ellipsis: &str) -> String {
    let place = clean(&run.place);
    let mut extra = String::new();
    if run.dropped > 0 {
        extra = format!(" {dot} {} older dropped", run.dropped);
    }
    let fixed = place.width() + extra.width() + " —  ".width();
    let command = clean(&run.command);
    let command = fit(&command, width.saturating_sub(fixed).max(12), ellipsis);
    fit(&format!(" {command} — {place}{extra} "), width, ellipsis)
}

fn key(state: &State, mode: Mode, command: Command) -> Option<String> {
    state
        .settings
        .keymap
        .first_key(mode, command)
        .map(|k| k.to_string())
}

/// Where the reader is, how many lines, which run, and the keys, over the bottom border.
/// When the width is short, the parts that matter least go first (save, copy, which run, the
/// line count), so that where the reader is, the cancel key and the close key stay.
fn bottom_line(state: &State, run: &Run, room: usize, dot: &str) -> String {
    // (what is said, how much it matters: the lowest goes first)
    let mut parts: Vec<(String, u8)> = Vec::new();
    let position = match run.from_bottom {
        0 if run.end.is_none() => "following".to_string(),
        0 => "at the end".to_string(),
        n => match key(state, Mode::Pane, Command::Follow) {
            Some(k) => format!("paused, {n} newer ({k} follows)"),
            None => format!("paused, {n} newer"),
        },
    };
    parts.push((position, 9));
    let lines = match run.lines.len() {
        1 => "1 line".to_string(),
        n => format!("{n} lines"),
    };
    parts.push((lines, 4));
    // With several kept, which this is (`:out N` opens the N-th newest).
    if let Some((at, of)) = crate::app::output::place_of(state, run.seq).filter(|(_, of)| *of > 1) {
        parts.push((format!("run {at} of {of}"), 3));
    }
    if run.end.is_none()
        && let Some(k) = key(state, Mode::Global, Command::CancelCommand)
    {
        parts.push((format!("{k} cancels"), 8));
    }
    for (command, word, weight) in [
        (Command::Copy, "copies", 2),
        (Command::SaveLogs, "saves", 1),
        (Command::ClosePane, "closes", 7),
    ] {
        if let Some(k) = key(state, Mode::Pane, command) {
            parts.push((format!("{k} {word}"), weight));
        }
    }
    let sep = format!(" {dot} ");
    let joined = |parts: &[(String, u8)]| {
        let texts: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        texts.join(&sep)
    };
    while parts.len() > 1 && joined(&parts).width() + 2 > room {
        let least = (0..parts.len()).min_by_key(|i| parts[*i].1).unwrap_or(0);
        parts.remove(least);
    }
    fit(&format!(" {} ", joined(&parts)), room, "…")
}

fn draw_bottom(frame: &mut Frame, area: Rect, state: &State, look: Look, run: &Run) {
    // As the logs pane places its bottom line: over the popup's bottom border.
    let width = area.width.saturating_sub(4).min(MAX_WIDTH);
    let x = area.x + (area.width - width) / 2 + 1;
    let y = area.y + area.height.saturating_sub(2);
    let room = width.saturating_sub(2);
    let text = bottom_line(state, run, room as usize, look.sym.dot);
    let len = text.width() as u16;
    frame.render_widget(
        Span::styled(text, look.style(Role::Title)),
        Rect::new(x, y, len.min(room), 1),
    );
}
