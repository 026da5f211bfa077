//! Which state asks for pods' usage (metrics.k8s.io): only the Pods panel shows CPU and
//! memory (its table, its sort by CPU or memory, the selected pod's details). Elsewhere the
//! cluster is not asked for it, so an idle cockpit on the Overview costs no metrics requests.

use super::panel::Panel;
use super::state::State;

/// True while the screen shows pods' usage, so that it should be kept fresh.
pub fn wanted(state: &State) -> bool {
    state.panel == Panel::Pods
}
