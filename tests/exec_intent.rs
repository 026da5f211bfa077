//! Into the containers, in `update`: which pod (`x` on a workload: one of its ready pods,
//! named), which container (the picker on a pod with a sidecar, its default first), the shells
//! and the risk from `[kubernetes]`, the prompt's history per workload, and the cancel key of
//! a running command. No terminal, no backend.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::{ActionKind, Target};
use opsdeck::app::dialog::{FieldKind, Focus};
use opsdeck::app::pane::PaneKind;
use opsdeck::app::{Effect, Panel, Settings, State, prepare_frame};

fn on_row_with(settings: Arc<Settings>, panel: Panel, filter: &str) -> State {
    let mut state = demo_state_with(settings, (160, 48), 300, 3);
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    state
}

fn on_row(panel: Panel, filter: &str) -> State {
    on_row_with(settings("default", "default", false), panel, filter)
}

fn command_field(state: &State) -> String {
    let dialog = state
        .dialog
        .as_ref()
        .unwrap_or_else(|| panic!("no dialog; notice {:?}", state.current_notice()));
    dialog
        .fields
        .iter()
        .find(|f| f.kind == FieldKind::Command)
        .expect("a command field")
        .value()
}

fn pod_of(state: &State) -> String {
    match &state.dialog.as_ref().expect("dialog").action.target {
        Target::Pod { name, .. } => name.clone(),
        other => panic!("not a pod: {other:?}"),
    }
}

#[test]
fn s_on_a_pod_with_a_sidecar_asks_which_container_the_default_first() {
    let mut state = on_row(Panel::Pods, "pos-gateway");
    let effects = press(&mut state, [ch('s')]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.dialog.is_none(), "the dialog waits for the container");
    let Some(PaneKind::ExecContainers(choice)) = state.pane.as_ref().map(|p| &p.kind) else {
        panic!("no container picker: {:?}", state.pane);
    };
    assert_eq!(choice.containers, ["pos-gateway", "envoy"]);
    assert_eq!(choice.selected, 0);
    // Down, Enter: the shell goes into the sidecar, and its dialog says so.
    let effects = press(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert!(state.pane.is_none());
    let dialog = state.dialog.as_ref().expect("the dialog after the choice");
    let ActionKind::Shell {
        container, shells, ..
    } = &dialog.action.kind
    else {
        panic!("{:?}", dialog.action.kind);
    };
    assert_eq!(container.as_deref(), Some("envoy"));
    assert_eq!(shells, &["bash", "sh"]);
    assert!(
        dialog.action.cli().contains("-c envoy -- bash"),
        "{}",
        dialog.action.cli()
    );
    assert!(matches!(
        effects.as_slice(),
        [Effect::CheckPermission { .. }]
    ));

    // Esc in the picker: nothing opens.
    let mut state = on_row(Panel::Pods, "pos-gateway");
    press(&mut state, [ch('x'), key(KeyCode::Esc)]);
    assert!(state.pane.is_none() && state.dialog.is_none());
    // Enter at once: the default container.
    press(&mut state, [ch('x'), key(KeyCode::Enter)]);
    let dialog = state.dialog.as_ref().expect("dialog");
    assert!(matches!(&dialog.action.kind,
        ActionKind::Exec { container: Some(c), .. } if c == "pos-gateway"));
}

#[test]
fn a_pod_with_one_container_goes_straight_to_the_dialog() {
    let mut state = on_row(Panel::Pods, "redis-0");
    press(&mut state, [ch('s')]);
    assert!(state.pane.is_none());
    let dialog = state.dialog.as_ref().expect("dialog");
    assert!(matches!(
        &dialog.action.kind,
        ActionKind::Shell {
            container: None,
            ..
        }
    ));
}

#[test]
fn x_on_a_workload_runs_in_one_of_its_ready_pods_and_the_dialog_names_it() {
    let mut state = on_row(Panel::Services, "pos-catalog");
    press(&mut state, [ch('x')]);
    let pod = pod_of(&state);
    assert!(pod.starts_with("pos-catalog-"), "{pod}");
    let p = state
        .estate
        .pods
        .iter()
        .find(|p| *p.key.name == *pod)
        .expect("the pod is in the estate");
    assert_eq!(&*p.status, "Running");
    assert_eq!(p.ready_containers, p.total_containers);
    let dialog = state.dialog.as_ref().expect("dialog");
    assert_eq!(dialog.action.title(), format!("Run a command in pos/{pod}"));
    press(&mut state, typed("ls /"));
    let preview = state
        .dialog
        .as_ref()
        .unwrap()
        .preview
        .clone()
        .expect("valid");
    assert!(
        preview
            .change
            .contains(&format!("in pod {pod} of Deployment/pos-catalog")),
        "{}",
        preview.change
    );
}

#[test]
fn x_on_a_workload_without_a_ready_pod_says_so() {
    let mut state = on_row(Panel::Services, "pos-catalog");
    // Every pod of it crash-looping.
    let pods: Vec<_> = state
        .estate
        .pods
        .iter()
        .filter(|p| p.owner.as_deref() == Some("Deployment/pos-catalog"))
        .cloned()
        .collect();
    assert!(!pods.is_empty());
    for mut p in pods {
        p.status = "CrashLoopBackOff".into();
        p.ready_containers = 0;
        upsert_pod(&mut state, p);
    }
    press(&mut state, [ch('x')]);
    assert!(state.dialog.is_none());
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.contains("deployment pos/pos-catalog has no ready pod"),
        "{notice}"
    );
}

