//! The action pipeline's pure half: a key becomes an intent on the selected row (`action_intent`),
//! refuses or previews it, the dialog collects and confirms it, and confirmation becomes an
//! `Effect::Execute` carrying the intent record (or, under a two-person rule, a request to the
//! war room, `requests.rs`). Outcomes come back as messages (`action_outcome.rs`).

use std::collections::BTreeSet;

use super::action_intent::{intent, template};
pub(super) use super::action_outcome::{cancel, cancel_command};
pub use super::action_outcome::{on_finished, on_progress};
use super::dialog::Dialog;
use super::msg::Effect;
use super::panel::Panel;
use super::state::State;
use super::timeline::{Entry, Status};
use crate::actions::audit::Intent;
use crate::actions::executor::Permission;
use crate::actions::preflight::{Refusal, preflight};
use crate::actions::{Action, ActionKind, Target};
use crate::config::Command;
use crate::domain::Level;

fn running_targets(state: &State) -> BTreeSet<String> {
    state.running.keys().cloned().collect()
}

/// A key asked for an action: refuse it, or open its dialog and ask for permission.
pub fn begin(state: &mut State, command: Command) -> Vec<Effect> {
    let Some(kind) = template(command) else {
        return Vec::new();
    };
    let name = kind.name();
    if state.settings.readonly {
        state.notify(format!("Read-only cockpit: {name} refused"), Level::Warn, 6);
        return Vec::new();
    }
    // Reports may have changed the rows since the last frame: read the selection from a table
    // that is up to date with them.
    super::update::sync_current(state);
    if state.panel == Panel::Services
        && let Some(crate::app::rows::ServiceRow::Check(h)) = state.selected_service_row()
    {
        let text = format!(
            "{name}: `{}` is an HTTP health check outside the cluster, not a workload",
            crate::ui::text::clean(&h.service)
        );
        state.notify(text, Level::Warn, 4);
        return Vec::new();
    }
    if let Some(why) = no_pod_for_exec(state, &kind) {
        state.notify(format!("{name}: {why}"), Level::Warn, 5);
        return Vec::new();
    }
    if let Some(why) = super::action_intent::wrong_job_row(state, &kind) {
        state.notify(format!("{name}: {why}"), Level::Warn, 4);
        return Vec::new();
    }
    let Some((action, revisions)) = intent(state, kind) else {
        if let Some(w) = state
            .selected_workload()
            .filter(|_| state.panel == Panel::Services)
        {
            // The one way a workload row gives no target: it has no pod to forward to.
            let text = format!("{name}: {} has no ready pod", w.name);
            state.notify(text, Level::Warn, 5);
            return Vec::new();
        }
        state.notify(format!("{name}: select a row first"), Level::Warn, 4);
        return Vec::new();
    };
    // Into a pod with several containers: which one first, then the dialog.
    if super::exec_intent::pick_container(state, &action) {
        return Vec::new();
    }
    open_dialog(state, action, revisions)
}

/// A command on a workload with no ready pod has nowhere to run: why, in words.
fn no_pod_for_exec(state: &State, kind: &ActionKind) -> Option<String> {
    if state.panel != Panel::Services || !matches!(kind, ActionKind::Exec { .. }) {
        return None;
    }
    let w = state.selected_workload()?;
    super::exec_intent::ready_pod(state, w).is_none().then(|| {
        format!(
            "{} {}/{} has no ready pod to run a command in",
            w.kind.api_kind().to_lowercase(),
            w.namespace,
            w.name
        )
    })
}

