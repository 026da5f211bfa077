//! The action pipeline in `update`, for every action: the dialog opens from its key, cancel
//! leaves everything as it was, a wrong typed name never confirms, read-only refuses, and a
//! failure is shown and kept in the timeline. No terminal, no backend.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::ActionKind;
use opsdeck::actions::executor::Permission;
use opsdeck::app::dialog::{FieldKind, Focus};
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, Panel, State, prepare_frame, update};

/// Every action: its panel, its key, a filter that selects a row it applies to, and whether it
/// is high risk with its default parameters.
const ACTIONS: &[(Panel, char, &str, &str, bool)] = &[
    (Panel::Services, 's', "pos-catalog", "scale", false),
    (
        Panel::Services,
        'r',
        "pos-catalog",
        "rollout-restart",
        false,
    ),
    (Panel::Services, 'u', "pos-payment", "rollback", true),
    (Panel::Services, 'L', "pos-payment", "lockdown", true),
    (Panel::Pods, '\u{4}', "pos-catalog", "restart-pod", false),
    (Panel::Pods, 's', "pos-catalog", "shell", false),
    (Panel::Pods, 'x', "pos-catalog", "exec", false),
    (Panel::Alerts, 'S', "HighLatencyP95", "silence", false),
    (
        Panel::Alerts,
        'E',
        "NodeDiskPressure",
        "expire-silence",
        false,
    ),
    (Panel::Databases, 'x', "metabase", "cancel-query", false),
    (Panel::Databases, 'X', "metabase", "terminate-backend", true),
    (Panel::Backups, 'b', "positivity", "take-backup", false),
    (Panel::Backups, 'v', "positivity", "verify-backup", false),
    (Panel::Backups, 'T', "positivity", "test-restore", false),
    (Panel::Nodes, 'c', "worker-01", "cordon", false),
    (Panel::Nodes, 'u', "worker-12", "uncordon", false),
    (Panel::Services, 'A', "pos-catalog", "hpa-bounds", false),
    (
        Panel::Services,
        'R',
        "pdf-recognizer",
        "set-resources",
        false,
    ),
    (Panel::Nodes, 'D', "worker-09", "drain", true),
];

fn key_for(c: char) -> Msg {
    match c {
        '\u{4}' => ctrl('d'),
        '\u{15}' => ctrl('u'),
        c => ch(c),
    }
}

/// The demo state on `panel` with the first row matching `filter` selected.
fn on_row(panel: Panel, filter: &str) -> State {
    let mut state = demo_state((160, 48));
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    assert!(!state.tables.pods.visible().is_empty() || panel != Panel::Pods);
    state
}

fn open(panel: Panel, key: char, filter: &str) -> (State, Vec<Effect>) {
    let mut state = on_row(panel, filter);
    let effects = press(&mut state, [key_for(key)]);
    (state, effects)
}

/// What an estate looks like, to show that nothing changed.
fn fingerprint(state: &State) -> String {
    format!(
        "{:?}{:?}{:?}{:?}{:?}",
        state.estate.workloads,
        state.estate.namespaces,
        state.estate.alerts,
        state.estate.postgres,
        state.estate.backups
    )
}

/// Enter on Confirm. Tab skips a disabled Confirm, so the focus is put there as it is when
/// Confirm was enabled and then lost its enabling (an edit, new data): confirming checks again.
fn press_confirm(state: &mut State) -> Vec<Effect> {
    state.dialog.as_mut().expect("dialog").focus = Focus::Confirm;
    press(state, [key(KeyCode::Enter)])
}

fn focus_field(state: &mut State, kind: FieldKind) {
    let dialog = state.dialog.as_mut().expect("dialog");
    let i = dialog
        .fields
        .iter()
        .position(|f| f.kind == kind)
        .expect("field");
    dialog.focus = Focus::Field(i);
}

/// Types into the typed-name field.
fn type_name(state: &mut State, name: &str) {
    focus_field(state, FieldKind::TypedName);
    press(state, typed(name));
}

