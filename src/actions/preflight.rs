//! Preflight: everything that can be decided before asking anyone. Refuses when the cockpit is
//! read-only, the target is gone, another action on it is running, or the action makes no sense
//! (rolling back to a revision that does not exist); otherwise describes the exact change.
//! Permission (RBAC) and dry-runs need the backend and are asked by the executor.

use std::collections::BTreeSet;

use super::{Action, ActionKind, LOCKDOWN_POLICY, Target};
use crate::domain::time::{format_age, format_duration_ms};
use crate::domain::{AlertState, Estate, SessionState, UnixTime};

/// The application name of our own database sessions; actions never target them.
pub const OWN_APPLICATION_NAME: &str = "opsdeck";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The exact change, e.g. "replicas 3 → 5".
    pub change: String,
    /// Consequences worth saying out loud before confirming.
    pub warnings: Vec<String>,
    pub cli: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("read-only cockpit: {0} refused")]
    ReadOnly(String),
    #[error("{0} is gone")]
    TargetGone(String),
    #[error("{0} already has an action running; wait for it to finish")]
    Busy(String),
    #[error("{0}")]
    Invalid(String),
    #[error("not permitted: {0}")]
    NotPermitted(String),
}

pub fn preflight(
    action: &Action,
    estate: &Estate,
    now: UnixTime,
    readonly: bool,
    running: &BTreeSet<String>,
) -> Result<Preview, Refusal> {
    if readonly && !action.kind.readonly_ok() {
        return Err(Refusal::ReadOnly(action.kind.name().to_string()));
    }
    if running.contains(&action.running_key()) {
        return Err(Refusal::Busy(action.target.key()));
    }
    let (change, warnings) = describe(action, estate, now)?;
    Ok(Preview {
        change,
        warnings,
        cli: with_context(action, estate),
    })
}

pub(super) fn gone(action: &Action) -> Refusal {
    Refusal::TargetGone(action.target.key())
}

