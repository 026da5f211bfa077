//! Moving through the cluster at update level: the namespace picker, the `:` command line, and
//! drill-down from a workload, a pod, an alert and an Overview tile (and back up).

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::pane::PaneKind;
use opsdeck::app::{Msg, Panel, State, prepare_frame};
use opsdeck::domain::Level;

fn notice(state: &State) -> String {
    state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// The pods the Pods table shows, as `namespace/name`.
fn shown_pods(state: &mut State) -> Vec<opsdeck::domain::Pod> {
    prepare_frame(state);
    let table = &state.tables.pods;
    table
        .visible()
        .iter()
        .map(|i| state.estate.pods.get_index(*i as usize).unwrap().clone())
        .collect()
}

/// The Services table's rows as `namespace/name`.
fn shown_services(state: &mut State) -> Vec<String> {
    prepare_frame(state);
    let rows = opsdeck::app::rows::ServiceRows(&state.estate);
    state
        .tables
        .services
        .visible()
        .iter()
        .map(|i| {
            let r = rows.row(*i as usize).unwrap();
            format!("{}/{}", r.namespace().unwrap_or("-"), r.name())
        })
        .collect()
}

/// Moves the shown table's selection down until `found` says it is on the row wanted.
fn select_where(state: &mut State, found: impl Fn(&State) -> bool) {
    press(state, [key(KeyCode::Home)]);
    for _ in 0..400 {
        if found(state) {
            return;
        }
        press(state, [key(KeyCode::Down)]);
    }
    panic!("no such row in {:?}", state.panel);
}

/// A picker entry: name (`None`: all), pods, worst state, recent.
type Entry = (Option<String>, usize, Level, bool);

fn pane_namespaces(state: &State) -> (Vec<Entry>, usize) {
    match state.pane.as_ref().map(|p| &p.kind) {
        Some(PaneKind::Namespaces { rows, selected }) => (
            rows.iter()
                .map(|r| (r.name.clone(), r.pods, r.level, r.recent))
                .collect(),
            *selected,
        ),
        other => panic!("not the namespace picker: {other:?}"),
    }
}

#[test]
fn the_namespace_picker_lists_counts_and_worst_state_and_filters_pods_services_and_overview() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ctrl('n')]);
    let (rows, selected) = pane_namespaces(&state);
    assert_eq!(rows[0].0, None, "all first");
    assert_eq!(rows[0].1, state.estate.pods.len());
    assert_eq!(selected, 0, "no namespace chosen yet: on all");
    // Each namespace's count and worst state are its pods'.
    for (name, pods, level, _) in &rows[1..] {
        let name = name.as_deref().unwrap();
        let of: Vec<_> = state
            .estate
            .pods
            .iter()
            .filter(|p| &*p.key.namespace == name)
            .collect();
        assert_eq!(*pods, of.len(), "{name}");
        assert_eq!(*level, Level::worst(of.iter().map(|p| p.level())), "{name}");
    }
    let pos = rows
        .iter()
        .position(|r| r.0.as_deref() == Some("pos"))
        .unwrap();
    for _ in 0..pos {
        press(&mut state, [key(KeyCode::Down)]);
    }
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.pane.is_none());
    assert_eq!(state.view.namespace.as_deref(), Some("pos"));

    let pos_pods = state
        .estate
        .pods
        .iter()
        .filter(|p| &*p.key.namespace == "pos")
        .count();
    press(&mut state, [ch('2')]);
    let shown = shown_pods(&mut state);
    assert_eq!(shown.len(), pos_pods);
    assert!(shown.iter().all(|p| &*p.key.namespace == "pos"));
    press(&mut state, [ch('3')]);
    let services = shown_services(&mut state);
    assert!(!services.is_empty());
    assert!(
        services.iter().all(|s| s.starts_with("pos/")),
        "{services:?}"
    );
    assert_eq!(
        state.summary.pods.total, pos_pods,
        "the Overview counts pos only"
    );
    assert_eq!(state.summary.services.workloads, services.len());
    // Events follow it too.
    press(&mut state, [ch('8')]);
    prepare_frame(&mut state);
    let events: Vec<String> = (state.tables.events.visible().iter())
        .map(|i| {
            state
                .estate
                .events
                .get_index(*i as usize)
                .unwrap()
                .namespace
                .clone()
        })
        .collect();
    assert!(!events.is_empty(), "pos has events");
    assert!(events.iter().all(|ns| ns == "pos"), "{events:?}");

    // Recently used: the picker opens on the namespace left, so its key and Enter go back.
    press(&mut state, [ctrl('n')]);
    let (rows, selected) = pane_namespaces(&state);
    assert_eq!(rows[selected].0, None, "on all, the one before pos");
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.view.namespace, None);
    press(&mut state, [ctrl('n')]);
    let (rows, selected) = pane_namespaces(&state);
    assert_eq!(rows[selected].0.as_deref(), Some("pos"), "and back to pos");
    assert!(
        rows[1].3 && rows[1].0.as_deref() == Some("pos"),
        "recent after all: {rows:?}"
    );
    press(&mut state, [key(KeyCode::Esc), ch('2')]);
    assert_eq!(shown_pods(&mut state).len(), state.estate.pods.len());
}

