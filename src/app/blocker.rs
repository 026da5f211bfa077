//! From the dialog of a session that waits on a lock, the same action on the session holding
//! it: ending the waiter does not release the lock, ending the blocker does. The dialog then
//! asks about the blocker as if opened on it (its own preview, permission and typed pid).

use super::dialog::Dialog;
use super::state::State;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::{Estate, Level, SessionState};

/// The dialog's action retargeted to the session blocking its target, if the target waits on
/// one. Cancel becomes terminate when the blocker runs no query: an idle transaction keeps its
/// locks until it ends.
pub fn on_blocker(estate: &Estate, action: &Action) -> Option<Action> {
    let Target::PgBackend { instance, pid } = &action.target else {
        return None;
    };
    let pg = estate.postgres.iter().find(|p| &p.name == instance)?;
    let blocker = pg.blocker_of(*pid)?;
    let runs_a_query = matches!(blocker.state, SessionState::Active | SessionState::Waiting);
    let kind = match action.kind {
        ActionKind::CancelQuery if !runs_a_query => ActionKind::TerminateBackend,
        ActionKind::CancelQuery | ActionKind::TerminateBackend => action.kind.clone(),
        _ => return None,
    };
    Some(Action {
        kind,
        target: Target::PgBackend {
            instance: instance.clone(),
            pid: blocker.pid,
        },
        context: action.context.clone(),
    })
}

/// The dialog's key for it: the dialog now stands for the action on the blocker, with its
/// fields empty again (the blocker's pid is the one to type).
pub(super) fn retarget(state: &mut State) {
    let Some(dialog) = state.dialog.as_ref() else {
        return;
    };
    match on_blocker(&state.estate, &dialog.action) {
        Some(action) => {
            state.dialog = Some(Dialog::new(dialog.seq, action, Vec::new()));
            super::actions::refresh(state);
        }
        None => state.notify(
            format!("{}: no other session blocks it", dialog.action.target.key()),
            Level::Warn,
            4,
        ),
    }
}
