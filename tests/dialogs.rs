//! The action dialog in `update`: where the focus starts, what typing and Enter do, the order
//! Tab goes in, what the summary says about invalid input, and the silence's durations.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::ActionKind;
use opsdeck::app::dialog::{FieldKind, Focus};
use opsdeck::app::{Effect, Msg, Panel, State};
use opsdeck::snapshot::{render, to_text};

/// The demo on `panel`, the row `filter` selects, `action` pressed, the backend's yes given.
fn dialog(panel: Panel, filter: &str, action: Msg) -> State {
    let mut state = demo_state((120, 40));
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter), action]);
    assert!(state.dialog.is_some(), "{:?}", state.current_notice());
    allow(&mut state);
    state
}

fn focused_kind(state: &State) -> Option<FieldKind> {
    let d = state.dialog.as_ref()?;
    match d.focus {
        Focus::Field(i) => Some(d.fields[i].kind),
        _ => None,
    }
}

fn executed(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Execute { .. }))
}

#[test]
fn focus_starts_on_the_first_field_the_operator_fills_else_on_close() {
    let cases = [
        (
            Panel::Services,
            "pos-catalog",
            ch('s'),
            Some(FieldKind::Replicas),
        ),
        (
            Panel::Services,
            "pos-payment",
            ch('u'),
            Some(FieldKind::Revision),
        ),
        // The matchers come from the alert's labels; the duration is what is chosen.
        (
            Panel::Alerts,
            "HighLatencyP95",
            ch('S'),
            Some(FieldKind::Duration),
        ),
        (
            Panel::Databases,
            "metabase",
            ch('X'),
            Some(FieldKind::TypedName),
        ),
        (Panel::Services, "pos-catalog", ch('r'), None),
    ];
    for (panel, filter, k, expected) in cases {
        let state = dialog(panel, filter, k);
        assert_eq!(focused_kind(&state), expected, "{filter}");
        if expected.is_none() {
            assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Cancel);
        }
    }
}

#[test]
fn scale_to_5_is_the_digit_then_enter_twice() {
    let mut state = dialog(Panel::Services, "pos-catalog", ch('s'));
    press(&mut state, [ch('5')]);
    let d = state.dialog.as_ref().unwrap();
    assert_eq!(d.fields[0].value(), "5", "the digit replaces the count");
    assert_eq!(d.action.kind, ActionKind::Scale { replicas: 5 });
    allow(&mut state);
    // Enter in the (only) field goes to Confirm; it does not confirm.
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    assert!(!executed(&effects));
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Confirm);
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    assert!(executed(&effects), "{effects:?}");
    // A second digit adds to the first.
    let mut state = dialog(Panel::Services, "pos-catalog", ch('s'));
    press(&mut state, typed("12"));
    assert_eq!(state.dialog.as_ref().unwrap().fields[0].value(), "12");
}

#[test]
fn enter_in_a_field_moves_on_and_tab_skips_a_disabled_confirm() {
    let mut state = dialog(Panel::Services, "pos-payment", ch('u'));
    assert_eq!(focused_kind(&state), Some(FieldKind::Revision));
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    assert!(!executed(&effects));
    assert_eq!(focused_kind(&state), Some(FieldKind::TypedName));
    // The name not typed: Enter stays, Tab goes to Close and round, never to Confirm.
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(focused_kind(&state), Some(FieldKind::TypedName));
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("type pos-payment"), "says why: {notice}");
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Cancel);
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(focused_kind(&state), Some(FieldKind::Revision));
    press(&mut state, [key(KeyCode::BackTab)]);
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Cancel);
    // Typed: Confirm joins the order after Close.
    press(&mut state, [key(KeyCode::BackTab)]);
    press(&mut state, typed("pos-payment"));
    allow(&mut state);
    press(&mut state, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Confirm);
    let text = to_text(&render(&mut state));
    assert!(text.contains("[ Close ]"), "{text}");
}

