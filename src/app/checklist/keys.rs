//! The Checklist panel's keys: choose and start a checklist, move between steps, answer a
//! manual step, type its note, go to the row that shows why a step failed, finish.

use crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::super::msg::Effect;
use super::super::state::State;
use crate::checklist::Status;
use crate::config::Command;
use crate::domain::Level;

/// A command on the Checklist panel; `None` when it is not one of the panel's.
pub fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    if command != Command::ChecklistAbandon {
        state.checklist.abandon_armed = false;
    }
    let in_run = state.checklist.run.is_some();
    let effects = match command {
        Command::Up
        | Command::Down
        | Command::Top
        | Command::Bottom
        | Command::PageUp
        | Command::PageDown => {
            navigate(state, command);
            Vec::new()
        }
        Command::ChecklistOpen if in_run => {
            jump(state);
            Vec::new()
        }
        Command::ChecklistOpen if state.checklist.finished.is_some() => {
            state.checklist.finished = None;
            Vec::new()
        }
        Command::ChecklistOpen => super::start(state),
        Command::ClearFilter if state.checklist.finished.is_some() => {
            state.checklist.finished = None;
            Vec::new()
        }
        Command::ChecklistPass => answer(state, Status::Pass),
        Command::ChecklistFail => answer(state, Status::Fail),
        Command::ChecklistSkip => answer(state, Status::Skip),
        Command::ChecklistNote if in_run => {
            open_note(state);
            Vec::new()
        }
        Command::ChecklistNextProblem => {
            if let Some(run) = state.checklist.run.as_mut() {
                match run.next_problem() {
                    Some(i) => run.current = i,
                    None => state.notify("no step fails or warns", Level::Ok, 3),
                }
            }
            Vec::new()
        }
        Command::ChecklistRerun => super::rerun_probes(state),
        Command::ChecklistFinish if in_run => super::finish(state),
        Command::ChecklistAbandon if in_run => {
            if state.checklist.abandon_armed {
                state.checklist.run = None;
                state.checklist.abandon_armed = false;
                state.checklist.run_id += 1;
                state.notify(
                    "checklist run abandoned; nothing was written",
                    Level::Warn,
                    5,
                );
            } else {
                state.checklist.abandon_armed = true;
                let key = state
                    .settings
                    .keymap
                    .first_key(crate::config::Mode::Checklist, Command::ChecklistAbandon)
                    .map_or_else(|| "the key".to_string(), |k| k.to_string());
                state.notify(
                    format!("press {key} again to abandon this run and its answers"),
                    Level::Warn,
                    5,
                );
            }
            Vec::new()
        }
        Command::ChecklistNote | Command::ChecklistFinish | Command::ChecklistAbandon => {
            state.notify(
                "start a checklist first: Enter on one of the list",
                Level::Ok,
                4,
            );
            Vec::new()
        }
        _ => return None,
    };
    state.dirty = true;
    Some(effects)
}

fn navigate(state: &mut State, command: Command) {
    let page = crate::ui::layout::table_body_height(state).max(1);
    let (position, len) = match state.checklist.run.as_mut() {
        Some(run) => (&mut run.current, run.outcomes.len()),
        None if state.checklist.finished.is_some() => return,
        None => (
            &mut state.checklist.selected,
            state.settings.checklists.catalog.checklists.len(),
        ),
    };
    if len == 0 {
        return;
    }
    *position = match command {
        Command::Up => position.saturating_sub(1),
        Command::Down => (*position + 1).min(len - 1),
        Command::PageUp => position.saturating_sub(page),
        Command::PageDown => (*position + page).min(len - 1),
        Command::Top => 0,
        _ => len - 1,
    };
}

fn answer(state: &mut State, status: Status) -> Vec<Effect> {
    let Some(run) = state.checklist.run.as_mut() else {
        return Vec::new();
    };
    if run.answer(run.current, status) {
        run.advance();
    } else {
        state.notify(
            "this step is checked automatically; n adds a note to it",
            Level::Ok,
            4,
        );
    }
    Vec::new()
}

fn open_note(state: &mut State) {
    let Some(run) = &state.checklist.run else {
        return;
    };
    let mut input = TextArea::new(vec![run.notes[run.current].clone()]);
    input.move_cursor(CursorMove::End);
    input.set_placeholder_text("what you saw, a ticket, who was told");
    state.checklist.note = Some(input);
}

/// A key while the note is typed: Enter keeps it, Esc drops the edit, the rest is typed.
pub fn on_note_key(state: &mut State, command: Option<Command>, key: KeyEvent) {
    state.dirty = true;
    match command {
        Some(Command::FilterAccept) => {
            let Some(input) = state.checklist.note.take() else {
                return;
            };
            let text = input.lines().join(" ").trim().to_string();
            if let Some(run) = state.checklist.run.as_mut() {
                let i = run.current;
                run.notes[i] = text;
            }
        }
        Some(Command::FilterCancel) => state.checklist.note = None,
        _ => {
            if let Some(input) = state.checklist.note.as_mut() {
                input.input(key);
            }
        }
    }
}

/// Shows the panel and row behind the current step's status.
fn jump(state: &mut State) {
    let Some(run) = &state.checklist.run else {
        return;
    };
    let Some(target) = run.outcomes[run.current].jump.clone() else {
        state.notify("nothing to show elsewhere for this step", Level::Ok, 3);
        return;
    };
    state.panel = target.panel;
    super::super::update::set_filter(state, &target.filter);
    state.details = true;
    super::super::update::sync_current(state);
    let key = state
        .settings
        .keymap
        .first_key(crate::config::Mode::Global, Command::ShowChecklist)
        .map_or_else(|| "7".to_string(), |k| k.to_string());
    state.notify(
        format!(
            "filtered to `{}`; {key} goes back to the checklist",
            target.filter
        ),
        Level::Ok,
        6,
    );
}