#[test]
fn the_prompt_recalls_the_workloads_earlier_commands_with_up_and_down() {
    let mut state = on_row(Panel::Services, "pos-catalog");
    let mut pod = String::new();
    for line in ["ls /", "env"] {
        press(&mut state, [ch('x')]);
        pod = pod_of(&state);
        press(&mut state, typed(line));
        allow(&mut state);
        state.dialog.as_mut().unwrap().focus = Focus::Confirm;
        let effects = press(&mut state, [key(KeyCode::Enter)]);
        assert!(
            matches!(effects.as_slice(), [Effect::Execute { .. }]),
            "{effects:?}"
        );
        let seq = state.exec_running[0];
        press(
            &mut state,
            [opsdeck::app::Msg::ActionFinished {
                seq,
                result: Ok("exit status 0".into()),
            }],
        );
        // Its output pane opened; closed, the panel's keys are back.
        press(&mut state, [key(KeyCode::Esc)]);
    }
    // Each command has its own line in the timeline, naming it.
    let titles: Vec<&str> = state.timeline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            format!("Run `ls /` in pos/{pod}"),
            format!("Run `env` in pos/{pod}")
        ]
    );
    // Another ready pod of the same workload, from the Pods panel: the same history.
    let other = state
        .estate
        .pods
        .iter()
        .find(|p| {
            p.owner.as_deref() == Some("Deployment/pos-catalog")
                && *p.key.name != *pod
                && &*p.status == "Running"
        })
        .map(|p| p.key.name.to_string())
        .expect("another running pod of pos-catalog");
    state.panel = Panel::Pods;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(&other));
    press(&mut state, [key(KeyCode::Enter), ch('x')]);
    assert_eq!(pod_of(&state), other);
    assert_eq!(command_field(&state), "");
    press(&mut state, [key(KeyCode::Up)]);
    assert_eq!(command_field(&state), "env");
    press(&mut state, [key(KeyCode::Up)]);
    assert_eq!(command_field(&state), "ls /");
    press(&mut state, [key(KeyCode::Up)]);
    assert_eq!(command_field(&state), "ls /", "the oldest stays");
    press(&mut state, [key(KeyCode::Down)]);
    assert_eq!(command_field(&state), "env");
    press(&mut state, [key(KeyCode::Down)]);
    assert_eq!(command_field(&state), "", "past the newest: empty again");
    // The recalled line is the action's command.
    press(&mut state, [key(KeyCode::Up)]);
    assert!(matches!(&state.dialog.as_ref().unwrap().action.kind,
        ActionKind::Exec { command, .. } if command == &["env"]));
    // Another workload has its own (none).
    press(&mut state, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    press(&mut state, [ch('/')]);
    press(&mut state, typed("redis-0"));
    press(&mut state, [key(KeyCode::Enter), ch('x'), key(KeyCode::Up)]);
    assert_eq!(command_field(&state), "");
}

