//! The team's own actions (`[[actions]]`) in `update`: the key on its panel opens the dialog
//! with the argv made from the selected row; a services row's `exec` runs in one of the
//! workload's ready pods; a row `match` does not take, read-only and presenter mode refuse
//! without a dialog. No terminal, no backend.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::ActionKind;
use opsdeck::actions::team::Place;
use opsdeck::app::{Effect, Panel, Settings, State, prepare_frame};
use opsdeck::config::Config;

const ACTIONS: &str = r#"
[[actions]]
name = "Ping Redis"
panel = "pods"
key = "P"
match = { namespace = "data", name = "redis-*" }
exec = ["redis-cli", "ping"]
risk = "low"
readonly_ok = true

[[actions]]
name = "Health"
panel = "services"
key = "H"
exec = ["curl", "-fsS", "http://localhost:8080/health?from={pod}"]

[[actions]]
name = "Describe here"
panel = "pods"
key = "K"
command = "kubectl --context {context} -n {namespace} describe pod {pod}"

[[actions]]
name = "Health by address"
panel = "pods"
key = "Y"
command = ["curl", "-fsS", "http://{pod_ip}:8080/health"]
"#;

fn settings_with(readonly: bool, present: bool) -> Arc<Settings> {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.team_actions = Config::parse(Path::new("test.toml"), ACTIONS)
        .expect("the test's actions")
        .actions
        .team;
    settings.readonly = readonly;
    settings.present = present;
    Arc::new(settings)
}

fn on_row(settings: Arc<Settings>, panel: Panel, filter: &str) -> State {
    let mut state = demo_state_with(settings, (160, 48), 300, 3);
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    state
}

fn last_notice(state: &State) -> String {
    state
        .notices
        .last()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn team_kind(state: &State) -> (String, Place, Vec<String>) {
    let dialog = state.dialog.as_ref().expect("a dialog");
    match &dialog.action.kind {
        ActionKind::Team {
            name, place, argv, ..
        } => (name.clone(), place.clone(), argv.clone()),
        other => panic!("not a team action: {other:?}"),
    }
}

#[test]
fn the_key_opens_the_dialog_with_the_rows_argv_and_asks_permission() {
    let mut state = on_row(settings_with(false, false), Panel::Pods, "redis-0");
    let effects = press(&mut state, [ch('P')]);
    assert!(
        matches!(effects.as_slice(), [Effect::CheckPermission { .. }]),
        "{effects:?}"
    );
    let (name, place, argv) = team_kind(&state);
    assert_eq!(name, "Ping Redis");
    assert_eq!(argv, ["redis-cli", "ping"]);
    assert!(
        matches!(&place, Place::Pod(p) if p.namespace == "data" && p.pod == "redis-0"),
        "{place:?}"
    );
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(dialog.action.title(), "Ping Redis on data/redis-0");
    let preview = dialog.preview.as_ref().expect("preflight passes");
    assert_eq!(
        preview.cli,
        "kubectl -n data exec redis-0 -- redis-cli ping"
    );
}

#[test]
fn a_command_here_gets_the_rows_values_quoted_for_sh() {
    let mut state = on_row(settings_with(false, false), Panel::Pods, "redis-0");
    press(&mut state, [ch('K')]);
    let (_, place, argv) = team_kind(&state);
    assert_eq!(place, Place::Local);
    assert_eq!(
        argv,
        [
            "sh",
            "-c",
            "kubectl --context demo -n data describe pod redis-0"
        ]
    );
}

#[test]
fn pod_ip_is_the_selected_pods_address() {
    let mut state = on_row(settings_with(false, false), Panel::Pods, "redis-0");
    let ip = state
        .selected_pod()
        .and_then(|p| p.ip)
        .expect("a running pod's IP");
    press(&mut state, [ch('Y')]);
    assert!(state.dialog.is_some(), "{}", last_notice(&state));
    let (_, place, argv) = team_kind(&state);
    assert_eq!(place, Place::Local);
    assert_eq!(argv, ["curl", "-fsS", &format!("http://{ip}:8080/health")]);
}

#[test]
fn on_a_services_row_exec_runs_in_a_ready_pod_of_the_workload() {
    let mut state = on_row(settings_with(false, false), Panel::Services, "pos-order");
    press(&mut state, [ch('H')]);
    let (_, place, argv) = team_kind(&state);
    let Place::Pod(in_pod) = &place else {
        panic!("{place:?}");
    };
    let (namespace, pod) = (&in_pod.namespace, &in_pod.pod);
    assert_eq!(namespace, "pos");
    let chosen = state
        .estate
        .pods
        .iter()
        .find(|p| &*p.key.name == pod.as_str())
        .expect("the chosen pod exists");
    assert_eq!(chosen.owner.as_deref(), Some("Deployment/pos-order"));
    assert_eq!(&*chosen.status, "Running");
    assert_eq!(argv[2], format!("http://localhost:8080/health?from={pod}"));
    assert!(matches!(&state.dialog.as_ref().unwrap().action.target,
            opsdeck::actions::Target::Workload { name, .. } if name == "pos-order"));
}

#[test]
fn a_row_match_does_not_take_opens_nothing_and_says_where_it_applies() {
    let mut state = on_row(settings_with(false, false), Panel::Pods, "pos-catalog");
    let effects = press(&mut state, [ch('P')]);
    assert!(effects.is_empty() && state.dialog.is_none());
    let notice = last_notice(&state);
    assert!(
        notice.contains("applies where name=redis-*, namespace=data"),
        "{notice}"
    );
}

#[test]
fn read_only_opens_only_readonly_ok_ones_and_presenter_mode_none() {
    let mut state = on_row(settings_with(true, false), Panel::Pods, "redis-0");
    press(&mut state, [ch('K')]);
    assert!(state.dialog.is_none());
    let notice = last_notice(&state);
    assert!(
        notice.contains("Read-only cockpit: Describe here refused"),
        "{notice}"
    );
    press(&mut state, [ch('P')]);
    assert!(
        state.dialog.is_some(),
        "readonly_ok = true opens in read-only"
    );
    assert!(state.dialog.as_ref().unwrap().preview.is_ok());

    let mut state = on_row(settings_with(true, true), Panel::Pods, "redis-0");
    press(&mut state, [ch('P')]);
    assert!(state.dialog.is_none());
    assert!(
        last_notice(&state).contains("Presenter mode"),
        "{}",
        last_notice(&state)
    );
}
