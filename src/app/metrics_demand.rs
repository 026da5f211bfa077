//! Which state asks for usage (metrics.k8s.io): only the Pods panel shows pods' CPU and
//! memory (its table, its sort by CPU or memory, the selected pod's details), only the Nodes
//! panel nodes'. Elsewhere the cluster is not asked for it, so an idle cockpit on the
//! Overview costs no metrics requests.

use super::panel::Panel;
use super::state::State;
use crate::domain::node::MetricsDemand;

/// What the screen shows usage of, so that it should be kept fresh.
pub fn wanted(state: &State) -> MetricsDemand {
    MetricsDemand {
        pods: state.panel == Panel::Pods,
        nodes: state.panel == Panel::Nodes,
    }
}