#[test]
fn every_action_opens_its_dialog_with_a_permission_check_and_focus_on_a_field_or_close() {
    for (panel, k, filter, name, high) in ACTIONS {
        let (state, effects) = open(*panel, *k, filter);
        let dialog = state
            .dialog
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no dialog; notice {:?}", state.current_notice()));
        assert_eq!(dialog.action.kind.name(), *name);
        // The first field when there is one, else Close; never a Confirm that cannot be used.
        let expected = match dialog.visible_fields().first() {
            Some(_) => matches!(dialog.focus, Focus::Field(_)),
            None => dialog.focus == Focus::Cancel,
        };
        assert!(expected, "{name}: {:?}", dialog.focus);
        assert_eq!(dialog.requires_typed_name(), *high, "{name}");
        assert!(
            matches!(effects.as_slice(), [Effect::CheckPermission { .. }]),
            "{name}: {effects:?}"
        );
        assert!(
            !dialog.confirm_enabled(),
            "{name}: enabled before permission"
        );
    }
}

#[test]
fn cancel_leaves_the_estate_unchanged_and_executes_nothing() {
    for (panel, k, filter, name, _) in ACTIONS {
        for cancel in [key(KeyCode::Esc), key(KeyCode::Enter)] {
            let (mut state, _) = open(*panel, *k, filter);
            allow(&mut state);
            let before = fingerprint(&state);
            // Esc, or Enter on the Close button.
            state.dialog.as_mut().unwrap().focus = Focus::Cancel;
            let effects = press(&mut state, [cancel]);
            assert!(effects.is_empty(), "{name}: {effects:?}");
            assert!(state.dialog.is_none(), "{name}: dialog still open");
            assert!(
                state.running.is_empty() && state.timeline.is_empty(),
                "{name}"
            );
            assert_eq!(fingerprint(&state), before, "{name}");
        }
    }
}

#[test]
fn a_wrong_typed_name_never_confirms() {
    for (panel, k, filter, name, high) in ACTIONS {
        if !high {
            continue;
        }
        let (mut state, _) = open(*panel, *k, filter);
        allow(&mut state);
        let target = state.dialog.as_ref().unwrap().action.target.name();
        for wrong in ["", "pos-paymen", "POS-PAYMENT", "x", &format!("{target}x")] {
            let (mut state, _) = open(*panel, *k, filter);
            allow(&mut state);
            type_name(&mut state, wrong);
            let effects = press_confirm(&mut state);
            assert!(effects.is_empty(), "{name}: confirmed with {wrong:?}");
            assert!(state.dialog.is_some(), "{name}: the dialog stays open");
            assert!(
                state
                    .current_notice()
                    .is_some_and(|n| n.text.contains("type")),
                "{name}: says why"
            );
        }
        type_name(&mut state, &target);
        let effects = press_confirm(&mut state);
        assert!(
            matches!(effects.as_slice(), [Effect::Execute { .. }]),
            "{name}: the right name confirms: {effects:?}"
        );
    }
}

#[test]
fn nothing_confirms_without_permission() {
    let (mut state, _) = open(Panel::Services, 'r', "pos-catalog");
    // Tab does not reach a Confirm that cannot be pressed.
    press(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(state.dialog.as_ref().unwrap().focus, Focus::Cancel);
    assert!(press_confirm(&mut state).is_empty(), "still checking");
    let seq = state.dialog.as_ref().unwrap().seq;
    update(
        &mut state,
        Msg::Permission {
            seq,
            permission: Permission::Denied("RBAC says no".into()),
        },
    );
    // The focus is still on Confirm.
    assert!(press(&mut state, [key(KeyCode::Enter)]).is_empty());
    assert!(state.dialog.is_some());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("RBAC says no")
    );
}

#[test]
fn read_only_refuses_every_action_key() {
    for (panel, k, filter, name, _) in ACTIONS {
        let mut settings = (*settings("default", "default", false)).clone();
        settings.readonly = true;
        let mut state = demo_state_with(std::sync::Arc::new(settings), (160, 48), 300, 3);
        state.panel = *panel;
        press(&mut state, [ch('/')]);
        press(&mut state, typed(filter));
        press(&mut state, [key(KeyCode::Enter)]);
        let effects = press(&mut state, [key_for(*k)]);
        assert!(effects.is_empty(), "{name}: {effects:?}");
        assert!(
            state.dialog.is_none(),
            "{name}: a dialog opened in read-only"
        );
        let notice = state
            .current_notice()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(
            notice.contains("Read-only") && notice.contains(name),
            "{name}: {notice}"
        );
    }
}

