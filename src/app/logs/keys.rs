//! Keys while the logs pane is open: scrolling and following, the level filter, the search
//! and its jumps, copying the lines on screen, saving, and the keys that reopen the log with
//! other options (previous container, timestamps, another container).

use ratatui_textarea::TextArea;

use super::super::msg::Effect;
use super::super::pane::PaneKind;
use super::super::state::State;
use super::LogPane;
use crate::config::Command;
use crate::domain::{Level, LogLevel};

/// Keys that reopen the log with other options: the previous container, another container;
/// and save, which writes what the pane holds.
pub fn on_reopen(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let Some(PaneKind::Logs(pane)) = state.pane.as_ref().map(|p| &p.kind) else {
        return None;
    };
    let mut pane = (**pane).clone();
    match command {
        Command::PreviousLog => pane.previous = !pane.previous,
        Command::SaveLogs => return Some(save(state, &pane)),
        Command::Containers => return Some(super::open::pick_container(state, &pane)),
        _ => return None,
    }
    Some(super::start(state, pane))
}

/// Writes the lines shown (the level filter applied) to `logs/` in the state directory, named
/// by pod and time.
fn save(state: &mut State, pane: &LogPane) -> Vec<Effect> {
    let suffix = if pane.previous { "-previous" } else { "" };
    let who = match pane.pods.as_slice() {
        [one] => one.clone(),
        _ => pane
            .title
            .split(['/', ' '])
            .nth(1)
            .unwrap_or("pods")
            .to_string(),
    };
    let mut contents = String::new();
    for line in pane.buffer.at_least(pane.min_level) {
        contents.push_str(&pane.plain(line));
        contents.push('\n');
    }
    super::super::export::save(state, &pane.namespace, &who, suffix, contents)
}

/// The lines on screen, as text (prefixed with their pod when there are several).
fn on_screen(state: &State, pane: &LogPane) -> String {
    let (width, rows) = crate::ui::logs::text_size(state.size);
    let mut out = String::new();
    for line in pane.visible(width, rows) {
        out.push_str(&crate::ui::text::clean(&pane.plain(line)));
        out.push('\n');
    }
    out
}

/// Keys while the logs pane is open; `None` for the ones that are not its own.
pub fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    if let Some(effects) = on_reopen(state, command) {
        return Some(effects);
    }
    let (_, rows) = crate::ui::logs::text_size(state.size);
    let page = rows.max(1);
    let copied = match command {
        Command::Copy => match state.pane.as_ref().map(|p| &p.kind) {
            Some(PaneKind::Logs(pane)) => Some(on_screen(state, pane)),
            _ => None,
        },
        _ => None,
    };
    let Some(PaneKind::Logs(pane)) = state.pane.as_mut().map(|p| &mut p.kind) else {
        return None;
    };
    let mut effects = Vec::new();
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
        Command::Timestamps => pane.timestamps = !pane.timestamps,
        Command::LogLevel => {
            pane.min_level = match pane.min_level {
                LogLevel::Other => LogLevel::Warn,
                LogLevel::Warn => LogLevel::Error,
                _ => LogLevel::Other,
            };
            pane.from_bottom = 0;
            pane.follow = true;
            pane.match_at = None;
        }
        Command::Filter => {
            let mut input = TextArea::new(vec![pane.search.clone()]);
            input.move_cursor(ratatui_textarea::CursorMove::End);
            state.filter_input = Some(input);
        }
        Command::FilterAccept => state.filter_input = None,
        Command::FilterCancel => {
            state.filter_input = None;
            pane.search.clear();
            pane.match_at = None;
        }
        Command::NextMatch | Command::PrevMatch => {
            let older = command == Command::NextMatch;
            if pane.search.is_empty() {
                state.notify("nothing to find: / to search", Level::Warn, 3);
            } else if !super::search::jump(pane, older, rows) {
                let which = if older { "older" } else { "newer" };
                let text = format!("no {which} match for \"{}\"", pane.search);
                state.notify(text, Level::Warn, 3);
            }
        }
        Command::Copy => {
            let text = copied.unwrap_or_default();
            effects.push(super::super::export::copy(state, text));
        }
        _ => return None,
    }
    state.dirty = true;
    Some(effects)
}
