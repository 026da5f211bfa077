//! `update` driven by key presses and reports, with assertions on state and effects. No
//! terminal, no network.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Effect, Msg, Panel, prepare_frame, update};
use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};

#[test]
fn number_keys_select_panels_in_order_and_tab_cycles() {
    let mut state = demo_state((120, 40));
    // Spelled out, not Panel::ALL: this order is what the keys promise.
    let expected = [
        Panel::Overview,
        Panel::Pods,
        Panel::Services,
        Panel::Alerts,
        Panel::Databases,
        Panel::Backups,
        Panel::Checklist,
        Panel::Events,
        Panel::Nodes,
    ];
    for (i, panel) in expected.into_iter().enumerate() {
        press(&mut state, [ch(char::from(b'1' + i as u8))]);
        assert_eq!(state.panel, panel);
    }
    press(&mut state, [ch('0')]);
    assert_eq!(state.panel, Panel::Nodes, "0 is unbound");
    // Past the numbered panels, Tab reaches those with no key (Jobs, Config), then wraps.
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.panel, Panel::Jobs);
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.panel, Panel::Config);
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.panel, Panel::Overview, "tab wraps around");
    press(&mut state, [key(KeyCode::BackTab)]);
    assert_eq!(state.panel, Panel::Config);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut state = demo_state((80, 24));
    assert_eq!(press(&mut state, [ch('q')]), [Effect::Quit]);
    assert!(state.quit);
    let mut state = demo_state((80, 24));
    assert_eq!(press(&mut state, [ctrl('c')]), [Effect::Quit]);
}

#[test]
fn filter_narrows_live_as_you_type_and_esc_drops_it() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2'), ch('/')]);
    assert!(state.filter_input.is_some());
    press(&mut state, typed("crash"));
    prepare_frame(&mut state);
    let shown = state.tables.pods.visible().len();
    assert_eq!(shown, 1, "one crash-looping pod");
    // While typing, letters are text, not commands: "q" does not quit.
    press(&mut state, typed(" q"));
    assert!(!state.quit);
    assert_eq!(state.tables.pods.filter, "crash q");
    press(&mut state, [key(KeyCode::Esc)]);
    assert!(state.filter_input.is_none());
    assert_eq!(state.tables.pods.filter, "");
    prepare_frame(&mut state);
    assert_eq!(
        state.tables.pods.visible().len(),
        300 + opsdeck::sim::NODE_PODS
    );
}

#[test]
fn enter_keeps_the_filter_and_each_panel_has_its_own() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2'), ch('/')]);
    press(&mut state, typed("workflow"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.filter_input.is_none());
    assert_eq!(state.tables.pods.filter, "workflow");
    press(&mut state, [ch('3')]);
    assert_eq!(state.tables.services.filter, "");
    press(&mut state, [ch('2'), key(KeyCode::Esc)]);
    assert_eq!(
        state.tables.pods.filter, "",
        "esc in the table clears the filter"
    );
}

#[test]
fn navigation_moves_and_scrolls_within_bounds() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('2')]);
    prepare_frame(&mut state);
    let page = opsdeck::ui::layout::table_body_height(&state);
    assert!(page > 5);
    press(&mut state, [key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(state.tables.pods.selected, 2);
    press(&mut state, [key(KeyCode::PageDown)]);
    assert_eq!(state.tables.pods.selected, 2 + page);
    assert!(
        state.tables.pods.offset > 0,
        "scrolled to keep the selection visible"
    );
    assert!(state.tables.pods.selected < state.tables.pods.offset + page);
    press(&mut state, [ch('G')]);
    assert_eq!(state.tables.pods.selected, 299 + opsdeck::sim::NODE_PODS);
    press(&mut state, [key(KeyCode::Down)]);
    assert_eq!(state.tables.pods.selected, 299 + opsdeck::sim::NODE_PODS);
    press(&mut state, [ch('g')]);
    assert_eq!(
        (state.tables.pods.selected, state.tables.pods.offset),
        (0, 0)
    );
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2')]);
    assert_eq!(state.tables.pods.sort.column, 0);
    // `o` twice is the next column (`o` then a letter chooses one).
    for _ in 0..3 {
        press(&mut state, [ch('o'), ch('o')]);
    }
    assert_eq!(state.tables.pods.sort.column, 3, "STATUS");
    prepare_frame(&mut state);
    let first = state
        .estate
        .pods
        .get_index(state.tables.pods.visible()[0] as usize)
        .unwrap();
    assert_eq!(&*first.status, "CrashLoopBackOff", "worst status first");
    let selected = state
        .tables
        .pods
        .selected_index()
        .and_then(|i| state.estate.pods.get_index(i))
        .unwrap();
    assert_eq!(
        &*selected.status, "CrashLoopBackOff",
        "after a sort the selection goes to the first row"
    );
    press(&mut state, [ch('O')]);
    assert!(state.tables.pods.sort.descending);
}

#[test]
fn help_opens_scrolls_and_closes_and_swallows_table_keys() {
    let mut state = demo_state((80, 24));
    press(&mut state, [ch('2'), ch('?')]);
    assert_eq!(state.help, Some(0));
    press(&mut state, [key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(state.help, Some(2));
    assert_eq!(
        state.tables.pods.selected, 0,
        "keys scroll the help, not the table"
    );
    press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(state.help, None);
}

#[test]
fn details_toggle_and_esc_closes_them_before_clearing_the_filter() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('4'), key(KeyCode::Enter)]);
    assert!(state.details);
    state.tables.alerts.filter = "crash".into();
    press(&mut state, [key(KeyCode::Esc)]);
    assert!(!state.details);
    assert_eq!(state.tables.alerts.filter, "crash");
}