#[test]
fn scale_takes_the_typed_count_and_zero_needs_the_name() {
    let (mut state, _) = open(Panel::Services, 's', "pos-catalog");
    allow(&mut state);
    let dialog = state.dialog.as_ref().unwrap();
    let current = match dialog.action.kind {
        ActionKind::Scale { replicas } => replicas,
        _ => unreachable!(),
    };
    assert!(!dialog.confirm_enabled(), "the current count is no change");
    // The focus starts on the count; what is typed replaces it.
    press(&mut state, typed(&(current + 2).to_string()));
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(
        dialog.action.kind,
        ActionKind::Scale {
            replicas: current + 2
        }
    );
    assert_eq!(
        dialog.preview.as_ref().unwrap().change,
        format!("replicas {current} → {}", current + 2)
    );
    assert!(
        dialog
            .preview
            .as_ref()
            .unwrap()
            .cli
            .ends_with(&format!("--replicas={}", current + 2))
    );
    press(&mut state, [key(KeyCode::Backspace), ch('0')]);
    press(&mut state, (0..4).map(|_| key(KeyCode::Backspace)));
    press(&mut state, [ch('0')]);
    let dialog = state.dialog.as_ref().unwrap();
    assert!(dialog.requires_typed_name(), "scaling to 0 is high risk");
    assert!(
        dialog
            .preview
            .as_ref()
            .unwrap()
            .warnings
            .iter()
            .any(|w| w.contains("Scaling to 0"))
    );
    press(&mut state, [ch('x')]);
    assert!(
        state.dialog.as_ref().unwrap().field_error.is_some(),
        "0x is not a number"
    );
}

#[test]
fn a_confirmed_action_runs_once_per_target_and_its_failure_is_shown_and_kept() {
    let (mut state, _) = open(Panel::Services, 'r', "pos-catalog");
    allow(&mut state);
    let effects = press_confirm(&mut state);
    let [Effect::Execute { seq, intent }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(intent.confirmed_by, "button");
    assert_eq!(intent.operator, "tester@bastion");
    assert!(
        state
            .running
            .contains_key("demo pos/deployment/pos-catalog")
    );
    // A second action on the same target while the first runs is refused.
    press(&mut state, [ch('r')]);
    assert!(state.dialog.is_none());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("already has an action running")
    );
    update(
        &mut state,
        Msg::ActionProgress {
            seq: *seq,
            line: "half way".into(),
        },
    );
    assert_eq!(
        state.timeline[0].status,
        Status::Running {
            progress: Some("half way".into())
        }
    );
    // Its output streams into the timeline pane, under the action, the newest lines shown.
    for i in 0..10 {
        update(
            &mut state,
            Msg::ActionProgress {
                seq: *seq,
                line: format!("pg_dump: dumping table {i}"),
            },
        );
    }
    assert_eq!(state.timeline[0].output.len(), 11);
    state.show_timeline = true;
    let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(screen.contains("    pg_dump: dumping table 9"), "{screen}");
    assert!(screen.contains("    pg_dump: dumping table 4"), "{screen}");
    assert!(
        !screen.contains("dumping table 3"),
        "six lines shown: {screen}"
    );
    update(
        &mut state,
        Msg::ActionFinished {
            seq: *seq,
            result: Err("the API server said 409 Conflict".into()),
        },
    );
    assert!(state.running.is_empty());
    assert_eq!(
        state.timeline[0].status,
        Status::Failed("the API server said 409 Conflict".into())
    );
    let notice = state.current_notice().unwrap();
    assert_eq!(notice.level, opsdeck::domain::Level::Crit);
    assert!(notice.text.contains("FAILED") && notice.text.contains("409 Conflict"));
}

