//! Incident mode in one cockpit (no war room): opening shows the banner with its clock, the
//! update message is prefilled from the estate and the timeline, edited, saved and copied;
//! closing takes the banner away and notes the resolution.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::{Effect, Msg, State, update};
use opsdeck::snapshot::{render, to_text};

fn state(dir: &std::path::Path) -> State {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.state_dir = Some(dir.to_path_buf());
    demo_state_with(Arc::new(settings), (120, 40), 300, 3)
}

fn type_line(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = press(state, typed(text));
    effects.extend(update(state, key(KeyCode::Enter)));
    effects
}

#[test]
fn an_incident_shows_its_banner_and_writes_its_update_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(dir.path());
    update(&mut s, ch('I'));
    let effects = type_line(&mut s, "P1 checkout failing");
    assert!(effects.is_empty(), "no room: nothing to publish");
    let opened = s.incident.clone().expect("open");
    assert_eq!(
        (opened.severity.as_str(), opened.title.as_str()),
        ("P1", "checkout failing")
    );
    update(&mut s, Msg::Tick(T0.plus(3 + 125)));
    let screen = to_text(&render(&mut s));
    let first = screen.lines().next().unwrap();
    assert!(
        first.contains("P1 INCIDENT  checkout failing  00:02:05  opened by tester@bastion"),
        "{first}"
    );
    assert!(
        screen.lines().nth(1).unwrap().contains("1 Overview"),
        "the tabs move down a row"
    );

    // The update message, prefilled.
    update(&mut s, ch('U'));
    let text = s.update_editor.as_ref().expect("editor").lines().join("\n");
    assert!(
        text.starts_with("CRITICAL INCIDENT (P1) - checkout failing\n\nService: "),
        "{text}"
    );
    assert!(
        text.contains("pdf-recognizer"),
        "the troubled workloads: {text}"
    );
    assert!(
        text.contains("Critical alerts: BackupTooOld, HighErrorRate, KubePodCrashLooping"),
        "{text}"
    );
    assert!(
        text.contains(": opened a P1 incident: checkout failing"),
        "the timeline: {text}"
    );
    assert!(
        text.ends_with("Updates will be provided every 15 minutes."),
        "{text}"
    );
    // Typed into: Impact filled in on its line.
    let editor = s.update_editor.as_mut().unwrap();
    editor.move_cursor(ratatui_textarea::CursorMove::Jump(3, 8));
    press(&mut s, typed("card payments fail at 40 % of stores. "));
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let [Effect::Copy(copied), Effect::WriteFile { path, contents }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(copied, contents);
    assert!(
        contents.contains("Impact: card payments fail at 40 % of stores. [who is affected"),
        "{contents}"
    );
    assert!(path.starts_with(dir.path().join("incidents")), "{path:?}");
    assert!(s.update_editor.is_none());

    // Closed with its resolution.
    update(&mut s, ch('I'));
    type_line(&mut s, "rolled back pos-payment to 3.0.9");
    assert!(s.incident.is_none());
    let last = &s.timeline.last().unwrap().title;
    assert_eq!(
        last,
        "closed the P1 incident after 2m: rolled back pos-payment to 3.0.9"
    );
    assert!(!to_text(&render(&mut s)).contains("INCIDENT"));
}

#[test]
fn the_update_needs_an_incident_and_esc_leaves_the_editor_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(dir.path());
    update(&mut s, ch('U'));
    assert!(s.update_editor.is_none());
    assert!(
        s.current_notice()
            .unwrap()
            .text
            .contains("no incident is open")
    );
    update(&mut s, ch('I'));
    type_line(&mut s, "payments slow");
    assert_eq!(s.incident.as_ref().unwrap().severity, "P2");
    update(&mut s, ch('U'));
    let text = s.update_editor.as_ref().unwrap().lines().join("\n");
    assert!(
        text.starts_with("HIGH SEVERITY INCIDENT (P2) - payments slow"),
        "{text}"
    );
    assert!(text.ends_with("Next update in 30 minutes."), "{text}");
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert!(s.update_editor.is_none());
    // Typing q types a q; Ctrl-C still quits.
    update(&mut s, ch('U'));
    assert!(update(&mut s, ch('q')).is_empty());
    assert!(!s.quit);
    assert_eq!(update(&mut s, ctrl('c')), [Effect::Quit]);
}

#[test]
fn presenter_mode_hides_hosts_and_paths_refuses_actions_and_keeps_the_banner_on_top() {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.present = true;
    settings.readonly = true;
    let mut s = demo_state_with(Arc::new(settings), (160, 48), 300, 3);
    update(&mut s, ch('3'));
    update(&mut s, key(KeyCode::Enter));
    let screen = to_text(&render(&mut s));
    assert!(
        screen.contains("Health URL   (hidden while presenting)"),
        "{screen}"
    );
    assert!(!screen.contains("http://"), "no URL on a shared screen");
    assert!(screen.contains("PRESENTING · READ-ONLY"));
    update(&mut s, ch('6'));
    let screen = to_text(&render(&mut s));
    assert!(
        screen.contains("Location     (hidden while presenting)"),
        "{screen}"
    );
    assert!(!screen.contains("/backups/"), "{screen}");
    // Actions are refused: no dialog opens.
    update(&mut s, ch('v'));
    assert!(s.dialog.is_none());
    // An incident's banner stays on top even under the help.
    update(&mut s, ch('I'));
    type_line(&mut s, "P0 everything down");
    update(&mut s, ch('?'));
    let screen = to_text(&render(&mut s));
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("P0 INCIDENT  everything down"),
        "{screen}"
    );
}

#[test]
fn presenter_mode_draws_the_overview_as_large_figures() {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.present = true;
    settings.readonly = true;
    let mut s = demo_state_with(Arc::new(settings.clone()), (120, 36), 300, 3);
    let screen = to_text(&render(&mut s));
    assert!(screen.contains("of 313 pods in trouble"), "{screen}");
    assert!(screen.contains("critical firing, 3 warnings"), "{screen}");
    assert!(
        screen.contains("of max_connections, positivity-db"),
        "{screen}"
    );
    // The figures are drawn in block pixels: several rows of them per tile.
    let pixel_rows = screen
        .lines()
        .filter(|l| {
            l.chars()
                .any(|c| matches!(c, '█' | '▀' | '▄' | '▟' | '▙' | '▛' | '▜'))
        })
        .count();
    assert!(pixel_rows >= 8, "{screen}");
    // With --ascii the same figures are plain text.
    settings.ascii = true;
    let mut s = demo_state_with(Arc::new(settings), (120, 36), 300, 3);
    let screen = to_text(&render(&mut s));
    assert!(screen.contains("84%") && screen.contains("/22"), "{screen}");
    assert!(screen.is_ascii(), "{screen}");
}