#[test]
fn invalid_input_is_said_in_the_summary_not_the_last_valid_change() {
    let mut state = dialog(Panel::Services, "pos-catalog", ch('s'));
    press(&mut state, typed("1499999"));
    let text = to_text(&render(&mut state));
    let row = |label: &str| {
        text.lines()
            .find(|l| l.contains(&format!("{label:<12}")))
            .unwrap_or_else(|| panic!("{label} row in\n{text}"))
            .to_string()
    };
    for label in ["Change", "CLI", "Permission"] {
        assert!(row(label).contains("invalid input"), "{}", row(label));
    }
    assert!(!text.contains("→ 149"), "{text}");
    assert!(text.contains("at most 200 replicas"), "{text}");
}

#[test]
fn silence_durations_are_offered_and_a_2h_silence_with_a_comment_takes_few_keys() {
    let mut state = dialog(Panel::Alerts, "HighLatencyP95", ch('S'));
    let text = to_text(&render(&mut state));
    assert!(text.contains("1h 2h 4h 8h 24h"), "{text}");
    // Up: the next shorter one (the default is 4h).
    press(&mut state, [key(KeyCode::Up)]);
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(focused_kind(&state), Some(FieldKind::Comment));
    press(&mut state, typed("deploy in progress"));
    allow(&mut state);
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Confirm);
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let intent = effects
        .iter()
        .find_map(|e| match e {
            Effect::Execute { intent, .. } => Some(intent),
            _ => None,
        })
        .expect("executed");
    let ActionKind::Silence {
        duration_secs,
        comment,
        ..
    } = &intent.action.kind
    else {
        panic!("{:?}", intent.action.kind)
    };
    assert_eq!(
        (*duration_secs, comment.as_str()),
        (7200, "deploy in progress")
    );
    // Free text still works: a typed duration replaces the offered one.
    let mut state = dialog(Panel::Alerts, "HighLatencyP95", ch('S'));
    press(&mut state, typed("90m"));
    assert!(matches!(
        state.dialog.as_ref().unwrap().action.kind,
        ActionKind::Silence {
            duration_secs: 5400,
            ..
        }
    ));
}

#[test]
fn s_on_a_silenced_alert_extends_its_silence() {
    let mut state = dialog(Panel::Alerts, "NodeDiskPressure", ch('S'));
    let d = state.dialog.as_ref().unwrap();
    let ActionKind::ExtendSilence {
        silence, comment, ..
    } = &d.action.kind
    else {
        panic!("{:?}", d.action.kind)
    };
    assert_eq!(silence, "00000001-sim0-4000-8000-000000000001");
    let known = state
        .estate
        .silences
        .iter()
        .find(|s| &s.id == silence)
        .unwrap()
        .clone();
    assert_eq!(comment, &known.comment, "its comment, to edit");
    assert_eq!(focused_kind(&state), Some(FieldKind::Duration));
    // The demo's silence lasts two more days: 72h from now extends it.
    press(&mut state, typed("72h"));
    allow(&mut state);
    let d = state.dialog.as_ref().unwrap();
    let preview = d.preview.as_ref().expect("valid");
    let until = state.now.plus(72 * 3600);
    assert_eq!(
        preview.change,
        format!(
            "silence {} by {} ends {} → {} (3d from now)",
            known.id,
            known.created_by,
            known.ends_at.rfc3339(),
            until.rfc3339()
        )
    );
    assert!(
        preview
            .cli
            .starts_with(&format!("amtool silence update {}", known.id))
    );
    // One that ends sooner would not extend it.
    assert_eq!(focused_kind(&state), Some(FieldKind::Duration));
    for _ in 0..3 {
        press(&mut state, [key(KeyCode::Backspace)]);
    }
    press(&mut state, typed("24h"));
    let refusal = state.dialog.as_ref().unwrap().preview.as_ref().unwrap_err();
    assert!(
        refusal.to_string().contains("choose a longer one"),
        "{refusal}"
    );
}
