//! One module per panel: its columns, its cells and its details.

pub mod alerts;
pub mod backups;
pub mod checklist;
mod config;
pub mod databases;
pub mod events;
pub mod headlines;
pub mod http_check;
pub mod instances;
mod jobs;
mod nodes;
pub mod overview;
mod overview_clusters;
mod overview_lower;
mod overview_upper;
pub mod pods;
pub mod services;
mod services_details;
mod services_hpa;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::look::Look;
use crate::app::{Panel, State};
use crate::config::Role;
use crate::domain::{FreshnessView, SourceKind};
use crate::ui::text::clean;

/// How a panel is drawn: its table (or page) and its selected row's details. The rest of what a
/// panel is lives in its spec (`app::panel_spec`).
#[derive(Clone, Copy)]
pub struct PanelView {
    pub draw: fn(&mut Frame, Rect, &State, Look),
    pub details: fn(&State, Look) -> Vec<Line<'static>>,
}

pub fn view_of(panel: Panel) -> PanelView {
    let (draw, details): (fn(&mut Frame, Rect, &State, Look), _) = match panel {
        Panel::Overview => (overview::draw, no_details as fn(&State, Look) -> _),
        Panel::Pods => (pods::draw, pods::details),
        Panel::Services => (services::draw, services_details::details),
        Panel::Alerts => (alerts::draw, alerts::details),
        Panel::Databases => (databases::draw, databases::details),
        Panel::Backups => (backups::draw, backups::details),
        Panel::Checklist => (checklist::draw, no_details),
        Panel::Events => (events::draw, events::details),
        Panel::Nodes => (nodes::draw, nodes::details),
        Panel::Jobs => (jobs::draw, jobs::details),
        Panel::Config => (config::draw, config::details),
    };
    PanelView { draw, details }
}

fn no_details(_: &State, _: Look) -> Vec<Line<'static>> {
    Vec::new()
}

/// The kinds of source a panel's figures come from.
pub fn panel_sources(panel: Panel) -> &'static [SourceKind] {
    panel.spec().sources
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
