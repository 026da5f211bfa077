//! The Alerts panel: firing alerts by severity, with silenced and inhibited ones dimmed;
//! details with labels and annotations.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{ALERT_COLUMNS, Grouping, selected_alert};
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;
use crate::domain::{AlertEntry, AlertState, FreshnessView, SourceId, SourceKind, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fill, fixed, grow};
use crate::ui::text::{clean, clean_lines};

const COLUMNS: [Column; 7] = [
    grow(24, 1),  // GROUP: `PostgresLongRunningQuery (1)` whole where there is room
    fixed(10, 0), // SEVERITY
    fixed(12, 2), // STATE: `flapping 10×`
    fixed(26, 0), // ALERT
    fill(19, 1),  // SUMMARY
    fixed(8, 0),  // AGE: `119s ago` for a resolved one
    fixed(8, 3),  // SOURCE
];

/// The STATE column: `active`, `silenced`, `inhibited`, `resolved`, or `flapping 3×` for an
/// active alert that fired again within `[alerts] keep_resolved` of resolving.
pub(crate) fn state_word(look: Look, entry: AlertEntry<'_>, flaps: usize) -> String {
    if entry.resolved_at.is_some() {
        "resolved".into()
    } else if flaps > 0 && entry.alert.state == AlertState::Active {
        format!("flapping {flaps}{}", look.sym.times)
    } else {
        entry.alert.state.word().into()
    }
}

/// The AGE column: how long it has fired (this episode), or how long ago it resolved.
fn age(entry: AlertEntry<'_>, now: UnixTime) -> String {
    match entry.resolved_at {
        Some(at) => format!("{} ago", format_age(at.age_at(now))),
        None => format_age(entry.alert.starts_at.age_at(now)),
    }
}

fn cells(
    look: Look,
    entry: AlertEntry<'_>,
    group: Option<&String>,
    state: &State,
) -> Vec<Cell<'static>> {
    let a = entry.alert;
    // An Alertmanager that is not live: its alerts are as it last listed them (the title
    // says since when).
    let source_live = state
        .estate
        .sources
        .get(&SourceId::new(SourceKind::Alertmanager, &a.source))
        .is_none_or(|f| f.view(state.now) == FreshnessView::Live);
    let muted = entry.resolved_at.is_some() || a.state != AlertState::Active || !source_live;
    let text = |s: String| {
        if muted {
            Cell::from(Span::styled(s, look.style(Role::Muted)))
        } else {
            Cell::from(s)
        }
    };
    let mut severity = look.severity(a.severity);
    if muted {
        severity = Span::styled(severity.content, look.style(Role::Muted));
    }
    let group = group.map_or_else(
        || Cell::from(""),
        |g| {
            Cell::from(Span::styled(
                clean(g).into_owned(),
                look.style(Role::Header),
            ))
        },
    );
    let flaps = state.estate.alert_memory.flaps(a, state.now);
    vec![
        group,
        Cell::from(severity),
        text(state_word(look, entry, flaps)),
        text(clean(&a.name).into_owned()),
        text(clean(&a.summary).into_owned()),
        text(age(entry, state.now)),
        text(clean(&a.source).into_owned()),
    ]
}

