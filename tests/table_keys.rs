//! The tables from the keyboard, at update level: the sort key's letters, sorts that hold
//! within and across alert groups, filters that match what is drawn, details that scroll.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::rows::Grouping;
use opsdeck::app::{State, prepare_frame};
use opsdeck::domain::{Alert, Pod};

fn shown_pods(state: &mut State) -> Vec<&Pod> {
    prepare_frame(state);
    state
        .tables
        .pods
        .visible()
        .iter()
        .map(|i| state.estate.pods.get_index(*i as usize).unwrap())
        .collect()
}

fn shown_alerts(state: &mut State) -> Vec<(Alert, bool)> {
    prepare_frame(state);
    state
        .tables
        .alerts
        .visible()
        .iter()
        .map(|i| {
            let entry = state.estate.alert_entry(*i as usize).unwrap();
            (entry.alert.clone(), entry.resolved_at.is_some())
        })
        .collect()
}

#[test]
fn o_then_a_headers_letter_sorts_by_that_column_and_again_reverses() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2'), ch('j'), ch('j'), ch('o')]);
    assert!(
        state.tables.pods.sort_letters.is_some(),
        "o waits for a letter"
    );
    // RESTARTS is `e` (NAMESPACE n, NAME a, READY r, STATUS s, RESTARTS e).
    press(&mut state, [ch('e')]);
    assert!(state.tables.pods.sort_letters.is_none());
    assert_eq!(state.tables.pods.sort.column, 4);
    let pods = shown_pods(&mut state);
    let most = pods.iter().map(|p| p.restarts).max().unwrap();
    assert_eq!(pods[0].restarts, most, "the most restarts first");
    assert_eq!(
        state.tables.pods.selected, 0,
        "the selection goes to the top"
    );
    assert!(
        state
            .notices
            .iter()
            .any(|n| n.text == "sorted by RESTARTS, descending"),
        "the sort is announced"
    );
    press(&mut state, [ch('o'), ch('e')]);
    let pods = shown_pods(&mut state);
    let least = pods.iter().map(|p| p.restarts).min().unwrap();
    assert_eq!(pods[0].restarts, least, "the same letter again reverses");

    // o twice: the next column, as o alone did before; Esc leaves the chooser and the filter.
    press(&mut state, [ch('/')]);
    press(&mut state, typed("workflow"));
    press(&mut state, [key(KeyCode::Enter), ch('o'), ch('o')]);
    assert_eq!(state.tables.pods.sort.column, 5, "AGE follows RESTARTS");
    press(&mut state, [ch('o'), key(KeyCode::Esc)]);
    assert!(state.tables.pods.sort_letters.is_none());
    assert_eq!(
        state.tables.pods.filter, "workflow",
        "Esc only closed the chooser"
    );
    // Any other key closes the chooser and does what it always does.
    press(&mut state, [ch('o'), ch('3')]);
    assert!(state.tables.pods.sort_letters.is_none());
    assert_eq!(state.panel, opsdeck::app::Panel::Services);
}

#[test]
fn in_grouped_alerts_age_orders_the_groups_and_the_alerts_in_them() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('4')]);
    while state.alert_lens.group_by != Grouping::Label("namespace".into()) {
        press(&mut state, [ch('a')]);
    }
    // AGE is `e` among GROUP g, SEVERITY s, STATE t, ALERT a, SUMMARY u, AGE e.
    press(&mut state, [ch('o'), ch('e')]);
    let rows = shown_alerts(&mut state);
    let grouped: Vec<&(Alert, bool)> = rows
        .iter()
        .filter(|(a, _)| a.label("namespace").is_some())
        .collect();
    assert!(
        grouped
            .windows(2)
            .any(|w| w[0].0.label("namespace") == w[1].0.label("namespace")),
        "some group has more than one alert, or this test proves nothing"
    );
    let newest = grouped
        .iter()
        .filter(|(_, resolved)| !resolved)
        .map(|(a, _)| a.starts_at)
        .max()
        .unwrap();
    assert_eq!(
        grouped[0].0.starts_at, newest,
        "the newest alert's group first"
    );
    for w in grouped.windows(2) {
        let ((a, ra), (b, rb)) = (&w[0], &w[1]);
        if a.label("namespace") == b.label("namespace") && !ra && !rb {
            assert!(a.starts_at >= b.starts_at, "newest first within a group");
        }
    }
    let title = |rows: &[(Alert, bool)]| -> Vec<String> {
        rows.iter().map(|(a, _)| a.fingerprint.clone()).collect()
    };
    press(&mut state, [ch('o'), ch('e')]);
    let reversed = shown_alerts(&mut state);
    assert_ne!(title(&rows), title(&reversed), "the order changes");
    let grouped: Vec<&(Alert, bool)> = reversed
        .iter()
        .filter(|(a, _)| a.label("namespace").is_some())
        .collect();
    let oldest = grouped
        .iter()
        .filter(|(_, resolved)| !resolved)
        .map(|(a, _)| a.starts_at)
        .min()
        .unwrap();
    assert_eq!(
        grouped[0].0.starts_at, oldest,
        "reversed: the oldest alert's group first"
    );
    for w in grouped.windows(2) {
        let ((a, ra), (b, rb)) = (&w[0], &w[1]);
        if a.label("namespace") == b.label("namespace") && !ra && !rb {
            assert!(a.starts_at <= b.starts_at, "oldest first within a group");
        }
    }
}