#[test]
fn rollback_offers_the_history_and_previews_the_image_change() {
    let (mut state, _) = open(Panel::Services, 'u', "pos-payment");
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.revisions.is_empty());
    let change = dialog.preview.as_ref().unwrap().change.clone();
    assert!(
        change.starts_with("revision ")
            && change.contains("pos-payment:3.1.0 → revision ")
            && change.ends_with("pos-payment:3.0.9"),
        "{change}"
    );
    // Down past the end stays on the last revision.
    press(
        &mut state,
        [
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Down),
            key(KeyCode::Down),
        ],
    );
    assert_eq!(
        state.dialog.as_ref().unwrap().revision_index,
        state.dialog.as_ref().unwrap().revisions.len() - 1
    );
}

#[test]
fn actions_that_make_no_sense_are_refused_before_any_dialog() {
    // Lifting a lockdown that is not there; cancelling an idle session's query.
    let (state, _) = open(Panel::Services, '\u{15}', "pos-payment");
    assert!(state.dialog.is_none());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("not locked down")
    );
    let (state, _) = open(Panel::Alerts, 'E', "HighLatencyP95");
    assert!(state.dialog.is_none());
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("not silenced")
    );
    // A Velero set has no dump file to read; a set without `restore_to` has nowhere to restore.
    let (state, _) = open(Panel::Backups, 'v', "cluster daily");
    assert!(state.dialog.is_none());
    let notice = &state.current_notice().unwrap().text;
    assert!(notice.contains("is a velero set"), "{notice}");
    let (state, _) = open(Panel::Backups, 'T', "weaviate");
    assert!(state.dialog.is_none());
    let notice = &state.current_notice().unwrap().text;
    assert!(notice.contains("is a command set"), "{notice}");
    // A shell in a crash-looping pod (phase Running, its container waiting): nothing runs there.
    let (state, _) = open(Panel::Pods, 's', "crash");
    assert!(state.dialog.is_none());
    let notice = &state.current_notice().unwrap().text;
    assert!(
        notice.contains("is CrashLoopBackOff: nothing runs in it"),
        "{notice}"
    );
}

#[test]
fn silence_needs_a_comment_and_carries_matchers_duration_and_comment() {
    let (mut state, _) = open(Panel::Alerts, 'S', "HighLatencyP95");
    allow(&mut state);
    assert!(press_confirm(&mut state).is_empty(), "no comment yet");
    assert!(state.current_notice().unwrap().text.contains("comment"));
    focus_field(&mut state, FieldKind::Comment);
    press(
        &mut state,
        typed("payment provider degraded, ticket OPS-42"),
    );
    // The duration field: 4h by default; make it 90m (typing replaces the offered length).
    press(&mut state, [key(KeyCode::BackTab)]);
    let asked = press(&mut state, typed("90m"));
    // The action changed: the backend is asked again about this one, and Confirm waits.
    assert!(
        matches!(asked.last(), Some(Effect::CheckPermission { action, .. })
            if matches!(action.kind, ActionKind::Silence { duration_secs: 5400, .. })),
        "{asked:?}"
    );
    assert!(state.dialog.as_ref().unwrap().permission.is_none());
    allow(&mut state);
    // Duration, Comment, Close, Confirm.
    let effects = press(
        &mut state,
        [
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Enter),
        ],
    );
    let [Effect::Execute { intent, .. }] = effects.as_slice() else {
        panic!("{effects:?}; {:?}", state.current_notice())
    };
    let ActionKind::Silence {
        matchers,
        duration_secs,
        comment,
    } = &intent.action.kind
    else {
        panic!()
    };
    assert_eq!(*duration_secs, 90 * 60);
    assert_eq!(comment, "payment provider degraded, ticket OPS-42");
    assert!(matchers.contains(&("alertname".to_string(), "HighLatencyP95".to_string())));
    assert!(
        !matchers.iter().any(|(k, _)| k == "severity"),
        "severity is left out of the matchers"
    );
    assert!(intent.change.contains("for 90m"), "{}", intent.change);
}

