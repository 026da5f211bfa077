//! The Databases panel: PostgreSQL connection usage against max_connections and sessions by
//! state, Redis memory, clients, ops/s, hit ratio and ping; below, every session, those blocking
//! others first, then the longest in their state, with the query text in the details.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph};

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{SESSION_COLUMNS, SessionRows};
use crate::config::Role;
use crate::domain::level::defaults;
use crate::domain::time::{format_age, format_bytes, format_duration_ms};
use crate::domain::{
    FreshnessView, Level, PgInstance, PgSession, RedisInfo, SessionState, SourceId, SourceKind,
    UnixTime,
};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fill, fixed};
use crate::ui::text::{clean, clean_lines, filled_cells};

const COLUMNS: [Column; 9] = [
    fixed(13, 1), // INSTANCE
    fixed(6, 0),  // PID
    fixed(14, 2), // USER
    fixed(14, 2), // APPLICATION
    fixed(21, 0), // STATE: "✖ idle in transaction" whole
    fixed(8, 0),  // FOR
    fixed(9, 0),  // BLOCKING, with the sort arrow
    fixed(20, 3), // WAIT
    fill(16, 0),  // QUERY
];

/// A gauge as spans: `[█████░░░] 84%` in the level's style.
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

/// The state as its column has room for it, and whom a waiting session waits on:
/// `waiting on 5120`.
fn state_text(s: &PgSession) -> String {
    let word = match s.state {
        SessionState::IdleInTransactionAborted => "idle in aborted tx",
        state => state.word(),
    };
    match s.blocked_by.as_slice() {
        [] => word.to_string(),
        [one] => format!("{word} on {one}"),
        [first, rest @ ..] => format!("{word} on {first}+{}", rest.len()),
    }
}

/// A session's cells; `dim` for an instance that is not live (figures as it last reported).
fn cells(
    look: Look,
    pg: &PgInstance,
    s: &PgSession,
    now: UnixTime,
    dim: bool,
) -> Vec<Cell<'static>> {
    // An idle transaction is timed from its last state change: how long it has held its locks
    // doing nothing.
    let running = s
        .in_state_secs(now)
        .map_or("-".to_string(), |secs| format_duration_ms(secs * 1000));
    let level = s.level(now);
    let spans = vec![
        Span::raw(clean(&pg.name).into_owned()),
        Span::raw(s.pid.to_string()),
        Span::raw(clean(&s.user).into_owned()),
        Span::raw(clean(&s.application).into_owned()),
        look.marked(level, &state_text(s)),
        Span::styled(running, look.level_style(level)),
        if s.blocks > 0 {
            look.marked(level, &s.blocks.to_string())
        } else {
            Span::raw("")
        },
        Span::raw(
            s.wait_event
                .as_deref()
                .map_or(String::new(), |w| clean(w).into_owned()),
        ),
        Span::raw(clean(&s.query).into_owned()),
    ];
    let spans = if dim { look.dimmed(spans) } else { spans };
    spans.into_iter().map(Cell::from).collect()
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

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = SessionRows {
        estate: &state.estate,
        now: state.now,
    };
    let props = TableProps {
        title: "Sessions",
        headers: SESSION_COLUMNS,
        columns: &COLUMNS,
        view: &state.tables.sessions,
        total: crate::app::table::RowSet::len(&rows),
        focused: state.help.is_none(),
    };
    let live = |name: &str| {
        state
            .estate
            .sources
            .get(&SourceId::new(SourceKind::Postgres, name))
            .is_none_or(|f| f.view(state.now) == FreshnessView::Live)
    };
    table::draw(frame, area, look, props, |i, _| {
        let (pg, s) = rows.session(i);
        // Sessions of an instance that is not live are as it last reported them: dimmed, its
        // age in the Instances block.
        cells(look, pg, s, state.now, !live(&pg.name))
    });
}

/// The Redis slowlogs, newest first, for the end of the details pane.
fn slowlog_lines(state: &State, look: Look) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for r in state.estate.redis.iter().filter(|r| !r.slowlog.is_empty()) {
        lines.push(Line::default());
        lines.push(heading(look, &format!("Redis {} slowlog", clean(&r.name))));
        for e in &r.slowlog {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:>5} ", format_age(e.at.age_at(state.now))),
                    look.style(Role::Muted),
                ),
                Span::raw(format!("{:>9}  ", format_duration_ms(e.duration_us / 1000))),
                Span::raw(clean(&e.command).into_owned()),
            ]));
        }
    }
    lines
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let mut lines = session_details(state, look);
    lines.extend(slowlog_lines(state, look));
    lines
}

fn session_details(state: &State, look: Look) -> Vec<Line<'static>> {
    let rows = SessionRows {
        estate: &state.estate,
        now: state.now,
    };
    let Some(i) = state.tables.sessions.selected_index() else {
        return vec![Line::from("No session selected.")];
    };
    let (pg, s) = rows.session(i);
    let now = state.now;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} pid {}  ", clean(&pg.name), s.pid),
                look.style(Role::Title),
            ),
            look.marked(s.level(now), s.state.word()),
        ]),
        field(
            look,
            "User",
            format!("{} on {}", clean(&s.user), clean(&s.database)),
        ),
        field(look, "Application", clean(&s.application).into_owned()),
        field(look, "Client", crate::ui::text::private(state, &s.client)),
        field(
            look,
            "Wait event",
            s.wait_event
                .as_deref()
                .map_or("-".into(), |w| clean(w).into_owned()),
        ),
        field(
            look,
            "Query since",
            s.query_start
                .map_or("-".into(), |t| format!("{} ago", format_age(t.age_at(now)))),
        ),
        field(
            look,
            "Transaction",
            s.xact_start.map_or("-".into(), |t| {
                format!("open {}", format_age(t.age_at(now)))
            }),
        ),
        field(
            look,
            "State since",
            s.state_change
                .map_or("-".into(), |t| format!("{} ago", format_age(t.age_at(now)))),
        ),
    ];
    for pid in &s.blocked_by {
        // Who holds it up, and for how long they have been as they are.
        let text = match pg.sessions.iter().find(|o| o.pid == *pid) {
            Some(blocker) => format!("Blocked by {}", clean(&blocker.headline(now))),
            None => format!("Blocked by pid {pid}"),
        };
        lines.push(Line::from(look.marked(Level::Warn, &text)));
    }
    let blocking: Vec<String> = pg
        .sessions
        .iter()
        .filter(|o| o.blocked_by.contains(&s.pid))
        .map(|o| o.pid.to_string())
        .collect();
    if !blocking.is_empty() {
        lines.push(Line::from(look.marked(
            Level::Warn,
            &format!("Blocking pid {}", blocking.join(", ")),
        )));
    }
    lines.push(Line::default());
    lines.push(heading(look, "Query"));
    // Long statements are cut: the details pane is for recognising a query, not for reading a
    // 100 kB generated statement.
    const MAX_QUERY_CHARS: usize = 2_000;
    let query: String = s.query.chars().take(MAX_QUERY_CHARS).collect();
    lines.extend(clean_lines(&query).into_iter().map(Line::from));
    if s.query.chars().count() > MAX_QUERY_CHARS {
        lines.push(Line::from(Span::styled(
            format!("(cut at {MAX_QUERY_CHARS} characters)"),
            look.style(Role::Muted),
        )));
    }
    lines
}
