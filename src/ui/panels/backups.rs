//! The Backups panel: each set's newest backup against its RPO, size, count against retention
//! and the last verification; details with the history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::BACKUP_COLUMNS;
use crate::config::Role;
use crate::domain::time::{format_age, format_bytes};
use crate::domain::{BackupSet, Level, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::clean;

const COLUMNS: [Column; 7] = [
    grow(18, 0),  // SET
    fixed(9, 2),  // KIND
    fixed(10, 0), // NEWEST
    fixed(5, 1),  // RPO
    fixed(9, 1),  // SIZE
    fixed(6, 3),  // COUNT
    fixed(14, 0), // VERIFIED
];

fn newest(look: Look, set: &BackupSet, now: UnixTime) -> Span<'static> {
    if set.problem.is_some() {
        return look.marked(Level::Crit, "error");
    }
    match set.age_secs(now) {
        Some(age) => {
            let level = if set.within_rpo(now) {
                Level::Ok
            } else {
                Level::Crit
            };
            look.marked(level, &format_age(age))
        }
        None => look.marked(Level::Crit, "none"),
    }
}

/// Whether the newest backup was verified: an older one's result does not count for it.
fn verified(look: Look, set: &BackupSet, now: UnixTime) -> Span<'static> {
    match set.newest_verification() {
        Some(v) if v.ok => look.marked(
            Level::Ok,
            &format!("ok {} ago", format_age(v.at.age_at(now))),
        ),
        Some(v) => look.marked(
            Level::Crit,
            &format!("FAILED {} ago", format_age(v.at.age_at(now))),
        ),
        None => look.marked(Level::Warn, "never"),
    }
}

fn cells(look: Look, set: &BackupSet, now: UnixTime) -> Vec<Cell<'static>> {
    let size = set
        .latest()
        .and_then(|b| b.size_bytes)
        .map_or("-".into(), format_bytes);
    vec![
        Cell::from(clean(&set.name).into_owned()),
        Cell::from(clean(&set.kind).into_owned()),
        Cell::from(newest(look, set, now)),
        Cell::from(format_age(set.rpo_secs)),
        Cell::from(if set.shrank() {
            look.marked(Level::Warn, &size)
        } else {
            Span::raw(size)
        }),
        Cell::from(set.items.len().to_string()),
        Cell::from(verified(look, set, now)),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let backups = &state.estate.backups;
    let mut columns = COLUMNS;
    let widest = backups.iter().map(|b| clean(&b.name).chars().count()).max();
    columns[0] = columns[0].widest(widest.unwrap_or(0));
    let props = TableProps {
        title: "Backups",
        headers: BACKUP_COLUMNS,
        columns: &columns,
        view: &state.tables.backups,
        total: backups.len(),
        focused: state.help.is_none(),
        lead: None,
    };
    table::draw(frame, area, look, props, |i, _| {
        backups
            .get(i)
            .map_or_else(Vec::new, |b| cells(look, b, state.now))
    });
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let Some(set) = state.selected_backup_set() else {
        return vec![Line::from("No backup set selected.")];
    };
    let now = state.now;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", clean(&set.name)), look.style(Role::Title)),
            look.level(set.level(now)),
        ]),
        field(look, "Kind", clean(&set.kind).into_owned()),
        field(
            look,
            "Location",
            crate::ui::text::private(state, &set.location),
        ),
    ];
    if let Some(problem) = &set.problem {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Problem"), look.style(Role::Muted)),
            look.marked(Level::Crit, &clean(problem)),
        ]));
    }
    lines.extend([
        Line::from(vec![
            Span::styled(format!("{:<13}", "Newest"), look.style(Role::Muted)),
            newest(look, set, now),
            Span::raw(if set.problem.is_some() {
                format!(", RPO {}", format_age(set.rpo_secs))
            } else {
                format!(" old, RPO {}", format_age(set.rpo_secs))
            }),
        ]),
        field(
            look,
            "Retention",
            format!("{} days, {} kept", set.retention_days, set.items.len()),
        ),
        Line::from(vec![
            Span::styled(format!("{:<13}", "Verified"), look.style(Role::Muted)),
            verified(look, set, now),
        ]),
    ]);
    if let Some(v) = set.newest_verification() {
        lines.push(field(look, "", clean(&v.detail).into_owned()));
    }
    // What is known is of an older backup: said as such, the reason only when it failed.
    if let Some(v) = set.earlier_verification() {
        let ago = format_age(v.at.age_at(now));
        let text = if v.ok {
            format!("previous backup verified {ago} ago ({})", clean(&v.file))
        } else {
            format!(
                "previous backup FAILED verification {ago} ago ({}): {}",
                clean(&v.file),
                clean(&v.detail)
            )
        };
        lines.push(field(look, "", text));
    }
    if set.shrank() {
        lines.push(Line::from(look.marked(
            Level::Warn,
            "Newest backup is less than half the size of the one before",
        )));
    }
    lines.push(Line::default());
    lines.push(heading(look, "History (newest first)"));
    for item in set.items.iter().take(30) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:>5}  ", format_age(item.created.age_at(now))),
                look.style(Role::Muted),
            ),
            Span::raw(format!(
                "{:>9}  ",
                item.size_bytes.map_or("-".into(), format_bytes)
            )),
            Span::raw(clean(&item.name).into_owned()),
        ]));
        if let Some(note) = &item.note {
            // A backup that did not complete (Velero's phase) must not pass for a good one.
            let role = if item.complete {
                Role::Muted
            } else {
                Role::Warn
            };
            lines.push(Line::from(Span::styled(
                format!("{:>18}{}", "", clean(note)),
                look.style(role),
            )));
        }
    }
    lines
}
