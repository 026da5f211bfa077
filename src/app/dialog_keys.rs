//! Keys while the action dialog is open: cancel, move between fields and buttons, pick a
//! revision, type into a field, turn to a waiting session's blocker, confirm. An edit that changes the action asks the backend again.

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
                if dialog.fields[i].kind == FieldKind::Revision && !dialog.revisions.is_empty() {
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
            Focus::Field(_) => dialog.move_focus(true),
        },
        _ => {
            if let Focus::Field(i) = dialog.focus {
                if dialog.fields[i].kind != FieldKind::Revision {
                    dialog.fields[i].input.input(key);
                    refresh(state);
                }
            }
        }
    }
    Vec::new()
}