#[test]
fn the_command_line_completes_opens_panels_with_a_namespace_and_says_what_it_accepts() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch(':')]);
    assert!(state.command_line.is_some());
    press(&mut state, typed("po"));
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.command_line.as_ref().unwrap().text(), "pods ");
    press(&mut state, typed("po"));
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.command_line.as_ref().unwrap().text(), "pods pos");
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.command_line.is_none());
    assert_eq!(state.panel, Panel::Pods);
    assert_eq!(state.view.namespace.as_deref(), Some("pos"));
    assert!(
        shown_pods(&mut state)
            .iter()
            .all(|p| &*p.key.namespace == "pos")
    );

    // Several candidates: the common prefix, and the candidates listed.
    press(&mut state, [ch(':'), ch('d')]);
    press(&mut state, [key(KeyCode::Tab)]);
    let line = state.command_line.as_ref().unwrap();
    assert_eq!(line.text(), "d");
    assert_eq!(line.hint.as_ref().unwrap().0, "deploy  db");
    press(&mut state, [ch('b'), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Databases);

    // Unknown input stays, saying what would be accepted; Esc leaves.
    press(&mut state, [ch(':')]);
    press(&mut state, typed("pdos"));
    press(&mut state, [key(KeyCode::Enter)]);
    let line = state.command_line.as_ref().expect("still open");
    let (hint, level) = line.hint.clone().unwrap();
    assert_eq!(level, Level::Warn);
    assert!(
        hint.starts_with("unknown command `pdos`: pods [NAMESPACE], deploy [NAMESPACE], svc"),
        "{hint}"
    );
    press(&mut state, [key(KeyCode::Esc)]);
    assert!(state.command_line.is_none());
    assert_eq!(state.panel, Panel::Databases, "Esc did nothing else");

    press(&mut state, [ch(':')]);
    press(&mut state, typed("ns nowhere"));
    press(&mut state, [key(KeyCode::Enter)]);
    let hint = state.command_line.as_ref().unwrap().hint.clone().unwrap().0;
    assert!(
        hint.contains("no namespace `nowhere`") && hint.contains("all, agents"),
        "{hint}"
    );
    press(&mut state, [key(KeyCode::Esc), ch(':')]);
    press(&mut state, typed("ns all"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.view.namespace, None);

    press(&mut state, [ch(':')]);
    press(&mut state, typed("svc workflow"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Services);
    assert!(
        shown_services(&mut state)
            .iter()
            .all(|s| s.starts_with("workflow/"))
    );

    // `:ctx NAME` takes a context of the kubeconfig (here: none), `:ctx` opens the picker.
    press(&mut state, [ch(':')]);
    press(&mut state, typed("ctx prod"));
    press(&mut state, [key(KeyCode::Enter)]);
    let hint = state.command_line.as_ref().unwrap().hint.clone().unwrap().0;
    assert_eq!(hint, "no context `prod` in the kubeconfig");
    press(&mut state, [key(KeyCode::Esc), ch(':')]);
    press(&mut state, typed("events"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Events);
    // `all` is a namespace word after a kind too, as in the picker.
    press(&mut state, [ch(':')]);
    press(&mut state, typed("pods pos"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.view.namespace.as_deref(), Some("pos"));
    press(&mut state, [ch(':')]);
    press(&mut state, typed("pods all"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(
        (state.panel, state.view.namespace.as_deref()),
        (Panel::Pods, None)
    );
}

#[test]
fn enter_on_a_workload_drills_to_its_pods_and_back_up_restores_where_it_was() {
    let mut state = demo_state((120, 40));
    // The Pods table had a filter and a selection before.
    press(&mut state, [ch('2'), ch('/')]);
    press(&mut state, typed("workflow"));
    press(
        &mut state,
        [key(KeyCode::Enter), key(KeyCode::Down), key(KeyCode::Down)],
    );
    let pods_selected = state.selected_pod().unwrap().key.clone();

    press(&mut state, [ch('3')]);
    select_where(&mut state, |s| {
        s.selected_workload().is_some_and(|w| w.name == "pos-order")
    });
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.panel, Panel::Pods);
    let shown = shown_pods(&mut state);
    let expected = state
        .estate
        .pods
        .iter()
        .filter(|p| {
            &*p.key.namespace == "pos" && p.owner.as_deref() == Some("Deployment/pos-order")
        })
        .count();
    assert!(expected > 0);
    assert_eq!(shown.len(), expected);
    assert_eq!(
        state.tables.pods.filter, "",
        "the drill shows all of the workload's pods"
    );
    assert_eq!(
        state.view.breadcrumb().unwrap(),
        ["Services", "pos/pos-order", "pods"]
    );

    press(&mut state, [key(KeyCode::Backspace)]);
    assert_eq!(state.panel, Panel::Services);
    assert_eq!(state.selected_workload().unwrap().name, "pos-order");
    assert!(state.view.stack.is_empty());
    press(&mut state, [ch('2')]);
    prepare_frame(&mut state);
    assert_eq!(
        state.tables.pods.filter, "workflow",
        "the Pods filter as it was"
    );
    assert_eq!(state.selected_pod().unwrap().key, pods_selected);

    // Esc goes back up too (after closing details).
    press(
        &mut state,
        [ch('3'), key(KeyCode::Right), key(KeyCode::Enter)],
    );
    assert!(state.details);
    press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(state.panel, Panel::Pods, "Esc first closes the details");
    press(&mut state, [key(KeyCode::Esc)]);
    assert_eq!(state.panel, Panel::Services);
}

#[test]
fn on_a_pod_the_drill_key_goes_to_its_owner_and_from_a_workloads_pods_back_to_it() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('2')]);
    select_where(&mut state, |s| {
        s.selected_pod()
            .is_some_and(|p| p.owner.as_deref() == Some("Deployment/pdf-recognizer"))
    });
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.panel, Panel::Services);
    assert_eq!(shown_services(&mut state), ["workflow/pdf-recognizer"]);
    assert_eq!(state.view.breadcrumb().unwrap()[0], "Pods");
    // Its pods, then the owner again: back where the drill started, not a loop.
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.view.stack.len(), 2);
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.view.stack.len(), 1);
    assert_eq!(state.panel, Panel::Services);
    // A panel key leaves the drill-down.
    press(&mut state, [ch('2')]);
    assert!(state.view.stack.is_empty());
    assert_eq!(shown_pods(&mut state).len(), state.estate.pods.len());
}