fn describe(
    action: &Action,
    estate: &Estate,
    now: UnixTime,
) -> Result<(String, Vec<String>), Refusal> {
    use ActionKind as K;
    let mut warnings = Vec::new();
    let change = match (&action.kind, &action.target) {
        (K::Team { .. }, _) => super::preflight_team::describe(action, estate)?,
        (K::Drain, Target::Node { .. }) => {
            let (change, more) = super::preflight_drain::describe(action, estate)?;
            warnings.extend(more);
            change
        }
        (K::EditConfigMap { .. }, Target::ConfigMap { .. }) => {
            let (change, more) = super::preflight_config::describe(action, estate)?;
            warnings.extend(more);
            change
        }
        (K::Cordon | K::Uncordon, Target::Node { .. }) => {
            let (change, more) = super::preflight_node::describe(action, estate)?;
            warnings.extend(more);
            change
        }
        (
            K::RunCronJob { .. } | K::SuspendCronJob | K::ResumeCronJob | K::DeleteJob,
            Target::CronJob { .. } | Target::Job { .. },
        ) => {
            let (change, more) = super::preflight_job::describe(action, estate, now)?;
            warnings.extend(more);
            change
        }
        (
            kind,
            Target::Workload {
                namespace, name, ..
            },
        ) => super::preflight_workload::describe(
            action,
            kind,
            namespace,
            name,
            estate,
            &mut warnings,
        )?,
        (K::Lockdown, Target::Namespace { namespace }) => {
            let ns = estate
                .namespaces
                .iter()
                .find(|n| *n.context == *action.context && n.name == *namespace)
                .ok_or_else(|| gone(action))?;
            if ns.locked_down {
                return Err(Refusal::Invalid(format!(
                    "{namespace} is already locked down"
                )));
            }
            warnings.push(format!(
                "Every pod in {namespace} loses all ingress and egress, DNS included."
            ));
            format!(
                "NetworkPolicy {LOCKDOWN_POLICY} in {namespace}: every pod, all ingress and egress denied"
            )
        }
        (K::LiftLockdown, Target::Namespace { namespace }) => {
            let ns = estate
                .namespaces
                .iter()
                .find(|n| *n.context == *action.context && n.name == *namespace)
                .ok_or_else(|| gone(action))?;
            if !ns.locked_down {
                return Err(Refusal::Invalid(format!(
                    "{namespace} is not locked down by opsdeck"
                )));
            }
            format!(
                "NetworkPolicy {LOCKDOWN_POLICY} in {namespace} deleted; other policies untouched"
            )
        }
        (K::RestartPod | K::Exec { .. } | K::Shell { .. }, Target::Pod { namespace, name }) => {
            super::preflight_pod::describe(action, namespace, name, estate, &mut warnings)?
        }
        (
            K::Silence {
                matchers,
                duration_secs,
                comment,
            },
            Target::Alert {
                source,
                fingerprint,
                ..
            },
        ) => {
            let alert = find_alert(estate, source, fingerprint)
                .ok_or_else(|| alert_gone(action, estate, source, fingerprint))?;
            if alert.state == AlertState::Silenced {
                return Err(Refusal::Invalid(format!(
                    "{} is already silenced",
                    alert.name
                )));
            }
            if matchers.is_empty() {
                return Err(Refusal::Invalid(
                    "a silence needs at least one matcher".into(),
                ));
            }
            if *duration_secs == 0 {
                return Err(Refusal::Invalid("a silence needs a duration".into()));
            }
            if comment.trim().is_empty() {
                return Err(Refusal::Invalid(
                    "a silence needs a comment: say why".into(),
                ));
            }
            let m: Vec<String> = matchers.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("silence {} for {}", m.join(" "), format_age(*duration_secs))
        }
        (
            K::ExpireSilence { silence },
            Target::Alert {
                source,
                fingerprint,
                ..
            },
        ) => {
            let alert = find_alert(estate, source, fingerprint)
                .ok_or_else(|| alert_gone(action, estate, source, fingerprint))?;
            if alert.state != AlertState::Silenced {
                return Err(Refusal::Invalid(format!("{} is not silenced", alert.name)));
            }
            if !alert.silenced_by.contains(silence) {
                return Err(Refusal::Invalid(format!(
                    "silence {silence} no longer silences {}",
                    alert.name
                )));
            }
            let by = estate
                .silences
                .iter()
                .find(|s| &s.id == silence && &s.source == source)
                .map(|s| format!(" by {}", s.created_by))
                .unwrap_or_default();
            let others = alert.silenced_by.len() - 1;
            if others > 0 {
                let plural = if others == 1 { "" } else { "s" };
                warnings.push(format!(
                    "{} stays silenced by {others} other silence{plural}.",
                    alert.name
                ));
                format!("silence {silence}{by} ends")
            } else {
                format!("silence {silence}{by} ends; {} notifies again", alert.name)
            }
        }
        (K::ExtendSilence { .. }, Target::Alert { .. }) => {
            super::preflight_extend::describe(action, estate, now)?
        }
        (K::CancelQuery | K::TerminateBackend, Target::PgBackend { instance, pid }) => {
            let pg = estate
                .postgres
                .iter()
                .find(|p| &p.name == instance)
                .ok_or_else(|| gone(action))?;
            let session = pg
                .sessions
                .iter()
                .find(|s| s.pid == *pid)
                .ok_or_else(|| gone(action))?;
            // Ending a session that waits on a lock does not release the lock.
            if let Some(blocker) = pg.blocker_of(*pid) {
                let since = blocker
                    .in_state_secs(now)
                    .map_or(String::new(), |s| format!(" {}", format_age(s)));
                warnings.push(format!(
                    "pid {pid} is blocked by pid {} ({}, {}{since}): ending pid {pid} does not \
                     release the lock.",
                    blocker.pid,
                    blocker.user,
                    blocker.state.word()
                ));
            }
            if session.application == OWN_APPLICATION_NAME {
                return Err(Refusal::Invalid(format!(
                    "pid {pid} is opsdeck's own connection"
                )));
            }
            let query: String = session.query.chars().take(60).collect();
            // How long it has been as it is: running a query, or idle with a transaction open.
            let running = session.in_state_secs(now).map(|s| {
                let state = match session.state {
                    SessionState::Active => "running",
                    other => other.word(),
                };
                let blocks = match session.blocks {
                    0 => String::new(),
                    n => format!(", blocks {n}"),
                };
                format!(", {state} {}{blocks}", format_duration_ms(s * 1000))
            });
            let who = format!(
                "pid {pid} ({} on {}{})",
                session.user,
                session.database,
                running.unwrap_or_default()
            );
            if matches!(action.kind, K::CancelQuery) {
                if !matches!(session.state, SessionState::Active | SessionState::Waiting) {
                    return Err(Refusal::Invalid(format!(
                        "pid {pid} is {}: no query to cancel",
                        session.state.word()
                    )));
                }
                format!("cancel the query of {who}: {query}")
            } else {
                warnings.push(
                    "The session's open transaction is rolled back and its client disconnected."
                        .into(),
                );
                format!("terminate {who}: {query}")
            }
        }
        (K::TakeBackup | K::VerifyBackup | K::TestRestore, Target::BackupSet { name }) => {
            let set = estate
                .backups
                .iter()
                .find(|b| &b.name == name)
                .ok_or_else(|| gone(action))?;
            let latest = set.latest();
            // As the backup executor refuses them: only dump files can be read here.
            if !matches!(action.kind, K::TakeBackup) && set.kind != "directory" {
                return Err(Refusal::Invalid(format!(
                    "\"{name}\" is a {} set: only dump files in a directory set can be checked here",
                    set.kind
                )));
            }
            match action.kind {
                K::TakeBackup => format!("a new backup of \"{name}\" into {}", set.location),
                K::VerifyBackup => match latest {
                    Some(item) => {
                        format!("check {} (gzip integrity, table of contents)", item.name)
                    }
                    None => {
                        return Err(Refusal::Invalid(format!(
                            "\"{name}\" has no backup to verify"
                        )));
                    }
                },
                _ => match (latest, &set.restore_to) {
                    (_, None) => {
                        return Err(Refusal::Invalid(format!(
                            "\"{name}\" has no `restore_to` PostgreSQL configured"
                        )));
                    }
                    (Some(item), Some(server)) => format!(
                        "restore {} into a scratch database opsdeck_restore_* on {server}, count, drop it",
                        item.name
                    ),
                    (None, _) => {
                        return Err(Refusal::Invalid(format!(
                            "\"{name}\" has no backup to restore"
                        )));
                    }
                },
            }
        }
        (K::PortForward { .. }, Target::Pod { .. }) => {
            let (change, more) = super::preflight_forward::describe(action, estate)?;
            warnings.extend(more);
            change
        }
        (kind, target) => {
            return Err(Refusal::Invalid(format!(
                "{} does not apply to {}",
                kind.name(),
                target.key()
            )));
        }
    };
    Ok((change, warnings))
}

