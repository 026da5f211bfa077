//! The Jobs panel's rows: the CronJobs, then the Jobs, in one table. By NAMESPACE or NAME (the
//! default) each CronJob is followed by its own Jobs, newest first, so the table reads as a
//! tree; a Job no CronJob owns sorts by its own name. Failed Jobs sort first by STATUS.

use std::cmp::{Ordering, Reverse};

use super::asc_none_last;
use crate::app::table::RowSet;
use crate::domain::job::{CronJob, Job, JobStatus};
use crate::domain::{Estate, UnixTime};

pub const JOB_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "KIND",
    "SCHEDULE",
    "SUSPEND",
    "ACTIVE",
    "LAST SCHEDULE",
    "LAST SUCCESS",
    "COMPLETIONS",
    "DURATION",
    "STATUS",
    "OWNER",
    "AGE",
];

/// The NAME column, sorted by which the table reads as CronJobs with their Jobs under them.
pub const JOB_NAME_COLUMN: usize = 1;

/// One row: a CronJob or a Job.
#[derive(Debug, Clone, Copy)]
pub enum JobRow<'a> {
    Cron(&'a CronJob),
    Job(&'a Job),
}

impl<'a> JobRow<'a> {
    pub fn namespace(&self) -> &'a str {
        match self {
            JobRow::Cron(c) => &c.namespace,
            JobRow::Job(j) => &j.namespace,
        }
    }

    pub fn context(&self) -> &'a str {
        match self {
            JobRow::Cron(c) => &c.context,
            JobRow::Job(j) => &j.context,
        }
    }

    pub fn name(&self) -> &'a str {
        match self {
            JobRow::Cron(c) => &c.name,
            JobRow::Job(j) => &j.name,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            JobRow::Cron(_) => "CronJob",
            JobRow::Job(_) => "Job",
        }
    }

    /// The CronJob it is, or belongs to (a Job of none: its own name).
    fn group(&self) -> &'a str {
        match self {
            JobRow::Cron(c) => &c.name,
            JobRow::Job(j) => j.owner.as_deref().unwrap_or(&j.name),
        }
    }

    fn created(&self) -> UnixTime {
        match self {
            JobRow::Cron(c) => c.created,
            JobRow::Job(j) => j.created,
        }
    }

    /// STATUS: a Job's as kubectl says it; a CronJob's `Suspended`, `Active` (a Job running)
    /// or `Scheduled`.
    pub fn status(&self) -> &'static str {
        match self {
            JobRow::Job(j) => j.status.word(),
            JobRow::Cron(c) if c.suspend => "Suspended",
            JobRow::Cron(c) if !c.active.is_empty() => "Active",
            JobRow::Cron(_) => "Scheduled",
        }
    }

    /// Where the tree puts it: its namespace, its CronJob (each cluster's its own group), the
    /// CronJob before its Jobs, the newest Job first.
    fn tree_key(&self) -> (&'a str, &'a str, &'a str, bool, Reverse<UnixTime>, &'a str) {
        (
            self.namespace(),
            self.group(),
            self.context(),
            matches!(self, JobRow::Job(_)),
            Reverse(self.created()),
            self.name(),
        )
    }
}

pub struct JobRows<'a> {
    pub estate: &'a Estate,
    pub now: UnixTime,
}

impl<'a> JobRows<'a> {
    pub fn row(&self, i: usize) -> Option<JobRow<'a>> {
        let crons = &self.estate.cronjobs;
        match i.checked_sub(crons.len()) {
            None => crons.get(i).map(JobRow::Cron),
            Some(j) => self.estate.jobs.get(j).map(JobRow::Job),
        }
    }
}

/// STATUS order, worst first: failed, running, suspended, then the rest.
fn status_rank(row: &JobRow) -> u8 {
    match row {
        JobRow::Job(j) => match j.status {
            JobStatus::Failed => 0,
            JobStatus::Running => 1,
            JobStatus::Suspended => 2,
            JobStatus::Complete => 4,
        },
        JobRow::Cron(c) if c.suspend => 2,
        JobRow::Cron(c) if !c.active.is_empty() => 1,
        JobRow::Cron(_) => 3,
    }
}

fn cron_of<'a>(r: &JobRow<'a>) -> Option<&'a CronJob> {
    match r {
        JobRow::Cron(c) => Some(c),
        JobRow::Job(_) => None,
    }
}

fn job_of<'a>(r: &JobRow<'a>) -> Option<&'a Job> {
    match r {
        JobRow::Job(j) => Some(j),
        JobRow::Cron(_) => None,
    }
}