#[test]
fn from_an_alert_the_drill_key_goes_to_what_its_labels_name_or_offers_a_list() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('4')]);
    select_where(&mut state, |s| {
        opsdeck::app::rows::selected_alert(s).is_some_and(|e| e.alert.name == "KubePodCrashLooping")
    });
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.panel, Panel::Services);
    assert_eq!(shown_services(&mut state), ["workflow/pdf-recognizer"]);
    assert_eq!(
        state.view.breadcrumb().unwrap(),
        ["Alerts", "KubePodCrashLooping", "workflow/pdf-recognizer"]
    );
    // Its pods next: the breadcrumb names the workload once, the worst pod is selected.
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(
        state.view.breadcrumb().unwrap(),
        [
            "Alerts",
            "KubePodCrashLooping",
            "workflow/pdf-recognizer",
            "pods"
        ]
    );
    prepare_frame(&mut state);
    let selected = state.selected_pod().unwrap();
    assert!(selected.is_crash_looping(), "{selected:?}");
    press(
        &mut state,
        [key(KeyCode::Backspace), key(KeyCode::Backspace)],
    );
    assert_eq!(state.panel, Panel::Alerts);

    // An instance names a database; a backup a set.
    select_where(&mut state, |s| {
        opsdeck::app::rows::selected_alert(s).is_some_and(|e| e.alert.name == "BackupTooOld")
    });
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.panel, Panel::Backups);
    prepare_frame(&mut state);
    assert_eq!(state.tables.backups.visible().len(), 1);
    assert_eq!(
        state.selected_backup_set().unwrap().name,
        "positivity nightly"
    );
    press(&mut state, [key(KeyCode::Backspace)]);

    // Several things named: a short list; Enter shows the chosen one.
    let mut alert = opsdeck::app::rows::selected_alert(&state)
        .unwrap()
        .alert
        .clone();
    let pod = state
        .estate
        .pods
        .iter()
        .find(|p| &*p.key.namespace == "pos")
        .unwrap()
        .key
        .clone();
    alert.fingerprint = "several".into();
    alert.name = "Several".into();
    alert.labels = vec![
        ("deployment".into(), "pos-order".into()),
        ("namespace".into(), "pos".into()),
        ("pod".into(), pod.name.to_string()),
    ];
    let targets = opsdeck::app::drill::targets_of(&state, &alert);
    let labels: Vec<_> = targets.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        ["deployment pos/pos-order", &format!("pod pos/{}", pod.name)]
    );
}