#[test]
fn repaint_is_an_effect() {
    let mut state = demo_state((80, 24));
    assert_eq!(press(&mut state, [ctrl('l')]), [Effect::Repaint]);
}

#[test]
fn reports_mark_the_state_dirty_but_heartbeats_of_a_live_source_do_not() {
    let mut state = demo_state((80, 24));
    state.dirty = false;
    let source = SourceId::new(SourceKind::Redis, "cache");
    let alive = SourceReport {
        source: source.clone(),
        at: state.now,
        report: Report::Alive,
    };
    update(&mut state, Msg::Report(alive));
    assert!(!state.dirty, "nothing visible changed");
    let down = SourceReport {
        source,
        at: state.now,
        report: Report::Unreachable("connection refused".into()),
    };
    update(&mut state, Msg::Report(down));
    assert!(state.dirty);
}

#[test]
fn the_clock_redraws_once_per_second() {
    let mut state = demo_state((80, 24));
    state.dirty = false;
    let now = state.now;
    update(&mut state, Msg::Tick(now));
    assert!(!state.dirty, "same second, nothing to draw");
    update(&mut state, Msg::Tick(now.plus(1)));
    assert!(state.dirty);
}

#[test]
fn selection_stays_on_its_pod_while_the_estate_churns() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2')]);
    prepare_frame(&mut state);
    press(&mut state, (0..40).map(|_| key(KeyCode::Down)));
    let chosen = state
        .tables
        .pods
        .selected_index()
        .and_then(|i| state.estate.pods.get_index(i))
        .unwrap()
        .key
        .clone();
    // New pods sorted before the selection move it down; it must follow.
    let mut newcomer = state.estate.pods.get(&chosen).unwrap().clone();
    newcomer.key = opsdeck::domain::PodKey::new("agents", "aaa-first");
    upsert_pod(&mut state, newcomer);
    prepare_frame(&mut state);
    let now_selected = state
        .tables
        .pods
        .selected_index()
        .and_then(|i| state.estate.pods.get_index(i))
        .unwrap();
    assert_eq!(now_selected.key, chosen);
}

#[test]
fn alert_grouping_cycles_through_the_labels_and_hiding_silenced_keeps_the_selection_sane() {
    use opsdeck::app::rows::Grouping;
    let mut state = demo_state((120, 30));
    press(&mut state, [ch('4')]);
    assert_eq!(state.alert_lens.group_by, Grouping::Name);
    let mut seen = Vec::new();
    for _ in 0..20 {
        press(&mut state, [ch('a')]);
        seen.push(state.alert_lens.group_by.word().to_string());
        if state.alert_lens.group_by == Grouping::Name {
            break;
        }
    }
    // Every label the demo alerts carry, alphabetically, then none, then back to alertname.
    assert_eq!(
        seen,
        [
            "backup",
            "deployment",
            "instance",
            "namespace",
            "node",
            "service",
            "severity",
            "none",
            "alertname"
        ]
    );
    let total = state.tables.alerts.visible().len();
    let silenced = state
        .estate
        .alerts
        .iter()
        .filter(|a| a.state != opsdeck::domain::AlertState::Active)
        .count();
    assert!(silenced > 0);
    press(&mut state, [ch('m')]);
    assert_eq!(state.tables.alerts.visible().len(), total - silenced);
    for i in state.tables.alerts.visible() {
        assert_eq!(
            state.estate.alerts[*i as usize].state,
            opsdeck::domain::AlertState::Active
        );
    }
    press(&mut state, [ch('m')]);
    assert_eq!(state.tables.alerts.visible().len(), total);
}

