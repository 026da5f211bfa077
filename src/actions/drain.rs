//! What a drain does with each pod on the node, decided as `kubectl drain NODE
//! --ignore-daemonsets --delete-emptydir-data` decides it: a DaemonSet's pod and a mirror
//! (static) pod are left where they are, a pod no controller owns refuses the drain (kubectl
//! needs `--force` for it, which opsdeck does not offer: such a pod is gone for good), every
//! other pod is evicted, its emptyDir data with it. Shared by the preflight (from the estate's
//! rows) and the executor (from the API's pods), so the dialog's plan is the drain's.

use std::time::Duration;

/// What becomes of one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Evict,
    /// A DaemonSet's pod: its controller would put it straight back.
    SkipDaemonSet,
    /// A static pod the kubelet runs from a file: the API cannot remove it.
    SkipMirror,
    /// No controller owns it: evicted, it would not come back.
    Blocker,
}

/// `owner_kind`: the kind of the pod's controller (`ReplicaSet`, `DaemonSet`, ...), if any;
/// `finished`: Succeeded or Failed, which kubectl deletes whoever owns it.
pub fn classify(owner_kind: Option<&str>, mirror: bool, finished: bool) -> Disposition {
    if mirror {
        return Disposition::SkipMirror;
    }
    if finished {
        return Disposition::Evict;
    }
    match owner_kind {
        Some("DaemonSet") => Disposition::SkipDaemonSet,
        Some(_) => Disposition::Evict,
        None => Disposition::Blocker,
    }
}

/// How long after a 429 (a disruption budget said no) the eviction is asked again.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

/// `1 pod`, `3 pods`.
pub fn pods(n: usize) -> String {
    match n {
        1 => "1 pod".into(),
        n => format!("{n} pods"),
    }
}

/// The refusal for pods no controller owns, naming them (`ns/name`).
pub fn blockers_refusal(blockers: &[String]) -> String {
    format!(
        "pods no controller owns: {} (kubectl drain refuses them without --force; delete or move them first)",
        blockers.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemonset_and_mirror_pods_are_skipped_bare_ones_block_and_the_rest_are_evicted() {
        assert_eq!(
            classify(Some("ReplicaSet"), false, false),
            Disposition::Evict
        );
        assert_eq!(
            classify(Some("StatefulSet"), false, false),
            Disposition::Evict
        );
        assert_eq!(
            classify(Some("DaemonSet"), false, false),
            Disposition::SkipDaemonSet
        );
        assert_eq!(classify(None, true, false), Disposition::SkipMirror);
        assert_eq!(classify(None, false, false), Disposition::Blocker);
        // A finished pod is deleted whoever owns it, as kubectl does.
        assert_eq!(classify(None, false, true), Disposition::Evict);
    }
}
