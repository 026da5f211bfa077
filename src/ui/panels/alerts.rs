//! The Alerts panel: firing alerts by severity, with silenced and inhibited ones dimmed;
//! details with labels and annotations.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::ALERT_COLUMNS;
use crate::config::Role;
use crate::domain::time::format_age;
use crate::domain::{Alert, AlertState};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fill, fixed};
use crate::ui::text::{clean, clean_lines};

const COLUMNS: [Column; 6] = [
    fixed(10, 0), // SEVERITY
    fixed(9, 2),  // STATE
    fixed(26, 0), // ALERT
    fill(20, 1),  // SUMMARY
    fixed(5, 0),  // AGE
    fixed(8, 3),  // SOURCE
];

fn cells(look: Look, a: &Alert, now: crate::domain::UnixTime) -> Vec<Cell<'static>> {
    let muted = a.state != AlertState::Active;
    let text = |s: String| {
        if muted {
            Cell::from(Span::styled(s, look.style(Role::Muted)))
        } else {
            Cell::from(s)
        }
    };
    let severity = if muted {
        Span::styled(
            format!(
                "{} {}",
                look.sym.level(a.severity.level()),
                a.severity.word()
            ),
            look.style(Role::Muted),
        )
    } else {
        look.marked(a.severity.level(), a.severity.word())
    };
    vec![
        Cell::from(severity),
        text(a.state.word().to_string()),
        text(clean(&a.name).into_owned()),
        text(clean(&a.summary).into_owned()),
        text(format_age(a.starts_at.age_at(now))),
        text(clean(&a.source).into_owned()),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let alerts = &state.estate.alerts;
    let props = TableProps {
        title: "Alerts",
        headers: ALERT_COLUMNS,
        columns: &COLUMNS,
        view: &state.tables.alerts,
        total: alerts.len(),
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, _| {
        alerts
            .get(i)
            .map_or_else(Vec::new, |a| cells(look, a, state.now))
    });
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(a) = state
        .tables
        .alerts
        .selected_index()
        .and_then(|i| state.estate.alerts.get(i))
    else {
        return vec![Line::from("No alert selected.")];
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", clean(&a.name)), look.style(Role::Title)),
            look.marked(a.severity.level(), a.severity.word()),
            Span::styled(format!("  {}", a.state.word()), look.style(Role::Muted)),
        ]),
        field(
            look,
            "Firing for",
            format_age(a.starts_at.age_at(state.now)),
        ),
        field(look, "Source", clean(&a.source).into_owned()),
        field(look, "Summary", clean(&a.summary).into_owned()),
    ];
    for (i, line) in clean_lines(&a.description).into_iter().enumerate() {
        lines.push(field(look, if i == 0 { "Description" } else { "" }, line));
    }
    if let Some(runbook) = &a.runbook {
        lines.push(field(look, "Runbook", clean(runbook).into_owned()));
    }
    lines.push(Line::default());
    lines.push(heading(look, "Labels"));
    lines.extend(a.labels.iter().map(|(k, v)| {
        Line::from(vec![
            Span::styled(format!("  {}=", clean(k)), look.style(Role::Muted)),
            Span::raw(clean(v).into_owned()),
        ])
    }));
    lines
}
