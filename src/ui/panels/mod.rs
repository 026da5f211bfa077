//! One module per panel: its columns, its cells and its details.

pub mod alerts;
pub mod backups;
pub mod checklist;
pub mod databases;
pub mod events;
pub mod headlines;
pub mod http_check;
pub mod instances;
pub mod overview;
mod overview_lower;
pub mod pods;
pub mod services;

use ratatui::text::{Line, Span};

use super::look::Look;
use crate::app::{Panel, State};
use crate::config::Role;
use crate::domain::{FreshnessView, SourceKind};
use crate::ui::text::clean;

/// The kinds of source a panel's figures come from.
pub fn panel_sources(panel: Panel) -> &'static [SourceKind] {
    use SourceKind as K;
    match panel {
        Panel::Overview | Panel::Checklist => &[],
        Panel::Pods | Panel::Events => &[K::Kubernetes],
        Panel::Services => &[K::Kubernetes, K::Health, K::Prometheus],
        Panel::Alerts => &[K::Alertmanager],
        Panel::Databases => &[K::Postgres, K::Redis],
        Panel::Backups => &[K::Backups],
    }
}

/// For the top of a details pane: each of the panel's sources that is not live, its state and
/// the whole reason (`redis cache ✖ unreachable, 21s old: Connection refused ...`).
pub fn source_states(state: &State, look: Look, panel: Panel) -> Vec<Line<'static>> {
    let kinds = panel_sources(panel);
    let mut lines = Vec::new();
    for (id, f) in &state.estate.sources {
        if !kinds.contains(&id.kind) {
            continue;
        }
        let view = f.view(state.now);
        let Some(mark) = look.source_mark(&view) else {
            continue;
        };
        let mut spans = vec![
            Span::styled(
                format!("{} {} ", id.kind.label(), clean(&id.name)),
                look.style(Role::Title),
            ),
            mark,
        ];
        if let FreshnessView::Unreachable { reason, .. } | FreshnessView::Relisting { reason } =
            &view
        {
            spans.push(Span::raw(format!(": {}", clean(reason))));
        }
        lines.push(Line::from(spans));
    }
    if !lines.is_empty() {
        lines.push(Line::default());
    }
    lines
}

/// `label: value` for details panes.
pub(crate) fn field(look: Look, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<13}"), look.style(Role::Muted)),
        Span::styled(value.into(), look.style(Role::Text)),
    ])
}

/// A heading inside a details pane.
pub(crate) fn heading(look: Look, text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), look.style(Role::Header)))
}
