//! Which action a key asks for, on the selected row: the command's template filled from the
//! row (its target, current values, the silence it acts on). Pure; the dialog takes it from
//! here.

use super::state::State;
use crate::actions::{Action, ActionKind, Target};
use crate::config::Command;
use crate::domain::Revision;

/// The port `F` offers: the one most HTTP services in a pod listen on; the dialog edits it.
pub const DEFAULT_FORWARD_PORT: u16 = 8080;

/// Default length of a new silence.
const DEFAULT_SILENCE_SECS: u64 = 4 * 3600;

/// The action a command asks for, if the command is an action.
pub(super) fn template(command: Command) -> Option<ActionKind> {
    Some(match command {
        Command::Scale => ActionKind::Scale { replicas: 0 },
        Command::RolloutRestart => ActionKind::RolloutRestart,
        Command::Rollback => ActionKind::Rollback { to_revision: 0 },
        Command::Lockdown => ActionKind::Lockdown,
        Command::LiftLockdown => ActionKind::LiftLockdown,
        Command::Cordon => ActionKind::Cordon,
        Command::RunCronJob => ActionKind::RunCronJob { job: String::new() },
        // Which of the two the selected CronJob is told by `job_target`.
        Command::SuspendCronJob => ActionKind::SuspendCronJob,
        Command::DeleteJob => ActionKind::DeleteJob,
        Command::Uncordon => ActionKind::Uncordon,
        Command::Drain => ActionKind::Drain,
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
        // The container, shells and risk come from the pod and the config (`exec_intent`).
        Command::Exec => ActionKind::Exec {
            container: None,
            command: Vec::new(),
            high_risk: false,
        },
        Command::Shell => ActionKind::Shell {
            container: None,
            shells: Vec::new(),
            high_risk: false,
        },
        Command::PortForward => ActionKind::PortForward {
            local: DEFAULT_FORWARD_PORT,
            remote: DEFAULT_FORWARD_PORT,
            via: None,
        },
        Command::HpaBounds => ActionKind::HpaBounds {
            hpa: String::new(),
            min: 0,
            max: 0,
        },
        Command::SetResources => ActionKind::SetResources {
            container: String::new(),
            requests_cpu: None,
            requests_memory: None,
            limits_cpu: None,
            limits_memory: None,
        },
        _ => return None,
    })
}

/// The selected row's target for an action, with parameters filled in from it (current
/// replicas, the previous revision, matchers from the alert's labels).
pub(super) fn intent(state: &State, kind: ActionKind) -> Option<(Action, Vec<Revision>)> {
    // The row's own cluster: with several watched, the action goes where the row came from.
    let context = super::fleet::selected_context(state).unwrap_or_else(|| state.context.clone());
    let mut revisions = Vec::new();
    let (kind, target) = (state.panel.spec().action_target?)(state, kind, &mut revisions)?;
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

pub(super) fn node_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let node = state.selected_node()?;
    match kind {
        ActionKind::Cordon | ActionKind::Uncordon | ActionKind::Drain => Some((
            kind,
            Target::Node {
                name: node.name.clone(),
            },
        )),
        _ => None,
    }
}