/// Why an alert action has no target: resolved (remembered, no longer listed), or unknown.
pub(super) fn alert_gone(
    action: &Action,
    estate: &Estate,
    source: &str,
    fingerprint: &str,
) -> Refusal {
    let resolved = estate
        .alert_memory
        .resolved
        .iter()
        .find(|r| r.alert.source == source && r.alert.fingerprint == fingerprint);
    match resolved {
        Some(r) => Refusal::Invalid(format!(
            "{} has resolved; Alertmanager no longer lists it",
            r.alert.name
        )),
        None => gone(action),
    }
}

pub(super) fn find_alert<'a>(
    estate: &'a Estate,
    source: &str,
    fingerprint: &str,
) -> Option<&'a crate::domain::Alert> {
    estate
        .alerts
        .iter()
        .find(|a| a.source == source && a.fingerprint == fingerprint)
}

/// The CLI line, naming its cluster (`kubectl --context staging ...`) while several are
/// watched: pasted as it is, it acts where the action does, not on the kubeconfig's current
/// context.
fn with_context(action: &Action, estate: &Estate) -> String {
    let cli = action.cli();
    let several = estate.kube_contexts().nth(1).is_some();
    match cli.strip_prefix("kubectl ") {
        Some(rest) if several => {
            format!(
                "kubectl --context {} {rest}",
                super::quoted(&action.context)
            )
        }
        _ => cli,
    }
}
