//! Preflight of the actions on a workload: scale, rollout restart, rollback, and (in files of
//! their own) its autoscaler's bounds and its containers' resources.

use super::preflight::{Refusal, gone};
use super::{Action, ActionKind};
use crate::domain::Estate;

/// The exact change of `kind` on workload `namespace/name`, and its warnings.
pub(super) fn describe(
    action: &Action,
    kind: &ActionKind,
    namespace: &str,
    name: &str,
    estate: &Estate,
    warnings: &mut Vec<String>,
) -> Result<String, Refusal> {
    use ActionKind as K;
    let w = estate
        .workloads
        .iter()
        .find(|w| *w.context == *action.context && w.namespace == namespace && w.name == name)
        .ok_or_else(|| gone(action))?;
    Ok(match kind {
        K::Scale { replicas } => {
            if *replicas == w.desired {
                return Err(Refusal::Invalid(format!(
                    "{name} already has {replicas} replicas"
                )));
            }
            if *replicas == 0 {
                warnings.push(format!(
                    "Scaling to 0 stops every pod of {namespace}/{name}: it serves nothing."
                ));
            }
            if let Some(h) = crate::domain::hpa::of(&estate.hpas, w) {
                warnings.push(super::preflight_hpa::scale_warning(h));
            }
            format!("replicas {} → {replicas}", w.desired)
        }
        K::RolloutRestart => format!(
            "every pod of {name} is replaced, a few at a time (revision {} → {}, image unchanged)",
            w.revision,
            w.history
                .iter()
                .map(|r| r.number)
                .max()
                .unwrap_or(w.revision)
                + 1
        ),
        K::Rollback { to_revision } => {
            let to = w
                .history
                .iter()
                .find(|r| r.number == *to_revision)
                .ok_or_else(|| {
                    Refusal::Invalid(format!("{namespace}/{name} has no revision {to_revision}"))
                })?;
            if to.number == w.revision {
                return Err(Refusal::Invalid(format!(
                    "revision {to_revision} is already running"
                )));
            }
            format!(
                "revision {} image {} → revision {} image {}",
                w.revision, w.image, to.number, to.image
            )
        }
        K::HpaBounds { hpa, min, max } => {
            super::preflight_hpa::describe(w, hpa, *min, *max, estate, warnings)?
        }
        K::SetResources { .. } => super::preflight_resources::describe(w, kind, warnings)?,
        _ => {
            return Err(Refusal::Invalid(format!(
                "{} does not apply to a workload",
                kind.name()
            )));
        }
    })
}
