//! The Config panel at update level: its command-line names show it; `]` chooses
//! workspace-agent-config's `cache.enabled`, `e` edits it, the editor's save key opens the
//! dialog with the diff, the CLI and the merge patch's resourceVersion; a change made by
//! someone else while it is open refuses it ("changed by someone else since you opened it");
//! after success the restart of the workloads that read it is offered, and `R` opens it.
//! Snapshots of the panel's details and of the diff dialog.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::{ActionKind, Target};
use opsdeck::app::{Msg, Panel, State, prepare_frame};
use opsdeck::domain::{ConfigKind, Report, SourceId, SourceKind, SourceReport};
use opsdeck::snapshot::{render, to_text};

fn command(state: &mut State, text: &str) {
    press(state, [ch(':')]);
    press(state, text.chars().map(ch));
    press(state, [key(KeyCode::Enter)]);
}

fn select(state: &mut State, name: &str) {
    press(state, [ch('/')]);
    press(state, typed(name));
    press(state, [key(KeyCode::Enter)]);
    prepare_frame(state);
    assert_eq!(state.selected_config().map(|c| c.name.as_str()), Some(name));
}

/// The Config panel, workspace-agent-config's cache.enabled edited to `false`, the dialog open.
fn edited(size: (u16, u16)) -> State {
    let mut state = demo_state(size);
    command(&mut state, "config");
    select(&mut state, "workspace-agent-config");
    press(&mut state, [ch(']')]);
    assert_eq!(
        state.selected_config_key().map(|k| k.name.as_str()),
        Some("cache.enabled")
    );
    press(&mut state, [ch('e')]);
    assert!(state.config_editor.is_some(), "the editor is open");
    press(&mut state, (0..4).map(|_| key(KeyCode::Backspace)));
    press(&mut state, typed("false"));
    let effects = press(&mut state, [ctrl('s')]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, opsdeck::app::Effect::CheckPermission { .. })),
        "{effects:?}"
    );
    state
}

#[test]
fn every_command_line_name_shows_the_config_panel() {
    for name in ["config", "cm", "configmaps", "secrets", "sec"] {
        let mut state = demo_state((120, 40));
        command(&mut state, name);
        assert_eq!(state.panel, Panel::Config, ":{name}");
    }
}

#[test]
fn edit_opens_the_dialog_with_the_diff_the_cli_and_the_version_it_was_read_at() {
    let mut state = edited((120, 40));
    let dialog = state.dialog.as_ref().expect("the dialog");
    let ActionKind::EditConfigMap {
        key,
        old,
        value,
        resource_version,
        ..
    } = &dialog.action.kind
    else {
        panic!("{:?}", dialog.action.kind);
    };
    assert_eq!(
        (key.as_str(), old.as_str(), value.as_str()),
        ("cache.enabled", "true", "false")
    );
    let config = state
        .estate
        .configs
        .iter()
        .find(|c| c.name == "workspace-agent-config")
        .unwrap();
    assert_eq!(*resource_version, config.resource_version);
    assert_eq!(
        dialog.action.target,
        Target::ConfigMap {
            namespace: "agents".into(),
            name: "workspace-agent-config".into()
        }
    );
    let preview = dialog.preview.as_ref().expect("allowed");
    assert_eq!(
        preview.cli,
        r#"kubectl -n agents patch configmap workspace-agent-config --type merge -p '{"data":{"cache.enabled":"false"}}'"#
    );
    allow(&mut state);
    let screen = to_text(&render(&mut state));
    assert!(
        screen.contains("- true") && screen.contains("+ false"),
        "{screen}"
    );
}

#[test]
fn a_change_by_someone_else_while_the_dialog_is_open_refuses_the_edit() {
    let mut state = edited((120, 40));
    allow(&mut state);
    // Another writer: the watch brings the ConfigMap at a newer resourceVersion.
    let mut configs = state.estate.configs.clone();
    let c = configs
        .iter_mut()
        .find(|c| c.name == "workspace-agent-config")
        .unwrap();
    c.resource_version = "9999".into();
    let report = SourceReport {
        source: SourceId::new(SourceKind::Kubernetes, "demo"),
        at: state.now,
        report: Report::Configs(configs),
    };
    press(&mut state, [Msg::Report(report)]);
    let dialog = state.dialog.as_ref().expect("the dialog stays, refusing");
    let refusal = dialog.preview.as_ref().expect_err("refused").to_string();
    assert!(
        refusal.contains("changed by someone else since you opened it"),
        "{refusal}"
    );
    // Confirm does nothing.
    let effects = press(&mut state, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, opsdeck::app::Effect::Execute { .. })),
        "{effects:?}"
    );
}

#[test]
fn after_the_change_r_offers_the_restart_of_the_workloads_that_read_it() {
    let mut state = edited((120, 40));
    allow(&mut state);
    let seq = state.dialog.as_ref().unwrap().seq;
    let effects = press(&mut state, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, opsdeck::app::Effect::Execute { .. })),
        "{effects:?}"
    );
    press(
        &mut state,
        [Msg::ActionFinished {
            seq,
            result: Ok("cache.enabled set".into()),
        }],
    );
    let notice = state.current_notice().expect("a notice").text.clone();
    assert!(
        notice.ends_with("R restarts core-agent, workspace-agents"),
        "{notice}"
    );
    press(&mut state, [ch('R')]);
    let dialog = state.dialog.as_ref().expect("the restart dialog");
    assert_eq!(dialog.action.kind, ActionKind::RolloutRestart);
    assert_eq!(dialog.action.target.key(), "agents/deployment/core-agent");
}

#[test]
fn a_secret_is_not_edited_and_its_values_are_never_in_the_state() {
    let mut state = demo_state((120, 40));
    command(&mut state, "sec");
    select(&mut state, "agents-jwt");
    let secret = state.selected_config().unwrap();
    assert_eq!(secret.kind, ConfigKind::Secret);
    assert!(secret.keys.iter().all(|k| k.value.is_none()));
    press(&mut state, [ch('e')]);
    assert!(state.config_editor.is_none());
    state.details = true;
    let screen = to_text(&render(&mut state));
    assert!(!screen.contains(opsdeck::sim::configs::JWT_SECRET_VALUE));
    assert!(screen.contains("jwt.key  28 bytes"), "{screen}");
}

#[test]
fn snapshots_of_the_details_and_the_diff_dialog() {
    for size in [(80, 24), (160, 48)] {
        let mut state = demo_state(size);
        command(&mut state, "config");
        select(&mut state, "workspace-agent-config");
        press(&mut state, [ch(']')]);
        insta::assert_snapshot!(
            format!("config_details_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
        let mut state = edited(size);
        allow(&mut state);
        insta::assert_snapshot!(
            format!("dialog_edit_configmap_{}x{}", size.0, size.1),
            to_text(&render(&mut state))
        );
    }
}
