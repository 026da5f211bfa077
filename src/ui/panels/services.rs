//! The Services panel: deployments and statefulsets with replicas, revision, image, health,
//! p95, error rate and the namespace's lockdown state; details with the revision history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::field;
use crate::app::State;
use crate::app::rows::{SERVICE_COLUMNS, ServiceRow, ServiceRows};
use crate::app::table::RowSet;
use crate::config::Role;
use crate::domain::kube_access::{NETWORK_POLICIES, NOT_PERMITTED};
use crate::domain::level::{Thresholds, defaults};
use crate::domain::time::{format_age, format_duration_ms};
use crate::domain::{
    Estate, FreshnessView, Level, ServiceHealth, ServiceKpis, SourceKind, Workload, WorkloadErrors,
};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::{clean, fit, fit_start};

const COLUMNS: [Column; 12] = [
    fixed(10, 0), // NAMESPACE
    grow(16, 0),  // NAME
    fixed(6, 3),  // KIND: `http` tells a check outside the cluster apart
    fixed(9, 0),  // READY
    fixed(4, 2),  // REV
    grow(20, 4),  // IMAGE, cut from its start: the tag shows
    fixed(8, 0),  // HEALTH
    fixed(8, 0),  // P95
    fixed(8, 0),  // ERRORS
    grow(15, 2),  // LOG ERR 15M/24H, wider with the pods read (`≥3 / ≥12 (4/27)`)
    fixed(8, 1),  // LOCKDOWN
    fixed(3, 5), // HPA: `3/2–10 cpu 71%/80%`, `-` without one; as wide as the widest; dropped first
];

/// A p95 in milliseconds, judged by the service's thresholds.
pub fn p95_span(look: Look, ms: Option<f64>, thresholds: Thresholds) -> Span<'static> {
    match ms {
        Some(ms) => look.marked(thresholds.level(ms), &format_duration_ms(ms as u64)),
        None => Span::styled("n/a", look.style(Role::Muted)),
    }
}

/// An error rate (0..=1) as a percentage, judged by the service's thresholds.
pub fn error_rate_span(look: Look, rate: Option<f64>, thresholds: Thresholds) -> Span<'static> {
    match rate {
        Some(r) => look.marked(thresholds.level(r), &format!("{:.1}%", r * 100.0)),
        None => Span::styled("n/a", look.style(Role::Muted)),
    }
}

/// ERROR lines logged over 15 min / 24 h: `3 / 41`, `3 / ≥41` when only part of the day's log
/// could be read, `-` before any was.
fn log_errors_span(look: Look, errors: Option<WorkloadErrors>, waiting: bool) -> Span<'static> {
    let Some(e) = errors else {
        // On a big cluster counting waits for `e`; say so where the counts would be.
        let text = if waiting { "off: e counts" } else { "-" };
        return Span::styled(text, look.style(Role::Muted));
    };
    let at_least = look.sym.at_least;
    let count = |i: usize| {
        let bound = if e.complete[i] { "" } else { at_least };
        format!("{bound}{}", e.counts[i])
    };
    let mut text = format!("{} / {}", count(0), count(1));
    if e.pods_read < e.pods_total {
        // Reads are budgeted: how much of the workload the counts cover.
        text.push_str(&format!(" ({}/{})", e.pods_read, e.pods_total));
    }
    let role = if e.counts[0] > 0 {
        Role::Warn
    } else if e.counts[1] > 0 {
        Role::Text
    } else {
        Role::Muted
    };
    Span::styled(text, look.style(role))
}

/// The details' line about the log error counts.
pub(super) fn log_errors_line(state: &State, look: Look, e: WorkloadErrors) -> Line<'static> {
    let mut text = format!(
        "{} ERROR lines in the last 15 min, {} in the last 24 h",
        e.counts[0], e.counts[1]
    );
    if e.from_query {
        // Where the figure comes from: not the pods' logs, but the team's own counter.
        text.push_str(" (Prometheus, [logs] errors_query)");
    } else if e.pods_read < e.pods_total {
        text.push_str(&format!(
            " (at least: {} of {} pods' logs read so far, {} reads a minute)",
            e.pods_read, e.pods_total, state.settings.logs.error_reads_per_minute
        ));
    } else if let Some(back) = e.read_back_to.filter(|_| !e.complete.iter().all(|c| *c)) {
        text.push_str(&format!(
            " (at least: logs read back to {} UTC)",
            back.clock_utc()
        ));
    }
    text.push_str(&format!(
        ", counted {} ago",
        format_age(e.as_of.age_at(state.now))
    ));
    field(look, "Log errors", text)
}

