//! The Services panel's details: a workload's replicas, revision history, its Service and HPA,
//! pods, health check and KPIs with their trends, error counts, lockdown, events.

use crate::domain::kube_object::{ObjectKind, ObjectRef};
use ratatui::text::{Line, Span};

use super::{field, heading};
use crate::app::State;
use crate::app::rows::ServiceRow;
use crate::config::Role;
use crate::domain::kube_access::{NETWORK_POLICIES, NOT_PERMITTED};
use crate::domain::time::{format_age, format_duration_ms};
use crate::domain::{Level, ServiceHealth, ServiceKpis};
use crate::ui::look::Look;
use crate::ui::text::{clean, sparkline};

use super::services::{error_rate_span, log_errors_line, p95_span};

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let estate = &state.estate;
    let w = match state.selected_service_row() {
        Some(ServiceRow::Workload(w)) => w,
        Some(ServiceRow::Check(h)) => return super::http_check::details(state, look, h),
        None => return vec![Line::from("No workload selected.")],
    };
    let now = state.now;
    let key = w.qualified_name();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} {}  ", w.kind.resource(), clean(&key)),
                look.style(Role::Title),
            ),
            look.level(w.level()),
        ]),
        field(
            look,
            "Replicas",
            format!(
                "{} desired, {} ready, {} on revision {}",
                w.desired, w.ready, w.updated, w.revision
            ),
        ),
        field(look, "Image", clean(&w.image).into_owned()),
        field(
            look,
            "Service",
            w.service
                .as_ref()
                .map_or("none selects its pods".into(), |s| {
                    format!(
                        "{} port {} → pods' {} (F forwards it)",
                        clean(&s.name),
                        s.port,
                        s.target_port
                    )
                }),
        ),
    ];
    if let Some(errors) = estate.log_errors_for(w) {
        lines.push(log_errors_line(state, look, errors));
    } else if let Some(queried) = &estate.queried_errors {
        let text = "no series for this workload in [logs] errors_query's answer";
        lines.push(field(look, "Log errors", text.to_string()));
        if let Some(why) = &queried.failure {
            let text = format!("[logs] errors_query failed: {}", clean(why));
            lines.push(field(look, "Log errors", text));
        }
    }
    lines.extend(super::services_hpa::lines(look, estate, w));
    if w.rollout_in_progress() {
        lines.push(Line::from(look.marked(
            Level::Warn,
            &format!("Rollout in progress: {}/{} updated", w.updated, w.desired),
        )));
    }
    if estate.kube_access.denies(NETWORK_POLICIES) {
        lines.push(field(
            look,
            "Lockdown",
            format!("{NOT_PERMITTED}: this user may not list network policies"),
        ));
    } else if estate.namespace_locked(&w.context, &w.namespace) {
        lines.push(Line::from(look.marked(
            Level::Crit,
            &format!("Namespace {} is locked down", clean(&w.namespace)),
        )));
    }
    if let Some(h) = estate.health_for(w) {
        lines.extend(health_lines(state, look, h));
    }
    if let Some(k) = estate.kpis_for(w) {
        lines.extend(kpi_lines(look, k));
    }
    // Strategy and conditions: from the workload fetched for the details.
    let kind = match w.kind {
        crate::domain::WorkloadKind::Deployment => ObjectKind::Deployment,
        crate::domain::WorkloadKind::StatefulSet => ObjectKind::StatefulSet,
    };
    let object = ObjectRef::new(kind, &w.namespace, &w.name).in_cluster(&w.context);
    lines.extend(crate::ui::describe::lines(state, look, &object));
    lines.push(Line::default());
    lines.push(heading(look, "Revision history (newest first)"));
    for rev in w.history.iter().rev() {
        let current = rev.number == w.revision;
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {:>4} ", if current { "*" } else { " " }, rev.number),
                look.style(if current { Role::Accent } else { Role::Text }),
            ),
            Span::raw(format!("{:>5}  ", format_age(rev.created.age_at(now)))),
            Span::raw(clean(&rev.image).into_owned()),
            Span::styled(
                rev.change_cause
                    .as_deref()
                    .map_or(String::new(), |c| format!("  {}", clean(c))),
                look.style(Role::Muted),
            ),
        ]));
    }
    let mut events = estate
        .events
        .about(&w.context, w.kind.api_kind(), &w.namespace, &w.name);
    events.truncate(10);
    if !events.is_empty() {
        lines.push(Line::default());
        lines.push(heading(look, "Events"));
        for e in events {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:>5} ", format_age(e.last_seen.age_at(now))),
                    look.style(Role::Muted),
                ),
                look.marked(
                    if e.warning { Level::Warn } else { Level::Ok },
                    &clean(&e.reason),
                ),
                Span::raw(format!("  {}", clean(&e.message))),
            ]));
        }
    }
    lines
}

/// A health check's details: its answer, URL (hidden when presenting) and last error.
pub(super) fn health_lines(state: &State, look: Look, h: &ServiceHealth) -> Vec<Line<'static>> {
    let status = h
        .status_code
        .map_or(String::new(), |c| format!("HTTP {c}, "));
    let mut lines = vec![
        field(
            look,
            "Health",
            format!(
                "{} ({status}{} ms, checked {} ago)",
                if h.up { "up" } else { "DOWN" },
                h.latency_ms,
                format_age(h.checked_at.age_at(state.now))
            ),
        ),
        field(look, "Health URL", crate::ui::text::private(state, &h.url)),
    ];
    if let Some(err) = &h.last_error {
        lines.push(field(look, "Last error", clean(err).into_owned()));
    }
    lines
}

/// A service's Prometheus KPIs, with the p95 history as a sparkline.
pub(super) fn kpi_lines(look: Look, k: &ServiceKpis) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<13}", "KPIs"), look.style(Role::Muted)),
        Span::raw("p95 "),
        p95_span(look, k.p95_ms, k.p95_thresholds),
        Span::raw("  errors "),
        error_rate_span(look, k.error_rate, k.error_thresholds),
        Span::raw(
            k.requests_per_s
                .map_or(String::new(), |r| format!("  {r:.0} req/s")),
        ),
    ])];
    if k.p95_history.iter().any(Option::is_some) {
        let worst = k
            .p95_history
            .iter()
            .flatten()
            .fold(0.0f64, |a, b| a.max(*b));
        let level = k.p95_thresholds.level(worst);
        lines.push(field(
            look,
            "p95 history",
            format!(
                "last {}, max {}",
                format_age(k.history_secs),
                format_duration_ms(worst as u64)
            ),
        ));
        // On its own line: a details pane is narrow, and a wrapped graph reads as two.
        lines.push(Line::from(Span::styled(
            sparkline(&k.p95_history, look.sym.spark),
            look.style(Role::for_level(level)),
        )));
    }
    lines
}
