//! Preflight of a team action (`[[actions]]`): its target is still there, the pod it runs in
//! is running, and the change line says exactly what runs where.

use super::preflight::{Refusal, alert_gone, find_alert};
use super::team::Place;
use super::{Action, ActionKind, Target, quoted};
use crate::domain::{Estate, PodKey, PodPhase};

/// The change line of a team action, or why it cannot run.
pub(super) fn describe(action: &Action, estate: &Estate) -> Result<String, Refusal> {
    let ActionKind::Team { place, argv, .. } = &action.kind else {
        return Err(Refusal::Invalid("not a team action".into()));
    };
    let gone = || Refusal::TargetGone(action.target.key());
    let there =
        match &action.target {
            Target::Workload {
                namespace, name, ..
            } => estate.workloads.iter().any(|w| {
                *w.context == *action.context && &w.namespace == namespace && &w.name == name
            }),
            Target::Pod { namespace, name } => estate
                .pods
                .get(&PodKey::in_cluster(
                    action.context.as_str(),
                    namespace.as_str(),
                    name.as_str(),
                ))
                .is_some(),
            Target::PgBackend { instance, pid } => estate
                .postgres
                .iter()
                .any(|p| &p.name == instance && p.sessions.iter().any(|s| s.pid == *pid)),
            Target::BackupSet { name } => estate.backups.iter().any(|b| &b.name == name),
            Target::Node { name } => estate
                .nodes
                .iter()
                .any(|n| *n.context == *action.context && &n.name == name),
            Target::CronJob { namespace, name } => estate.cronjobs.iter().any(|c| {
                *c.context == *action.context && &c.namespace == namespace && &c.name == name
            }),
            Target::Job { namespace, name } => estate.jobs.iter().any(|j| {
                *j.context == *action.context && &j.namespace == namespace && &j.name == name
            }),
            Target::Alert {
                source,
                fingerprint,
                ..
            } => {
                if find_alert(estate, source, fingerprint).is_none() {
                    return Err(alert_gone(action, estate, source, fingerprint));
                }
                true
            }
            Target::Namespace { namespace } => estate
                .namespaces
                .iter()
                .any(|n| *n.context == *action.context && n.name == *namespace),
            Target::ConfigMap { namespace, name } => estate.configs.iter().any(|c| {
                *c.context == *action.context && &c.namespace == namespace && &c.name == name
            }),
        };
    if !there {
        return Err(gone());
    }
    if argv.is_empty() {
        return Err(Refusal::Invalid("the command is empty".into()));
    }
    let words: Vec<String> = argv.iter().map(|w| quoted(w)).collect();
    let words = words.join(" ");
    Ok(match place {
        Place::Pod(in_pod) => {
            let super::team::InPod {
                namespace,
                pod,
                container,
            } = &**in_pod;
            let p = estate
                .pods
                .get(&PodKey::in_cluster(
                    action.context.as_str(),
                    namespace.as_str(),
                    pod.as_str(),
                ))
                .ok_or_else(|| Refusal::TargetGone(format!("{namespace}/pod/{pod}")))?;
            // As for `x`: only a pod whose STATUS says Running has a container to exec into.
            if p.phase != PodPhase::Running || &*p.status != "Running" {
                return Err(Refusal::Invalid(format!(
                    "pod {pod} is {}: nothing runs in it",
                    p.status
                )));
            }
            let container = container
                .as_deref()
                .map_or(String::new(), |c| format!(" (container {c})"));
            format!(
                "runs `{words}` in pod {namespace}/{pod}{container}; its output opens in a pane, its exit status is audited"
            )
        }
        Place::Local => format!(
            "runs `{words}` on this machine; its output opens in a pane, its exit status is audited"
        ),
    })
}
