//! The Databases panel's instances: each PostgreSQL and Redis instance as a gauge line (drawn
//! above the sessions, and in the Overview's tile), those that never reported included.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::State;
use crate::config::Role;
use crate::domain::level::defaults;
use crate::domain::time::{format_bytes, format_duration_ms};
use crate::domain::{
    FreshnessView, Level, PgInstance, RedisInfo, SessionState, SourceId, SourceKind, UnixTime,
};
use crate::ui::look::Look;
use crate::ui::text::{clean, filled_cells};

pub fn gauge(look: Look, ratio: f64, level: Level, width: usize) -> Vec<Span<'static>> {
    let mut spans = gauge_bar(look, ratio, level, width);
    spans.push(Span::raw(" "));
    spans.push(percent(look, ratio, level));
    spans
}

/// A gauge's bar alone: its filled and empty cells.
pub fn gauge_bar(look: Look, ratio: f64, level: Level, width: usize) -> Vec<Span<'static>> {
    let filled = filled_cells(ratio, width);
    vec![
        Span::styled(look.sym.gauge_full.repeat(filled), look.level_style(level)),
        Span::styled(
            look.sym.gauge_empty.repeat(width - filled),
            look.style(Role::GaugeEmpty),
        ),
    ]
}

/// A gauge's figure: `▲ 84%`.
pub fn percent(look: Look, ratio: f64, level: Level) -> Span<'static> {
    look.marked(level, &format!("{:.0}%", ratio * 100.0))
}

pub fn pg_line(look: Look, pg: &PgInstance, now: UnixTime) -> Line<'static> {
    let ratio = pg.connection_ratio();
    let level = defaults::PG_CONNECTIONS.level(ratio);
    let mut spans = vec![
        Span::styled(format!("{:<14}", clean(&pg.name)), look.style(Role::Title)),
        Span::raw("conns "),
    ];
    spans.extend(gauge(look, ratio, level, 10));
    spans.push(Span::raw(format!(
        " {}/{}",
        pg.sessions.len(),
        pg.max_connections
    )));
    let counts = [
        (SessionState::Active, "active"),
        (SessionState::Idle, "idle"),
        (SessionState::IdleInTransaction, "idle-tx"),
        (SessionState::Waiting, "waiting"),
    ];
    for (state, label) in counts {
        let n = pg.count(state);
        let level = if matches!(state, SessionState::Waiting) && n > 0 {
            Level::Warn
        } else {
            Level::Ok
        };
        let style = if level == Level::Ok {
            look.style(Role::Muted)
        } else {
            look.level_style(level)
        };
        spans.push(Span::styled(format!("  {label} {n}"), style));
    }
    if let Some(longest) = pg.sessions.iter().filter_map(|s| s.running_secs(now)).max() {
        spans.push(Span::raw("  longest "));
        spans.push(look.marked(
            defaults::LONG_QUERY_S.level(longest as f64),
            &format_duration_ms(longest * 1000),
        ));
    }
    spans.push(Span::styled(
        format!("  size {}", format_bytes(pg.size_bytes)),
        look.style(Role::Muted),
    ));
    if let Some(lag) = pg.replication_lag_secs {
        spans.push(Span::styled(
            format!("  lag {lag:.1}s"),
            look.style(Role::Muted),
        ));
    }
    Line::from(spans)
}

pub fn redis_line(look: Look, r: &RedisInfo) -> Line<'static> {
    let mut spans = vec![
        Span::styled(format!("{:<14}", clean(&r.name)), look.style(Role::Title)),
        Span::raw("mem   "),
    ];
    match r.memory_ratio() {
        Some(ratio) => {
            spans.extend(gauge(look, ratio, r.level(), 10));
            spans.push(Span::raw(format!(
                " {}/{}",
                format_bytes(r.used_memory),
                format_bytes(r.maxmemory)
            )));
        }
        None => spans.push(Span::raw(format!(
            "{} (no maxmemory)",
            format_bytes(r.used_memory)
        ))),
    }
    spans.push(Span::styled(
        format!(
            "  clients {}  blocked {}  ops/s {}  hit {}  evicted {}  ping {:.1}ms  {} offset {}",
            r.connected_clients,
            r.blocked_clients,
            r.ops_per_sec,
            r.hit_ratio()
                .map_or("n/a".into(), |h| format!("{:.1}%", h * 100.0)),
            r.evicted_keys,
            r.ping_ms,
            clean(&r.role),
            r.repl_offset,
        ),
        look.style(Role::Muted),
    ));
    Line::from(spans)
}