impl RowSet for JobRows<'_> {
    /// `(kind, namespace, name)`: a CronJob and a Job may share a name.
    type Id = (&'static str, String, String);

    fn len(&self) -> usize {
        self.estate.cronjobs.len() + self.estate.jobs.len()
    }
    fn generation(&self) -> (u64, u64) {
        let g = self.estate.gens.jobs;
        (g, g)
    }
    fn id(&self, i: usize) -> Self::Id {
        self.row(i).map_or(("", String::new(), String::new()), |r| {
            (r.kind(), r.namespace().to_string(), r.name().to_string())
        })
    }
    fn index_of(&self, id: &Self::Id) -> Option<usize> {
        (0..self.len()).find(|&i| {
            self.row(i)
                .is_some_and(|r| r.kind() == id.0 && r.namespace() == id.1 && r.name() == id.2)
        })
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let Some(row) = self.row(i) else { return };
        for word in [row.namespace(), row.name(), row.kind(), row.status()] {
            out.push_str(word);
            out.push(' ');
        }
        match row {
            JobRow::Cron(c) => out.push_str(&c.schedule),
            JobRow::Job(j) => {
                out.push_str(&j.completions_text());
                if let Some(owner) = &j.owner {
                    out.push(' ');
                    out.push_str(owner);
                }
            }
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (Some(x), Some(y)) = (self.row(a), self.row(b)) else {
            return Ordering::Equal;
        };
        let (cron, job) = (cron_of, job_of);
        let by = match column {
            0 | 1 => Ordering::Equal,
            2 => x.kind().cmp(y.kind()),
            3 => asc_none_last(cron(&x).map(|c| &c.schedule), cron(&y).map(|c| &c.schedule)),
            4 => asc_none_last(cron(&x).map(|c| !c.suspend), cron(&y).map(|c| !c.suspend)),
            5 => asc_none_last(
                cron(&x).map(|c| Reverse(c.active.len())),
                cron(&y).map(|c| Reverse(c.active.len())),
            ),
            6 => asc_none_last(
                cron(&x).and_then(|c| c.last_schedule).map(Reverse),
                cron(&y).and_then(|c| c.last_schedule).map(Reverse),
            ),
            7 => asc_none_last(
                cron(&x).and_then(|c| c.last_successful).map(Reverse),
                cron(&y).and_then(|c| c.last_successful).map(Reverse),
            ),
            8 => asc_none_last(
                job(&x).map(|j| (j.succeeded, j.completions)),
                job(&y).map(|j| (j.succeeded, j.completions)),
            ),
            9 => asc_none_last(
                job(&x).and_then(|j| j.duration(self.now)).map(Reverse),
                job(&y).and_then(|j| j.duration(self.now)).map(Reverse),
            ),
            10 => status_rank(&x).cmp(&status_rank(&y)),
            11 => asc_none_last(
                job(&x).and_then(|j| j.owner.as_ref()),
                job(&y).and_then(|j| j.owner.as_ref()),
            ),
            12 => y.created().cmp(&x.created()),
            _ => Ordering::Equal,
        };
        by.then_with(|| x.tree_key().cmp(&y.tree_key()))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        JOB_COLUMNS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron(ns: &str, name: &str) -> CronJob {
        CronJob {
            context: crate::domain::cluster_row::no_context(),
            namespace: ns.into(),
            name: name.into(),
            schedule: "*/5 * * * *".into(),
            suspend: false,
            active: Vec::new(),
            last_schedule: None,
            last_successful: None,
            created: UnixTime(0),
        }
    }

    fn job(ns: &str, name: &str, owner: Option<&str>, created: i64, status: JobStatus) -> Job {
        Job {
            context: crate::domain::cluster_row::no_context(),
            namespace: ns.into(),
            name: name.into(),
            owner: owner.map(str::to_string),
            manual: false,
            completions: 1,
            succeeded: u32::from(status == JobStatus::Complete),
            failed: 0,
            active: 0,
            status,
            reason: None,
            started: Some(UnixTime(created)),
            completed: None,
            created: UnixTime(created),
        }
    }

    fn order(rows: &JobRows, column: usize) -> Vec<String> {
        let mut idx: Vec<usize> = (0..rows.len()).collect();
        idx.sort_by(|a, b| rows.compare(*a, *b, column));
        idx.iter()
            .map(|i| {
                rows.row(*i)
                    .map(|r| r.name().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn by_name_each_cronjob_is_followed_by_its_jobs_newest_first() {
        let estate = Estate {
            cronjobs: vec![cron("data", "db-backup"), cron("pos", "cache-warmup")],
            jobs: vec![
                job(
                    "pos",
                    "cache-warmup-1",
                    Some("cache-warmup"),
                    100,
                    JobStatus::Complete,
                ),
                job(
                    "pos",
                    "cache-warmup-2",
                    Some("cache-warmup"),
                    200,
                    JobStatus::Complete,
                ),
                job("data", "adhoc", None, 50, JobStatus::Failed),
                job(
                    "data",
                    "db-backup-9",
                    Some("db-backup"),
                    10,
                    JobStatus::Complete,
                ),
            ],
            ..Estate::default()
        };
        let rows = JobRows {
            estate: &estate,
            now: UnixTime(300),
        };
        assert_eq!(
            order(&rows, JOB_NAME_COLUMN),
            [
                "adhoc",
                "db-backup",
                "db-backup-9",
                "cache-warmup",
                "cache-warmup-2",
                "cache-warmup-1"
            ]
        );
        assert_eq!(
            order(&rows, 10)[0],
            "adhoc",
            "the failed Job first by STATUS"
        );
        let mut text = String::new();
        rows.search_text(4, &mut text);
        assert!(text.contains("Failed") && text.contains("0/1"), "{text}");
    }
}