#[test]
fn switching_context_drops_the_old_cluster_and_takes_only_the_new_ones_reports() {
    let mut base = (*settings("default", "default", false)).clone();
    base.contexts = vec!["beta".into(), "demo".into()];
    let mut state = demo_state_with(std::sync::Arc::new(base), (120, 40), 60, 0);
    assert_eq!(state.estate.pods.len(), 60 + opsdeck::sim::NODE_PODS);
    // The picker opens on the context being watched; up chooses beta.
    press(&mut state, [ch('C')]);
    assert!(state.pane.is_some());
    press(&mut state, [key(KeyCode::Up)]);
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(effects, [Effect::SwitchContext("beta".into())]);
    assert_eq!(state.context, "beta");
    assert!(state.pane.is_none());
    assert!(
        state.estate.pods.is_empty(),
        "the old cluster's pods are gone"
    );
    assert!(state.estate.workloads.is_empty());
    let beta = SourceId::new(SourceKind::Kubernetes, "beta");
    assert!(
        state.estate.sources.contains_key(&beta),
        "shown as connecting"
    );
    // What the old cluster had already queued is not applied; the new one's is.
    let reset = |name: &str, pods| {
        Msg::Report(SourceReport {
            source: SourceId::new(SourceKind::Kubernetes, name),
            at: T0,
            report: Report::PodsReset(pods),
        })
    };
    let old_pods = demo_state((120, 40))
        .estate
        .pods
        .iter()
        .cloned()
        .collect::<Vec<_>>();
    update(&mut state, reset("demo", old_pods.clone()));
    assert!(state.estate.pods.is_empty());
    update(&mut state, reset("beta", old_pods[..5].to_vec()));
    assert_eq!(state.estate.pods.len(), 5);
    // Choosing the context already watched changes nothing.
    press(&mut state, [ch('C')]);
    assert!(press(&mut state, [key(KeyCode::Enter)]).is_empty());
    assert_eq!(state.context, "beta");
}

/// A pod's log read for the error counts redraws only where the counts are shown (Services,
/// the checklist): on the other panels it changed nothing visible, yet every read of a pass
/// asked for a frame — some 300 identical frames a minute on the demo.
#[test]
fn an_error_count_read_redraws_only_where_the_counts_are_shown() {
    use opsdeck::domain::{LogScan, ScanResult};
    for (panel, redraws) in [
        (Panel::Pods, false),
        (Panel::Overview, false),
        (Panel::Services, true),
    ] {
        let mut state = demo_state((120, 40));
        state.panel = panel;
        let pod = state.estate.pods.iter().next().expect("a pod").clone();
        state.dirty = false;
        let scan = LogScan {
            key: pod.key.clone(),
            owner: pod.owner.clone().expect("an owner"),
            container: None,
            since_seconds: 60,
            tail: 100,
            after: None,
        };
        update(
            &mut state,
            Msg::LogErrorsRead {
                scan,
                result: Ok(ScanResult::default()),
            },
        );
        assert_eq!(state.dirty, redraws, "{panel:?}");
    }
}

/// `q` closes the help as it closes every other overlay (it quit the cockpit from the help in
/// the default keymap); Ctrl-C still quits from anywhere.
#[test]
fn q_closes_the_help_and_ctrl_c_still_quits_from_it() {
    for keymap in ["default", "vim"] {
        let mut state = demo_state_with(settings("default", keymap, false), (80, 24), 300, 3);
        press(&mut state, [ch('?')]);
        assert!(state.help.is_some(), "{keymap}: ? opens the help");
        assert_eq!(press(&mut state, [ch('q')]), [], "{keymap}");
        assert!(
            state.help.is_none() && !state.quit,
            "{keymap}: q closed the help"
        );
        press(&mut state, [ch('?')]);
        assert_eq!(press(&mut state, [ctrl('c')]), [Effect::Quit], "{keymap}");
    }
}

#[test]
fn only_the_pods_panel_asks_for_pod_usage() {
    use opsdeck::app::metrics_demand::wanted;
    let mut state = demo_state((120, 40));
    assert!(!wanted(&state).any(), "the Overview shows no CPU or memory");
    press(&mut state, [ch('2')]);
    assert!(wanted(&state).pods, "the Pods panel shows CPU and memory");
    assert!(!wanted(&state).nodes, "but not the nodes'");
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(wanted(&state).pods, "and so do its details");
    for (panel, k) in [("Services", '3'), ("Alerts", '4'), ("Backups", '6')] {
        press(&mut state, [ch(k)]);
        assert!(!wanted(&state).any(), "{panel} shows no pod usage");
    }
    press(&mut state, [ch('9')]);
    assert!(
        wanted(&state).nodes,
        "the Nodes panel shows the nodes' usage"
    );
    assert!(!wanted(&state).pods, "and asks for no pod's");
}

