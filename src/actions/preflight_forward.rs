//! Preflight of a port-forward: the pod is there and running, the ports are real ones, and
//! the operator is told what opens on this host.

use super::preflight::Refusal;
use super::{Action, ActionKind, Target};
use crate::domain::{Estate, PodKey, PodPhase};

/// The change line of a port-forward and its warnings, or why it cannot be done.
pub(super) fn describe(action: &Action, estate: &Estate) -> Result<(String, Vec<String>), Refusal> {
    let (ActionKind::PortForward { local, remote, via }, Target::Pod { namespace, name }) =
        (&action.kind, &action.target)
    else {
        return Err(Refusal::Invalid("not a port-forward".into()));
    };
    let pod = estate
        .pods
        .get(&PodKey::in_cluster(
            action.context.as_str(),
            namespace.as_str(),
            name.as_str(),
        ))
        .ok_or_else(|| Refusal::TargetGone(action.target.key()))?;
    if pod.phase != PodPhase::Running || &*pod.status != "Running" {
        return Err(Refusal::Invalid(format!(
            "pod {name} is {}: nothing listens in it",
            pod.status
        )));
    }
    if *remote == 0 || *local == 0 {
        return Err(Refusal::Invalid("ports: 1 to 65535".into()));
    }
    let via = via
        .as_deref()
        .map_or(String::new(), |v| format!(" (a ready pod of {v})"));
    let change = format!(
        "127.0.0.1:{local} (else the next free port) forwarded to port {remote} of pod {name}{via}, \
         until closed in the forwards list or opsdeck quits; opening it is audited, not what passes"
    );
    let mut warnings = Vec::new();
    if *local < 1024 {
        warnings.push(format!(
            "Local port {local} needs root to bind; as another user give one from 1024 up (e.g. 8080:{remote})"
        ));
    }
    warnings.push("Anyone on this host can connect to 127.0.0.1 while it is open.".into());
    Ok((change, warnings))
}
