//! The Jobs panel: CronJobs (schedule, suspended, active Jobs, last schedule and last success)
//! and Jobs (completions, duration, status, the CronJob that made them) in one table, each
//! CronJob followed by its Jobs; a failed Job is marked ✖ at the warning level. The details
//! of the selected row: its fields, and a CronJob's Jobs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{field, heading};
use crate::app::State;
use crate::app::rows::{JOB_COLUMNS, JobRow, JobRows};
use crate::config::Role;
use crate::domain::job::{CronJob, Job, JobStatus, human_duration};
use crate::domain::kube_access::NOT_PERMITTED;
use crate::domain::time::format_age;
use crate::domain::{Level, UnixTime};
use crate::ui::look::Look;
use crate::ui::table::{self, Column, TableProps, fixed, grow};
use crate::ui::text::clean;

const COLUMNS: [Column; 13] = [
    grow(9, 4),   // NAMESPACE: narrow, the name goes whole first
    grow(14, 0),  // NAME
    fixed(7, 3),  // KIND: SCHEDULE says it when narrow
    fixed(11, 1), // SCHEDULE
    fixed(7, 3),  // SUSPEND
    fixed(6, 3),  // ACTIVE
    fixed(13, 4), // LAST SCHEDULE
    fixed(12, 4), // LAST SUCCESS
    fixed(11, 1), // COMPLETIONS
    fixed(8, 2),  // DURATION
    fixed(11, 0), // STATUS: `✖ Failed`, `Suspended`
    grow(8, 4),   // OWNER
    fixed(5, 1),  // AGE
];

/// How long ago, as kubectl's LAST SCHEDULE says it (`4m`); `<none>` for never.
fn since(t: Option<UnixTime>, now: UnixTime) -> String {
    t.map_or_else(|| "<none>".into(), |t| format_age(t.age_at(now)))
}

/// The same in a sentence, for the details: `4m ago`, `never`.
fn ago(t: Option<UnixTime>, now: UnixTime) -> String {
    t.map_or_else(
        || "never".into(),
        |t| format!("{} ago", format_age(t.age_at(now))),
    )
}

/// STATUS: a failed Job marked ✖ at the warning level; a suspended CronJob muted.
fn status(look: Look, row: &JobRow) -> Span<'static> {
    let word = row.status();
    match row {
        JobRow::Job(j) if j.status == JobStatus::Failed => look.level_span(
            Level::Warn,
            &format!("{} {word}", look.sym.level(Level::Crit)),
        ),
        JobRow::Cron(c) if c.suspend => Span::styled(word, look.style(Role::Muted)),
        _ => Span::raw(word),
    }
}

fn cron_cells(look: Look, c: &CronJob, now: UnixTime) -> Vec<Cell<'static>> {
    let row = JobRow::Cron(c);
    vec![
        Cell::from(clean(&c.namespace).into_owned()),
        Cell::from(clean(&c.name).into_owned()),
        Cell::from("CronJob"),
        Cell::from(clean(&c.schedule).into_owned()),
        Cell::from(if c.suspend { "True" } else { "False" }),
        Cell::from(c.active.len().to_string()),
        Cell::from(since(c.last_schedule, now)),
        Cell::from(since(c.last_successful, now)),
        Cell::from(""),
        Cell::from(""),
        Cell::from(status(look, &row)),
        Cell::from(""),
        Cell::from(format_age(c.created.age_at(now))),
    ]
}

