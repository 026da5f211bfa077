//! What the logs pane says about itself. The title names what is shown (pod or workload,
//! container, previous container, pods left out, lines dropped, streams that failed); the
//! bottom border says where the reader is (following, paused or ended, the level filter, the
//! search and its match `3 of 11`, the lines kept), fitted to the width so that it stays whole
//! at 80 columns: key hints go first, then the line count, and only then is anything cut.

use unicode_width::UnicodeWidthStr;

use super::text::{clean, fit};
use crate::app::State;
use crate::app::logs::LogPane;
use crate::config::{Command, Mode};
use crate::domain::LogLevel;

/// Most of a search's text shown on the border: the match count matters more.
const NEEDLE_WIDTH: usize = 16;

fn key(state: &State, command: Command) -> String {
    state
        .settings
        .keymap
        .first_key(Mode::Pane, command)
        .map_or_else(String::new, |k| k.to_string())
}

/// The title: `Logs` and the pod's (or workload's) name, then its container, previous or
/// restarted, what is left out, failed streams and why the log ended; hints dropped first when
/// the width is short.
pub fn title(state: &State, pane: &LogPane, room: usize, dot: &str) -> String {
    let mut parts = Vec::new();
    if let Some(container) = &pane.container {
        let short = format!("container {}", clean(container));
        let long = format!("{short} ({})", key(state, Command::Containers));
        parts.push(Part::new(long, short));
    }
    let previous = key(state, Command::PreviousLog);
    if pane.previous {
        parts.push(Part::new(
            format!("previous container ({previous} for the current)"),
            "previous container".into(),
        ));
    } else if let Some(at) = pane.restarted {
        let ago = crate::domain::time::format_age(at.age_at(state.now));
        parts.push(Part::new(
            format!("restarted {ago} ago: {previous} shows the crashed container"),
            format!("restarted {ago} ago ({previous})"),
        ));
    }
    if pane.left_out > 0 {
        let short = format!("{} pods not shown", pane.left_out);
        parts.push(Part::new(format!("{short} (max_streams)"), short));
    }
    if pane.buffer.dropped > 0 {
        let text = format!("{} older dropped", pane.buffer.dropped);
        parts.push(Part::new(text.clone(), text));
    }
    for (source, why) in &pane.failed {
        let pod = pane.prefixes.get(usize::from(*source)).map_or("?", |p| p);
        let text = format!("{}: {}", clean(pod), clean(why));
        parts.push(Part::new(text.clone(), text));
    }
    if let Some(why) = pane.ended.as_ref().filter(|w| !w.is_empty()) {
        let text = format!("ended: {}", clean(why));
        parts.push(Part::new(text.clone(), text));
    }
    let head = format!("Logs {}", clean(&pane.title));
    let order: Vec<usize> = (0..parts.len()).rev().collect();
    fit_parts(state, &head, &parts, &order, room, dot, false)
}

/// `head` and the parts, at most `room` columns: long forms while they fit, then the short
/// ones in `order`, then (`drop_last`) without the last part, and only then cut.
fn fit_parts(
    state: &State,
    head: &str,
    parts: &[Part],
    order: &[usize],
    room: usize,
    dot: &str,
    drop_last: bool,
) -> String {
    let sep = format!(" {dot} ");
    let mut texts: Vec<&str> = std::iter::once(head)
        .chain(parts.iter().map(|p| p.long.as_str()))
        .filter(|t| !t.is_empty())
        .collect();
    let skip = usize::from(!head.is_empty());
    let joined = |texts: &[&str]| texts.join(&sep);
    for i in order {
        if joined(&texts).width() <= room {
            return joined(&texts);
        }
        texts[skip + i] = &parts[*i].short;
    }
    if drop_last && joined(&texts).width() > room {
        texts.pop();
    }
    let ellipsis = crate::ui::symbols::Symbols::new(state.settings.ascii).ellipsis;
    fit(&joined(&texts), room, ellipsis)
}