#[test]
fn the_filter_matches_ready_labels_and_excludes_bang_words() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2'), ch('/')]);
    press(&mut state, typed("0/1"));
    let pods = shown_pods(&mut state);
    assert!(!pods.is_empty(), "the demo has pods not ready");
    for p in &pods {
        assert_eq!(
            (p.ready_containers, p.total_containers),
            (0, 1),
            "{}",
            p.key.name
        );
    }
    press(&mut state, [key(KeyCode::Esc), ch('/')]);
    press(&mut state, typed("workflow !running"));
    let pods = shown_pods(&mut state);
    assert!(!pods.is_empty());
    for p in &pods {
        assert!(p.key.namespace.contains("workflow") || p.key.name.contains("workflow"));
        assert_ne!(&*p.status, "Running");
    }

    press(&mut state, [key(KeyCode::Esc), ch('4'), ch('/')]);
    press(&mut state, typed("namespace=workflow"));
    let alerts = shown_alerts(&mut state);
    assert!(!alerts.is_empty(), "some demo alert has namespace=workflow");
    for (a, _) in &alerts {
        assert!(
            a.label("namespace").is_some_and(|n| n.contains("workflow")),
            "{}",
            a.name
        );
    }
}

#[test]
fn long_details_scroll_with_page_keys_and_z_gives_them_the_whole_panel() {
    // 80x24: the details below the table have a few lines only.
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('3'), key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    let selected = state.tables.services.selected;
    let area = opsdeck::ui::layout::details_area(&state).expect("details open");
    let limit = opsdeck::ui::details::scroll_limit(&state, area);
    assert!(limit > 0, "a deployment's details are longer than {area:?}");
    press(&mut state, [key(KeyCode::PageDown)]);
    assert!(state.details_view.scroll > 0, "PgDn scrolls the details");
    assert_eq!(state.tables.services.selected, selected, "not the table");
    for _ in 0..50 {
        press(&mut state, [key(KeyCode::PageDown)]);
    }
    assert_eq!(
        state.details_view.scroll, limit,
        "it stops at the last line"
    );
    press(&mut state, [key(KeyCode::PageUp)]);
    assert!(state.details_view.scroll < limit, "PgUp comes back at once");
    // Another row: its details start at the top.
    press(&mut state, [ch('j')]);
    assert_eq!(state.details_view.scroll, 0);
    assert_eq!(state.tables.services.selected, selected + 1);

    press(&mut state, [ch('z')]);
    assert!(state.details_view.full);
    let full = opsdeck::ui::layout::details_area(&state).unwrap();
    assert!(full.height > area.height, "{full:?} over {area:?}");
    assert_eq!(
        opsdeck::ui::layout::table_body_height(&state),
        0,
        "table hidden"
    );
    let full_limit = opsdeck::ui::details::scroll_limit(&state, full);
    press(&mut state, [ch('j')]);
    assert_eq!(
        state.details_view.scroll,
        full_limit.min(1),
        "j scrolls the details there"
    );
    assert_eq!(
        state.tables.services.selected,
        selected + 1,
        "not the table"
    );
    press(&mut state, [ch('z')]);
    assert!(
        !state.details_view.full && state.details,
        "z again: back beside the table"
    );
    press(&mut state, [key(KeyCode::Esc)]);
    assert!(!state.details);
}

#[test]
fn the_letter_a_header_shows_is_the_letter_that_sorts_by_it() {
    // Grouped alerts rename their first column (ALERTNAME): the letters still come from one
    // place, so what the header shows is what the key does.
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('4'), ch('o')]);
    let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    let header = screen
        .lines()
        .find(|l| l.contains(":SEVERITY"))
        .expect("the header with letters");
    let age = header.find(":AGE").expect("AGE has a letter");
    let letter = header[..age].chars().last().unwrap();
    press(&mut state, [ch(letter)]);
    assert_eq!(state.tables.alerts.sort.column, 5, "{letter} sorted by AGE");
}