#[test]
fn a_report_that_repeats_what_the_estate_holds_does_not_redraw() {
    // Polled sources send whole snapshots; most of them, most of the time, say again what was
    // already shown. Such a report must not cost a frame.
    let mut state = demo_state((200, 50));
    let source_of = |state: &opsdeck::app::State, kind: SourceKind| {
        state
            .estate
            .sources
            .keys()
            .find(|id| id.kind == kind)
            .cloned()
            .unwrap_or_else(|| panic!("the demo has a {kind:?} source"))
    };
    let estate = state.estate.clone();
    let k8s = SourceId::new(SourceKind::Kubernetes, state.context.clone());
    let usage: Vec<_> = estate
        .pods
        .iter()
        .filter_map(|p| Some((p.key.clone(), p.cpu_millis?, p.memory_bytes?)))
        .collect();
    assert!(!usage.is_empty(), "the demo's pods have usage");
    let alerts_source = source_of(&state, SourceKind::Alertmanager);
    let mut repeats = vec![
        (k8s.clone(), Report::Workloads(estate.workloads.clone())),
        (k8s.clone(), Report::Namespaces(estate.namespaces.to_vec())),
        (k8s.clone(), Report::PodUsage(usage)),
        (k8s.clone(), Report::Events(Vec::new())),
        (
            alerts_source.clone(),
            Report::Alerts(
                (estate.alerts.iter())
                    .filter(|a| a.source == alerts_source.name)
                    .cloned()
                    .collect(),
            ),
        ),
        (
            alerts_source.clone(),
            Report::Silences(
                (estate.silences.iter())
                    .filter(|s| s.source == alerts_source.name)
                    .cloned()
                    .collect(),
            ),
        ),
        (
            source_of(&state, SourceKind::Health),
            Report::Health(estate.health.values().cloned().collect()),
        ),
        (
            source_of(&state, SourceKind::Prometheus),
            Report::Kpis(estate.kpis.values().cloned().collect()),
        ),
        (
            source_of(&state, SourceKind::Backups),
            Report::Backups(estate.backups.clone()),
        ),
    ];
    let postgres = source_of(&state, SourceKind::Postgres);
    repeats
        .extend((estate.postgres.iter()).map(|i| (postgres.clone(), Report::Postgres(i.clone()))));
    let redis = source_of(&state, SourceKind::Redis);
    repeats.extend((estate.redis.iter()).map(|r| (redis.clone(), Report::Redis(r.clone()))));
    for (source, report) in repeats {
        state.dirty = false;
        let what = format!("{report:?}").chars().take(40).collect::<String>();
        let at = state.now;
        update(&mut state, Msg::Report(SourceReport { source, at, report }));
        assert!(!state.dirty, "an unchanged {what}… redraws");
    }
    // A snapshot that does change something is drawn.
    let mut workloads = estate.workloads.clone();
    workloads[0].ready = workloads[0].ready.saturating_sub(1);
    workloads[0].desired += 1;
    let at = state.now;
    let report = Report::Workloads(workloads);
    update(
        &mut state,
        Msg::Report(SourceReport {
            source: k8s,
            at,
            report,
        }),
    );
    assert!(state.dirty, "a changed workload redraws");
}

/// `W` in the Events panel shows only Warnings and again every event; elsewhere it is no key.
#[test]
fn w_in_events_shows_only_warnings_and_back() {
    use opsdeck::app::rows::EventRows;
    use opsdeck::app::table::RowSet;
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('8')]);
    let shown = |state: &opsdeck::app::State| -> Vec<bool> {
        state
            .tables
            .events
            .visible()
            .iter()
            .map(|i| state.estate.events.get_index(*i as usize).unwrap().warning)
            .collect()
    };
    let all = shown(&state);
    assert!(all.contains(&false) && all.contains(&true), "{all:?}");
    press(&mut state, [ch('W')]);
    let warnings = shown(&state);
    assert_eq!(warnings.len(), all.iter().filter(|w| **w).count());
    assert!(warnings.iter().all(|w| *w), "{warnings:?}");
    let rows = EventRows {
        events: &state.estate.events,
        generation: state.estate.gens.events,
        warnings_only: true,
    };
    assert!(rows.hides_some());
    press(&mut state, [ch('W')]);
    assert_eq!(shown(&state).len(), all.len());
    press(&mut state, [ch('2')]);
    press(&mut state, [ch('W')]);
    assert!(!state.tables.warnings_only, "W means nothing in Pods");
}
