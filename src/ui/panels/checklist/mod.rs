//! The Checklist panel: the checklists to choose from (`list`); in a run, its steps with their
//! live status and evidence, a progress bar, the current step's details and the note being
//! typed (`run`); after a run, what its report says and where it went (`finished`).

mod finished;
mod list;
mod run;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use crate::app::State;
use crate::checklist::Status;
use crate::config::{Command, Mode, Role};
use crate::domain::Level;
use crate::ui::look::Look;

pub(super) fn level(status: Status) -> Level {
    match status {
        Status::Pass => Level::Ok,
        Status::Warn => Level::Warn,
        Status::Fail => Level::Crit,
        Status::Skip | Status::Pending => Level::Unknown,
    }
}

/// `✖ fail`: the status's mark and word in its colour.
pub(super) fn badge(look: Look, status: Status) -> Span<'static> {
    let mark = match status {
        Status::Skip => "-",
        Status::Pending => look.sym.ellipsis,
        s => look.sym.level(level(s)),
    };
    let style = match status {
        Status::Skip | Status::Pending => look.style(Role::Muted),
        s => look.level_style(level(s)),
    };
    Span::styled(format!("{mark} {:<8}", status.word()), style)
}

pub(super) fn key(state: &State, mode: Mode, command: Command) -> String {
    state
        .settings
        .keymap
        .first_key(mode, command)
        .map_or_else(|| "?".into(), |k| k.to_string())
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let cl = &state.checklist;
    match (&cl.run, &cl.finished) {
        (Some(run), _) => run::draw(frame, area, state, run, look),
        (None, Some(finished)) => finished::draw(frame, area, state, finished, look),
        (None, None) => list::draw(frame, area, state, cl, look),
    }
}
