//! What a cluster lets this user read, when it is less than everything: how many namespaces'
//! pods are watched when the cluster-wide list is forbidden, and the kinds it may not read at
//! all. The status bar says it in the words that fit; the panels say "not permitted" where
//! the data would be.

/// The kinds a cockpit may be refused and still go on without, as the adapter names them.
pub const EVENTS: &str = "events";
pub const NETWORK_POLICIES: &str = "network policies";
pub const METRICS: &str = "metrics";
pub const NODES: &str = "nodes";

/// What a column or panel shows in place of data this user may not read.
pub const NOT_PERMITTED: &str = "not permitted";

/// A cluster seen with limited rights.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubeAccess {
    /// The namespaces whose pods are watched, one by one, because the cluster-wide list is
    /// forbidden; `None` when it is allowed (or the namespaces are configured).
    pub namespaces: Option<usize>,
    /// The kinds it may not read at all (`events`, `network policies`, `metrics`), sorted.
    pub not_permitted: Vec<String>,
}

impl KubeAccess {
    /// Whether this user may not read `kind` at all (one of the constants above).
    pub fn denies(&self, kind: &str) -> bool {
        self.not_permitted.iter().any(|k| k == kind)
    }

    /// `pods: 3 namespaces (no cluster-wide access)`, when that is so.
    pub fn scope(&self) -> Option<String> {
        self.namespaces.map(|n| {
            format!(
                "pods: {n} namespace{} (no cluster-wide access)",
                if n == 1 { "" } else { "s" }
            )
        })
    }

    /// The status bar's words, or `None` when everything may be read.
    pub fn summary(&self) -> Option<String> {
        self.forms().into_iter().next()
    }

    /// The status bar's words from the longest to the shortest, for the room there is: at 80
    /// columns the whole sentence leaves no room for the sources' marks. Empty when
    /// everything may be read.
    pub fn forms(&self) -> Vec<String> {
        let denied = &self.not_permitted;
        let list = |names: &[String]| names.join(", ");
        let short: Vec<String> = denied.iter().map(|k| short_kind(k).to_string()).collect();
        let parts = |scope: Option<String>, denied: Option<String>| match (scope, denied) {
            (Some(s), Some(d)) => Some(format!("{s}; {d}")),
            (s, d) => s.or(d),
        };
        let some = !denied.is_empty();
        let count = self.namespaces.map(|n| format!("{n} ns"));
        let candidates = [
            parts(
                self.scope(),
                some.then(|| format!("{NOT_PERMITTED}: {}", list(denied))),
            ),
            parts(
                self.namespaces
                    .map(|n| format!("pods: {n} namespace{}", if n == 1 { "" } else { "s" })),
                some.then(|| format!("{NOT_PERMITTED}: {}", list(denied))),
            ),
            parts(count.clone(), some.then(|| format!("no {}", list(&short)))),
            parts(
                count.clone(),
                some.then(|| format!("{} denied", denied.len())),
            ),
            // At 80 columns beside every source's mark: the panels say "not permitted"
            // where the refused kinds' data would be.
            count,
        ];
        let mut forms: Vec<String> = Vec::new();
        for form in candidates.into_iter().flatten() {
            // Each form shorter than the one before, or it is no use.
            if forms
                .last()
                .is_none_or(|l| form.chars().count() < l.chars().count())
            {
                forms.push(form);
            }
        }
        forms
    }
}

/// A kind's name in the status bar's shortest forms.
fn short_kind(kind: &str) -> &str {
    match kind {
        NETWORK_POLICIES => "netpol",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(namespaces: Option<usize>, denied: &[&str]) -> KubeAccess {
        KubeAccess {
            namespaces,
            not_permitted: denied.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_forms_go_from_the_sentence_to_a_count() {
        assert_eq!(
            access(Some(3), &[EVENTS]).forms(),
            [
                "pods: 3 namespaces (no cluster-wide access); not permitted: events",
                "pods: 3 namespaces; not permitted: events",
                "3 ns; no events",
                "3 ns; 1 denied",
                "3 ns",
            ]
        );
        assert_eq!(
            access(Some(1), &[]).forms(),
            [
                "pods: 1 namespace (no cluster-wide access)",
                "pods: 1 namespace",
                "1 ns"
            ]
        );
        assert_eq!(
            access(None, &[METRICS, NETWORK_POLICIES]).forms(),
            [
                "not permitted: metrics, network policies",
                "no metrics, netpol",
                "2 denied"
            ]
        );
        assert!(access(None, &[]).forms().is_empty());
        assert_eq!(access(None, &[]).summary(), None);
    }

    #[test]
    fn denies_names_only_what_was_refused() {
        let a = access(None, &[EVENTS]);
        assert!(a.denies(EVENTS));
        assert!(!a.denies(METRICS));
    }
}
