//! Quitting with work pending asks first: `update` driven by the quit keys with a checklist run
//! in progress and actions running, the question's words, its answers, and Ctrl-C twice as the
//! way out that always works.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Effect, State};

/// The demo with the morning checklist's run begun on the Checklist panel.
fn with_checklist_run() -> State {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('7'), key(KeyCode::Enter)]);
    assert!(state.checklist.run.is_some(), "Enter starts a run");
    state
}

fn screen(state: &mut State) -> String {
    opsdeck::snapshot::to_text(&opsdeck::snapshot::render(state))
}

#[test]
fn q_in_a_checklist_run_asks_and_no_is_the_default() {
    let mut state = with_checklist_run();
    assert_eq!(press(&mut state, [ch('q')]), Vec::<Effect>::new());
    assert!(!state.quit);
    assert_eq!(
        state.quit_prompt.as_deref(),
        Some("Quit? A checklist run will be lost — y / N")
    );
    // Enter, n, Esc and any other key answer No: the run stays.
    for answer in [
        key(KeyCode::Enter),
        ch('n'),
        key(KeyCode::Esc),
        ch('x'),
        ch('q'),
    ] {
        assert!(state.quit_prompt.is_some());
        assert_eq!(press(&mut state, [answer]), Vec::<Effect>::new());
        assert!(!state.quit, "only y quits");
        assert!(state.quit_prompt.is_none());
        assert!(state.checklist.run.is_some(), "the run is kept");
        press(&mut state, [ch('q')]);
    }
    assert_eq!(press(&mut state, [ch('y')]), [Effect::Quit]);
    assert!(state.quit);
}

#[test]
fn the_question_names_what_is_pending() {
    let mut state = demo_state((120, 40));
    state.running.insert("pos/deployment/pos-order".into(), 7);
    press(&mut state, [ch('q')]);
    assert_eq!(
        state.quit_prompt.as_deref(),
        Some("Quit? 1 running action will be abandoned — y / N")
    );
    let mut state = with_checklist_run();
    state.running.insert("pos/deployment/pos-order".into(), 7);
    state.running.insert("backups/positivity nightly".into(), 8);
    press(&mut state, [ctrl('c')]);
    assert_eq!(
        state.quit_prompt.as_deref(),
        Some("Quit? A checklist run will be lost and 2 running actions abandoned — y / N")
    );
}

#[test]
fn ctrl_c_asks_and_ctrl_c_again_quits_from_anywhere() {
    let mut state = with_checklist_run();
    // Typing a note to a step: letters are text, Ctrl-C still reaches the question.
    press(&mut state, [ch('N')]);
    assert!(state.checklist.note.is_some(), "N opens the step's note");
    press(&mut state, typed("q"));
    assert!(state.quit_prompt.is_none(), "a typed q is text");
    assert_eq!(press(&mut state, [ctrl('c')]), Vec::<Effect>::new());
    assert!(state.quit_prompt.is_some());
    assert_eq!(press(&mut state, [ctrl('c')]), [Effect::Quit]);
    assert!(state.quit);
}

#[test]
fn with_nothing_pending_q_quits_at_once() {
    let mut state = demo_state((80, 24));
    assert_eq!(press(&mut state, [ch('7'), ch('q')]), [Effect::Quit]);
    assert!(state.quit_prompt.is_none());
}

#[test]
fn the_question_is_on_the_status_line_at_80_columns() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('7'), key(KeyCode::Enter)]);
    state.running.insert("pos/deployment/pos-order".into(), 7);
    press(&mut state, [ch('q')]);
    let text = screen(&mut state);
    let last = text.lines().last().unwrap_or_default();
    assert_eq!(
        last.trim_end(),
        "▲ Quit? A checklist run will be lost and 1 running action abandoned — y / N",
        "{text}"
    );
    press(&mut state, [ch('n')]);
    assert!(!screen(&mut state).contains("Quit?"));
}
