//! Whole-screen snapshots of every panel at 80x24 and 160x48 (and, in the default theme, 120x40
//! and 200x60): plain text in the default theme,
//! and with colours (ANSI) in the light theme, where only colours differ. Review changes with
//! `cargo insta review` (or delete the .snap file and rerun with INSTA_UPDATE=always).

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Panel, update};
use opsdeck::snapshot::{render, to_ansi, to_text};

const PANELS: [Panel; 11] = Panel::ALL;
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn name(panel: Panel) -> String {
    format!("{panel:?}").to_lowercase()
}

#[test]
fn every_panel_default_theme_text() {
    for size in SIZES {
        for panel in PANELS {
            let mut state = demo_state(size);
            state.panel = panel;
            let text = to_text(&render(&mut state));
            insta::assert_snapshot!(
                format!("{}_{}x{}_default", name(panel), size.0, size.1),
                text
            );
        }
    }
}

/// The sizes between and beyond: where the room goes (to what was cut) and what a large
/// screen shows with it.
#[test]
fn every_panel_at_120x40_and_200x60() {
    for size in [(120, 40), (200, 60)] {
        for panel in PANELS {
            let mut state = demo_state(size);
            state.panel = panel;
            insta::assert_snapshot!(
                format!("{}_{}x{}_default", name(panel), size.0, size.1),
                to_text(&render(&mut state))
            );
        }
    }
}

#[test]
fn every_panel_light_theme_with_colours() {
    for size in SIZES {
        for panel in PANELS {
            let mut state = demo_state_with(settings("light", "default", false), size, 300, 3);
            state.panel = panel;
            let ansi = to_ansi(&render(&mut state));
            insta::assert_snapshot!(
                format!("{}_{}x{}_light_ansi", name(panel), size.0, size.1),
                ansi
            );
        }
    }
}

#[test]
fn details_panes() {
    for (panel, size) in [
        (Panel::Pods, (80, 24)),
        (Panel::Services, (160, 48)),
        (Panel::Databases, (160, 48)),
        (Panel::Backups, (80, 24)),
        (Panel::Events, (160, 48)),
        (Panel::Nodes, (80, 24)),
        (Panel::Jobs, (80, 24)),
    ] {
        let mut state = demo_state(size);
        state.panel = panel;
        state.details = true;
        let text = to_text(&render(&mut state));
        insta::assert_snapshot!(
            format!("{}_{}x{}_details", name(panel), size.0, size.1),
            text
        );
    }
}

