//! Snapshots of the action output pane at 80x24 and 160x48: a one-off command's stdout and
//! stderr (marked `err`), its failure with the exit status and how long it took, the pane's
//! keys on its bottom border; and a run still going, with its cancel key. Read them by eye
//! when they change.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::output::{Stream, line};
use opsdeck::app::dialog::Focus;
use opsdeck::app::{Effect, Msg, State};
use opsdeck::snapshot::{render, to_text};

fn run_on_redis(size: (u16, u16), command: &str) -> (State, u64) {
    let mut state = demo_state(size);
    press(&mut state, [ch('2'), ch('/')]);
    press(&mut state, typed("redis-0"));
    press(&mut state, [key(KeyCode::Enter), ch('x')]);
    press(&mut state, typed(command));
    allow(&mut state);
    state.dialog.as_mut().expect("dialog").focus = Focus::Confirm;
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let [Effect::Execute { seq, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let seq = *seq;
    (state, seq)
}

fn progress(seq: u64, stream: Stream, text: &str) -> Msg {
    Msg::ActionProgress {
        seq,
        line: line(stream, text),
    }
}

#[test]
fn output_pane_with_stderr_and_exit_status_3() {
    for size in [(80, 24), (160, 48)] {
        let (mut state, seq) = run_on_redis(size, "sh -c 'echo out; echo err >&2; exit 3'");
        press(
            &mut state,
            [
                progress(seq, Stream::Stdout, "out"),
                progress(seq, Stream::Stderr, "err"),
                progress(
                    seq,
                    Stream::Stdout,
                    &format!("a long line {}", "x".repeat(200)),
                ),
                Msg::ActionTook { seq, millis: 1234 },
                Msg::ActionFinished {
                    seq,
                    result: Err("exit status 3".into()),
                },
            ],
        );
        insta::assert_snapshot!(
            format!("output_failed_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
    }
}

#[test]
fn output_pane_while_it_runs() {
    let (mut state, seq) = run_on_redis((80, 24), "redis-cli ping");
    press(&mut state, [progress(seq, Stream::Stdout, "PONG")]);
    insta::assert_snapshot!("output_running_80x24", to_text(&render(&mut state)));
}
