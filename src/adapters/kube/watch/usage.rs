//! Pod and node usage from metrics.k8s.io, each pod's row keyed by the pod key the adapter
//! already holds.

use std::collections::HashSet;

use super::super::convert::Interner;
use super::super::metrics::{self, Metrics};
use super::Watch;
use crate::domain::{PodKey, Report};

impl Watch {
    /// The usage the screen shows (pods', nodes' or none), or why there is none. A failed
    /// request sends nothing: the source's freshness is the watches' to say, and a report
    /// would mark a dead server live.
    pub(super) async fn poll_metrics(&mut self) -> Result<Vec<Report>, Metrics> {
        // A failed poll waits its interval too: a broken metrics API is not asked in a loop.
        self.metrics_polled = Some(std::time::Instant::now());
        let demand = *self.metrics_wanted.borrow();
        self.polled_for = demand;
        let mut reports = Vec::new();
        if demand.pods {
            let mut rows = metrics::poll(&self.client, &self.scopes).await?;
            for row in &mut rows {
                row.0 = held_key(&self.known, &mut self.strings, &row.0);
            }
            self.usage = rows.iter().map(|(k, c, m)| (k.clone(), (*c, *m))).collect();
            reports.push(Report::PodUsage(rows));
        }
        if demand.nodes {
            reports.push(Report::NodeUsage(metrics::poll_nodes(&self.client).await?));
        }
        Ok(reports)
    }
}

/// The metrics API names each pod afresh; the key the pods already hold is used instead (or at
/// least the shared namespace), so the usage map and the report add no copy of 100,000 names
/// (heap profile in the README).
fn held_key(known: &[HashSet<PodKey>], strings: &mut Interner, key: &PodKey) -> PodKey {
    known
        .iter()
        .find_map(|keys| keys.get(key))
        .cloned()
        .unwrap_or_else(|| PodKey {
            context: crate::domain::cluster_row::no_context(),
            namespace: strings.get(&key.namespace),
            name: key.name.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metrics_row_takes_the_key_the_pods_hold() {
        let held = PodKey::new("pos", "pos-order-1");
        let known = vec![HashSet::from([held.clone()])];
        let mut strings = Interner::default();
        let from_metrics = PodKey::new("pos", "pos-order-1");
        let key = held_key(&known, &mut strings, &from_metrics);
        assert_eq!(key, from_metrics);
        assert!(std::ptr::eq(key.name.as_ptr(), held.name.as_ptr()));
        assert!(std::ptr::eq(
            key.namespace.as_ptr(),
            held.namespace.as_ptr()
        ));
        // A pod not known yet still shares its namespace with every other.
        let first = held_key(&known, &mut strings, &PodKey::new("pos", "new-1"));
        let second = held_key(&known, &mut strings, &PodKey::new("pos", "new-2"));
        assert!(std::ptr::eq(
            first.namespace.as_ptr(),
            second.namespace.as_ptr()
        ));
    }
}
