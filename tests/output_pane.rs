//! The action output pane driven through `update`: `x` confirmed opens it on the run, the
//! output streams in with stderr told apart, the end says the exit status and how long it
//! took (or cancelled); scrolling, copy and save as the logs pane's; the last runs and lines
//! kept, bounded; the timeline keeps the outcome only. No terminal, no backend.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::output::{Stream, line};
use opsdeck::app::dialog::Focus;
use opsdeck::app::output::{End, LINES_KEPT, RUNS_KEPT, Run};
use opsdeck::app::pane::PaneKind;
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, State};

/// The demo on the Pods panel, redis-0 selected.
fn on_redis(size: (u16, u16)) -> State {
    let mut base = (*settings("default", "default", false)).clone();
    base.state_dir = Some("/var/tmp/opsdeck-state".into());
    let mut state = demo_state_with(std::sync::Arc::new(base), size, 300, 3);
    press(&mut state, [ch('2'), ch('/')]);
    press(&mut state, typed("redis-0"));
    press(&mut state, [key(KeyCode::Enter)]);
    state
}

/// `x`, the command typed, permitted and confirmed: the action's number.
fn run(state: &mut State, command: &str) -> u64 {
    press(state, [ch('x')]);
    assert!(
        state.dialog.is_some(),
        "no dialog: {:?}, notice {:?}",
        state.pane,
        state.current_notice()
    );
    press(state, typed(command));
    allow(state);
    state.dialog.as_mut().expect("dialog").focus = Focus::Confirm;
    let effects = press(state, [key(KeyCode::Enter)]);
    let [Effect::Execute { seq, .. }] = effects.as_slice() else {
        panic!("{effects:?}; notice {:?}", state.current_notice())
    };
    *seq
}

fn out(seq: u64, text: &str) -> Msg {
    Msg::ActionProgress {
        seq,
        line: line(Stream::Stdout, text),
    }
}

fn err(seq: u64, text: &str) -> Msg {
    Msg::ActionProgress {
        seq,
        line: line(Stream::Stderr, text),
    }
}

fn finish(state: &mut State, seq: u64, millis: u64, result: Result<&str, &str>) {
    let result = result.map(String::from).map_err(String::from);
    press(
        state,
        [
            Msg::ActionTook { seq, millis },
            Msg::ActionFinished { seq, result },
        ],
    );
}

fn shown(state: &State) -> &Run {
    opsdeck::app::output::shown(state)
        .unwrap_or_else(|| panic!("the output pane is not open: {:?}", state.pane))
}

fn texts(run: &Run) -> Vec<(Stream, &str)> {
    run.lines.iter().map(|(s, t)| (*s, t.as_str())).collect()
}

#[test]
fn x_opens_the_output_pane_streams_both_streams_and_ends_with_exit_status_3() {
    let mut state = on_redis((120, 40));
    let seq = run(&mut state, "sh -c 'echo out; echo err >&2; exit 3'");
    assert_eq!(
        state.pane.as_ref().map(|p| &p.kind),
        Some(&PaneKind::Output { seq })
    );
    assert!(!state.show_timeline, "the timeline no longer opens for it");
    assert_eq!(
        shown(&state).title(),
        "sh -c 'echo out; echo err >&2; exit 3' — data/redis-0",
        "the simulated world names no container of a pod that has one"
    );
    press(&mut state, [out(seq, "out"), err(seq, "err")]);
    // A note of the runner's own about the action is not its output: the timeline has it.
    press(
        &mut state,
        [Msg::ActionProgress {
            seq,
            line: "shared audit table not written: refused".into(),
        }],
    );
    assert_eq!(
        texts(shown(&state)),
        [(Stream::Stdout, "out"), (Stream::Stderr, "err")]
    );
    assert_eq!(shown(&state).end, None);
    finish(&mut state, seq, 1200, Err("exit status 3"));
    let run = shown(&state);
    assert_eq!(run.end, Some(End::Failed("exit status 3".into())));
    assert_eq!(run.took_ms, Some(1200));
    // The timeline keeps who ran what and how it ended, not the output.
    let entry = state.timeline.iter().find(|e| e.seq == seq).unwrap();
    assert_eq!(entry.status, Status::Failed("exit status 3".into()));
    assert_eq!(
        entry.output,
        ["shared audit table not written: refused"],
        "only the runner's note"
    );
    assert!(entry.title.contains("data/redis-0"), "{}", entry.title);
    // Esc closes it; the run stays kept.
    press(&mut state, [key(KeyCode::Esc)]);
    assert!(state.pane.is_none());
    assert_eq!(state.outputs.len(), 1);
}

#[test]
fn ctrl_x_in_the_pane_cancels_the_command_and_the_end_says_cancelled() {
    let mut state = on_redis((120, 40));
    let seq = run(&mut state, "sleep 30");
    let effects = press(&mut state, [ctrl('x')]);
    assert_eq!(effects, [Effect::CancelAction(seq)]);
    finish(
        &mut state,
        seq,
        2100,
        Err(&opsdeck::actions::executor::ActionError::Cancelled.to_string()),
    );
    assert_eq!(shown(&state).end, Some(End::Cancelled));
    let effects = press(&mut state, [ctrl('x')]);
    assert!(effects.is_empty(), "nothing runs any more: {effects:?}");
}

