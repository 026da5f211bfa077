//! The Overview's Services and Alerts tiles: rollouts, health, the worst KPIs and lockdowns;
//! the firing alerts by severity, newest first.

use ratatui::text::{Line, Span};

use super::overview::{Room, fitted, mark, muted};
use super::services::{error_rate_span, p95_span};
use crate::app::State;
use crate::app::summary::ServiceSummary;
use crate::domain::time::format_age;
use crate::domain::{AlertState, Level};
use crate::ui::fit_line::{keep, shrink, shrink_or_drop};
use crate::ui::look::Look;
use crate::ui::text::clean;

pub(super) fn services_lines(look: Look, sv: &ServiceSummary, room: Room) -> Vec<Line<'static>> {
    let w = room.width;
    let text = format!("{} workloads, {} ready", sv.workloads, sv.fully_ready);
    let mut lines = vec![fitted(look, vec![shrink(1, text.into())], w)];
    for name in &sv.rolling_out {
        lines.push(fitted(
            look,
            vec![
                mark(look, Level::Warn),
                keep(look.level_span(Level::Warn, "rollout: ")),
                shrink(1, look.level_span(Level::Warn, &clean(name))),
            ],
            w,
        ));
    }
    let mut health = vec![keep(Span::raw(format!("health {} up", sv.health_up)))];
    if !sv.health_down.is_empty() {
        let names = clean(&sv.health_down.join(", ")).into_owned();
        health.extend([
            keep(Span::raw("  ")),
            mark(look, Level::Crit),
            keep(look.level_span(Level::Crit, &format!("{} down", sv.health_down.len()))),
            shrink_or_drop(2, 4, look.level_span(Level::Crit, &format!(": {names}"))),
        ]);
    }
    lines.push(fitted(look, health, w));
    // `worst ` goes from both lines when either needs the room, so that they read alike.
    let long = |label: &str, value: &Span, name: &str| {
        format!("worst {label} {} {}", value.content, clean(name))
            .chars()
            .count()
    };
    let p95 = sv
        .worst_p95
        .as_ref()
        .map(|(name, p95, t)| (name, p95_span(look, Some(*p95), *t)));
    let errors = sv
        .worst_error_rate
        .as_ref()
        .map(|(name, rate, t)| (name, error_rate_span(look, Some(*rate), *t)));
    let short = p95.iter().any(|(n, v)| long("p95", v, n) > w)
        || errors.iter().any(|(n, v)| long("errors", v, n) > w);
    let worst = |label: &str, value: Span<'static>, name: &str| {
        let prefix = if short { "" } else { "worst " };
        fitted(
            look,
            vec![
                keep(muted(look, format!("{prefix}{label} "))),
                keep(value),
                shrink(1, Span::raw(format!(" {}", clean(name)))),
            ],
            w,
        )
    };
    if let Some((name, value)) = p95 {
        lines.push(worst("p95", value, name));
    }
    if let Some((name, value)) = errors {
        lines.push(worst("errors", value, name));
    }
    lines.push(if sv.locked_namespaces.is_empty() {
        fitted(look, vec![shrink(1, muted(look, "no lockdown"))], w)
    } else {
        let text = format!("LOCKED DOWN: {}", clean(&sv.locked_namespaces.join(", ")));
        fitted(
            look,
            vec![
                mark(look, Level::Crit),
                shrink(1, look.level_span(Level::Crit, &text)),
            ],
            w,
        )
    });
    for (name, ready, desired, level) in &sv.troubled {
        lines.push(fitted(
            look,
            vec![
                mark(look, *level),
                shrink(1, look.level_span(*level, &clean(name))),
                keep(look.level_span(*level, &format!(" {ready}/{desired}"))),
            ],
            w,
        ));
    }
    lines
}

pub(super) fn alerts_lines(look: Look, state: &State, room: Room) -> Vec<Line<'static>> {
    let w = room.width;
    let al = &state.summary.alerts;
    let e = &state.estate;
    let now = state.now;
    let level_of = |n: usize, level| if n > 0 { level } else { Level::Ok };
    let crit = level_of(al.critical, Level::Crit);
    let warn = level_of(al.warning, Level::Warn);
    let mut lines = vec![
        fitted(
            look,
            vec![
                mark(look, crit),
                keep(look.level_span(crit, &al.critical.to_string())),
                shrink(1, look.level_span(crit, " critical")),
                keep(Span::raw("  ")),
                mark(look, warn),
                keep(look.level_span(warn, &al.warning.to_string())),
                shrink(1, look.level_span(warn, " warning")),
            ],
            w,
        ),
        fitted(
            look,
            vec![shrink(
                1,
                muted(look, format!("{} info, {} silenced", al.info, al.silenced)),
            )],
            w,
        ),
    ];
    // An Alertmanager that is not live: the alerts below are its last list.
    let note = super::alerts::not_live_note(state, look);
    if let Some(note) = note.strip_prefix(", ") {
        lines.insert(0, Line::from(muted(look, note.to_string())));
    }
    // Resolved ones are not counted above; they are said apart, while they are remembered.
    if al.resolved > 0 {
        let keep_for = format_age(e.alert_memory.keep_secs);
        let text = format!("{} resolved <{keep_for}", al.resolved);
        lines.push(fitted(look, vec![shrink(1, muted(look, text))], w));
    }
    let mut firing: Vec<_> = e
        .alerts
        .iter()
        .filter(|a| a.state == AlertState::Active)
        .collect();
    firing.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.starts_at.cmp(&a.starts_at))
    });
    for a in firing.into_iter().take(room.rows) {
        let name = look.severity_marked(a.severity, &clean(&a.name));
        // The symbol stays whole; the name gives way, the age never does.
        let (symbol, rest) = split_mark(name);
        let summary = format!("  {}", clean(&a.summary));
        lines.push(fitted(
            look,
            vec![
                keep(symbol),
                shrink(1, rest),
                keep(muted(
                    look,
                    format!(" {}", format_age(a.starts_at.age_at(now))),
                )),
                shrink_or_drop(3, 20, muted(look, summary)),
            ],
            w,
        ));
    }
    lines
}

/// `▲ name` as `▲ ` and `name`, both in the span's style.
fn split_mark(span: Span<'static>) -> (Span<'static>, Span<'static>) {
    let text = span.content.to_string();
    let at = text.find(' ').map_or(0, |i| i + 1);
    let (symbol, rest) = text.split_at(at);
    (
        Span::styled(symbol.to_string(), span.style),
        Span::styled(rest.to_string(), span.style),
    )
}