/// The action's dialog, preflight run and the backend asked for permission.
pub fn open_dialog(
    state: &mut State,
    action: Action,
    revisions: Vec<crate::domain::Revision>,
) -> Vec<Effect> {
    let preview = preflight(
        &action,
        &state.estate,
        state.now,
        false,
        &running_targets(state),
    );
    // Actions with parameters open even when their starting values are not valid yet (the
    // current replica count, an empty silence comment): the dialog says what to change.
    let has_parameters = matches!(
        action.kind,
        ActionKind::Scale { .. }
            | ActionKind::Rollback { .. }
            | ActionKind::Silence { .. }
            | ActionKind::ExtendSilence { .. }
            | ActionKind::Exec { .. }
            | ActionKind::PortForward { .. }
            | ActionKind::HpaBounds { .. }
            | ActionKind::SetResources { .. }
    );
    // Bounds of an HPA that is not there: nothing to edit.
    let no_hpa = matches!(&action.kind, ActionKind::HpaBounds { hpa, .. } if hpa.is_empty());
    match &preview {
        Err(Refusal::Invalid(_)) if has_parameters && !no_hpa => {}
        Err(refusal) => {
            state.notify(format!("{}: {refusal}", action.title()), Level::Warn, 8);
            return Vec::new();
        }
        Ok(_) => {}
    }
    show_dialog(state, action, revisions, preview)
}

/// Opens the confirmation dialog of an action that passed preflight (or whose fields the
/// operator is still to fix), and asks the backend for permission.
pub(super) fn show_dialog(
    state: &mut State,
    action: Action,
    revisions: Vec<crate::domain::Revision>,
    preview: Result<crate::actions::preflight::Preview, Refusal>,
) -> Vec<Effect> {
    state.next_seq += 1;
    let seq = state.next_seq;
    let history = super::exec_intent::history(state, &action);
    let mut dialog = Dialog::new(seq, action, revisions);
    dialog.history = history;
    dialog.apply_fields(state.now);
    let room = state.room.is_some();
    dialog.judge_guardrails(
        &state.settings.guardrails.rules,
        &state.estate,
        state.now,
        room,
    );
    // A rule may have added fields (a reason, the typed name): the focus starts on the first.
    dialog.focus = dialog.first_focus();
    dialog.preview = preview;
    let effect = Effect::CheckPermission {
        seq,
        action: dialog.action.clone(),
    };
    state.dialog = Some(dialog);
    vec![effect]
}

/// New data while a dialog is open: preflight again, so the dialog judges the estate as it
/// is now (a lockdown that has just landed, a target that has just gone).
pub fn on_estate_changed(state: &mut State) {
    if state.dialog.is_some() {
        refresh(state);
    }
}

/// Re-reads the dialog's fields and re-runs preflight after an edit.
pub(super) fn refresh(state: &mut State) {
    let running = running_targets(state);
    let room = state.room.is_some();
    let Some(dialog) = state.dialog.as_mut() else {
        return;
    };
    // Approving shows the requester's action and preview as they were asked: not re-read.
    let approving = dialog.approving.is_some();
    if !approving {
        dialog.apply_fields(state.now);
    }
    let rules = &state.settings.guardrails.rules;
    dialog.judge_guardrails(rules, &state.estate, state.now, room);
    if approving {
        return;
    }
    dialog.preview = preflight(
        &dialog.action,
        &state.estate,
        state.now,
        state.settings.readonly,
        &running,
    );
}

/// While another operator's action holds the dialog's target, the backend is asked again every
/// other second, so Confirm opens as soon as the lease is gone. A check the backend did not
/// answer is asked again the same way once the backend's source is live again.
pub fn ask_again_if_held(state: &State) -> Option<Effect> {
    let dialog = state.dialog.as_ref()?;
    let again = match dialog.permission {
        Some(Permission::Held(_)) => true,
        Some(Permission::NoAnswer(_)) => backend_live(state, &dialog.action),
        _ => false,
    };
    (again && state.now.0 % 2 == 0).then(|| Effect::CheckPermission {
        seq: dialog.seq,
        action: dialog.action.clone(),
    })
}

/// Whether the source behind an action's backend is live (true when no source is known for it).
fn backend_live(state: &State, action: &Action) -> bool {
    use crate::domain::{FreshnessView, SourceId, SourceKind};
    let estate = &state.estate;
    let of = |kind, name: &str| {
        estate
            .sources
            .get(&SourceId::new(kind, name))
            .map(|f| f.view(state.now))
    };
    let view = match &action.target {
        Target::PgBackend { instance, .. } => of(SourceKind::Postgres, instance),
        Target::Alert { source, .. } => of(SourceKind::Alertmanager, source),
        Target::Workload { .. }
        | Target::Namespace { .. }
        | Target::Pod { .. }
        | Target::Node { .. }
        | Target::CronJob { .. }
        | Target::Job { .. }
        | Target::ConfigMap { .. } => of(SourceKind::Kubernetes, &action.context),
        Target::BackupSet { .. } => estate.freshness_of(SourceKind::Backups, state.now),
    };
    view.is_none_or(|v| v == FreshnessView::Live)
}