fn job_cells(look: Look, j: &Job, now: UnixTime) -> Vec<Cell<'static>> {
    let row = JobRow::Job(j);
    vec![
        Cell::from(clean(&j.namespace).into_owned()),
        Cell::from(clean(&j.name).into_owned()),
        Cell::from("Job"),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(j.completions_text()),
        Cell::from(j.duration(now).map_or(String::new(), human_duration)),
        Cell::from(status(look, &row)),
        Cell::from(clean(j.owner.as_deref().unwrap_or("<none>")).into_owned()),
        Cell::from(format_age(j.created.age_at(now))),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = JobRows {
        estate: &state.estate,
        now: state.now,
    };
    let mut columns = COLUMNS;
    let names = state.estate.cronjobs.iter().map(|c| c.name.len());
    let widest = names
        .chain(state.estate.jobs.iter().map(|j| j.name.len()))
        .max();
    // Job names differ only at their end (`cache-warmup-29833330`): a name cut short reads as
    // its neighbour, so the other columns go first, down to 28 characters of name.
    let widest = widest.unwrap_or(0);
    columns[1] = grow(widest.clamp(14, 28) as u16, 0).widest(widest);
    let owners = state.estate.jobs.iter().filter_map(|j| j.owner.as_ref());
    columns[11] = columns[11].widest(owners.map(String::len).max().unwrap_or(0));
    let total = state.estate.cronjobs.len() + state.estate.jobs.len();
    let context_of = |i: usize| rows.row(i).map(|r| r.context());
    let props = TableProps {
        lead: crate::ui::context_column::lead(state, look, &context_of),
        title: "Jobs",
        headers: JOB_COLUMNS,
        columns: &columns,
        view: &state.tables.jobs,
        total,
        focused: state.help.is_none(),
    };
    table::draw(frame, area, look, props, |i, _| match rows.row(i) {
        Some(JobRow::Cron(c)) => cron_cells(look, c, state.now),
        Some(JobRow::Job(j)) => job_cells(look, j, state.now),
        None => Vec::new(),
    });
    let access = &state.estate.kube_access;
    let refused = ["cronjobs", "jobs"].iter().any(|k| access.denies(k));
    if refused && total == 0 && area.height > 3 {
        let body = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        let text = format!(" {NOT_PERMITTED}: this user may not list and watch cronjobs or jobs");
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Span::styled(text, look.style(Role::Muted))),
            body,
        );
    }
}

pub fn details(state: &State, look: Look) -> Vec<Line<'static>> {
    let now = state.now;
    match state.selected_job_row() {
        None => vec![Line::from("No CronJob or Job selected.")],
        Some(JobRow::Cron(c)) => {
            let mut lines = vec![
                Line::from(Span::styled(
                    format!("cronjob {}/{}", clean(&c.namespace), clean(&c.name)),
                    look.style(Role::Title),
                )),
                field(look, "Schedule", clean(&c.schedule).into_owned()),
                field(look, "Suspended", if c.suspend { "yes" } else { "no" }),
                field(look, "Scheduled", ago(c.last_schedule, now)),
                field(look, "Succeeded", ago(c.last_successful, now)),
                field(look, "Age", format_age(c.created.age_at(now))),
                heading(look, "Jobs"),
            ];
            let mut jobs: Vec<&Job> = state
                .estate
                .jobs
                .iter()
                .filter(|j| j.context == c.context && j.namespace == c.namespace)
                .filter(|j| j.owner.as_ref() == Some(&c.name))
                .collect();
            jobs.sort_by_key(|j| std::cmp::Reverse(j.created));
            if jobs.is_empty() {
                lines.push(Line::from("none kept"));
            }
            for j in jobs {
                let row = JobRow::Job(j);
                lines.push(Line::from(vec![
                    Span::raw(format!("{}  ", clean(&j.name))),
                    status(look, &row),
                    Span::raw(format!(
                        "  {}  {} ago",
                        j.completions_text(),
                        format_age(j.created.age_at(now))
                    )),
                ]));
            }
            lines
        }
        Some(JobRow::Job(j)) => {
            let row = JobRow::Job(j);
            let mut lines = vec![
                Line::from(vec![
                    Span::styled(
                        format!("job {}/{}  ", clean(&j.namespace), clean(&j.name)),
                        look.style(Role::Title),
                    ),
                    status(look, &row),
                ]),
                field(
                    look,
                    "CronJob",
                    clean(j.owner.as_deref().unwrap_or("none")).into_owned(),
                ),
                field(
                    look,
                    "Made",
                    if j.manual {
                        "by hand (run now)"
                    } else {
                        "by its schedule"
                    },
                ),
                field(look, "Completions", j.completions_text()),
                field(
                    look,
                    "Pods",
                    format!(
                        "{} active, {} succeeded, {} failed",
                        j.active, j.succeeded, j.failed
                    ),
                ),
                field(look, "Started", ago(j.started, now)),
                field(
                    look,
                    "Duration",
                    j.duration(now).map_or("-".into(), human_duration),
                ),
            ];
            if let Some(reason) = &j.reason {
                lines.push(field(look, "Reason", clean(reason).into_owned()));
            }
            lines
        }
    }
}