#[test]
fn checklist_run_with_a_note_being_typed() {
    for size in [(80, 24), (160, 48)] {
        let mut state = demo_state(size);
        update(&mut state, ch('7'));
        update(&mut state, key(KeyCode::Enter));
        for _ in 0..10 {
            update(&mut state, ch('j'));
        }
        update(&mut state, ch('N'));
        for c in "flat".chars() {
            update(&mut state, ch(c));
        }
        let text = to_text(&render(&mut state));
        insta::assert_snapshot!(format!("checklist_run_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn help_overlay_vim_keymap() {
    let mut state = demo_state_with(settings("default", "vim", false), (80, 24), 300, 3);
    state.help = Some(0);
    insta::assert_snapshot!("help_80x24_vim", to_text(&render(&mut state)));
}

#[test]
fn ascii_mode_high_contrast_has_no_unicode_symbols() {
    let mut state = demo_state_with(settings("high-contrast", "default", true), (80, 24), 300, 3);
    state.panel = Panel::Overview;
    let text = to_text(&render(&mut state));
    assert!(
        text.is_ascii(),
        "non-ASCII character in --ascii mode:\n{text}"
    );
    insta::assert_snapshot!("overview_80x24_ascii", text);
}

#[test]
fn without_colour_selection_and_states_remain_visible() {
    use opsdeck::config::ColorDepth;
    let mut settings = (*settings("default", "default", false)).clone();
    settings.theme = settings.theme.clone().with_depth(ColorDepth::None);
    let mut state = demo_state_with(std::sync::Arc::new(settings), (80, 24), 300, 3);
    state.panel = Panel::Pods;
    let buffer = render(&mut state);
    let ansi = to_ansi(&buffer);
    assert!(
        !ansi.contains("38;2;") && !ansi.contains("38;5;"),
        "a colour escaped into no-colour mode"
    );
    // The selected row is drawn reversed.
    let selected_row = (0..buffer.area.width)
        .map(|x| &buffer[(x, 3)])
        .collect::<Vec<_>>();
    assert!(
        selected_row
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
    assert!(
        to_text(&buffer).contains("✖ CrashLoopBackOff") || to_text(&buffer).contains("✔ Running")
    );
}

#[test]
fn hostile_names_are_defused_before_drawing() {
    use opsdeck::domain::PodKey;
    let mut state = demo_state((160, 48));
    let mut pod = state.estate.pods.get_index(0).unwrap().clone();
    pod.key = PodKey::new("agents", "aaa\x1b]52;c;ZXZpbA==\x07\x1b[2Jevil\u{202e}");
    pod.status = "Running\x1b[31m".into();
    upsert_pod(&mut state, pod);
    state.panel = Panel::Pods;
    state.details = true;
    let buffer = render(&mut state);
    let text = to_text(&buffer);
    assert!(!text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'));
    assert!(
        text.contains("aaa?]52;c;ZXZpbA==??[2Jevil?"),
        "the name is shown, defused:\n{text}"
    );
}

/// Opens an action's dialog on the row the filter selects, with permission granted.
fn dialog_state(size: (u16, u16), panel: Panel, filter: &str, action: char) -> opsdeck::app::State {
    use crossterm::event::KeyCode;
    let mut state = demo_state(size);
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter), ch(action)]);
    allow(&mut state);
    state
}

#[test]
fn action_dialogs() {
    for size in SIZES {
        // Scale: the count typed, ready to confirm.
        let mut state = dialog_state(size, Panel::Services, "pos-catalog", 's');
        // The focus starts on the count; the first digit replaces it.
        press(&mut state, [ch('4'), ch('0')]);
        allow(&mut state);
        insta::assert_snapshot!(
            format!("dialog_scale_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
        // Rollback: the history to choose from, the name not typed yet.
        let mut state = dialog_state(size, Panel::Services, "pos-payment", 'u');
        insta::assert_snapshot!(
            format!("dialog_rollback_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
        // Terminate a session that waits on a lock: its blocker named, and offered.
        let mut state = dialog_state(size, Panel::Databases, "waiting", 'X');
        insta::assert_snapshot!(
            format!("dialog_terminate_waiter_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
        // Terminate: high risk, partly typed.
        let mut state = dialog_state(size, Panel::Databases, "metabase", 'X');
        press(&mut state, [ch('4'), ch('2')]);
        insta::assert_snapshot!(
            format!("dialog_terminate_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
    }
}

#[test]
fn timeline_pane() {
    use crossterm::event::KeyCode;
    use opsdeck::app::{Effect, Msg, update};
    let mut state = dialog_state((120, 30), Panel::Services, "pos-catalog", 'r');
    let effects = press(&mut state, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    let Some(Effect::Execute { seq, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Msg::ActionFinished {
            seq: *seq,
            result: Ok("restart rolling out as revision 9".into()),
        },
    );
    let mut state2 = dialog_state((120, 30), Panel::Services, "pos-payment", 'r');
    let effects = press(&mut state2, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert!(
        matches!(effects.first(), Some(Effect::Execute { .. })),
        "{effects:?}"
    );
    // Built in another state, so renumber it as the second action of this one.
    let mut second = state2.timeline[0].clone();
    second.seq = seq + 1;
    state.timeline.push(second);
    update(
        &mut state,
        Msg::ActionFinished {
            seq: seq + 1,
            result: Err("timed out".into()),
        },
    );
    press(&mut state, [ch('t')]);
    insta::assert_snapshot!("timeline_120x30", to_text(&render(&mut state)));
}

#[test]
fn alerts_grouped_filtered_silences_and_runbooks() {
    use opsdeck::app::rows::Grouping;
    let mut state = demo_state((120, 30));
    state.panel = Panel::Alerts;
    state.alert_lens.group_by = Grouping::Label("namespace".into());
    state.alert_lens.revision += 1;
    insta::assert_snapshot!("alerts_120x30_by_namespace", to_text(&render(&mut state)));
    press(&mut state, [ch('m')]);
    insta::assert_snapshot!(
        "alerts_120x30_silenced_hidden",
        to_text(&render(&mut state))
    );
    press(&mut state, [ch('M')]);
    insta::assert_snapshot!("silences_120x30", to_text(&render(&mut state)));

    // Esc closes the pane; the runbook section the alert names opens with R.
    press(&mut state, [key(KeyCode::Esc), ch('/')]);
    press(&mut state, typed("HighLatency"));
    press(&mut state, [key(KeyCode::Enter), ch('R')]);
    let text = to_text(&render(&mut state));
    assert!(text.contains("3.2 Performance Issues"), "{text}");
    insta::assert_snapshot!("runbook_120x30", text);
    // A URL that is not a local file: shown, and y copies it through OSC 52.
    press(&mut state, [key(KeyCode::Esc), key(KeyCode::Esc), ch('/')]);
    press(&mut state, typed("HighErrorRate"));
    press(&mut state, [key(KeyCode::Enter), ch('R')]);
    let text = to_text(&render(&mut state));
    assert!(text.contains("https://wiki.example.internal/runbooks/pdf-recognizer#error-rate"));
    let effects = press(&mut state, [ch('y')]);
    assert_eq!(
        effects,
        [opsdeck::app::Effect::Copy(
            "https://wiki.example.internal/runbooks/pdf-recognizer#error-rate".into()
        )]
    );
}

/// An outcome too long for the bar takes the clock's room and is cut at a word, marked: it never
/// runs into the clock (`until` followed by the clock's time read as the silence's end).
#[test]
fn a_long_outcome_is_cut_at_a_word_and_never_runs_into_the_clock() {
    let mut state = demo_state((80, 24));
    // The clock with its zone, at every width.
    let clock = format!("{} UTC", state.now.clock_utc());
    state.notify(
        "Silence HighErrorRate for 2h: created silence 3f9c2a1e-55b1-4e0f-9d7a-2b8e6c1f0a44, \
         until 10:07:24 UTC",
        opsdeck::domain::Level::Ok,
        8,
    );
    let text = to_text(&render(&mut state));
    let bar = text.lines().last().expect("a status bar");
    assert!(bar.trim_end().ends_with(&clock), "the clock stays: {bar:?}");
    assert!(bar.contains("Silence HighErrorRate for 2h"), "{bar:?}");
    let before_clock = bar.trim_end().trim_end_matches(&clock).trim_end();
    assert!(before_clock.ends_with('…'), "the cut is marked: {bar:?}");
    assert!(
        !bar.contains("until"),
        "the outcome's time is not cut into the clock: {bar:?}"
    );
    // The long silence ID is cut, not dropped with the room it would have used.
    assert!(bar.contains("created silence 3f9c"), "{bar:?}");

    // Wide enough, the whole outcome and the clock both show.
    let mut state = demo_state((200, 24));
    let clock = state.now.clock_utc();
    state.notify(
        "Scale pos/pos-order to 5: done",
        opsdeck::domain::Level::Ok,
        8,
    );
    let text = to_text(&render(&mut state));
    let bar = text.lines().last().expect("a status bar");
    assert!(
        bar.contains("Scale pos/pos-order to 5: done") && bar.contains(&clock),
        "{bar:?}"
    );
}

/// A new dump in the demo's nightly set, as the next scan would report it after `b`.
fn with_new_nightly_dump(state: &mut opsdeck::app::State) {
    use opsdeck::app::Msg;
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let mut sets = state.estate.backups.clone();
    let nightly = sets
        .iter_mut()
        .find(|b| b.name == "positivity nightly")
        .unwrap();
    let mut newest = nightly.latest().unwrap().clone();
    newest.name = "backup_20260921_141000.dump.gz".into();
    newest.created = T0.plus(-200);
    nightly.items.insert(0, newest);
    let report = SourceReport {
        source: SourceId::new(SourceKind::Backups, "demo"),
        at: state.now,
        report: Report::Backups(sets),
    };
    update(state, Msg::Report(report));
}

#[test]
fn a_new_backup_is_never_verified_until_it_is() {
    for size in SIZES {
        let mut state = demo_state(size);
        with_new_nightly_dump(&mut state);
        state.panel = Panel::Backups;
        press(&mut state, [ch('/')]);
        press(&mut state, typed("positivity"));
        press(&mut state, [key(KeyCode::Enter), key(KeyCode::Enter)]);
        let text = to_text(&render(&mut state));
        let row = text
            .lines()
            .find(|l| l.contains("positivity nightly") && l.contains("directory"))
            .unwrap();
        assert!(row.contains("never"), "{row}");
        assert!(text.contains("previous backup verified 25h ago"), "{text}");
        insta::assert_snapshot!(format!("backups_{}x{}_new_backup", size.0, size.1), text);
    }
}

#[test]
fn the_test_restore_dialog_names_the_server_that_takes_it() {
    for size in SIZES {
        let state = &mut dialog_state(size, Panel::Backups, "positivity", 'T');
        let text = to_text(&render(state));
        assert!(text.contains("on positivity-db"), "{text}");
        insta::assert_snapshot!(format!("dialog_test_restore_{}x{}", size.0, size.1), text);
    }
}

/// The crash-looping pod's previous log with errors only, a search jumped to its second
/// match and timestamps shown: the pane's state on its bottom border, whole at 80 columns.
#[test]
fn logs_pane_state_on_the_bottom_border() {
    use opsdeck::app::{Effect, Msg};
    for size in [(80, 24), (160, 48)] {
        let mut state = demo_state(size);
        for msg in [ch('2'), ch('/')].into_iter().chain(typed("crash")) {
            update(&mut state, msg);
        }
        update(&mut state, key(KeyCode::Enter));
        update(&mut state, ch('l'));
        let effects = update(&mut state, ch('p'));
        let Some(Effect::OpenLogs { stream, .. }) = effects.last() else {
            panic!("{effects:?}")
        };
        let stamp = |s: u32| format!("2026-11-22T10:{:02}:{:02}.500000000Z", s / 60, s % 60);
        let mut lines = Vec::new();
        for i in 0..150u32 {
            let text = match i % 10 {
                3 => format!("ERROR upstream timeout calling postgres request_id={i:05}"),
                6 => format!(r#"{{"level":"error","msg":"job failed","job":"{i:05}"}}"#),
                8 => r#"{"level":"warn","msg":"retrying","attempt":2}"#.to_string(),
                _ => format!("INFO  request handled path=/api/orders status=200 n={i}"),
            };
            lines.push(format!("{} {text}", stamp(i)));
        }
        for text in [
            "ERROR unhandled exception in worker, exiting",
            "Traceback (most recent call last):",
            "  File \"/app/model.py\", line 214, in predict",
            "MemoryError: unable to allocate 2.1 GiB for an array",
        ] {
            lines.push(format!("{} {text}", stamp(150)));
        }
        let stream = *stream;
        update(
            &mut state,
            Msg::LogLines {
                stream,
                source: 0,
                lines,
            },
        );
        let error = None;
        let source = 0;
        update(
            &mut state,
            Msg::LogEnded {
                stream,
                source,
                error,
            },
        );
        for msg in [ch('e'), ch('e'), ch('T'), ch('/')]
            .into_iter()
            .chain(typed("timeout"))
            .chain([key(KeyCode::Enter), ch('n'), ch('n'), ch('n'), ch('n')])
        {
            update(&mut state, msg);
        }
        let text = to_text(&render(&mut state));
        let bottom = text.lines().nth(usize::from(size.1) - 2).unwrap();
        // At 80x24 the match is brought to the middle: the lines after it are below.
        let below = if size.0 == 80 {
            "ended, 3 newer below"
        } else {
            "ended"
        };
        for shown in [below, "errors only", "\"timeout\": match 11 of 15"] {
            assert!(bottom.contains(shown), "{shown:?} not in {bottom:?}");
        }
        insta::assert_snapshot!(format!("logs_pane_{}x{}", size.0, size.1), text);
    }
}

/// 95 s into the demo: HighErrorRate resolved at 50 s and fired again at 90 s (flapping once,
/// 5 s old), ServiceHealthCheckFailed fired at 50 s and resolved at 60 s; PostgresLongRunningQuery
/// fires on, as its query runs on. Resolved ones are dimmed at the end of their group, not
/// counted as firing.
#[test]
fn alerts_resolved_and_flapping() {
    for size in SIZES {
        let mut state = demo_state_with(settings("default", "default", false), size, 300, 95);
        state.panel = Panel::Alerts;
        let text = to_text(&render(&mut state));
        insta::assert_snapshot!(
            format!("alerts_{}x{}_resolved_flapping", size.0, size.1),
            text
        );
        state.panel = Panel::Overview;
        insta::assert_snapshot!(
            format!("overview_{}x{}_resolved", size.0, size.1),
            to_text(&render(&mut state))
        );
    }
    let mut state = demo_state_with(settings("default", "default", false), (160, 48), 300, 95);
    press(&mut state, [ch('4'), ch('/')]);
    press(&mut state, typed("HighErrorRate"));
    press(&mut state, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    insta::assert_snapshot!(
        "alerts_160x48_flapping_details",
        to_text(&render(&mut state))
    );
    press(&mut state, [ch('/')]);
    press(&mut state, (0..13).map(|_| key(KeyCode::Backspace)));
    press(&mut state, typed("HealthCheckFailed"));
    press(&mut state, [key(KeyCode::Enter)]);
    insta::assert_snapshot!(
        "alerts_160x48_resolved_details",
        to_text(&render(&mut state))
    );
}

#[test]
fn alerts_in_ascii_mark_info_and_flapping_in_ascii() {
    let mut state = demo_state_with(settings("default", "default", true), (80, 24), 300, 95);
    state.panel = Panel::Alerts;
    let text = to_text(&render(&mut state));
    assert!(
        text.is_ascii(),
        "non-ASCII character in --ascii mode:\n{text}"
    );
    assert!(
        text.contains("i info") && text.contains("flapping 1x"),
        "{text}"
    );
    insta::assert_snapshot!("alerts_80x24_ascii", text);
}

/// `E` on the standing silence: the one silence ID it ends, in the CLI too.
#[test]
fn expire_dialog_names_the_silence() {
    for size in SIZES {
        let mut state = dialog_state(size, Panel::Alerts, "NodeDiskPressure", 'E');
        let text = to_text(&render(&mut state));
        assert!(
            text.contains("amtool silence expire 00000001-sim0-4000-8000-000000000001"),
            "{text}"
        );
        insta::assert_snapshot!(format!("dialog_expire_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn sort_letters_in_the_headers_and_zoomed_scrolled_details() {
    // The chooser at 80x24: the shown headers carry letters, the hidden columns are listed.
    let mut state = demo_state((80, 24));
    update(&mut state, ch('2'));
    update(&mut state, ch('o'));
    insta::assert_snapshot!("pods_80x24_choosing_sort", to_text(&render(&mut state)));
    // A backup set's details (its items and checks) over the whole panel, one page down.
    let mut state = demo_state((80, 24));
    for msg in [ch('6'), ch('z'), key(KeyCode::PageDown)] {
        update(&mut state, msg);
    }
    insta::assert_snapshot!("backups_80x24_details_zoomed", to_text(&render(&mut state)));
}

#[test]
fn silence_dialog_offers_durations_and_invalid_input_is_said() {
    use crossterm::event::KeyCode;
    for size in SIZES {
        let mut state = dialog_state(size, Panel::Alerts, "HighLatencyP95", 'S');
        press(&mut state, [key(KeyCode::Up)]);
        insta::assert_snapshot!(
            format!("dialog_silence_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
        let mut state = dialog_state(size, Panel::Services, "pos-catalog", 's');
        press(&mut state, typed("1499999"));
        insta::assert_snapshot!(
            format!("dialog_scale_invalid_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
    }
}

/// The demo estate 20 s later, with its sources in every state: the cluster, health checks,
/// backups and workflow-db live; positivity-db stale (no report for 20 s); Redis, Prometheus
/// and Alertmanager unreachable; billing-db never connected (wrong password); reports-db still
/// connecting.
fn sources_in_trouble(size: (u16, u16)) -> opsdeck::app::State {
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let mut state = demo_state(size);
    let later = state.now.plus(20);
    for (kind, name) in [
        (SourceKind::Postgres, "billing-db"),
        (SourceKind::Postgres, "reports-db"),
    ] {
        state.estate.register_source(SourceId::new(kind, name), 10);
    }
    let reports = [
        (SourceKind::Kubernetes, "demo", Report::Alive),
        (SourceKind::Health, "demo", Report::Alive),
        (SourceKind::Backups, "demo", Report::Alive),
        (SourceKind::Postgres, "workflow-db", Report::Alive),
        (
            SourceKind::Redis,
            "cache",
            Report::Unreachable("Connection refused (os error 111)".into()),
        ),
        (
            SourceKind::Prometheus,
            "demo",
            Report::Unreachable("cannot connect".into()),
        ),
        (
            SourceKind::Alertmanager,
            "demo",
            Report::Unreachable("cannot connect".into()),
        ),
        (
            SourceKind::Postgres,
            "billing-db",
            Report::Unreachable(
                "FATAL: password authentication failed for user \"opsdeck\"".into(),
            ),
        ),
    ];
    for (kind, name, report) in reports {
        update(
            &mut state,
            opsdeck::app::Msg::Report(SourceReport {
                source: SourceId::new(kind, name),
                at: later,
                report,
            }),
        );
    }
    update(&mut state, opsdeck::app::Msg::Tick(later));
    state
}

fn line_with<'a>(text: &'a str, parts: &[&str]) -> &'a str {
    text.lines()
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .unwrap_or_else(|| panic!("no line with {parts:?}:\n{text}"))
}

#[test]
fn stale_and_unreachable_sources_are_marked_where_their_figures_are_drawn() {
    let mut state = sources_in_trouble((160, 48));
    state.panel = Panel::Databases;
    let text = to_text(&render(&mut state));
    // Every configured instance has a row, with its state where its figures would be.
    line_with(
        &text,
        &[
            "billing-db",
            "✖ unreachable",
            "password authentication failed",
        ],
    );
    line_with(&text, &["reports-db", "connecting"]);
    line_with(&text, &["cache", "✖ unreachable", "mem"]);
    line_with(&text, &["positivity-db", "◐ 21s old", "conns"]);
    assert!(!line_with(&text, &["workflow-db", "conns"]).contains("old"));
    // The tab carries the mark even where the figures alone are fine.
    insta::assert_snapshot!("databases_160x48_sources_in_trouble", text);
    state.details = true;
    let details = to_text(&render(&mut state));
    line_with(
        &details,
        &["billing-db", "password authentication failed for user"],
    );
    insta::assert_snapshot!("databases_160x48_sources_in_trouble_details", details);

    // Prometheus down: no p95 or error rate passes for current.
    state.details = false;
    state.panel = Panel::Services;
    let text = to_text(&render(&mut state));
    let row = line_with(&text, &["pdf-recognizer", "deploy"]);
    assert!(row.contains("✖ n/a") && !row.contains("1.7s"), "{row}");
    insta::assert_snapshot!("services_160x48_sources_in_trouble", text);

    // Alertmanager down: its alerts stay listed, marked as its last word.
    state.panel = Panel::Alerts;
    let text = to_text(&render(&mut state));
    line_with(&text, &["Alerts", "✖ unreachable", "as of 20s ago"]);
    insta::assert_snapshot!("alerts_160x48_sources_in_trouble", text);

    // The whole reason is at the top of the details pane.
    state.details = true;
    let text = to_text(&render(&mut state));
    line_with(&text, &["alerts demo ✖ unreachable", "cannot connect"]);
    state.panel = Panel::Services;
    let text = to_text(&render(&mut state));
    line_with(&text, &["prom demo ✖ unreachable", "cannot connect"]);
    state.details = false;

    state.panel = Panel::Overview;
    insta::assert_snapshot!(
        "overview_160x48_sources_in_trouble",
        to_text(&render(&mut state))
    );
    for panel in [Panel::Databases, Panel::Services, Panel::Alerts] {
        let mut small = sources_in_trouble((80, 24));
        small.panel = panel;
        insta::assert_snapshot!(
            format!("{}_80x24_sources_in_trouble", name(panel)),
            to_text(&render(&mut small))
        );
    }
}

/// The Events panel with only Warnings (`W`), the title saying how many Normal ones it hides
/// and how to see them again.
#[test]
fn events_warnings_only() {
    let mut state = demo_state((120, 30));
    update(&mut state, ch('8'));
    update(&mut state, ch('W'));
    insta::assert_snapshot!("events_120x30_warnings_only", to_text(&render(&mut state)));
}

/// A Pending pod's details say why the scheduler refused it, from the events' store.
#[test]
fn pending_pod_details_name_the_last_scheduling_failure() {
    let mut state = demo_state((160, 48));
    update(&mut state, ch('2'));
    update(&mut state, ch('/'));
    for c in "Pending".chars() {
        update(&mut state, ch(c));
    }
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, key(KeyCode::Enter));
    let text = to_text(&render(&mut state));
    insta::assert_snapshot!("pods_160x48_pending_details", text);
}

/// With limited rights the status bar says what may be read instead of `ns:all`.
#[test]
fn status_bar_with_no_cluster_wide_access() {
    for size in [(80, 24), (120, 40)] {
        let mut state = demo_state(size);
        state.panel = Panel::Pods;
        state.estate.kube_access = opsdeck::domain::report::KubeAccess {
            namespaces: Some(2),
            not_permitted: vec!["events".into()],
        };
        let text = to_text(&render(&mut state));
        // The note fits whole, in a shorter form when narrow, beside every source's mark.
        let bar = text.lines().last().unwrap();
        assert!(!bar.contains('…'), "{bar}");
        assert!(bar.contains("backups●"), "{bar}");
        if size.0 == 80 {
            assert!(bar.contains(" 2 ns "), "{bar}");
        }
        insta::assert_snapshot!(format!("pods_{}x{}_limited_rights", size.0, size.1), text);
    }
}

/// Kinds this user may not read: "not permitted" where their data would be, at 80x24 (the
/// columns that say it give way first) and 160x48.
#[test]
fn kinds_not_permitted_where_their_data_would_be() {
    for size in [(80, 24), (160, 48)] {
        for panel in [Panel::Pods, Panel::Services, Panel::Events] {
            let mut state = demo_state(size);
            state.panel = panel;
            state.estate.kube_access = opsdeck::domain::report::KubeAccess {
                namespaces: None,
                not_permitted: ["events", "metrics", "network policies"]
                    .map(String::from)
                    .to_vec(),
            };
            // Refused, the adapter has none to send.
            state.estate.events = Default::default();
            let text = to_text(&render(&mut state));
            if size.0 == 160 || panel == Panel::Events {
                assert!(
                    text.contains("not permitted"),
                    "{panel:?} {size:?}:\n{text}"
                );
            }
            insta::assert_snapshot!(
                format!("{}_{}x{}_not_permitted", name(panel), size.0, size.1),
                text
            );
        }
    }
}

/// The drain's dialog: the plan (pods to evict, the DaemonSet's pod left), the CLI with the
/// flags it needs, the node's name to type.
#[test]
fn the_drain_dialog_shows_its_plan() {
    for size in SIZES {
        let state = &mut dialog_state(size, Panel::Nodes, "worker-09", 'D');
        let text = to_text(&render(state));
        assert!(
            text.contains("kubectl drain worker-09 --ignore-daemonsets"),
            "{text}"
        );
        insta::assert_snapshot!(format!("dialog_drain_{}x{}", size.0, size.1), text);
    }
}