#[test]
fn scrolling_up_pauses_on_the_lines_read_and_back_at_the_bottom_it_follows() {
    let mut state = on_redis((120, 20));
    let seq = run(&mut state, "seq 100");
    press(&mut state, (1..=100).map(|i| out(seq, &i.to_string())));
    let (_, rows) = opsdeck::ui::output::text_size(state.size);
    let last = |state: &State| {
        let run = shown(state);
        run.visible(rows).last().map(|(_, t)| t.clone()).unwrap()
    };
    assert_eq!(last(&state), "100");
    press(&mut state, [key(KeyCode::Up), key(KeyCode::Up)]);
    assert_eq!(last(&state), "98");
    // More output: the reader stays where they were.
    press(&mut state, [out(seq, "101")]);
    assert_eq!(last(&state), "98");
    assert_eq!(shown(&state).from_bottom, 3);
    press(&mut state, [key(KeyCode::PageDown)]);
    assert_eq!(last(&state), "101");
    press(&mut state, [key(KeyCode::PageUp), ch('f')]);
    assert_eq!(shown(&state).from_bottom, 0, "f follows again");
}

#[test]
fn y_copies_the_lines_on_screen_and_s_saves_every_line_kept_as_the_logs_pane_does() {
    let mut state = on_redis((120, 20));
    let seq = run(&mut state, "sh -c 'seq 50; echo oops >&2'");
    press(&mut state, (1..=50).map(|i| out(seq, &format!("line {i}"))));
    press(&mut state, [err(seq, "oops \x1b[2Jhostile")]);
    finish(&mut state, seq, 300, Ok("exit status 0"));
    let (_, rows) = opsdeck::ui::output::text_size(state.size);
    let effects = press(&mut state, [ch('y')]);
    let [Effect::Copy(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let copied: Vec<&str> = text.lines().collect();
    assert_eq!(copied.len(), rows);
    assert_eq!(copied[rows - 2], "line 50");
    // Marked as it was in the timeline, and made harmless.
    assert!(copied[rows - 1].starts_with("stderr: oops "), "{copied:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert_eq!(
        state.current_notice().unwrap().text,
        format!("{rows} lines sent to the terminal's clipboard (OSC 52)")
    );
    let effects = press(&mut state, [ch('s')]);
    let [Effect::WriteFile { path, contents }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let path = path.to_str().unwrap();
    assert!(
        path.starts_with("/var/tmp/opsdeck-state/logs/data_redis-0-output_")
            && path.ends_with(".log"),
        "{path}"
    );
    assert_eq!(contents.lines().count(), 51);
    assert!(contents.starts_with("line 1\nline 2\n"), "{contents}");
    assert!(contents.ends_with("stderr: oops \x1b[2Jhostile\n"));
}

#[test]
fn the_last_runs_are_kept_each_in_a_bounded_ring_the_newest_shown() {
    let mut state = on_redis((120, 40));
    let mut seqs = Vec::new();
    for i in 0..=RUNS_KEPT {
        let seq = run(&mut state, &format!("echo {i}"));
        press(&mut state, [out(seq, &i.to_string())]);
        finish(&mut state, seq, 10, Ok("exit status 0"));
        press(&mut state, [key(KeyCode::Esc)]);
        seqs.push(seq);
    }
    assert_eq!(state.outputs.len(), RUNS_KEPT);
    assert_eq!(
        state.outputs.front().unwrap().seq,
        seqs[1],
        "the oldest went"
    );
    let seq = run(&mut state, "yes");
    assert_eq!(shown(&state).seq, seq, "the newest is shown");
    press(
        &mut state,
        (0..=LINES_KEPT).map(|i| out(seq, &i.to_string())),
    );
    let run = shown(&state);
    assert_eq!((run.lines.len(), run.dropped), (LINES_KEPT, 1));
    assert_eq!(run.lines.front().unwrap().1, "1");
}

#[test]
fn colon_out_opens_the_newest_output_again_and_out_2_the_one_before() {
    let mut state = on_redis((120, 40));
    press(&mut state, [ch(':')]);
    press(&mut state, typed("out"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.pane.is_none());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .starts_with("no output kept"),
        "{:?}",
        state.current_notice()
    );
    let first = run(&mut state, "echo one");
    finish(&mut state, first, 10, Ok("exit status 0"));
    press(&mut state, [key(KeyCode::Esc)]);
    let second = run(&mut state, "echo two");
    finish(&mut state, second, 10, Ok("exit status 0"));
    press(&mut state, [key(KeyCode::Esc)]);
    let out = |state: &mut State, line: &str| {
        press(state, [ch(':')]);
        press(state, typed(line));
        press(state, [key(KeyCode::Enter)]);
        state.pane.as_ref().map(|p| p.kind.clone())
    };
    assert_eq!(
        out(&mut state, "out"),
        Some(PaneKind::Output { seq: second })
    );
    press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(
        out(&mut state, "output 2"),
        Some(PaneKind::Output { seq: first })
    );
    // One that is not kept: the line stays, saying which are.
    press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(out(&mut state, "out 3"), None);
    let hint = state.command_line.as_ref().and_then(|l| l.hint.clone());
    assert!(
        hint.as_ref()
            .is_some_and(|(h, _)| h.contains("one of 1, 2")),
        "{hint:?}"
    );
}