pub(super) fn workload_target(
    state: &State,
    kind: ActionKind,
    revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let w = state.selected_workload()?;
    let workload = Target::Workload {
        namespace: w.namespace.clone(),
        kind: w.kind.into(),
        name: w.name.clone(),
    };
    Some(match kind {
        // A workload's port is its first ready pod's, as `kubectl port-forward
        // deployment/NAME` picks one; behind a Service, the port that Service sends to, as
        // `kubectl port-forward svc/NAME` translates it.
        ActionKind::PortForward { local, remote, .. } => {
            let pod = super::exec_intent::ready_pod(state, w)?;
            let (local, remote, via) = match &w.service {
                Some(s) => (
                    s.target_port,
                    s.target_port,
                    format!("service/{}:{}", s.name, s.port),
                ),
                None => (
                    local,
                    remote,
                    format!("{}/{}", w.kind.api_kind().to_lowercase(), w.name),
                ),
            };
            (
                ActionKind::PortForward {
                    local,
                    remote,
                    via: Some(via),
                },
                Target::Pod {
                    namespace: pod.key.namespace.to_string(),
                    name: pod.key.name.to_string(),
                },
            )
        }
        // A command on a workload runs in one of its ready pods, which the dialog names.
        kind @ ActionKind::Exec { .. } => {
            let pod = super::exec_intent::ready_pod(state, w)?;
            super::exec_intent::on_pod(state, pod, kind)
        }
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
        // The HPA's bounds as they are, to edit; none when no HPA scales it (preflight says).
        ActionKind::HpaBounds { .. } => {
            let h = crate::domain::hpa::of(&state.estate.hpas, w);
            (
                ActionKind::HpaBounds {
                    hpa: h.map_or(String::new(), |h| h.name.clone()),
                    min: h.map_or(1, |h| h.min),
                    max: h.map_or(1, |h| h.max),
                },
                workload,
            )
        }
        // The workload's own container, its quantities as they are, to edit.
        ActionKind::SetResources { .. } => {
            let c = w.containers.first().cloned().unwrap_or_default();
            (
                ActionKind::SetResources {
                    container: c.name,
                    requests_cpu: c.requests.cpu,
                    requests_memory: c.requests.memory,
                    limits_cpu: c.limits.cpu,
                    limits_memory: c.limits.memory,
                },
                workload,
            )
        }
        ActionKind::Rollback { .. } => {
            *revisions = w
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
    })
}

pub(super) fn pod_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let p = state.selected_pod()?;
    Some(super::exec_intent::on_pod(state, p, kind))
}

pub(super) fn alert_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let estate = &state.estate;
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
    Some((
        kind,
        Target::Alert {
            source: a.source.clone(),
            fingerprint: a.fingerprint.clone(),
            name: a.name.clone(),
        },
    ))
}

pub(super) fn session_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let estate = &state.estate;
    let rows = super::rows::SessionRows {
        estate,
        now: state.now,
    };
    let (instance, session) = rows.session(state.tables.sessions.selected_index()?);
    Some((
        kind,
        Target::PgBackend {
            instance: instance.name.clone(),
            pid: session.pid,
        },
    ))
}

pub(super) fn backup_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    let set = state.selected_backup_set()?;
    Some((
        kind,
        Target::BackupSet {
            name: set.name.clone(),
        },
    ))
}

/// A CronJob's run now (named for this second), suspend or resume (whichever it is not); a
/// Job's delete.
pub(super) fn job_target(
    state: &State,
    kind: ActionKind,
    _revisions: &mut Vec<Revision>,
) -> Option<(ActionKind, Target)> {
    use crate::app::rows::JobRow;
    match (kind, state.selected_job_row()?) {
        (ActionKind::RunCronJob { .. }, JobRow::Cron(c)) => Some((
            ActionKind::RunCronJob {
                job: crate::domain::job::manual_job_name(&c.name, state.now),
            },
            Target::CronJob {
                namespace: c.namespace.clone(),
                name: c.name.clone(),
            },
        )),
        (ActionKind::SuspendCronJob, JobRow::Cron(c)) => Some((
            if c.suspend {
                ActionKind::ResumeCronJob
            } else {
                ActionKind::SuspendCronJob
            },
            Target::CronJob {
                namespace: c.namespace.clone(),
                name: c.name.clone(),
            },
        )),
        (ActionKind::DeleteJob, JobRow::Job(j)) => Some((
            ActionKind::DeleteJob,
            Target::Job {
                namespace: j.namespace.clone(),
                name: j.name.clone(),
            },
        )),
        _ => None,
    }
}

/// On the Jobs panel, why the selected row cannot take the action: a CronJob's action on a
/// Job's row, or the other way round.
pub(super) fn wrong_job_row(state: &State, kind: &ActionKind) -> Option<&'static str> {
    use crate::app::rows::JobRow;
    if state.panel != super::Panel::Jobs {
        return None;
    }
    match (kind, state.selected_job_row()?) {
        (ActionKind::RunCronJob { .. } | ActionKind::SuspendCronJob, JobRow::Job(_)) => {
            Some("select a CronJob (this row is a Job)")
        }
        (ActionKind::DeleteJob, JobRow::Cron(_)) => {
            Some("select a Job (this row is a CronJob; its Jobs are under it)")
        }
        _ => None,
    }
}
