//! The Checklist panel's behaviour, message by message: starting a run and its queries, the
//! answers only manual steps take, notes typed and dropped, finishing only when every question
//! is answered, the report's folders, the jump to the row behind a step, abandoning.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Effect, Msg, Panel, State, update};
use opsdeck::checklist::{ProbeAnswer, Status};

/// The morning checklist started on the demo estate, with a state directory.
fn started(state_dir: Option<&std::path::Path>) -> (State, Vec<Effect>) {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.state_dir = state_dir.map(std::path::Path::to_path_buf);
    let mut state = demo_state_with(Arc::new(settings), (160, 48), 300, 3);
    update(&mut state, ch('7'));
    assert_eq!(state.panel, Panel::Checklist);
    let effects = update(&mut state, key(KeyCode::Enter));
    (state, effects)
}

fn status(state: &State, step: usize) -> Status {
    state.checklist.run.as_ref().unwrap().outcomes[step].status
}

fn first_evidence(state: &State, step: usize) -> String {
    state.checklist.run.as_ref().unwrap().outcomes[step].evidence[0].clone()
}

#[test]
fn starting_judges_the_estate_and_runs_the_queries() {
    let (mut state, effects) = started(None);
    let [Effect::RunProbes { run, probes }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(probes.len(), 1, "morning has one SQL step");
    assert_eq!(probes[0].0, 8);
    assert_eq!(status(&state, 5), Status::Fail);
    assert_eq!(
        first_evidence(&state, 5),
        "backup `positivity nightly` is 26 h old, RPO 24 h"
    );
    assert_eq!(status(&state, 8), Status::Pending);
    let answer = ProbeAnswer {
        result: Ok(Some(4.0)),
        at: T0,
        took_ms: 3,
    };
    update(
        &mut state,
        Msg::ProbeAnswered {
            run: run + 1,
            step: 8,
            answer: answer.clone(),
        },
    );
    update(&mut state, Msg::Tick(T0.plus(10)));
    opsdeck::app::prepare_frame(&mut state);
    assert_eq!(
        status(&state, 8),
        Status::Pending,
        "an answer for another run is dropped"
    );
    update(
        &mut state,
        Msg::ProbeAnswered {
            run: *run,
            step: 8,
            answer,
        },
    );
    opsdeck::app::prepare_frame(&mut state);
    assert_eq!(status(&state, 8), Status::Pass);
    assert_eq!(first_evidence(&state, 8), "value = 4, at most 10");
}

#[test]
fn only_manual_steps_take_answers_and_finishing_needs_them_all() {
    let (mut state, _) = started(None);
    let before = status(&state, 0);
    update(&mut state, ch('f'));
    assert_eq!(
        status(&state, 0),
        before,
        "an automatic step is not the operator's to answer"
    );
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("checked automatically")
    );
    let effects = update(&mut state, ch('F'));
    assert!(effects.is_empty());
    let run = state.checklist.run.as_ref().unwrap();
    assert_eq!(
        run.current, 10,
        "finishing goes to the first unanswered question"
    );
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("step 11 is not answered yet")
    );
    update(&mut state, ch('p'));
    assert_eq!(status(&state, 10), Status::Pass);
    assert_eq!(
        state.checklist.run.as_ref().unwrap().current,
        11,
        "on to the next question"
    );
    update(&mut state, ch('s'));
    update(&mut state, ch('f'));
    assert_eq!(
        (status(&state, 11), status(&state, 12)),
        (Status::Skip, Status::Fail)
    );
    update(&mut state, ch('F'));
    let finished = state.checklist.finished.as_ref().expect("finished");
    assert!(state.checklist.run.is_none());
    assert_eq!(
        finished.written.as_ref().unwrap().as_ref().unwrap_err(),
        "no state directory and no [checklists] reports"
    );
}

#[test]
fn a_note_is_kept_with_enter_and_dropped_with_esc() {
    let (mut state, _) = started(None);
    press(&mut state, [ch('N')]);
    press(&mut state, typed("first look"));
    update(&mut state, key(KeyCode::Esc));
    assert!(state.checklist.note.is_none());
    assert_eq!(state.checklist.run.as_ref().unwrap().notes[0], "");
    press(&mut state, [ch('N')]);
    press(&mut state, typed("research-engine 12/13, a node drained"));
    assert_eq!(
        state.panel,
        Panel::Checklist,
        "typed keys do not switch panels"
    );
    update(&mut state, Msg::Paste(" (ticket\nOPS-7)".into()));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        state.checklist.run.as_ref().unwrap().notes[0],
        "research-engine 12/13, a node drained (ticket OPS-7)"
    );
}

#[test]
fn finishing_writes_the_report_into_the_state_directory_and_compares_with_the_last_run() {
    let dir = tempfile::tempdir().unwrap();
    let (mut state, _) = started(Some(dir.path()));
    press(&mut state, [ch('F'), ch('p'), ch('p'), ch('p')]);
    let effects = update(&mut state, ch('F'));
    let [Effect::WriteReport { record, dirs }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(dirs, &[dir.path().join("checklists/morning")]);
    assert_eq!(record.result, Status::Fail);
    assert!(record.previous.is_none());
    // The next run compares with this one: a question answered fail now is new.
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, key(KeyCode::Enter));
    press(&mut state, [ch('F'), ch('p'), ch('f'), ch('p')]);
    let effects = update(&mut state, ch('F'));
    let [Effect::WriteReport { record, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(record.previous.is_some());
    let changes: Vec<_> = record
        .changes
        .iter()
        .map(|c| (c.kind, c.step.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(
            opsdeck::checklist::report::ChangeKind::New,
            "daily-team-coordination-sync-completed"
        )]
    );
    update(
        &mut state,
        Msg::ReportWritten(Ok(vec![dir.path().join("r.md")])),
    );
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .starts_with("report written: ")
    );
}

#[test]
fn enter_on_a_failing_step_shows_the_row_behind_it() {
    let (mut state, _) = started(None);
    press(&mut state, [ch('j'), ch('j'), ch('j'), ch('j'), ch('j')]);
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.panel, Panel::Backups);
    assert_eq!(state.tables.backups.filter, "positivity nightly");
    assert!(state.details);
    assert_eq!(
        state.selected_backup_set().unwrap().name,
        "positivity nightly"
    );
    update(&mut state, ch('7'));
    assert_eq!(
        state.checklist.run.as_ref().unwrap().current,
        5,
        "the run waits where it was"
    );
    update(&mut state, ch('e'));
    assert!(status(&state, state.checklist.run.as_ref().unwrap().current) >= Status::Warn);
}

#[test]
fn abandoning_takes_two_presses() {
    let (mut state, _) = started(None);
    update(&mut state, ch('X'));
    assert!(state.checklist.run.is_some());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("press X again")
    );
    update(&mut state, ch('X'));
    assert!(state.checklist.run.is_none());
}