/// HEALTH, P95 and ERRORS: the same for a workload's row and a standalone check's.
/// `prom` is Prometheus's freshness: unreachable, P95 and ERRORS say `✖ n/a`; stale, the last
/// figures are dimmed behind the stale mark instead of their level's.
pub(super) fn health_and_kpi_cells(
    look: Look,
    health: Option<&ServiceHealth>,
    kpi: Option<&ServiceKpis>,
    prom: Option<&FreshnessView>,
) -> [Cell<'static>; 3] {
    let health = match health {
        Some(h) if h.up => look.marked(Level::Ok, "up"),
        Some(_) => look.marked(Level::Crit, "down"),
        None => Span::styled("-", look.style(Role::Muted)),
    };
    let mut p95 = p95_span(
        look,
        kpi.and_then(|k| k.p95_ms),
        kpi.map_or(defaults::P95_MS, |k| k.p95_thresholds),
    );
    let mut errors = error_rate_span(
        look,
        kpi.and_then(|k| k.error_rate),
        kpi.map_or(defaults::ERROR_RATE, |k| k.error_thresholds),
    );
    match prom {
        Some(FreshnessView::Unreachable { .. }) => {
            let none = || Span::styled(format!("{} n/a", look.sym.crit), look.style(Role::Muted));
            (p95, errors) = (none(), none());
        }
        Some(FreshnessView::Stale { .. }) => {
            let stale = |span: Span<'static>| match span.content.split_once(' ') {
                Some((_, figure)) => Span::styled(
                    format!("{} {figure}", look.sym.stale),
                    look.style(Role::Muted),
                ),
                None => span,
            };
            (p95, errors) = (stale(p95), stale(errors));
        }
        _ => {}
    }
    [Cell::from(health), Cell::from(p95), Cell::from(errors)]
}

/// `widths` are the columns' on screen: a cut name or image is marked as cut.
fn cells(
    look: Look,
    estate: &Estate,
    w: &Workload,
    prom: Option<&FreshnessView>,
    waiting: bool,
    widths: &[u16],
) -> Vec<Cell<'static>> {
    let [health, p95, errors] =
        health_and_kpi_cells(look, estate.health_for(w), estate.kpis_for(w), prom);
    let locked = estate.namespace_locked(&w.context, &w.namespace);
    vec![
        Cell::from(clean(&w.namespace).into_owned()),
        Cell::from(fit(&clean(&w.name), widths[1].into(), look.sym.ellipsis)),
        Cell::from(w.kind.short()),
        Cell::from(look.marked(w.level(), &format!("{}/{}", w.ready, w.desired))),
        Cell::from(w.revision.to_string()),
        Cell::from(fit_start(
            &clean(&w.image),
            widths[5].into(),
            look.sym.ellipsis,
        )),
        health,
        p95,
        errors,
        Cell::from(log_errors_span(look, estate.log_errors_for(w), waiting)),
        Cell::from(if estate.kube_access.denies(NETWORK_POLICIES) {
            // Whether it is locked down cannot be known: `-` would say it is not.
            Span::styled(NOT_PERMITTED, look.style(Role::Muted))
        } else if locked {
            look.marked(Level::Crit, "LOCKED")
        } else {
            Span::styled("-", look.style(Role::Muted))
        }),
        super::services_hpa::cell(look, estate, w),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let estate = &state.estate;
    let rows = ServiceRows(estate);
    // NAME and IMAGE grow to their widest value before room is left over.
    let widest = |value: fn(&Workload) -> &str| {
        let workloads = estate
            .workloads
            .iter()
            .map(|w| clean(value(w)).chars().count());
        let checks = (0..rows.len()).filter_map(|i| match rows.row(i) {
            Some(ServiceRow::Check(h)) => Some(h.service.chars().count()),
            _ => None,
        });
        workloads.chain(checks).max().unwrap_or(0)
    };
    let mut columns = COLUMNS;
    columns[1] = columns[1].widest(widest(|w| &w.name));
    let image = estate
        .workloads
        .iter()
        .map(|w| clean(&w.image).chars().count());
    columns[5] = columns[5].widest(image.max().unwrap_or(0));
    // Counts and, while not every pod was read, how many were: `≥12 / ≥120 (16/20)`.
    columns[9] = columns[9].widest(20);
    if estate.kube_access.denies(NETWORK_POLICIES) {
        columns[10] = fixed(NOT_PERMITTED.len() as u16, 1);
    }
    let hpas = estate.hpas.iter().map(|h| h.column().chars().count());
    // Never cut: the column is as wide as its widest value, or dropped when there is no room.
    columns[11] = fixed(hpas.max().unwrap_or(0).max(3) as u16, 5);
    let context_of = |i: usize| estate.workloads.get(i).map(|w| &*w.context);
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
        title: "Services",
        headers: SERVICE_COLUMNS,
        columns: &columns,
        view: &state.tables.services,
        total: rows.len(),
        focused: state.help.is_none(),
    };
    let rows = ServiceRows(estate);
    let prom = estate.freshness_of(SourceKind::Prometheus, state.now);
    let prom = prom.as_ref();
    let waiting = state.error_reads.waiting_for_request;
    table::draw(frame, area, look, props, |i, widths| match rows.row(i) {
        Some(ServiceRow::Workload(w)) => cells(look, estate, w, prom, waiting, widths),
        Some(ServiceRow::Check(h)) => super::http_check::cells(look, estate, h, prom),
        None => Vec::new(),
    });
}