/// The group's name and size, for the first row of each group in display order.
fn group_heads(state: &State) -> HashMap<u32, String> {
    let estate = &state.estate;
    let grouping = &state.alert_lens.group_by;
    let visible = state.tables.alerts.visible();
    let key = |i: u32| {
        estate
            .alert_entry(i as usize)
            .and_then(|e| grouping.key(e.alert))
    };
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

/// `, 2 silenced, 1 resolved hidden`: what `m` leaves out. Silenced counts inhibited ones too;
/// the row under the selection stays shown until the selection leaves it.
fn hidden_note(state: &State) -> String {
    let estate = &state.estate;
    let mut silenced = estate
        .alerts
        .iter()
        .filter(|a| a.state != AlertState::Active)
        .count();
    let mut resolved = estate.alert_memory.resolved.len();
    if state.tables.alerts.keeps_a_hidden_row()
        && let Some(kept) = selected_alert(state)
    {
        match kept.resolved_at {
            Some(_) => resolved = resolved.saturating_sub(1),
            None => silenced = silenced.saturating_sub(1),
        }
    }
    let mut parts = vec![format!("{silenced} silenced")];
    if resolved > 0 {
        parts.push(format!("{resolved} resolved"));
    }
    format!(", {} hidden", parts.join(", "))
}

/// `, demo ✖ unreachable, as of 2m ago`: each Alertmanager that is not live, and how old the
/// list it last gave is.
pub(super) fn not_live_note(state: &State, look: Look) -> String {
    let mut note = String::new();
    for (id, f) in &state.estate.sources {
        if id.kind != SourceKind::Alertmanager {
            continue;
        }
        let view = f.view(state.now);
        let word = match &view {
            FreshnessView::Live => continue,
            FreshnessView::Connecting => format!("{} connecting", look.sym.connecting),
            FreshnessView::Stale { .. } => format!("{} stale", look.sym.stale),
            FreshnessView::Unreachable { .. } => format!("{} unreachable", look.sym.crit),
            FreshnessView::Relisting { .. } => format!("{} relisting", look.sym.connecting),
        };
        note.push_str(&format!(", {} {word}", clean(&id.name)));
        if let Some(at) = f.last_ok {
            note.push_str(&format!(", as of {} ago", format_age(at.age_at(state.now))));
        }
    }
    note
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let estate = &state.estate;
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
    let resolved = estate.alert_memory.resolved.len();
    if lens.hide_silenced {
        title.push_str(&hidden_note(state));
    } else if resolved > 0 {
        // The rows' count includes them; they are not firing.
        title.push_str(&format!(", {resolved} resolved"));
    }
    title.push_str(&not_live_note(state, look));
    let heads = if grouped {
        group_heads(state)
    } else {
        HashMap::new()
    };
    if grouped {
        let widest = heads.values().map(|g| clean(g).chars().count()).max();
        columns[0] = columns[0].widest(widest.unwrap_or(0));
    }
    let props = TableProps {
        title: &title,
        headers: &headers,
        columns: &columns,
        view: &state.tables.alerts,
        total: estate.alert_entries_len(),
        focused: state.help.is_none() && state.pane.is_none(),
        lead: None,
    };
    table::draw(frame, area, look, props, |i, _| {
        estate.alert_entry(i).map_or_else(Vec::new, |entry| {
            cells(look, entry, heads.get(&(i as u32)), state)
        })
    });
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(entry) = selected_alert(state) else {
        return vec![Line::from("No alert selected.")];
    };
    let a = entry.alert;
    let now = state.now;
    let flaps = state.estate.alert_memory.flaps(a, now);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}  ", clean(&a.name)), look.style(Role::Title)),
        look.severity(a.severity),
        Span::styled(
            format!("  {}", state_word(look, entry, flaps)),
            look.style(Role::Muted),
        ),
    ])];
    match entry.resolved_at {
        Some(at) => lines.push(field(
            look,
            "Resolved",
            format!(
                "{} ago ({} UTC), after firing for {}; no longer listed by Alertmanager",
                format_age(at.age_at(now)),
                at.clock_utc(),
                format_age(at.0.saturating_sub(a.starts_at.0).max(0) as u64)
            ),
        )),
        None => lines.push(field(
            look,
            "Firing for",
            format_age(a.starts_at.age_at(now)),
        )),
    }
    if flaps > 0 {
        let times = match flaps {
            1 => "once".to_string(),
            n => format!("{n} times"),
        };
        lines.push(field(
            look,
            "Flapping",
            format!(
                "resolved and fired again {times} in the last {}",
                format_age(state.estate.alert_memory.keep_secs)
            ),
        ));
    }
    lines.push(field(look, "Source", clean(&a.source).into_owned()));
    lines.push(field(look, "Summary", clean(&a.summary).into_owned()));
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
    // What silenced a resolved alert is history; the silences pane (`M`) lists them.
    let silenced_by = if entry.resolved_at.is_some() {
        &[][..]
    } else {
        &a.silenced_by[..]
    };
    for id in silenced_by {
        let silence = state
            .estate
            .silences
            .iter()
            .find(|s| &s.id == id && s.source == a.source);
        let text = match silence {
            Some(s) => format!(
                "by {} until {} UTC: {}",
                clean(&s.created_by),
                s.ends_at.clock_utc_from(state.now),
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
