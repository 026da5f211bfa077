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
use crate::domain::kube_access::{EVENTS, NOT_PERMITTED};
use crate::domain::time::format_age;
use crate::domain::{K8sEvent, Level, Pod, PodPhase, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::{clean, fit_middle};

const COLUMNS: [Column; 7] = [
    fixed(10, 2), // NAMESPACE
    fixed(10, 0), // LAST SEEN
    fixed(9, 3),  // TYPE
    fixed(18, 0), // REASON: marked itself when TYPE is left out
    grow(20, 1),  // OBJECT
    fixed(5, 1),  // COUNT
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
    let reason = if e.warning && widths[2] == 0 {
        // Too narrow for TYPE: the reason carries the Warning's mark, so it is not lost.
        look.marked(Level::Warn, &clean(&e.reason))
    } else if e.warning {
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

/// `Events (W: warnings only)`, or `Warning events (W: all)`: what is shown and the key that
/// turns the toggle (the count of rows follows it).
fn title(state: &State) -> String {
    let key = state
        .settings
        .keymap
        .first_key(Mode::Events, Command::WarningsOnly)
        .map(|k| k.to_string());
    match (state.tables.warnings_only, key) {
        (true, Some(key)) => format!("Warning events ({key}: all)"),
        (true, None) => "Warning events".into(),
        (false, Some(key)) => format!("Events ({key}: warnings only)"),
        (false, None) => "Events".into(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let events = &state.estate.events;
    let mut columns = COLUMNS;
    let widest = events.iter().map(|e| object(e).chars().count()).max();
    columns[4] = columns[4].widest(widest.unwrap_or(0));
    let widest = events
        .iter()
        .map(|e| clean(&e.message).chars().count())
        .max();
    columns[6] = columns[6].widest(widest.unwrap_or(0));
    let title = title(state);
    let context_of = |i: usize| events.get_index(i).map(|e| &*e.context);
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
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
    // Refused, the panel would be an empty table: it says why, where the rows would be.
    if state.estate.kube_access.denies(EVENTS) && events.is_empty() && area.height > 3 {
        let body = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        let text = format!(" {NOT_PERMITTED}: this user may not list and watch events");
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Span::styled(text, look.style(Role::Muted))),
            body,
        );
    }
}

/// For a Pending pod's details: why the scheduler last refused it, from the events' store
/// (`Scheduling   FailedScheduling x31, 20s ago: 0/12 nodes are available: ...`).
pub fn scheduling_failure(state: &State, look: Look, pod: &Pod) -> Option<Line<'static>> {
    if pod.phase != PodPhase::Pending {
        return None;
    }
    let e = state.estate.events.last_scheduling_failure(
        &pod.key.context,
        &pod.key.namespace,
        &pod.key.name,
    )?;
    let repeats = if e.count > 1 {
        format!(" x{}", e.count)
    } else {
        String::new()
    };
    Some(Line::from(vec![
        Span::styled(format!("{:<13}", "Scheduling"), look.style(Role::Muted)),
        look.marked(Level::Warn, &format!("{}{repeats}", clean(&e.reason))),
        Span::styled(
            format!(", {} ago: ", format_age(e.last_seen.age_at(state.now))),
            look.style(Role::Muted),
        ),
        Span::raw(clean(&e.message).into_owned()),
    ]))
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
