//! The Databases panel's sessions: every PostgreSQL session, those blocking others first, then
//! the longest in their state, with the query text and Redis's slow log in the details. The
//! instances' gauges above them are `instances.rs`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{SESSION_COLUMNS, SessionRows};
use crate::config::Role;
use crate::domain::time::{format_age, format_duration_ms};
use crate::domain::{
    FreshnessView, Level, PgInstance, PgSession, SessionState, SourceId, SourceKind, UnixTime,
};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fill, fixed};
use crate::ui::text::{clean, clean_lines};

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
        lead: None,
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
