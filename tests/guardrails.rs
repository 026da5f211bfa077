//! `[[guardrails]]` and `[[kubernetes.context_styles]]` in the cockpit: the dialog names the rule
//! that refuses and what an allowing rule demands (a typed name even for a medium action, a
//! reason that goes into the intent), a window judged by the state's clock, and a production
//! context named in the dialog and the status bar. Through `update` and `TestBackend`.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::guardrails::TYPED_NAME;
use opsdeck::app::dialog::{FieldKind, Focus};
use opsdeck::app::{Effect, Msg, Panel, State, update};
use opsdeck::config::{ColorDepth, Config, Guardrails};
use opsdeck::domain::UnixTime;
use opsdeck::snapshot::{render, to_ansi, to_text};

/// The demo with this config's guardrails and context styles.
fn with_config(toml: &str, size: (u16, u16)) -> State {
    with_config_depth(toml, size, None)
}

fn with_config_depth(toml: &str, size: (u16, u16), depth: Option<ColorDepth>) -> State {
    let path = std::path::Path::new("/etc/opsdeck.toml");
    let config = Config::parse(path, toml).expect("config parses");
    let mut settings = (*settings("default", "default", false)).clone();
    settings.guardrails = Arc::new(Guardrails {
        rules: config.guardrails.clone(),
        path: Some(path.into()),
    });
    settings.context_styles = config
        .kubernetes
        .map(|k| k.context_styles)
        .unwrap_or_default();
    if let Some(depth) = depth {
        settings.theme = settings.theme.clone().with_depth(depth);
    }
    demo_state_with(Arc::new(settings), size, 300, 3)
}

/// Opens the action on the row the filter selects, with the permission granted.
fn open(state: &mut State, panel: Panel, filter: &str, key_char: char) {
    state.panel = panel;
    press(state, [ch('/')]);
    press(state, typed(filter));
    press(state, [key(KeyCode::Enter), ch(key_char)]);
    assert!(state.dialog.is_some(), "the dialog opened");
    allow(state);
}

fn focus(state: &mut State, kind: FieldKind) {
    let dialog = state.dialog.as_mut().expect("dialog");
    let i = dialog
        .fields
        .iter()
        .position(|f| f.kind == kind)
        .expect("field");
    dialog.focus = Focus::Field(i);
}

fn confirm(state: &mut State) -> Vec<Effect> {
    state.dialog.as_mut().expect("dialog").focus = Focus::Confirm;
    press(state, [key(KeyCode::Enter)])
}

const FROZEN: &str = r#"
[[guardrails]]
context = "staging-*"
deny = "staging is being rebuilt"

[[guardrails]]
context = "demo"
namespace = "pos"
actions = ["scale", "rollback"]
deny = "pos is frozen for the sale"
"#;

#[test]
fn a_denying_rule_is_named_in_the_dialog_and_nothing_runs() {
    let mut state = with_config(FROZEN, (120, 40));
    open(&mut state, Panel::Services, "pos-catalog", 's');
    press(&mut state, typed("1"));
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled());
    let why = dialog.blocked_because().unwrap();
    assert_eq!(
        why,
        "refused by guardrail 2 (line 6): pos is frozen for the sale"
    );
    let text = to_text(&render(&mut state));
    let line = text
        .lines()
        .find(|l| l.contains("Guardrail "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("guardrail 2 (line 6): refused: pos is frozen for the sale"),
        "{line}"
    );
    assert!(confirm(&mut state).is_empty(), "nothing is executed");
    // Another kind in the same namespace is not the rule's.
    state.dialog = None;
    press(&mut state, [ch('r')]);
    allow(&mut state);
    assert!(state.dialog.as_ref().unwrap().confirm_enabled());
}

const STRICT: &str = r#"
[[guardrails]]
context = "demo"
actions = ["rollout-restart"]
typed = true
reason = true
"#;

