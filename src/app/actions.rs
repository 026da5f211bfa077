//! The action pipeline's pure half: a key becomes an intent on the selected row, preflight
//! refuses or previews it, the dialog collects and confirms it, and confirmation becomes an
//! `Effect::Execute` carrying the intent record. Outcomes come back as messages.

use std::collections::BTreeSet;

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
use crate::domain::{Level, Revision};

/// Default length of a new silence.
const DEFAULT_SILENCE_SECS: u64 = 4 * 3600;

/// The action a command asks for, if the command is an action.
fn template(command: Command) -> Option<ActionKind> {
    Some(match command {
        Command::Scale => ActionKind::Scale { replicas: 0 },
        Command::RolloutRestart => ActionKind::RolloutRestart,
        Command::Rollback => ActionKind::Rollback { to_revision: 0 },
        Command::Lockdown => ActionKind::Lockdown,
        Command::LiftLockdown => ActionKind::LiftLockdown,
        Command::RestartPod => ActionKind::RestartPod,
        Command::Silence => ActionKind::Silence {
            matchers: Vec::new(),
            duration_secs: DEFAULT_SILENCE_SECS,
            comment: String::new(),
        },
        Command::ExpireSilence => ActionKind::ExpireSilence {
            silence: String::new(),
        },
        Command::CancelQuery => ActionKind::CancelQuery,
        Command::TerminateBackend => ActionKind::TerminateBackend,
        Command::TakeBackup => ActionKind::TakeBackup,
        Command::VerifyBackup => ActionKind::VerifyBackup,
        Command::TestRestore => ActionKind::TestRestore,
        _ => return None,
    })
}

/// The selected row's target for an action, with parameters filled in from it (current
/// replicas, the previous revision, matchers from the alert's labels).
fn intent(state: &State, kind: ActionKind) -> Option<(Action, Vec<Revision>)> {
    let estate = &state.estate;
    let context = state.context.clone();
    let mut revisions = Vec::new();
    let (kind, target) = match state.panel {
        Panel::Services => {
            let w = state.selected_workload()?;
            let workload = Target::Workload {
                namespace: w.namespace.clone(),
                kind: w.kind.into(),
                name: w.name.clone(),
            };
            match kind {
                ActionKind::Lockdown | ActionKind::LiftLockdown => (
                    kind,
                    Target::Namespace {
                        namespace: w.namespace.clone(),
                    },
                ),
                ActionKind::Scale { .. } => (
                    ActionKind::Scale {
                        replicas: w.desired,
                    },
                    workload,
                ),
                ActionKind::Rollback { .. } => {
                    revisions = w
                        .history
                        .iter()
                        .rev()
                        .filter(|r| r.number != w.revision)
                        .cloned()
                        .collect();
                    let to = revisions.first().map_or(0, |r| r.number);
                    (ActionKind::Rollback { to_revision: to }, workload)
                }
                other => (other, workload),
            }
        }
        Panel::Pods => {
            let p = state.selected_pod()?;
            (
                kind,
                Target::Pod {
                    namespace: p.key.namespace.to_string(),
                    name: p.key.name.to_string(),
                },
            )
        }
        Panel::Alerts => {
            // A resolved one too: preflight says why nothing can be done to it.
            let a = super::rows::selected_alert(state)?.alert;
            let kind = match kind {
                // Silencing a silenced alert extends its silence, the comment kept to edit.
                ActionKind::Silence { duration_secs, .. }
                    if a.state == crate::domain::AlertState::Silenced =>
                {
                    let silence = chosen_silence(state, a);
                    let comment = estate
                        .silences
                        .iter()
                        .find(|s| s.id == silence && s.source == a.source)
                        .map(|s| s.comment.clone())
                        .unwrap_or_default();
                    ActionKind::ExtendSilence {
                        silence,
                        duration_secs,
                        comment,
                    }
                }
                ActionKind::Silence {
                    duration_secs,
                    comment,
                    ..
                } => ActionKind::Silence {
                    // Every label but severity: precise enough to silence this alert only.
                    matchers: a
                        .labels
                        .iter()
                        .filter(|(k, _)| k != "severity")
                        .cloned()
                        .collect(),
                    duration_secs,
                    comment,
                },
                // One silence, named: the operator's own if they made one, else the first.
                ActionKind::ExpireSilence { .. } => ActionKind::ExpireSilence {
                    silence: chosen_silence(state, a),
                },
                other => other,
            };
            (
                kind,
                Target::Alert {
                    source: a.source.clone(),
                    fingerprint: a.fingerprint.clone(),
                    name: a.name.clone(),
                },
            )
        }
        Panel::Databases => {
            let rows = super::rows::SessionRows {
                estate,
                now: state.now,
            };
            let (instance, session) = rows.session(state.tables.sessions.selected_index()?);
            (
                kind,
                Target::PgBackend {
                    instance: instance.name.clone(),
                    pid: session.pid,
                },
            )
        }
        Panel::Backups => {
            let set = state.selected_backup_set()?;
            (
                kind,
                Target::BackupSet {
                    name: set.name.clone(),
                },
            )
        }
        Panel::Overview | Panel::Checklist => return None,
    };
    let context = match &target {
        Target::PgBackend { instance, .. } => instance.clone(),
        Target::Alert { source, .. } => source.clone(),
        _ => context,
    };
    Some((
        Action {
            kind,
            target,
            context,
        },
        revisions,
    ))
}

