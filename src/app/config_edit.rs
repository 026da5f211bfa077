//! The Config panel's keys: choosing a ConfigMap's key (`[` / `]`), editing its value in a
//! text area (`e`; the editor's save key goes on to the confirmation dialog with the diff, the
//! CLI and the dry run), and after a change, the offer of a rollout restart of the workloads
//! that read it (`R`, the existing RolloutRestart, a separate action): pods read a ConfigMap
//! when they start.

use ratatui_textarea::TextArea;

use super::msg::Effect;
use super::state::State;
use crate::actions::{Action, ActionKind, Target};
use crate::config::Command;
use crate::domain::{ConfigKind, Level};

/// The value being edited, and what it was read from.
#[derive(Debug, Clone)]
pub struct ConfigEditor {
    /// The ConfigMap's cluster (kubeconfig context): the patch goes there.
    pub context: String,
    pub namespace: String,
    pub name: String,
    pub key: String,
    /// The ConfigMap's resourceVersion when the editor opened: the patch carries it.
    pub resource_version: String,
    pub old: String,
    pub text: TextArea<'static>,
}

/// `[` / `]`: the previous / next key of the selected ConfigMap.
pub fn choose_key(state: &mut State, step: isize) {
    let Some(config) = state.selected_config() else {
        return state.notify("nothing selected", Level::Warn, 3);
    };
    if config.kind == ConfigKind::Secret {
        return state.notify(
            "a Secret's values are never shown: only its keys and sizes",
            Level::Warn,
            4,
        );
    }
    if config.keys.is_empty() {
        return state.notify("it has no keys", Level::Warn, 3);
    }
    let n = config.keys.len() as isize;
    let at = state
        .selected_config_key()
        .and_then(|k| config.keys.iter().position(|x| x.name == k.name))
        .unwrap_or(0) as isize;
    let next = config.keys[((at + step) % n + n) as usize % config.keys.len()]
        .name
        .clone();
    state.tables.config_key = Some(next);
    // The value is in the details: open them if they are not.
    state.details = true;
    state.dirty = true;
}

/// `e`: the chosen key's value in the editor.
pub fn open_editor(state: &mut State) {
    if state.settings.readonly {
        return state.notify("Read-only cockpit: edit-configmap refused", Level::Warn, 6);
    }
    let Some(config) = state.selected_config() else {
        return state.notify("edit: select a ConfigMap first", Level::Warn, 4);
    };
    if config.kind == ConfigKind::Secret {
        return state.notify(
            "edit: Secrets are not edited here (their values are never read)",
            Level::Warn,
            5,
        );
    }
    let Some(key) = state.selected_config_key() else {
        return state.notify("edit: it has no keys", Level::Warn, 4);
    };
    let Some(old) = key.value.clone() else {
        return state.notify("edit: a binary value is not edited here", Level::Warn, 4);
    };
    if old
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return state.notify(
            "edit: the value holds control characters; edit it with kubectl",
            Level::Warn,
            5,
        );
    }
    let mut text = TextArea::new(old.lines().map(String::from).collect());
    text.move_cursor(ratatui_textarea::CursorMove::Bottom);
    text.move_cursor(ratatui_textarea::CursorMove::End);
    state.config_editor = Some(Box::new(ConfigEditor {
        context: config.context.to_string(),
        namespace: config.namespace.clone(),
        name: config.name.clone(),
        key: key.name.clone(),
        resource_version: config.resource_version.clone(),
        old,
        text,
    }));
    state.dirty = true;
}

/// The value as edited: its lines, with the trailing newline the old value had.
fn edited(editor: &ConfigEditor) -> String {
    let mut value = editor.text.lines().join("\n");
    if editor.old.ends_with('\n') {
        value.push('\n');
    }
    value
}

/// The edit as an action, for the dialog.
pub fn action_of(editor: &ConfigEditor) -> Action {
    let context = editor.context.as_str();
    let value = edited(editor);
    Action {
        kind: ActionKind::EditConfigMap {
            key: editor.key.clone(),
            resource_version: editor.resource_version.clone(),
            old_size: editor.old.len(),
            new_size: value.len(),
            old: editor.old.clone(),
            value,
        },
        target: Target::ConfigMap {
            namespace: editor.namespace.clone(),
            name: editor.name.clone(),
        },
        context: context.into(),
    }
}

/// A key in the editor: the save key goes on to the dialog, the close key drops the edit,
/// the rest is typed.
pub fn on_editor_key(
    state: &mut State,
    command: Option<Command>,
    key: crossterm::event::KeyEvent,
) -> Vec<Effect> {
    state.dirty = true;
    match command {
        Some(Command::EditorClose) => {
            state.config_editor = None;
            Vec::new()
        }
        Some(Command::EditorSave) => {
            let Some(editor) = state.config_editor.take() else {
                return Vec::new();
            };
            let action = action_of(&editor);
            let effects = super::actions::open_dialog(state, action, Vec::new());
            if state.dialog.is_none() {
                // Refused (unchanged, changed since): back to the text, the notice says why.
                state.config_editor = Some(editor);
            } else if let Some(dialog) = &state.dialog {
                state.config_pending = Some(dialog.seq);
            }
            effects
        }
        _ => {
            if let Some(editor) = state.config_editor.as_mut() {
                editor.text.input(key);
            }
            Vec::new()
        }
    }
}

/// An action finished: after a ConfigMap edit, the offer to restart what reads it.
pub fn on_finished(state: &mut State, seq: u64, ok: bool) {
    if state.config_pending != Some(seq) {
        return;
    }
    state.config_pending = None;
    if !ok {
        return;
    }
    let Some(config) = state.selected_config() else {
        return;
    };
    let users = super::rows::used_by(&state.estate, config);
    let about = format!("{} saved; pods read it at start: ", config.name);
    let offer = if users.is_empty() {
        "no workload's pod template reads it".to_string()
    } else {
        let names: Vec<&str> = users.iter().map(|w| w.name.as_str()).collect();
        format!("R restarts {}", names.join(", "))
    };
    state.config_restart = 0;
    // The offer stays whole on a narrow status bar; the name before it is cut.
    state.notify_outcome(&about, &offer, Level::Ok, 20);
}

/// `R`: the rollout restart dialog of a workload that reads the selected ConfigMap or Secret;
/// again, the next one.
pub fn restart_users(state: &mut State) -> Vec<Effect> {
    let Some(config) = state.selected_config() else {
        state.notify("restart: nothing selected", Level::Warn, 4);
        return Vec::new();
    };
    let users = super::rows::used_by(&state.estate, config);
    if users.is_empty() {
        let text = format!("restart: no workload's pod template reads {}", config.name);
        state.notify(text, Level::Warn, 5);
        return Vec::new();
    }
    let w = users[state.config_restart % users.len()];
    let action = Action {
        kind: ActionKind::RolloutRestart,
        target: Target::Workload {
            namespace: w.namespace.clone(),
            kind: w.kind.into(),
            name: w.name.clone(),
        },
        context: w.context.to_string(),
    };
    if users.len() > 1 {
        let next = users[(state.config_restart + 1) % users.len()];
        let text = format!(
            "{} of {} workloads reading it; R again: {}",
            state.config_restart % users.len() + 1,
            users.len(),
            next.name
        );
        state.notify(text, Level::Ok, 8);
    }
    state.config_restart += 1;
    super::actions::open_dialog(state, action, Vec::new())
}
