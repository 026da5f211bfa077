//! The Alerts panel: firing alerts by severity, with silenced and inhibited ones dimmed;
//! details with labels and annotations.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{ALERT_COLUMNS, Grouping};
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;
use crate::domain::{Alert, AlertState};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fill, fixed};
use crate::ui::text::{clean, clean_lines};

const COLUMNS: [Column; 7] = [
    fixed(26, 1), // GROUP
    fixed(10, 0), // SEVERITY
    fixed(9, 2),  // STATE
    fixed(26, 0), // ALERT
    fill(20, 1),  // SUMMARY
    fixed(5, 0),  // AGE
    fixed(8, 3),  // SOURCE
];

fn cells(
    look: Look,
    a: &Alert,
    group: Option<&String>,
    now: crate::domain::UnixTime,
) -> Vec<Cell<'static>> {
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
    let group = group.map_or_else(
        || Cell::from(""),
        |g| {
            Cell::from(Span::styled(
                clean(g).into_owned(),
                look.style(Role::Header),
            ))
        },
    );
    vec![
        group,
        Cell::from(severity),
        text(a.state.word().to_string()),
        text(clean(&a.name).into_owned()),
        text(clean(&a.summary).into_owned()),
        text(format_age(a.starts_at.age_at(now))),
        text(clean(&a.source).into_owned()),
    ]
}

/// The group's name and size, for the first row of each group in display order.
fn group_heads(state: &State) -> HashMap<u32, String> {
    let alerts = &state.estate.alerts;
    let grouping = &state.alert_lens.group_by;
    let visible = state.tables.alerts.visible();
    let key = |i: u32| alerts.get(i as usize).and_then(|a| grouping.key(a));
    let mut heads = HashMap::new();
    let mut start = 0;
    while start < visible.len() {
        let this = key(visible[start]);
        let len = visible[start..]
            .iter()
            .take_while(|i| key(**i) == this)
            .count();
        let name = this.unwrap_or("(none)");
        heads.insert(visible[start], format!("{name} ({len})"));
        start += len;
    }
    heads
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let alerts = &state.estate.alerts;
    let lens = &state.alert_lens;
    let grouped = lens.group_by != Grouping::None;
    let mut columns = COLUMNS;
    match lens.group_by {
        Grouping::None => columns[0] = fixed(0, 0),
        // The group column says it already.
        Grouping::Name => columns[3] = fixed(0, 0),
        Grouping::Label(_) => {}
    }
    let group_header = lens.group_by.word().to_uppercase();
    let mut headers: Vec<&str> = ALERT_COLUMNS.to_vec();
    headers[0] = &group_header;
    let mut title = "Alerts".to_string();
    if grouped {
        title.push_str(&format!(" by {}", clean(lens.group_by.word())));
    }
    if lens.hide_silenced {
        let hidden = alerts
            .iter()
            .filter(|a| a.state != AlertState::Active)
            .count();
        title.push_str(&format!(", {hidden} silenced hidden"));
    }
    let heads = if grouped {
        group_heads(state)
    } else {
        HashMap::new()
    };
    let props = TableProps {
        title: &title,
        headers: &headers,
        columns: &columns,
        view: &state.tables.alerts,
        total: alerts.len(),
        focused: state.help.is_none() && state.pane.is_none(),
    };
    table::draw(frame, area, look, props, |i, _| {
        alerts.get(i).map_or_else(Vec::new, |a| {
            cells(look, a, heads.get(&(i as u32)), state.now)
        })
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
        let key = state
            .settings
            .keymap
            .first_key(Mode::Alerts, Command::Runbook)
            .map(|k| format!("  ({k} opens it)"))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Runbook"), look.style(Role::Muted)),
            Span::raw(clean(runbook).into_owned()),
            Span::styled(key, look.style(Role::Muted)),
        ]));
    }
    for id in &a.silenced_by {
        let silence = state
            .estate
            .silences
            .iter()
            .find(|s| &s.id == id && s.source == a.source);
        let text = match silence {
            Some(s) => format!(
                "by {} until {} UTC: {}",
                clean(&s.created_by),
                s.ends_at.clock_utc(),
                clean(&s.comment)
            ),
            None => format!("{} (not listed yet)", clean(id)),
        };
        lines.push(field(look, "Silenced", text));
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
