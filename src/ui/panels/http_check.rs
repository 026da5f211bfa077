//! A Services row for a health check that belongs to no workload (a service outside
//! Kubernetes): kind `http`, its answer, p95 and errors; the workload columns say `-`.

use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::field;
use super::services::health_and_kpi_cells;
use super::services_details::{health_lines, kpi_lines};
use crate::app::State;
use crate::config::Role;
use crate::domain::{Estate, FreshnessView, Level, ServiceHealth, http_checks};
use crate::ui::look::Look;
use crate::ui::text::clean;

pub fn cells(
    look: Look,
    estate: &Estate,
    h: &ServiceHealth,
    prom: Option<&FreshnessView>,
) -> Vec<Cell<'static>> {
    let none = || Cell::from(Span::styled("-", look.style(Role::Muted)));
    let (namespace, name) = http_checks::split(&h.service);
    let [health, p95, errors] =
        health_and_kpi_cells(look, Some(h), estate.kpis_named(&h.service), prom);
    vec![
        namespace.map_or_else(none, |n| Cell::from(clean(n).into_owned())),
        Cell::from(clean(name).into_owned()),
        Cell::from("http"),
        none(),
        none(),
        none(),
        health,
        p95,
        errors,
        none(),
        none(),
        // HPA: a check outside the cluster has none.
        none(),
    ]
}

pub fn details(state: &State, look: Look, h: &ServiceHealth) -> Vec<Line<'static>> {
    let level = if h.up { Level::Ok } else { Level::Crit };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("HTTP check {}  ", clean(&h.service)),
                look.style(Role::Title),
            ),
            look.level(level),
        ]),
        field(
            look,
            "Workload",
            "none in the cluster: a service outside Kubernetes, or one the cluster does not show"
                .to_string(),
        ),
    ];
    lines.extend(health_lines(state, look, h));
    if let Some(k) = state.estate.kpis_named(&h.service) {
        lines.extend(kpi_lines(look, k));
    }
    lines
}
