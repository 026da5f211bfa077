//! Keys in `update`: no key means two things in one place, a key that does nothing says so,
//! and the help groups keys by where they work.

mod common;

use common::*;
use opsdeck::app::Panel;

fn notice(state: &opsdeck::app::State) -> String {
    state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_key_that_does_nothing_here_says_so_briefly() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2')]);
    for (k, expected) in [
        (';', ";: not a key in Pods — ? for help"),
        ('i', "i: not a key in Pods — ? for help"),
    ] {
        press(&mut state, [ch(k)]);
        assert_eq!(notice(&state), expected);
        assert!(state.dialog.is_none() && state.pane.is_none());
    }
    // Gone after a moment.
    let later = state.now.plus(10);
    press(&mut state, [opsdeck::app::Msg::Tick(later)]);
    assert_eq!(notice(&state), "");
    // A key is an action where it is bound: `s` scales in Services (and opens a shell in Pods).
    press(&mut state, [ch('3'), ch('s')]);
    assert!(state.dialog.is_some(), "s scales in Services");
}

#[test]
fn in_services_u_is_the_incident_update_and_lockdown_is_lifted_with_its_own_key() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('3'), ch('U')]);
    assert!(state.dialog.is_none(), "not the lift-lockdown dialog");
    assert!(
        notice(&state).contains("no incident is open"),
        "the incident update's answer: {}",
        notice(&state)
    );
    press(&mut state, [ctrl('u')]);
    assert!(
        notice(&state).contains("not locked down"),
        "Ctrl-U lifts a lockdown (refused: none here): {}",
        notice(&state)
    );
    assert_eq!(state.panel, Panel::Services);
}