#[test]
fn shells_and_high_risk_namespaces_come_from_the_config() {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.exec = toml::from_str::<opsdeck::config::KubernetesConfig>(
        r#"shell = ["zsh", "sh"]
exec_high_risk_namespaces = ["po*"]"#,
    )
    .map(|k| opsdeck::config::ExecSettings::from_config(Some(&k)))
    .expect("config");
    let settings = Arc::new(settings);
    let mut state = on_row_with(settings.clone(), Panel::Pods, "pos-catalog");
    press(&mut state, [ch('s')]);
    let dialog = state.dialog.as_ref().expect("dialog");
    assert!(matches!(&dialog.action.kind,
        ActionKind::Shell { shells, .. } if shells == &["zsh", "sh"]));
    assert!(dialog.requires_typed_name(), "pos matches po*");
    assert!(
        dialog
            .visible_fields()
            .iter()
            .any(|i| dialog.fields[*i].kind == FieldKind::TypedName)
    );
    // Allowed, but not confirmed until the pod's name is typed.
    let name = pod_of(&state);
    allow(&mut state);
    assert!(!state.dialog.as_ref().unwrap().confirm_enabled());
    let i = state
        .dialog
        .as_ref()
        .unwrap()
        .fields
        .iter()
        .position(|f| f.kind == FieldKind::TypedName)
        .unwrap();
    state.dialog.as_mut().unwrap().focus = Focus::Field(i);
    press(&mut state, typed(&name));
    assert!(state.dialog.as_ref().unwrap().confirm_enabled());

    // Outside the list: medium, no name to type.
    let mut state = on_row_with(settings, Panel::Pods, "redis-0");
    press(&mut state, [ch('x')]);
    assert!(!state.dialog.as_ref().expect("dialog").requires_typed_name());
}

#[test]
fn ctrl_x_cancels_the_running_command_and_says_so_when_there_is_none() {
    let mut state = on_row(Panel::Pods, "redis-0");
    let effects = press(&mut state, [ctrl('x')]);
    assert!(effects.is_empty());
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("no one-off command is running"), "{notice}");

    press(&mut state, [ch('x')]);
    press(&mut state, typed("sleep 30"));
    allow(&mut state);
    state.dialog.as_mut().unwrap().focus = Focus::Confirm;
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let [Effect::Execute { seq, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let seq = *seq;
    let effects = press(&mut state, [ctrl('x')]);
    assert!(
        matches!(effects.as_slice(), [Effect::CancelAction(s)] if *s == seq),
        "{effects:?}"
    );
    // The runner's answer: cancelled, shown as such (not as a crash).
    let cancelled = opsdeck::actions::executor::ActionError::Cancelled.to_string();
    press(
        &mut state,
        [opsdeck::app::Msg::ActionFinished {
            seq,
            result: Err(cancelled),
        }],
    );
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert_eq!(notice, "Run `sleep 30` in data/redis-0: cancelled");
    assert!(state.exec_running.is_empty());
    assert!(
        press(&mut state, [ctrl('x')]).is_empty(),
        "nothing left to cancel"
    );
}

#[test]
fn the_command_field_refuses_a_redirect_no_shell_would_obey() {
    use opsdeck::app::dialog::command_words;
    assert_eq!(
        command_words("sh -c 'echo err >&2'").unwrap(),
        ["sh", "-c", "echo err >&2"]
    );
    let refused = command_words("echo err >&2").unwrap_err();
    assert!(refused.contains("sh -c"), "{refused}");
}
