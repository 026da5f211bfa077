//! The Services panel's HPA column and details lines: the HorizontalPodAutoscaler that scales
//! a workload, `3/2–10 cpu 71%/80%` (replicas, min–max, CPU against its target).

use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::field;
use crate::config::Role;
use crate::domain::{Estate, Workload, hpa};
use crate::ui::look::Look;
use crate::ui::text::clean;

pub(super) fn cell(look: Look, estate: &Estate, w: &Workload) -> Cell<'static> {
    match hpa::of(&estate.hpas, w) {
        Some(h) => Cell::from(h.column()),
        None => Cell::from(Span::styled("-", look.style(Role::Muted))),
    }
}

/// The details' lines about the workload's HPA, with what a manual scale would meet.
pub(super) fn lines(look: Look, estate: &Estate, w: &Workload) -> Vec<Line<'static>> {
    let Some(h) = hpa::of(&estate.hpas, w) else {
        return Vec::new();
    };
    let metric = match (h.cpu_current_pct, h.cpu_target_pct) {
        (Some(now), Some(target)) => format!(", CPU {now}% of requests (target {target}%)"),
        (None, Some(target)) => format!(", CPU target {target}% (no metric yet)"),
        _ => String::new(),
    };
    vec![
        field(
            look,
            "Autoscaler",
            format!(
                "HPA {}: {} replicas (wants {}), min {}, max {}{metric}",
                clean(&h.name),
                h.current,
                h.desired,
                h.min,
                h.max
            ),
        ),
        Line::from(Span::styled(
            "  a manual scale is set back by the HPA: A changes its bounds",
            look.style(Role::Muted),
        )),
    ]
}