pub fn on_permission(state: &mut State, seq: u64, permission: Permission) {
    if let Some(dialog) = state.dialog.as_mut().filter(|d| d.seq == seq) {
        dialog.permission = Some(permission);
        state.dirty = true;
    }
}

/// Confirm pressed: check everything once more against the estate as it is now.
pub(super) fn confirm(state: &mut State) -> Vec<Effect> {
    refresh(state);
    let Some(dialog) = state.dialog.as_ref() else {
        return Vec::new();
    };
    if !dialog.confirm_enabled() {
        let why = dialog.blocked_because().unwrap_or_default();
        state.notify(format!("Not confirmed: {why}"), Level::Warn, 5);
        return Vec::new();
    }
    let Some(dialog) = state.dialog.take() else {
        return Vec::new();
    };
    if let Some(request) = dialog.approving.clone() {
        return super::requests::approve(state, *request);
    }
    let Ok(preview) = dialog.preview.clone() else {
        return Vec::new();
    };
    let asks = dialog.asks_second_operator();
    let typed = dialog.requires_typed_name();
    let guard = dialog.guard_facts();
    let action = dialog.action;
    let intent = Intent {
        id: format!("{}-{}", state.now.0, dialog.seq),
        operator: state.settings.operator.clone(),
        change: preview.change,
        cli: preview.cli,
        confirmed_by: if typed {
            crate::actions::guardrails::TYPED_NAME
        } else {
            "button"
        }
        .into(),
        guard,
        action,
    };
    // A two-person rule: asked of the room; it runs when another operator approves.
    if asks {
        return super::requests::ask(state, dialog.seq, intent);
    }
    let seq = dialog.seq;
    let key = intent.action.target.key();
    state.timeline.push(Entry {
        seq,
        started: state.now,
        finished: None,
        operator: intent.operator.clone(),
        // With several clusters watched, which one it went to.
        title: match super::fleet::is_fleet(state) {
            true => format!(
                "{} {}",
                intent.action.context,
                timeline_title(&intent.action)
            ),
            false => timeline_title(&intent.action),
        },
        target: key,
        status: Status::Running { progress: None },
        output: Vec::new(),
    });
    started(state, seq, &intent);
    vec![Effect::Execute {
        seq: dialog.seq,
        intent: Box::new(intent),
    }]
}

/// An action about to be executed (confirmed, or approved by a second operator): its target
/// marked running, the status bar told, a command's output pane or a drain's timeline opened.
pub(super) fn started(state: &mut State, seq: u64, intent: &Intent) {
    super::forwards::on_confirmed(state, seq, &intent.action);
    state.running.insert(intent.action.running_key(), seq);
    let title = format!("{}: ", intent.action.title());
    state.notify_outcome(&title, "started", Level::Ok, 4);
    // A drain reports each pod as it goes, and Ctrl-x ends it as it ends a command.
    if intent.action.kind == ActionKind::Drain {
        state.show_timeline = true;
        state.exec_running.push(seq);
    }
    // A command's output streams into the output pane, which opens to show it; the command
    // goes to its workload's history.
    if super::output::start(state, seq, &intent.action) {
        super::exec_intent::remember(state, &intent.action);
        state.exec_running.push(seq);
    }
}

/// An action's line in the timeline: a one-off command names its command (three `x` in a pod
/// were three identical lines), cut to a readable length; the rest, the action's title.
fn timeline_title(action: &Action) -> String {
    let ActionKind::Exec { command, .. } = &action.kind else {
        return action.title();
    };
    let line: Vec<String> = command.iter().map(|w| crate::actions::quoted(w)).collect();
    let line = crate::ui::text::fit(&line.join(" "), 40, "…");
    match &action.target {
        Target::Pod { namespace, name } => format!("Run `{line}` in {namespace}/{name}"),
        _ => action.title(),
    }
}
