//! The logs pane driven through `update`: opening a pod's or a workload's log, the container
//! picker, following and scrolling, the level filter, search and its jumps, copying, saving,
//! and the error counts' passes. No terminal, no network.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::pane::PaneKind;
use opsdeck::app::{Effect, Msg, State, update};

fn lines_from(stream: u64, source: u16, lines: &[String]) -> Msg {
    Msg::LogLines {
        stream,
        source,
        lines: lines.to_vec(),
    }
}

fn log_pane(state: &State) -> &opsdeck::app::logs::LogPane {
    match state.pane.as_ref().map(|p| &p.kind) {
        Some(PaneKind::Logs(pane)) => pane,
        other => panic!("{other:?}"),
    }
}

/// Shows the panel of key `panel` with its rows filtered to `text`.
fn filter_to(state: &mut State, panel: char, text: &str) {
    press(state, [ch(panel), ch('/')]);
    press(state, typed(text));
    press(state, [key(KeyCode::Enter)]);
}

/// Opens the crash-looping pod's log from the Pods panel; its stream number.
fn open_crashed_pod_log(state: &mut State) -> u64 {
    filter_to(state, '2', "crash");
    let opened = press(state, [ch('l')]);
    let [Effect::OpenLogs { stream, .. }] = opened.as_slice() else {
        panic!("{opened:?}")
    };
    *stream
}

