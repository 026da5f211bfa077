//! The Overview: one tile per area with its worst state, counts and gauges, readable at a
//! glance on a shared screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::databases::gauge;
use super::services::{error_rate_span, p95_span};
use crate::app::State;
use crate::config::Role;
use crate::domain::level::Thresholds;

/// Share of pods not ready: warn from 2 %, crit from 10 %.
const READY_PODS: Thresholds = Thresholds::new(0.02, 0.10);
use crate::domain::time::format_age;
use crate::domain::{AlertState, Level, SourceKind};
use crate::ui::look::Look;
use crate::ui::text::clean;

fn tile(
    frame: &mut Frame,
    area: Rect,
    look: Look,
    title: &str,
    level: Level,
    lines: Vec<Line<'static>>,
) {
    let block = look
        .block(false)
        .border_style(look.level_style(level))
        .title(Line::from(vec![
            Span::styled(format!(" {title} "), look.style(Role::Title)),
            look.level(level),
            Span::raw(" "),
        ]));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn muted(look: Look, text: impl Into<String>) -> Span<'static> {
    Span::styled(text.into(), look.style(Role::Muted))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    if state.estate.sources.is_empty() {
        let hint = state
            .settings
            .empty_hint
            .clone()
            .unwrap_or_else(|| "No sources configured.".into());
        let lines: Vec<Line> = hint.lines().map(|l| Line::from(l.to_string())).collect();
        frame.render_widget(
            Paragraph::new(lines).block(look.block(false).title(" Overview ")),
            area,
        );
        return;
    }
    if state.settings.present {
        return super::headlines::draw(frame, area, state, look);
    }
    let rows = Layout::vertical([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).split(area);
    let top = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(rows[0]);
    let bottom = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(rows[1]);
    let s = &state.summary;
    let e = &state.estate;
    let now = state.now;
    let with = |kinds: &[SourceKind], level| s.level_with_freshness(e, kinds, level, now);

    // Pods
    let p = &s.pods;
    let mut lines = vec![Line::from(format!(
        "{} pods, {} running",
        p.total, p.running
    ))];
    if p.crash_looping > 0 {
        lines.push(Line::from(look.marked(
            Level::Crit,
            &format!("{} crash-looping", p.crash_looping),
        )));
    }
    if p.failed > 0 {
        lines.push(Line::from(
            look.marked(Level::Crit, &format!("{} failed", p.failed)),
        ));
    }
    if p.pending + p.not_ready > 0 {
        lines.push(Line::from(look.marked(
            Level::Warn,
            &format!("{} pending, {} unready", p.pending, p.not_ready),
        )));
    }
    lines.push(Line::from(muted(
        look,
        format!("{} restarted <1h", p.restarted_recently),
    )));
    if p.total > 0 {
        let ready = p.running.saturating_sub(p.not_ready) as f64 / p.total as f64;
        let mut spans = vec![Span::raw("ready ")];
        spans.extend(gauge(look, ready, READY_PODS.level(1.0 - ready), 8));
        lines.push(Line::from(spans));
    }
    for (namespace, count, level) in &p.by_namespace {
        lines.push(Line::from(vec![
            look.marked(*level, &format!("{:<11}", clean(namespace))),
            muted(look, format!("{count:>6}")),
        ]));
    }
    tile(
        frame,
        top[0],
        look,
        "Pods",
        with(&[SourceKind::Kubernetes], p.level),
        lines,
    );

    // Services
    let sv = &s.services;
    let mut lines = vec![Line::from(format!(
        "{} workloads, {} ready",
        sv.workloads, sv.fully_ready
    ))];
    for name in &sv.rolling_out {
        lines.push(Line::from(
            look.marked(Level::Warn, &format!("rollout: {}", clean(name))),
        ));
    }
    lines.push(Line::from(vec![
        Span::raw(format!("health {} up", sv.health_up)),
        if sv.health_down.is_empty() {
            Span::raw("")
        } else {
            look.marked(
                Level::Crit,
                &format!(
                    " {} down: {}",
                    sv.health_down.len(),
                    clean(&sv.health_down.join(", "))
                ),
            )
        },
    ]));
    if let Some((name, p95, thresholds)) = &sv.worst_p95 {
        lines.push(Line::from(vec![
            muted(look, "worst p95 "),
            p95_span(look, Some(*p95), *thresholds),
            Span::raw(format!(" {}", clean(name))),
        ]));
    }
    if let Some((name, rate, thresholds)) = &sv.worst_error_rate {
        lines.push(Line::from(vec![
            muted(look, "worst errors "),
            error_rate_span(look, Some(*rate), *thresholds),
            Span::raw(format!(" {}", clean(name))),
        ]));
    }
    lines.push(if sv.locked_namespaces.is_empty() {
        Line::from(muted(look, "no lockdown"))
    } else {
        Line::from(look.marked(
            Level::Crit,
            &format!("LOCKED DOWN: {}", clean(&sv.locked_namespaces.join(", "))),
        ))
    });
    for (name, ready, desired, level) in &sv.troubled {
        lines.push(Line::from(
            look.marked(*level, &format!("{} {ready}/{desired}", clean(name))),
        ));
    }
    let kinds = [
        SourceKind::Kubernetes,
        SourceKind::Health,
        SourceKind::Prometheus,
    ];
    tile(
        frame,
        top[1],
        look,
        "Services",
        with(&kinds, sv.level),
        lines,
    );

    // Alerts
    let al = &s.alerts;
    let mut lines = vec![
        Line::from(vec![
            look.marked(
                if al.critical > 0 {
                    Level::Crit
                } else {
                    Level::Ok
                },
                &format!("{} critical", al.critical),
            ),
            Span::raw("  "),
            look.marked(
                if al.warning > 0 {
                    Level::Warn
                } else {
                    Level::Ok
                },
                &format!("{} warning", al.warning),
            ),
        ]),
        Line::from(muted(
            look,
            format!("{} info, {} silenced", al.info, al.silenced),
        )),
    ];
    // An Alertmanager that is not live: the alerts below are its last list.
    let note = super::alerts::not_live_note(state, look);
    if let Some(note) = note.strip_prefix(", ") {
        lines.insert(0, Line::from(muted(look, note.to_string())));
    }
    // Resolved ones are not counted above; they are said apart, while they are remembered.
    if al.resolved > 0 {
        lines.push(Line::from(muted(
            look,
            format!(
                "{} resolved <{}",
                al.resolved,
                format_age(e.alert_memory.keep_secs)
            ),
        )));
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
    for a in firing.into_iter().take(area.height as usize) {
        lines.push(Line::from(vec![
            look.severity_marked(a.severity, &clean(&a.name)),
            muted(look, format!(" {}", format_age(a.starts_at.age_at(now)))),
        ]));
    }
    tile(
        frame,
        top[2],
        look,
        "Alerts",
        with(&[SourceKind::Alertmanager], al.level),
        lines,
    );

    // Databases: each instance's gauge, and the session that makes it worse than ok, saying why.
    let inner = bottom[0].width.saturating_sub(2) as usize;
    // An instance that is not live says so instead of its figures (the Databases panel shows
    // them dimmed).
    let mut lines: Vec<Line> = Vec::new();
    for row in super::databases::instance_rows(state) {
        let mark = row.freshness.as_ref().and_then(|v| look.source_mark(v));
        match (mark, row.pg, row.redis) {
            (Some(mark), _, _) => {
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", clean(row.name))),
                    mark,
                ]));
            }
            (None, Some(pg), _) => lines.extend(super::databases::tile_lines(look, pg, now, inner)),
            (None, None, Some(r)) => {
                let mut spans = vec![Span::raw(format!("{} mem ", clean(&r.name)))];
                spans.extend(gauge(look, r.memory_ratio().unwrap_or(0.0), r.level(), 8));
                lines.push(Line::from(spans));
            }
            (None, None, None) => {}
        }
    }
    tile(
        frame,
        bottom[0],
        look,
        "Databases",
        with(&[SourceKind::Postgres, SourceKind::Redis], s.databases),
        lines,
    );

    // Backups
    let lines = e
        .backups
        .iter()
        .map(|b| {
            let age = b.age_secs(now).map_or("none".to_string(), format_age);
            Line::from(vec![
                look.marked(b.level(now), &clean(&b.name)),
                muted(look, format!(" {age}/{}", format_age(b.rpo_secs))),
            ])
        })
        .collect();
    tile(
        frame,
        bottom[1],
        look,
        "Backups",
        with(&[SourceKind::Backups], s.backups),
        lines,
    );

    // Sources
    let lines = e
        .sources
        .iter()
        .map(|(id, f)| {
            let view = f.view(now);
            let mut spans = vec![
                Span::raw(format!("{:<7} {} ", id.kind.label(), clean(&id.name))),
                look.freshness(&view),
            ];
            if let crate::domain::FreshnessView::Unreachable { reason, .. } = &view {
                spans.push(muted(look, format!(" {}", clean(reason))));
            }
            Line::from(spans)
        })
        .collect();
    let worst = Level::worst(e.sources.values().map(|f| f.view(now).level()));
    tile(frame, bottom[2], look, "Sources", worst, lines);
}