#[test]
fn an_alert_naming_several_things_opens_a_list_to_choose_from() {
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let mut state = demo_state((120, 40));
    let mut alerts = state.estate.alerts.clone();
    let pod = state
        .estate
        .pods
        .iter()
        .find(|p| &*p.key.namespace == "pos")
        .unwrap()
        .key
        .clone();
    let mut alert = alerts[0].clone();
    alert.fingerprint = "several".into();
    alert.name = "AAASeveral".into();
    alert.labels = vec![
        ("deployment".into(), "pos-order".into()),
        ("namespace".into(), "pos".into()),
        ("pod".into(), pod.name.to_string()),
    ];
    let source = alert.source.clone();
    alerts.push(alert);
    alerts.retain(|a| a.source == source);
    let at = state.now;
    opsdeck::app::update(
        &mut state,
        Msg::Report(SourceReport {
            source: SourceId::new(SourceKind::Alertmanager, &source),
            at,
            report: Report::Alerts(alerts),
        }),
    );
    press(&mut state, [ch('4')]);
    select_where(&mut state, |s| {
        opsdeck::app::rows::selected_alert(s).is_some_and(|e| e.alert.name == "AAASeveral")
    });
    press(&mut state, [key(KeyCode::Right)]);
    let Some(PaneKind::Targets { targets, .. }) = state.pane.as_ref().map(|p| &p.kind) else {
        panic!("a list: {:?}", state.pane);
    };
    assert_eq!(targets.len(), 2);
    press(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Pods);
    let shown = shown_pods(&mut state);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].key, pod);
}

#[test]
fn enter_on_an_overview_tile_opens_its_panel_filtered_to_the_problem_it_names() {
    let mut state = demo_state((120, 40));
    prepare_frame(&mut state);
    let crash_looping = state.summary.pods.crash_looping;
    assert!(crash_looping > 0, "the demo has a crash-looping pod");
    press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Pods);
    let shown = shown_pods(&mut state);
    assert_eq!(
        shown.len(),
        crash_looping,
        "the tile's figure is the rows shown"
    );
    assert!(shown.iter().all(|p| p.level() == Level::Crit));
    assert_eq!(
        state.view.breadcrumb().unwrap(),
        ["Overview", "Pods tile", "crash-looping pods"]
    );
    press(&mut state, [key(KeyCode::Backspace)]);
    assert_eq!(state.panel, Panel::Overview);

    // The Services tile: workloads not ready.
    press(&mut state, [key(KeyCode::Right), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Services);
    let s = &state.summary.services;
    let not_ready = s.workloads - s.fully_ready;
    assert!(not_ready > 0);
    assert_eq!(shown_services(&mut state).len(), not_ready);
    press(&mut state, [key(KeyCode::Backspace)]);

    // The Alerts tile: firing criticals.
    press(&mut state, [key(KeyCode::Right), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Alerts);
    prepare_frame(&mut state);
    assert_eq!(
        state.tables.alerts.visible().len(),
        state.summary.alerts.critical
    );
    press(&mut state, [key(KeyCode::Backspace)]);

    // Below: Databases (the fullest instance), Backups (sets beyond RPO), Sources (none).
    press(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Overview);
    assert_eq!(notice(&state), "the Sources tile has no panel of its own");
    press(&mut state, [key(KeyCode::Left), key(KeyCode::Enter)]);
    assert_eq!(state.panel, Panel::Backups);
    prepare_frame(&mut state);
    let now = state.now;
    let beyond = state
        .estate
        .backups
        .iter()
        .filter(|b| !b.within_rpo(now))
        .count();
    assert!(beyond > 0);
    assert_eq!(state.tables.backups.visible().len(), beyond);
    press(
        &mut state,
        [
            key(KeyCode::Backspace),
            key(KeyCode::Left),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(state.panel, Panel::Databases);
    assert_eq!(
        state.view.breadcrumb().unwrap()[2],
        "instance positivity-db"
    );
    assert!(notice(&state).is_empty() || !notice(&state).contains("not a key"));
}

#[test]
fn a_drill_to_another_namespace_shows_it_whatever_namespace_is_chosen() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch(':')]);
    press(&mut state, typed("ns pos"));
    press(&mut state, [key(KeyCode::Enter), ch('4')]);
    select_where(&mut state, |s| {
        opsdeck::app::rows::selected_alert(s).is_some_and(|e| e.alert.name == "KubePodCrashLooping")
    });
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(shown_services(&mut state), ["workflow/pdf-recognizer"]);
    press(&mut state, [key(KeyCode::Right)]);
    assert!(!shown_pods(&mut state).is_empty(), "its pods, in workflow");
    // Back up, the namespace chosen still applies.
    press(
        &mut state,
        [key(KeyCode::Backspace), key(KeyCode::Backspace), ch('2')],
    );
    assert!(
        shown_pods(&mut state)
            .iter()
            .all(|p| &*p.key.namespace == "pos")
    );
}
