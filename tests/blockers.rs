//! A session that blocks others, as the operator meets it on the demo: first in the Databases
//! panel, named by the Overview's tile, and offered from the dialog of the session it blocks.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::{ActionKind, Target};
use opsdeck::app::rows::SessionRows;
use opsdeck::app::{Effect, Panel, State, prepare_frame};
use opsdeck::snapshot::{render, to_text};

/// The demo's story: pid 5120 idles in a transaction holding a lock pid 5133 waits on.
const BLOCKER: i32 = 5120;
const WAITER: i32 = 5133;

fn shown_pids(state: &mut State) -> Vec<i32> {
    prepare_frame(state);
    let rows = SessionRows {
        estate: &state.estate,
        now: state.now,
    };
    state
        .tables
        .sessions
        .visible()
        .iter()
        .map(|i| rows.session(*i as usize).1.pid)
        .collect()
}

#[test]
fn a_session_that_blocks_others_is_the_first_row() {
    let mut state = demo_state((160, 48));
    press(&mut state, [ch('5')]);
    let pids = shown_pids(&mut state);
    assert_eq!(pids[0], BLOCKER, "the blocker first: {:?}", &pids[..5]);
    let text = to_text(&render(&mut state));
    assert!(text.contains("BLOCKING"), "{text}");
}

/// The waiting session's dialog for `action` (`x` cancel, `X` terminate).
fn waiter_dialog(action: char) -> State {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('5'), ch('/')]);
    press(&mut state, typed("waiting"));
    press(&mut state, [key(KeyCode::Enter), ch(action)]);
    let dialog = state.dialog.as_ref().expect("a dialog");
    assert!(
        matches!(dialog.action.target, Target::PgBackend { pid: WAITER, .. }),
        "{:?}",
        dialog.action
    );
    state
}

#[test]
fn the_terminate_dialog_of_a_waiting_session_names_its_blocker_and_acts_on_it() {
    let mut state = waiter_dialog('X');
    let text = to_text(&render(&mut state));
    assert!(text.contains("blocked by pid 5120"), "{text}");
    assert!(
        text.contains("ctrl-o"),
        "the key that offers the blocker: {text}"
    );

    let effects = press(&mut state, [ctrl('o')]);
    let dialog = state.dialog.as_ref().expect("still a dialog");
    assert_eq!(dialog.action.kind, ActionKind::TerminateBackend);
    assert_eq!(
        dialog.action.target,
        Target::PgBackend {
            instance: "positivity-db".into(),
            pid: BLOCKER
        }
    );
    assert!(
        matches!(&effects[..], [Effect::CheckPermission { action, .. }] if action == &dialog.action),
        "the backend is asked about the blocker: {effects:?}"
    );
    let text = to_text(&render(&mut state));
    assert!(
        text.contains("Terminate backend pid 5120") && text.contains("idle in transaction"),
        "{text}"
    );

    // The blocker's pid must be typed, not the waiter's.
    allow(&mut state);
    // The focus is on the typed name, the blocker dialog's only field.
    press(&mut state, typed(&WAITER.to_string()));
    assert!(!state.dialog.as_ref().unwrap().confirm_enabled());
    for _ in 0..4 {
        press(&mut state, [key(KeyCode::Backspace)]);
    }
    press(&mut state, typed(&BLOCKER.to_string()));
    allow(&mut state);
    // Enter in the field goes to Confirm, without confirming.
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    assert!(effects.is_empty(), "{effects:?}");
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let Some(Effect::Execute { intent, .. }) = effects.first() else {
        panic!("confirmed: {effects:?}")
    };
    assert_eq!(
        intent.action.target,
        Target::PgBackend {
            instance: "positivity-db".into(),
            pid: BLOCKER
        }
    );
}

#[test]
fn cancel_on_a_waiting_session_offers_to_terminate_its_idle_blocker() {
    let mut state = waiter_dialog('x');
    let text = to_text(&render(&mut state));
    assert!(text.contains("blocked by pid 5120"), "{text}");
    press(&mut state, [ctrl('o')]);
    let dialog = state.dialog.as_ref().unwrap();
    // An idle session has no query to cancel: ending its transaction releases the lock.
    assert_eq!(dialog.action.kind, ActionKind::TerminateBackend);
    assert!(matches!(
        dialog.action.target,
        Target::PgBackend { pid: BLOCKER, .. }
    ));
    assert!(dialog.preview.is_ok(), "{:?}", dialog.preview);
}

#[test]
fn the_overview_says_why_the_databases_are_critical() {
    for size in [(80, 24), (200, 60)] {
        let mut state = demo_state(size);
        state.panel = Panel::Overview;
        let text = to_text(&render(&mut state));
        assert!(text.contains("pid 5120 idle in"), "{size:?}\n{text}");
        assert!(text.contains("blocks 1"), "{size:?}\n{text}");
    }
}