#[test]
fn the_logs_pane_opens_a_stream_keeps_its_lines_and_closes_it_when_it_goes() {
    let mut state = demo_state((120, 40));
    filter_to(&mut state, '2', "crash");
    let effects = press(&mut state, [ch('l')]);
    let [
        Effect::OpenLogs {
            stream,
            context: _,
            namespace,
            pods,
            options,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(namespace, "workflow");
    assert!(pods.len() == 1 && pods[0].starts_with("pdf-recognizer-"));
    assert_eq!((options.tail_lines, options.follow), (Some(200), true));
    let stream = *stream;
    let lines = ["INFO a", "WARN b", "ERROR c", "\x1b[2Jhostile"]
        .map(String::from)
        .to_vec();
    update(&mut state, lines_from(stream, 0, &lines));
    update(
        &mut state,
        lines_from(stream + 99, 0, &["not ours".to_string()]),
    );
    let shown = |state: &opsdeck::app::State| match state.pane.as_ref().map(|p| &p.kind) {
        Some(PaneKind::Logs(pane)) => (pane.shown(), pane.follow),
        other => panic!("{other:?}"),
    };
    assert_eq!(shown(&state), (4, true));
    // `e` shows warnings and errors, again errors only; scrolling up pauses following.
    press(&mut state, [ch('e')]);
    assert_eq!(shown(&state).0, 2);
    press(&mut state, [ch('e'), ch('e')]);
    press(&mut state, [key(KeyCode::Up)]);
    assert_eq!(shown(&state), (4, false));
    // Esc closes the pane, and with it the stream.
    let effects = press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(effects, [Effect::CloseLogs(stream)]);
    assert!(state.pane.is_none());
}

#[test]
fn p_reopens_the_log_of_the_crashed_container_and_closes_the_current_stream() {
    let mut state = demo_state((120, 40));
    filter_to(&mut state, '2', "crash");
    let opened = press(&mut state, [ch('l')]);
    let [Effect::OpenLogs { stream: first, .. }] = opened.as_slice() else {
        panic!("{opened:?}")
    };
    let effects = press(&mut state, [ch('p')]);
    let [
        Effect::CloseLogs(closed),
        Effect::OpenLogs {
            stream, options, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(closed, first);
    assert_ne!(stream, first);
    assert!(options.previous && !options.follow);
    // The server always sends timestamps; T only shows or hides them, the stream stays.
    assert!(options.timestamps);
    assert!(!log_pane(&state).timestamps, "one pod: hidden at first");
    let effects = press(&mut state, [ch('T')]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(log_pane(&state).timestamps);
}

#[test]
fn s_saves_the_lines_shown_to_the_state_directory() {
    let mut base = (*settings("default", "default", false)).clone();
    base.state_dir = Some("/var/tmp/opsdeck-state".into());
    let mut state = demo_state_with(std::sync::Arc::new(base), (120, 40), 300, 0);
    filter_to(&mut state, '2', "crash");
    let opened = press(&mut state, [ch('l')]);
    let [Effect::OpenLogs { stream, .. }] = opened.as_slice() else {
        panic!("{opened:?}")
    };
    let lines = ["INFO a", "ERROR b"].map(String::from).to_vec();
    update(&mut state, lines_from(*stream, 0, &lines));
    press(&mut state, [ch('e'), ch('e')]);
    let effects = press(&mut state, [ch('s')]);
    let [Effect::WriteFile { path, contents }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        path.to_str()
            .unwrap()
            .starts_with("/var/tmp/opsdeck-state/logs/workflow_pdf-recognizer-"),
        "{path:?}"
    );
    assert_eq!(contents, "ERROR b\n", "the level filter applies");
    update(
        &mut state,
        Msg::FileWritten {
            path: path.clone(),
            result: Ok(()),
        },
    );
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .starts_with("saved to /var/tmp/opsdeck-state/logs/")
    );
}

#[test]
fn slash_searches_highlights_and_n_jumps_to_older_matches_and_back() {
    let mut state = demo_state((120, 40));
    let stream = open_crashed_pod_log(&mut state);
    let lines: Vec<String> = (0..100)
        .map(|i| {
            if i % 30 == 5 {
                format!("ERROR Upstream timeout #{i}")
            } else {
                format!("INFO line {i}")
            }
        })
        .collect();
    update(&mut state, lines_from(stream, 0, &lines));
    // Matches at 5, 35, 65, 95; typing jumps to the newest at or above the bottom line.
    press(&mut state, [ch('/')]);
    press(&mut state, typed("upstream"));
    let pane = log_pane(&state);
    assert_eq!(pane.search, "upstream");
    assert_eq!(pane.match_at, Some(4), "line 95 is 4 from the newest");
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.filter_input.is_none(), "Enter keeps the search");
    // n goes older, N newer; past the oldest there is nothing, and the reader is told.
    press(&mut state, [ch('n')]);
    assert_eq!(log_pane(&state).match_at, Some(34));
    assert!(!log_pane(&state).follow, "a jump stops following");
    press(&mut state, [ch('n'), ch('n')]);
    assert_eq!(log_pane(&state).match_at, Some(94));
    press(&mut state, [ch('n')]);
    assert_eq!(log_pane(&state).match_at, Some(94));
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("no older match")
    );
    press(&mut state, [ch('N')]);
    assert_eq!(log_pane(&state).match_at, Some(64));
    // The match is brought into view: in the middle of the 36 rows.
    let pane = log_pane(&state);
    assert_eq!(pane.from_bottom, 64 - 36 / 2);
    let (width, rows) = opsdeck::ui::logs::text_size(state.size);
    let visible = pane.visible(width, rows);
    assert!(
        visible
            .iter()
            .any(|l| &*l.text == "ERROR Upstream timeout #35")
    );
    // New lines keep the match on the same line.
    update(
        &mut state,
        lines_from(stream, 0, &["INFO newer".to_string()]),
    );
    let pane = log_pane(&state);
    assert_eq!(pane.match_at, Some(65));
    let shown: Vec<_> = pane.buffer.at_least(pane.min_level).collect();
    assert_eq!(
        &*shown[shown.len() - 1 - 65].text,
        "ERROR Upstream timeout #35"
    );
    // Esc while typing drops the search; the pane stays.
    press(&mut state, [ch('/'), key(KeyCode::Esc)]);
    assert!(log_pane(&state).search.is_empty());
    assert!(log_pane(&state).match_at.is_none());
}

#[test]
fn y_copies_the_lines_on_screen_with_osc52() {
    let mut state = demo_state((120, 20));
    let stream = open_crashed_pod_log(&mut state);
    let lines: Vec<String> = (0..50).map(|i| format!("INFO line {i}")).collect();
    update(&mut state, lines_from(stream, 0, &lines));
    // 16 rows of text on a 20-row terminal; scrolled up 10, the copy is lines 24..=39.
    for _ in 0..10 {
        press(&mut state, [key(KeyCode::Up)]);
    }
    let effects = press(&mut state, [ch('y')]);
    let [Effect::Copy(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let copied: Vec<&str> = text.lines().collect();
    assert_eq!(copied.len(), 16);
    assert_eq!(copied[0], "INFO line 24");
    assert_eq!(copied[15], "INFO line 39");
    assert_eq!(
        state.current_notice().unwrap().text,
        "16 lines sent to the terminal's clipboard (OSC 52)"
    );
}

#[test]
fn l_on_a_service_follows_each_of_its_pods_marked_and_capped() {
    let mut base = (*settings("default", "default", false)).clone();
    base.logs.max_streams = 3;
    let mut state = demo_state_with(std::sync::Arc::new(base), (160, 40), 300, 0);
    filter_to(&mut state, '3', "pos-order");
    let effects = press(&mut state, [ch('l')]);
    let [
        Effect::OpenLogs {
            stream,
            context: _,
            namespace,
            pods,
            options,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(namespace, "pos");
    assert_eq!(pods.len(), 3, "[logs] max_streams");
    assert!(pods.iter().all(|p| p.starts_with("pos-order-")));
    assert!(options.follow && options.container.is_none());
    // The tails are merged by the kubelet's timestamps, and several pods show them.
    assert!(options.timestamps);
    assert!(log_pane(&state).timestamps, "shown with several pods");
    let total = state
        .estate
        .pods
        .iter()
        .filter(|p| p.owner.as_deref() == Some("Deployment/pos-order"))
        .count();
    let pane = log_pane(&state);
    assert_eq!(pane.left_out, total - 3);
    // Each line is marked with its pod's short name; one pod ending leaves the others going.
    update(
        &mut state,
        lines_from(*stream, 2, &["ERROR from the third".into()]),
    );
    update(
        &mut state,
        lines_from(*stream, 0, &["INFO from the first".into()]),
    );
    update(
        &mut state,
        Msg::LogEnded {
            stream: *stream,
            source: 1,
            error: Some("container not running".into()),
        },
    );
    let pane = log_pane(&state);
    let marked: Vec<(&str, &str)> = pane
        .buffer
        .at_least(pane.min_level)
        .map(|l| (pane.prefix(l).unwrap(), &*l.text))
        .collect();
    let suffix = |i: usize| pods[i].rsplit('-').next().unwrap();
    assert_eq!(
        marked,
        [
            (suffix(2), "ERROR from the third"),
            (suffix(0), "INFO from the first")
        ]
    );
    assert_eq!(pane.failed, [(1, "container not running".to_string())]);
    assert!(pane.ended.is_none(), "two pods still stream");
}

#[test]
fn a_pod_with_a_sidecar_asks_which_container_and_c_asks_again() {
    let mut state = demo_state((160, 40));
    filter_to(&mut state, '2', "pos-gateway");
    assert!(press(&mut state, [ch('l')]).is_empty(), "nothing opens yet");
    let Some(PaneKind::Containers(picker)) = state.pane.as_ref().map(|p| &p.kind) else {
        panic!("{:?}", state.pane)
    };
    assert_eq!(picker.pane.containers, ["pos-gateway", "envoy"]);
    press(&mut state, [key(KeyCode::Down)]);
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let [
        Effect::OpenLogs {
            stream, options, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(options.container.as_deref(), Some("envoy"));
    // c reopens the picker (closing the stream), on the container shown.
    let effects = press(&mut state, [ch('c')]);
    assert_eq!(effects, [Effect::CloseLogs(*stream)]);
    let Some(PaneKind::Containers(picker)) = state.pane.as_ref().map(|p| &p.kind) else {
        panic!("{:?}", state.pane)
    };
    assert_eq!(picker.selected, 1);
}

#[test]
fn error_count_passes_come_each_interval_and_fill_the_services_column() {
    use opsdeck::domain::{ScanResult, UnixTime};
    // A budget above the demo's pods, so that one pass reads them all (tests/error_budget.rs
    // has the budgeted passes).
    let mut base = (*settings("default", "default", false)).clone();
    base.logs.error_reads_per_minute = 10_000;
    let mut state = demo_state_with(std::sync::Arc::new(base), (160, 40), 300, 3);
    // Setting the demo state up ticked once, which started a pass; start again here.
    state.error_reads = Default::default();
    let now = state.now;
    let effects = update(&mut state, Msg::Tick(now));
    let [Effect::ReadLogErrors(scans)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let running = state
        .estate
        .pods
        .iter()
        .filter(|p| p.phase == opsdeck::domain::PodPhase::Running && p.owner.is_some())
        .count();
    assert_eq!(scans.len(), running, "every running pod with a workload");
    let gateway = scans
        .iter()
        .find(|s| s.key.name.starts_with("pos-gateway-"))
        .unwrap();
    assert_eq!(
        gateway.container.as_deref(),
        Some("pos-gateway"),
        "not the sidecar"
    );
    // One pass at a time: the next tick starts nothing while this one runs.
    assert!(update(&mut state, Msg::Tick(now.plus(120))).is_empty());
    let order = scans
        .iter()
        .filter(|s| &*s.owner == "Deployment/pos-order")
        .cloned()
        .collect::<Vec<_>>();
    let at = |secs: i64| {
        let t = UnixTime(now.0 - secs).rfc3339();
        format!("{}.5Z", t.trim_end_matches('Z'))
    };
    for scan in &order {
        let lines = [
            format!("{} ERROR a", at(3600)),
            format!("{} ERROR b", at(60)),
            format!("{} INFO c", at(30)),
        ];
        let result = ScanResult::tally(lines.iter().map(String::as_str), None);
        update(
            &mut state,
            Msg::LogErrorsRead {
                scan: scan.clone(),
                result: Ok(result),
            },
        );
    }
    update(&mut state, Msg::LogErrorsPassDone);
    let workload = state
        .estate
        .workloads
        .iter()
        .find(|w| w.name == "pos-order")
        .unwrap();
    let errors = state.estate.log_errors_for(workload).unwrap();
    let n = order.len() as u32;
    assert_eq!(errors.counts, [n, 2 * n]);
    assert_eq!(errors.complete, [true, true]);
    // The column shows them.
    filter_to(&mut state, '3', "pos-order");
    let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(screen.contains(&format!("{n} / {}", 2 * n)), "{screen}");
    // The next pass waits for the interval, then reads only what is new.
    assert!(update(&mut state, Msg::Tick(now.plus(30))).is_empty());
    let effects = update(&mut state, Msg::Tick(now.plus(61)));
    let [Effect::ReadLogErrors(next)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let again = next.iter().find(|s| s.key == order[0].key).unwrap();
    assert!(again.after.is_some());
    assert_eq!(again.since_seconds, 61 + 30 + 1);
}

#[test]
fn help_opens_over_the_logs_pane_and_leaves_its_stream_open() {
    let mut state = demo_state((120, 40));
    open_crashed_pod_log(&mut state);
    let effects = press(&mut state, [ch('?')]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.help.is_some());
    press(&mut state, [ch('?')]);
    assert!(state.help.is_none());
    log_pane(&state);
}
