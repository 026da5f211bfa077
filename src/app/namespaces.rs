//! The namespace picker: the namespaces of the pods and workloads already watched (no request
//! of its own), each with its pod count and worst pod state, `all` first, then the recently
//! chosen ones, then the rest by name. Choosing one sets the view filter.

use std::collections::BTreeMap;

use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::domain::Level;

/// One entry of the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceRow {
    /// `None` is `all`.
    pub name: Option<String>,
    pub pods: usize,
    /// The worst state of its pods (ok when it has none).
    pub level: Level,
    /// Chosen recently (listed after `all`, newest first).
    pub recent: bool,
}

/// The namespaces the watched pods and workloads live in, by name: pod count and worst state.
pub fn known(state: &State) -> BTreeMap<String, (usize, Level)> {
    let mut by_name: BTreeMap<String, (usize, Level)> = BTreeMap::new();
    for pod in state.estate.pods.iter() {
        let entry = by_name
            .entry(pod.key.namespace.to_string())
            .or_insert((0, Level::Ok));
        entry.0 += 1;
        entry.1 = entry.1.max(pod.level());
    }
    let others = state
        .estate
        .workloads
        .iter()
        .map(|w| w.namespace.clone())
        .chain(state.estate.namespaces.iter().map(|n| n.name.clone()));
    for name in others {
        by_name.entry(name).or_insert((0, Level::Ok));
    }
    by_name
}

/// The picker's entries: `all`, the recent ones, the rest.
pub fn rows(state: &State) -> Vec<NamespaceRow> {
    let mut known = known(state);
    let total = known.values().map(|(n, _)| n).sum();
    let worst = Level::worst(known.values().map(|(_, l)| *l));
    let mut out = vec![NamespaceRow {
        name: None,
        pods: total,
        level: worst,
        recent: false,
    }];
    for name in state.view.recent.iter().flatten() {
        if let Some((pods, level)) = known.remove(name) {
            out.push(NamespaceRow {
                name: Some(name.clone()),
                pods,
                level,
                recent: true,
            });
        }
    }
    out.extend(known.into_iter().map(|(name, (pods, level))| NamespaceRow {
        name: Some(name),
        pods,
        level,
        recent: false,
    }));
    out
}

/// Opens the picker with the most recently left namespace chosen, so that the picker's key and
/// Enter go back to it; without one, on the namespace shown.
pub fn open(state: &mut State) {
    let rows = rows(state);
    let previous = state.view.recent.first();
    let selected = previous
        .and_then(|p| rows.iter().position(|r| r.name == *p))
        .or_else(|| rows.iter().position(|r| r.name == state.view.namespace))
        .unwrap_or(0);
    state.pane = Some(Pane::new(PaneKind::Namespaces { rows, selected }));
}

/// The namespace chosen in the picker or typed after `:ns`.
pub fn choose(state: &mut State, name: Option<String>) {
    let word = name.clone().unwrap_or_else(|| "all".into());
    super::view_filter::set_namespace(state, name);
    state.notify(format!("namespace: {word}"), Level::Ok, 3);
}