#[test]
fn typed_and_reason_are_demanded_for_a_medium_action_and_the_reason_reaches_the_intent() {
    let mut state = with_config(STRICT, (120, 40));
    open(&mut state, Panel::Services, "pos-catalog", 'r');
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(dialog.action.risk(), opsdeck::actions::Risk::Medium);
    assert!(dialog.requires_typed_name(), "the rule asks for the name");
    assert!(!dialog.confirm_enabled());
    let reason = dialog
        .fields
        .iter()
        .position(|f| f.kind == FieldKind::Reason);
    assert_eq!(
        dialog.focus,
        Focus::Field(reason.unwrap()),
        "focus on the reason"
    );
    let text = to_text(&render(&mut state));
    assert!(text.contains("Reason"), "the reason field shows:\n{text}");
    focus(&mut state, FieldKind::TypedName);
    press(&mut state, typed("pos-catalog"));
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled(), "the name alone is not enough");
    assert!(
        dialog
            .blocked_because()
            .unwrap()
            .starts_with("write a reason"),
        "{:?}",
        dialog.blocked_because()
    );
    focus(&mut state, FieldKind::Reason);
    press(&mut state, typed("INC-42 stuck workers"));
    assert!(state.dialog.as_ref().unwrap().confirm_enabled());
    let effects = confirm(&mut state);
    let [Effect::Execute { intent, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(intent.confirmed_by, TYPED_NAME);
    assert_eq!(intent.guard.reason.as_deref(), Some("INC-42 stuck workers"));
}

const HOURS: &str = r#"
[[guardrails]]
context = "demo"
actions = ["scale"]
max_scale_change = "50%"
window = "Mon-Fri 08:00-18:00 UTC"
"#;

#[test]
fn the_window_is_judged_by_the_state_clock_and_the_scale_limit_by_the_current_count() {
    // T0 is Monday 2026-09-21 14:13 UTC: inside the window.
    let mut state = with_config(HOURS, (120, 40));
    open(&mut state, Panel::Services, "pos-catalog", 's');
    let from = state.dialog.as_ref().unwrap().from_replicas.expect("count");
    press(&mut state, typed(&(from + 1).to_string()));
    allow(&mut state);
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(dialog.reason_demanded(), None);
    assert!(dialog.confirm_enabled(), "{:?}", dialog.blocked_because());
    // Far beyond half: refused, saying the numbers.
    press(&mut state, (0..4).map(|_| key(KeyCode::Backspace)));
    press(&mut state, typed(&(from * 2 + 1).to_string()));
    let why = state.dialog.as_ref().unwrap().blocked_because().unwrap();
    assert!(why.contains("is more than ±50 %"), "{why}");

    // Saturday 2026-09-26 10:00 UTC: outside, so a reason.
    let saturday = UnixTime::parse_rfc3339("2026-09-26T10:00:00Z").unwrap();
    let mut state = with_config(HOURS, (120, 40));
    update(&mut state, Msg::Tick(saturday));
    open(&mut state, Panel::Services, "pos-catalog", 's');
    press(&mut state, typed(&(from + 1).to_string()));
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(
        dialog.reason_demanded(),
        Some("outside Mon-Fri 08:00-18:00 UTC")
    );
    assert!(!dialog.confirm_enabled());
}

const PROD: &str = r#"
[[kubernetes.context_styles]]
context = "staging"
label = "STAGE"
color = "warn"

[[kubernetes.context_styles]]
context = "de*"
label = "PROD"
color = "crit"
production = true
"#;

#[test]
fn a_production_context_is_named_in_the_dialog_and_the_status_bar() {
    for size in [(80, 24), (200, 60)] {
        let mut state = with_config(PROD, size);
        let text = to_text(&render(&mut state));
        let bar = text.lines().last().unwrap();
        assert!(bar.contains(" PROD "), "status bar: {bar}");
        open(&mut state, Panel::Services, "pos-payment", 'u');
        let text = to_text(&render(&mut state));
        assert!(text.contains("PROD demo Roll back"), "title:\n{text}");
        assert!(
            text.contains("Type the name to confirm on PROD demo: pos-payment"),
            "{text}"
        );
        insta::assert_snapshot!(format!("dialog_prod_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn without_colour_the_label_still_names_production_and_with_16_colours_it_is_red() {
    let mut state = with_config_depth(PROD, (80, 24), Some(ColorDepth::None));
    open(&mut state, Panel::Services, "pos-payment", 'u');
    let ansi = to_ansi(&render(&mut state));
    assert!(
        !ansi.contains("38;2;") && !ansi.contains("38;5;"),
        "no colour"
    );
    assert!(ansi.contains("PROD demo"), "the label is the signal");
    let mut state = with_config_depth(PROD, (80, 24), Some(ColorDepth::Ansi16));
    open(&mut state, Panel::Services, "pos-payment", 'u');
    let buffer = render(&mut state);
    let text = to_text(&buffer);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("PROD demo Roll back"))
        .expect("title");
    let at = line.find("PROD demo Roll back").unwrap();
    let x = line[..at].chars().count() as u16;
    let crit = state.settings.theme.style(opsdeck::config::Role::Crit).fg;
    assert!(
        crit.is_some(),
        "the theme's crit has a colour in 16 colours"
    );
    assert_eq!(buffer[(x, y as u16)].fg, crit.unwrap(), "the label in crit");
    assert!(
        !to_text(&buffer).contains("STAGE"),
        "a style that does not match is not used"
    );
}

#[test]
fn a_context_without_a_production_style_shows_no_badge() {
    let mut state = with_config(
        "[[kubernetes.context_styles]]\ncontext = \"demo\"\nlabel = \"LAB\"\n",
        (120, 40),
    );
    let text = to_text(&render(&mut state));
    assert!(!text.lines().last().unwrap().contains("LAB"), "{text}");
    open(&mut state, Panel::Services, "pos-catalog", 'r');
    assert!(to_text(&render(&mut state)).contains("LAB demo"));
}

const TWO_PERSON: &str = r#"
[[guardrails]]
context = "demo"
actions = ["scale"]
two_person = true
"#;

#[test]
fn a_two_person_rule_without_a_war_room_refuses_saying_so_and_nothing_runs() {
    let mut state = with_config(TWO_PERSON, (120, 40));
    assert!(state.room.is_none());
    open(&mut state, Panel::Services, "pos-catalog", 's');
    press(&mut state, typed("7"));
    allow(&mut state);
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled());
    assert_eq!(
        dialog.blocked_because().unwrap(),
        format!(
            "refused by guardrail 1 (line 2): {}",
            opsdeck::actions::guardrails::TWO_PERSON_NO_ROOM
        )
    );
    let text = to_text(&render(&mut state));
    assert!(
        text.contains("refused: two-person rule: needs a war room"),
        "{text}"
    );
    assert!(
        confirm(&mut state).is_empty(),
        "nothing is executed or asked"
    );
}
