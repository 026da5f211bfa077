//! The Overview's word on each cluster while several are watched: its worst state (its pods',
//! or down / stale when its source is), first in the Pods tile, so a dead prod-us is not lost
//! in a fleet's totals.

use ratatui::text::Line;

use super::overview::{fitted, mark, muted};
use crate::app::State;
use crate::domain::{FreshnessView, Level, SourceId, SourceKind};
use crate::ui::fit_line::shrink;
use crate::ui::look::Look;
use crate::ui::text::clean;

/// One line per cluster shown, in context order; none with one cluster.
pub fn lines(look: Look, state: &State, width: usize) -> Vec<Line<'static>> {
    if !crate::app::fleet::is_fleet(state) {
        return Vec::new();
    }
    crate::app::fleet::shown(state)
        .into_iter()
        .map(|context| {
            let pods = state
                .summary
                .pods
                .by_cluster
                .iter()
                .find(|(c, _, _)| c == context);
            let (count, pods_level) = pods.map_or((0, Level::Ok), |(_, n, l)| (*n, *l));
            let freshness = state
                .estate
                .sources
                .get(&SourceId::new(SourceKind::Kubernetes, context))
                .map(|f| f.view(state.now));
            let (level, state_word) = match freshness {
                Some(FreshnessView::Unreachable { .. }) => (Level::Crit, "down".to_string()),
                Some(FreshnessView::Stale { age_secs }) => {
                    (Level::Warn, format!("stale {age_secs}s"))
                }
                Some(FreshnessView::Connecting) | None => (Level::Unknown, "connecting".into()),
                Some(_) => (pods_level, format!("{count} pods")),
            };
            let name = format!("{} ", clean(context));
            fitted(
                look,
                vec![
                    mark(look, level),
                    shrink(1, name.into()),
                    shrink(2, muted(look, state_word)),
                ],
                width,
            )
        })
        .collect()
}
