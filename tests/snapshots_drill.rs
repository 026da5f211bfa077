//! Snapshots at 80x24 of the namespace picker, the `:` command line (with Tab's candidates and a
//! refusal) and a drill-down's breadcrumb; read them by eye when they change.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::snapshot::{render, to_text};

#[test]
fn namespace_picker_80x24() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch(':')]);
    press(&mut state, typed("ns pos"));
    press(&mut state, [key(KeyCode::Enter), ch('2'), ctrl('n')]);
    insta::assert_snapshot!("namespace_picker_80x24", to_text(&render(&mut state)));
}

#[test]
fn command_line_80x24() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('2'), ch(':'), ch('d'), key(KeyCode::Tab)]);
    insta::assert_snapshot!(
        "command_line_candidates_80x24",
        to_text(&render(&mut state))
    );
    press(&mut state, typed("x"));
    press(&mut state, [key(KeyCode::Enter)]);
    insta::assert_snapshot!("command_line_refused_80x24", to_text(&render(&mut state)));
}

#[test]
fn breadcrumb_80x24() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('3'), ch('/')]);
    press(&mut state, typed("pos-order"));
    press(&mut state, [key(KeyCode::Enter), key(KeyCode::Right)]);
    insta::assert_snapshot!(
        "breadcrumb_workload_pods_80x24",
        to_text(&render(&mut state))
    );
}