/// The Overview tile's lines for one instance: its connections gauge (`bar` cells wide), the
/// session that makes it worse than ok and why (wrapped to `width`), and its longest query.
pub fn tile_lines(
    look: Look,
    pg: &PgInstance,
    now: UnixTime,
    width: usize,
    bar: usize,
) -> Vec<Line<'static>> {
    let mut lines = vec![super::overview_lower::gauge_line(
        look,
        bar,
        &clean(&pg.name),
        pg.connection_ratio(),
        defaults::PG_CONNECTIONS.level(pg.connection_ratio()),
        format!(
            "  {}/{}  active {}  idle {}  idle-tx {}",
            pg.sessions.len(),
            pg.max_connections,
            pg.count(SessionState::Active),
            pg.count(SessionState::Idle),
            pg.count(SessionState::IdleInTransaction)
        ),
        width,
    )];
    if let Some(worst) = pg.worst_session(now) {
        let level = worst.level(now);
        let marker = look.sym.level(level);
        let text = format!("{marker} {}", clean(&worst.headline(now)));
        for (i, part) in wrap_words(&text, width.saturating_sub(4).max(12))
            .into_iter()
            .enumerate()
        {
            let indent = if i == 0 { "  " } else { "    " };
            lines.push(Line::from(Span::styled(
                format!("{indent}{part}"),
                look.level_style(level),
            )));
        }
    }
    if let Some(longest) = pg.sessions.iter().filter_map(|x| x.running_secs(now)).max() {
        let level = defaults::LONG_QUERY_S.level(longest as f64);
        lines.push(Line::from(vec![
            Span::styled("  longest ", look.style(Role::Muted)),
            look.marked(level, &format_duration_ms(longest * 1000)),
        ]));
    }
    lines
}

/// Words in lines of at most `width` characters (a longer word gets a line of its own).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One line of the Instances block: a configured instance (or one that reported without being
/// registered), what it last reported, and its source's freshness.
pub struct InstanceRow<'a> {
    pub name: &'a str,
    pub pg: Option<&'a PgInstance>,
    pub redis: Option<&'a RedisInfo>,
    pub freshness: Option<FreshnessView>,
}

/// Every instance, PostgreSQL first, each in the order it first reported, then those that have
/// not reported yet (connecting, or never connected) by name.
pub fn instance_rows(state: &State) -> Vec<InstanceRow<'_>> {
    let estate = &state.estate;
    let view = |kind, name: &str| {
        estate
            .sources
            .get(&SourceId::new(kind, name))
            .map(|f| f.view(state.now))
    };
    let mut rows: Vec<InstanceRow> = Vec::new();
    for kind in [SourceKind::Postgres, SourceKind::Redis] {
        let reported: Vec<&str> = match kind {
            SourceKind::Postgres => estate.postgres.iter().map(|p| p.name.as_str()).collect(),
            _ => estate.redis.iter().map(|r| r.name.as_str()).collect(),
        };
        let silent = estate
            .sources
            .keys()
            .filter(|id| id.kind == kind && !reported.contains(&id.name.as_str()))
            .map(|id| id.name.as_str());
        for name in reported.clone().into_iter().chain(silent) {
            rows.push(InstanceRow {
                name,
                pg: estate.postgres.iter().find(|p| p.name == name),
                redis: estate.redis.iter().find(|r| r.name == name),
                freshness: view(kind, name),
            });
        }
    }
    rows
}

/// An instance's line: its figures, or where it has none its state; figures from a source that
/// is not live are dimmed and marked after the name.
fn instance_line(look: Look, row: &InstanceRow, now: UnixTime) -> Line<'static> {
    let mark = row.freshness.as_ref().and_then(|v| look.source_mark(v));
    let line = match (row.pg, row.redis) {
        (Some(pg), _) => pg_line(look, pg, now),
        (None, Some(r)) => redis_line(look, r),
        (None, None) => {
            let mut spans = vec![Span::styled(
                format!("{:<14}", clean(row.name)),
                look.style(Role::Title),
            )];
            spans.extend(mark);
            if let Some(FreshnessView::Unreachable { reason, .. }) = &row.freshness {
                spans.push(Span::styled(
                    format!(": {}", clean(reason)),
                    look.style(Role::Muted),
                ));
            }
            return Line::from(spans);
        }
    };
    let Some(mark) = mark else {
        return line;
    };
    let mut spans = line.spans.into_iter();
    let mut out: Vec<Span<'static>> = spans.next().into_iter().collect();
    out.push(mark);
    out.push(Span::raw("  "));
    out.extend(look.dimmed(spans.collect()));
    Line::from(out)
}

/// Rows of the Instances block: one per instance.
pub fn instance_count(state: &State) -> usize {
    instance_rows(state).len()
}

pub fn draw_gauges(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let now = state.now;
    let mut lines: Vec<Line> = instance_rows(state)
        .iter()
        .map(|row| instance_line(look, row, now))
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No PostgreSQL or Redis configured.",
            look.style(Role::Muted),
        )));
    }
    let block = look
        .block(false)
        .title(Span::styled(" Instances ", look.style(Role::Title)));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
