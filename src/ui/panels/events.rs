//! The Events panel: the cluster's events as `kubectl get events -A --sort-by=.lastTimestamp`
//! shows them, newest first, Warnings marked; details with the whole message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{EVENT_COLUMNS, event_type};
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;
use crate::domain::{K8sEvent, Level, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::{clean, fit_middle};

const COLUMNS: [Column; 7] = [
    fixed(10, 2), // NAMESPACE
    fixed(9, 0),  // LAST SEEN
    fixed(9, 3),  // TYPE
    fixed(17, 0), // REASON
    grow(24, 1),  // OBJECT
    fixed(5, 4),  // COUNT
    grow(20, 0),  // MESSAGE
];

/// `x14` for a repeated event, nothing for one seen once.
pub fn count(e: &K8sEvent) -> String {
    if e.count > 1 {
        format!("x{}", e.count)
    } else {
        String::new()
    }
}

/// `pod/pos-order-7c9f-abcde`, as kubectl writes the involved object.
pub fn object(e: &K8sEvent) -> String {
    let o = e.involved();
    format!("{}/{}", o.kind.to_lowercase(), o.name)
}

fn level(e: &K8sEvent) -> Level {
    if e.warning { Level::Warn } else { Level::Ok }
}

fn cells(look: Look, e: &K8sEvent, now: UnixTime, widths: &[u16]) -> Vec<Cell<'static>> {
    let kind = if e.warning {
        look.marked(Level::Warn, event_type(e))
    } else {
        Span::styled(event_type(e), look.style(Role::Muted))
    };
    let reason = if e.warning {
        look.level_span(Level::Warn, &clean(&e.reason))
    } else {
        Span::raw(clean(&e.reason).into_owned())
    };
    vec![
        Cell::from(clean(&e.namespace).into_owned()),
        Cell::from(format_age(e.last_seen.age_at(now))),
        Cell::from(kind),
        Cell::from(reason),
        Cell::from(fit_middle(
            &clean(&object(e)),
            widths[4] as usize,
            look.sym.ellipsis,
        )),
        Cell::from(Span::styled(count(e), look.style(Role::Muted))),
        Cell::from(clean(&e.message).into_owned()),
    ]
}

/// `, 31 Normal hidden · W: every event` or `· W: warnings only`: the toggle and its key.
fn toggle_note(state: &State) -> String {
    let key = state
        .settings
        .keymap
        .first_key(Mode::Events, Command::WarningsOnly)
        .map(|k| k.to_string());
    let Some(key) = key else {
        return String::new();
    };
    if state.tables.warnings_only {
        let normal = state.estate.events.iter().filter(|e| !e.warning).count();
        format!(", warnings only ({normal} Normal hidden) · {key}: every event")
    } else {
        format!(" · {key}: warnings only")
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let events = &state.estate.events;
    let mut columns = COLUMNS;
    let widest = events.iter().map(|e| object(e).chars().count()).max();
    columns[4] = columns[4].widest(widest.unwrap_or(0));
    let widest = events.iter().map(|e| clean(&e.message).chars().count()).max();
    columns[6] = columns[6].widest(widest.unwrap_or(0));
    let title = format!("Events{}", toggle_note(state));
    let props = TableProps {
        title: &title,
        headers: EVENT_COLUMNS,
        columns: &columns,
        view: &state.tables.events,
        total: events.len(),
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, widths| {
        events
            .get_index(i)
            .map_or_else(Vec::new, |e| cells(look, e, state.now, widths))
    });
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(e) = state.selected_event() else {
        return vec![Line::from("No event selected.")];
    };
    let now = state.now;
    let o = e.involved();
    let ago = |t: UnixTime| format!("{} ago ({})", format_age(t.age_at(now)), t.rfc3339());
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", clean(&e.reason)), look.style(Role::Title)),
            look.marked(level(e), event_type(e)),
        ]),
        field(
            look,
            "Object",
            format!("{} {}/{}", clean(o.kind), clean(o.namespace), clean(o.name)),
        ),
        field(
            look,
            "Count",
            if e.count > 1 {
                format!("{} times", e.count)
            } else {
                "once".into()
            },
        ),
        field(look, "Last seen", ago(e.last_seen)),
    ];
    if e.count > 1 || e.first_seen != e.last_seen {
        lines.push(field(look, "First seen", ago(e.first_seen)));
    }
    if !e.source.is_empty() {
        lines.push(field(look, "Reported by", clean(&e.source).into_owned()));
    }
    lines.push(field(look, "Event", clean(&e.name).into_owned()));
    lines.push(Line::default());
    lines.push(heading(look, "Message"));
    for line in crate::ui::text::clean_lines(&e.message) {
        lines.push(Line::from(line));
    }
    lines
}