/// A part of the bottom line, as long as room allows and as short as it gets.
struct Part {
    long: String,
    short: String,
}

impl Part {
    fn new(long: String, short: String) -> Part {
        Part { long, short }
    }
}

/// `match 3 of 11` (counted from the oldest shown), `11 matches` before a jump, `no match`.
fn matches_text(pane: &LogPane, needle: &str) -> String {
    let matches = pane.buffer.matches(pane.min_level, needle);
    let shown = pane.shown();
    let current = pane
        .match_at
        .filter(|m| *m < shown)
        .and_then(|m| matches.binary_search(&(shown - 1 - m)).ok());
    match (current, matches.len()) {
        (_, 0) => "no match".to_string(),
        (Some(i), n) => format!("match {} of {n}", i + 1),
        (None, 1) => "1 match".to_string(),
        (None, n) => format!("{n} matches"),
    }
}

/// The parts of the bottom line, in order, and which to shorten first.
fn bottom_parts(state: &State, pane: &LogPane) -> (Vec<Part>, [usize; 4]) {
    let ellipsis = crate::ui::symbols::Symbols::new(state.settings.ascii).ellipsis;
    let below = pane.from_bottom;
    let following = if pane.ended.is_some() || pane.previous {
        // Nothing more comes: where the reader is, and whether the stream is over.
        let end = if pane.ended.is_some() {
            "ended"
        } else {
            "at the end"
        };
        let text = match below {
            0 => end.to_string(),
            n => format!("{end}, {n} newer below"),
        };
        Part::new(text.clone(), text)
    } else if below > 0 {
        let newer = format!("paused, {below} newer");
        let long = format!("{newer} ({} follows)", key(state, Command::Follow));
        Part::new(long, newer)
    } else if pane.follow {
        Part::new("following".into(), "following".into())
    } else {
        Part::new("at the end".into(), "at the end".into())
    };
    let level = match pane.min_level {
        LogLevel::Warn => Part::new("warnings and errors".into(), "warnings and errors".into()),
        LogLevel::Error => Part::new("errors only".into(), "errors only".into()),
        _ => Part::new(
            format!("all levels ({} filters)", key(state, Command::LogLevel)),
            "all levels".into(),
        ),
    };
    let typing = state.filter_input.as_ref().map(|i| i.lines().join(" "));
    let search = match &typing {
        Some(text) => {
            let needle = fit(&clean(text), NEEDLE_WIDTH, ellipsis);
            let long = format!("/ {needle}_ {}", matches_text(pane, text));
            Some(Part::new(long.clone(), long))
        }
        None if !pane.search.is_empty() => {
            let needle = fit(&clean(&pane.search), NEEDLE_WIDTH, ellipsis);
            let short = format!("\"{needle}\": {}", matches_text(pane, &pane.search));
            let jump = format!(
                "{}/{} jump",
                key(state, Command::NextMatch),
                key(state, Command::PrevMatch)
            );
            Some(Part::new(format!("{short} ({jump})"), short))
        }
        None => None,
    };
    let lines = format!("{} lines", pane.shown());
    let mut parts = vec![following, level];
    let has_search = search.is_some();
    parts.extend(search);
    parts.push(Part::new(lines.clone(), lines));
    let last = parts.len() - 1;
    // Shortened first: the line count, then the following hint, the filter's, the search's.
    let order = if has_search {
        [last, 0, 1, 2]
    } else {
        [last, 0, 1, 1]
    };
    (parts, order)
}

/// The bottom line, at most `room` columns: long forms while they fit, then short ones, then
/// without the line count, and only then cut.
pub fn bottom_line(state: &State, pane: &LogPane, room: usize, dot: &str) -> String {
    let (parts, order) = bottom_parts(state, pane);
    let text = fit_parts(state, "", &parts, &order, room.saturating_sub(2), dot, true);
    format!(" {text} ")
}