/// The silence an action on a silenced alert acts on: the operator's own if they made one,
/// else the first.
fn chosen_silence(state: &State, a: &crate::domain::Alert) -> String {
    a.silenced_by
        .iter()
        .find(|id| {
            state.estate.silences.iter().any(|s| {
                &s.id == *id && s.source == a.source && s.created_by == state.settings.operator
            })
        })
        .or(a.silenced_by.first())
        .cloned()
        .unwrap_or_default()
}

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
    let Some((action, revisions)) = intent(state, kind) else {
        state.notify(format!("{name}: select a row first"), Level::Warn, 4);
        return Vec::new();
    };
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
    );
    match &preview {
        Err(Refusal::Invalid(_)) if has_parameters => {}
        Err(refusal) => {
            state.notify(format!("{}: {refusal}", action.title()), Level::Warn, 8);
            return Vec::new();
        }
        Ok(_) => {}
    }
    state.next_seq += 1;
    let seq = state.next_seq;
    let mut dialog = Dialog::new(seq, action, revisions);
    dialog.apply_fields(state.now);
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
    let Some(dialog) = state.dialog.as_mut() else {
        return;
    };
    dialog.apply_fields(state.now);
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
        Target::Workload { .. } | Target::Namespace { .. } | Target::Pod { .. } => {
            of(SourceKind::Kubernetes, &state.context)
        }
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
    let Ok(preview) = dialog.preview.clone() else {
        return Vec::new();
    };
    let action = dialog.action;
    let intent = Intent {
        id: format!("{}-{}", state.now.0, dialog.seq),
        operator: state.settings.operator.clone(),
        change: preview.change,
        cli: preview.cli,
        confirmed_by: if action.risk() == crate::actions::Risk::High {
            "typed name"
        } else {
            "button"
        }
        .into(),
        action,
    };
    let key = intent.action.target.key();
    state.running.insert(key.clone(), dialog.seq);
    state.timeline.push(Entry {
        seq: dialog.seq,
        started: state.now,
        finished: None,
        operator: intent.operator.clone(),
        title: intent.action.title(),
        target: key,
        status: Status::Running { progress: None },
        output: Vec::new(),
    });
    state.notify(format!("{}: started", intent.action.title()), Level::Ok, 4);
    vec![Effect::Execute {
        seq: dialog.seq,
        intent: Box::new(intent),
    }]
}

/// Progress goes to the timeline and, so that it is seen with the timeline closed, to the
/// status bar.
pub fn on_progress(state: &mut State, seq: u64, line: String) {
    let Some(entry) = state.timeline.iter_mut().find(|e| e.seq == seq) else {
        return;
    };
    entry.status = Status::Running {
        progress: Some(line.clone()),
    };
    entry.add_output(line.clone());
    let title = entry.title.clone();
    state.notify(format!("{title}: {line}"), Level::Ok, 3);
}

pub fn on_finished(state: &mut State, seq: u64, result: Result<String, String>) {
    state.running.retain(|_, s| *s != seq);
    state.dirty = true;
    let Some(entry) = state.timeline.iter_mut().find(|e| e.seq == seq) else {
        return;
    };
    entry.finished = Some(state.now);
    let title = entry.title.clone();
    match result {
        Ok(message) => {
            entry.status = Status::Succeeded(message.clone());
            state.notify(format!("{title}: {message}"), Level::Ok, 8);
        }
        Err(error) => {
            entry.status = Status::Failed(error.clone());
            state.notify(format!("{title} FAILED: {error}"), Level::Crit, 15);
        }
    }
}