#[test]
fn a_selection_whose_row_vanished_since_the_last_frame_is_not_acted_on_blindly() {
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let mut state = on_row(Panel::Databases, "");
    press(&mut state, [key(KeyCode::End)]);
    let last = state.tables.sessions.selected;
    // The instance loses most of its sessions before the next frame.
    let mut pg = state.estate.postgres[0].clone();
    pg.sessions.truncate(3);
    let at = state.now;
    let report = SourceReport {
        source: SourceId::new(SourceKind::Postgres, pg.name.clone()),
        at,
        report: Report::Postgres(pg),
    };
    update(&mut state, Msg::Report(report));
    assert!(last > 3);
    // No panic, and the action is for a session that exists.
    press(&mut state, [ch('X')]);
    if let Some(dialog) = &state.dialog {
        let opsdeck::actions::Target::PgBackend { instance, pid } = &dialog.action.target else {
            panic!()
        };
        let exists = state
            .estate
            .postgres
            .iter()
            .any(|p| &p.name == instance && p.sessions.iter().any(|s| s.pid == *pid));
        assert!(exists);
    }
}

/// A permission check the backend did not answer is not a refusal: the dialog says so, and asks
/// again once the backend's source is live again (not while it is unreachable).
#[test]
fn a_check_that_got_no_answer_is_asked_again_when_the_backend_is_back() {
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport, UnixTime};
    let (mut state, effects) = open(Panel::Databases, 'x', "metabase");
    let Some(Effect::CheckPermission { seq, action }) = effects.into_iter().next() else {
        panic!("the dialog asks for permission")
    };
    let instance = match &action.target {
        opsdeck::actions::Target::PgBackend { instance, .. } => instance.clone(),
        other => panic!("{other:?}"),
    };
    let report = |state: &State, report| {
        Msg::Report(SourceReport {
            source: SourceId::new(SourceKind::Postgres, &instance),
            at: state.now,
            report,
        })
    };
    let down = report(
        &state,
        Report::Unreachable("did not answer the poll within 7 s".into()),
    );
    update(&mut state, down);
    update(
        &mut state,
        Msg::Permission {
            seq,
            permission: Permission::NoAnswer(
                "did not answer the permission check within 7 s".into(),
            ),
        },
    );
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled());
    let text = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(text.contains("did not answer"), "{text}");
    assert!(!text.contains("denied"), "{text}");
    let even = |t: UnixTime| UnixTime(t.0 + 2 - t.0 % 2);
    let first = even(state.now);
    assert!(
        update(&mut state, Msg::Tick(first)).is_empty(),
        "not asked while the backend is unreachable"
    );
    let back = report(&state, Report::Alive);
    update(&mut state, back);
    let asked = update(&mut state, Msg::Tick(first.plus(2)));
    assert!(
        matches!(asked.as_slice(), [Effect::CheckPermission { seq: s, .. }] if *s == seq),
        "asked again once the backend is live: {asked:?}"
    );
}

#[test]
fn drain_names_a_bare_pod_as_its_blocker_and_ctrl_x_cancels_it_while_it_runs() {
    // worker-12 runs data/debug-toolbox, which no controller owns: refused, by name.
    let (state, _) = open(Panel::Nodes, 'D', "worker-12");
    assert!(state.dialog.is_none());
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.contains("pods no controller owns: data/debug-toolbox"),
        "{notice}"
    );

    let (mut state, _) = open(Panel::Nodes, 'D', "worker-09");
    let change = state
        .dialog
        .as_ref()
        .unwrap()
        .preview
        .as_ref()
        .ok()
        .map(|p| p.change.clone());
    assert!(
        change
            .as_deref()
            .is_some_and(|c| c.starts_with("node worker-09: cordon, evict ")
                && c.ends_with("leave 1 pod (DaemonSet)")),
        "{change:?}"
    );
    allow(&mut state);
    type_name(&mut state, "worker-09");
    let effects = press_confirm(&mut state);
    let [Effect::Execute { seq, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let seq = *seq;
    press(
        &mut state,
        [Msg::ActionProgress {
            seq,
            line: "blocked by PDB pos-catalog, retrying: pos/pos-catalog-x".into(),
        }],
    );
    let effects = press(&mut state, [ctrl('x')]);
    assert!(
        matches!(effects.as_slice(), [Effect::CancelAction(s)] if *s == seq),
        "{effects:?}"
    );
}
