//! Keys while the action dialog is open: cancel, move between fields and buttons, pick a
//! revision or a silence's length, type into a field, turn to a waiting session's blocker,
//! confirm. An edit that changes the action asks the backend again.

use crossterm::event::KeyEvent;

use super::actions::{confirm, refresh};
use super::dialog::{FieldKind, Focus};
use super::msg::Effect;
use super::state::State;
use crate::config::Command;

/// A key while the dialog is open: commands first, everything else is text for the field.
pub fn on_dialog_key(state: &mut State, command: Option<Command>, key: KeyEvent) -> Vec<Effect> {
    state.dirty = true;
    let before = state.dialog.as_ref().map(|d| d.action.clone());
    let effects = dialog_key(state, command, key);
    // The backend's answer (RBAC, dry run) was for the action as it was; ask again for the
    // one now in the dialog. Answers to the old question are dropped by their sequence number.
    match state.dialog.as_mut() {
        Some(dialog) if before.as_ref() != Some(&dialog.action) && dialog.preview.is_ok() => {
            state.next_seq += 1;
            dialog.seq = state.next_seq;
            dialog.permission = None;
            let mut effects = effects;
            effects.push(Effect::CheckPermission {
                seq: dialog.seq,
                action: dialog.action.clone(),
            });
            effects
        }
        _ => effects,
    }
}

fn dialog_key(state: &mut State, command: Option<Command>, key: KeyEvent) -> Vec<Effect> {
    let Some(dialog) = state.dialog.as_mut() else {
        return Vec::new();
    };
    match command {
        Some(Command::DialogCancel) => {
            state.dialog = None;
            return Vec::new();
        }
        Some(Command::OnBlocker) => super::blocker::retarget(state),
        Some(Command::NextField) => dialog.move_focus(true),
        Some(Command::PrevField) => dialog.move_focus(false),
        Some(Command::Up | Command::Down) => {
            if let Focus::Field(i) = dialog.focus {
                if dialog.fields[i].kind == FieldKind::Duration {
                    // Step through the offered lengths from whatever is there now.
                    let current =
                        super::dialog_duration::silence_secs(&dialog.fields[i].value(), state.now)
                            .ok();
                    let up = command == Some(Command::Up);
                    let next = super::dialog_duration::next_offered(current, up);
                    dialog.fields[i].offer(next);
                    refresh(state);
                } else if dialog.fields[i].kind == FieldKind::Command {
                    recall(dialog, i, command == Some(Command::Up));
                    refresh(state);
                } else if dialog.fields[i].kind == FieldKind::Revision
                    && !dialog.revisions.is_empty()
                {
                    let last = dialog.revisions.len() - 1;
                    dialog.revision_index = match command {
                        Some(Command::Up) => dialog.revision_index.saturating_sub(1),
                        _ => (dialog.revision_index + 1).min(last),
                    };
                    refresh(state);
                }
            }
        }
        Some(Command::Activate) => match dialog.focus {
            Focus::Cancel => state.dialog = None,
            Focus::Confirm => return confirm(state),
            // Enter in a field goes on; only Enter on Confirm confirms. In the last field with
            // Confirm disabled it stays, and says why.
            Focus::Field(_) => {
                let before = dialog.focus;
                dialog.advance();
                if dialog.focus == before
                    && let Some(why) = dialog.blocked_because()
                {
                    state.notify(format!("Not yet: {why}"), crate::domain::Level::Warn, 4);
                }
            }
        },
        _ => {
            if let Focus::Field(i) = dialog.focus {
                if dialog.fields[i].kind != FieldKind::Revision {
                    type_into(&mut dialog.fields[i], key);
                    refresh(state);
                }
            }
        }
    }
    Vec::new()
}

/// Up/Down in a command's prompt: the previous (older) or next line of the workload's
/// history; past the newest, the prompt is empty again.
fn recall(dialog: &mut super::dialog::Dialog, field: usize, older: bool) {
    let n = dialog.history.len();
    if n == 0 {
        return;
    }
    dialog.history_at = match (dialog.history_at, older) {
        (None, true) => Some(n - 1),
        (Some(at), true) => Some(at.saturating_sub(1)),
        (None, false) => None,
        (Some(at), false) => (at + 1 < n).then_some(at + 1),
    };
    let line = dialog
        .history_at
        .map_or("", |at| dialog.history[at].as_str());
    let line = line.to_string();
    dialog.fields[field].offer(&line);
    dialog.fields[field].fresh = false;
}

/// A key typed into a field. An offered value is replaced by the first character typed and
/// cleared by a deletion; moving the cursor keeps it for editing.
fn type_into(field: &mut super::dialog::Field, key: KeyEvent) {
    use crossterm::event::KeyCode;
    if field.fresh {
        let replaced = matches!(
            key.code,
            KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
        );
        if replaced {
            field.offer("");
        }
        field.fresh = false;
        if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) {
            return;
        }
    }
    field.input.input(key);
}
