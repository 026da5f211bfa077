//! Backups, verifications and test-restores on the simulated sets: each a job of a few ticks
//! that says what the real adapter says as it goes (the file it reads, the scratch database
//! and the server that takes it), and ends as the real one does: a new dump named like the
//! set's others, or a verification kept for the file it read.

use super::world::{World, source};
use crate::actions::ActionKind;
use crate::actions::executor::ActionError;
use crate::domain::{
    BackupItem, BackupSet, Report, SourceKind, SourceReport, UnixTime, Verification,
};

#[derive(Debug, Clone)]
pub struct Job {
    pub kind: ActionKind,
    pub set: String,
    pub ticks_left: u32,
    pub ticks_total: u32,
    /// The backup it reads (verify, test-restore): the set's newest when it started.
    file: String,
    /// A test-restore's scratch database and the server that takes it.
    scratch: Option<(String, String)>,
    /// What it says at each tick, as the real tool would.
    steps: Vec<String>,
}

impl Job {
    /// One tick of progress, as a line for the operator.
    pub fn progress(&mut self) -> String {
        let at = (self.ticks_total - self.ticks_left) as usize;
        self.ticks_left = self.ticks_left.saturating_sub(1);
        self.steps.get(at).cloned().unwrap_or_default()
    }
}

/// A backup action on `set` as a job of a few ticks, with the lines the real adapter says; or
/// why the set cannot have it (as the real executor refuses it).
pub(super) fn start(kind: &ActionKind, set: &BackupSet, now: UnixTime) -> Result<Job, ActionError> {
    let file = set.latest().map(|b| b.name.clone()).unwrap_or_default();
    let checks_files = matches!(kind, ActionKind::VerifyBackup | ActionKind::TestRestore);
    if checks_files && set.kind != "directory" {
        return Err(ActionError::Failed(
            "only dump files in a directory set can be checked here".into(),
        ));
    }
    if checks_files && file.is_empty() {
        return Err(ActionError::Failed(format!(
            "no backup in {}",
            set.location
        )));
    }
    let mut scratch = None;
    let steps = match kind {
        ActionKind::TakeBackup => (1..=4)
            .map(|i| format!("dumping \"{}\": {}%", set.name, i * 25))
            .collect(),
        ActionKind::VerifyBackup => vec![
            format!("reading {file}"),
            "pg_restore --list".into(),
            "pg_restore: reading every data block".into(),
        ],
        _ => {
            let server = set.restore_to.clone().ok_or_else(|| {
                ActionError::Failed(format!(
                    "set \"{}\" has no `restore_to` PostgreSQL configured",
                    set.name
                ))
            })?;
            let database = crate::adapters::backups::restore::scratch_name(&set.name, now.0);
            let steps = vec![
                format!("checking {file}"),
                format!("creating {database} on {server}"),
                format!("pg_restore {file}"),
                "counting tables and rows".into(),
                format!("dropping {database}"),
            ];
            scratch = Some((database, server));
            steps
        }
    };
    let ticks = steps.len() as u32;
    Ok(Job {
        kind: kind.clone(),
        set: set.name.clone(),
        ticks_left: ticks,
        ticks_total: ticks,
        file,
        scratch,
        steps,
    })
}

impl World {
    /// Finishes a backup job: the new dump, the verification, or the test-restore's counts.
    pub fn finish_job(&mut self, job: &Job) -> Result<(String, Vec<SourceReport>), ActionError> {
        let now = self.now;
        let set = self
            .backups
            .iter_mut()
            .find(|b| b.name == job.set)
            .ok_or_else(|| ActionError::NotFound(format!("backup/{}", job.set)))?;
        let message = match job.kind {
            ActionKind::TakeBackup => {
                let size = set
                    .latest()
                    .and_then(|b| b.size_bytes)
                    .map_or(1 << 30, |s| s + (3 << 20));
                let name = super::backups::backup_name(&set.name, now);
                set.items.insert(
                    0,
                    BackupItem {
                        name: name.clone(),
                        created: now,
                        size_bytes: Some(size),
                        complete: true,
                        note: None,
                    },
                );
                format!(
                    "new backup {name} ({})",
                    crate::domain::time::format_bytes(size)
                )
            }
            // A verification or test-restore is of the file it read, kept as the real adapter
            // keeps it: a newer backup taken meanwhile is not verified by it.
            ActionKind::VerifyBackup => {
                let detail = "custom-format dump, 31.4GiB: 214 entries, 96 tables with data, \
                              every block readable";
                set.verification = Some(Verification {
                    file: job.file.clone(),
                    at: now,
                    ok: true,
                    detail: detail.into(),
                });
                format!("{}: {detail}", job.file)
            }
            _ => {
                let (database, server) = job.scratch.clone().unwrap_or_default();
                let detail = format!(
                    "test-restored into {database} on {server}: 214 tables, 1204331 rows \
                     (public.order_items 702113, public.orders 301877, public.payments 120931, ...); dropped"
                );
                set.verification = Some(Verification {
                    file: job.file.clone(),
                    at: now,
                    ok: true,
                    detail: detail.clone(),
                });
                format!("{}: {detail}", job.file)
            }
        };
        let report = SourceReport {
            source: source(SourceKind::Backups, super::CONTEXT),
            at: now,
            report: Report::Backups(self.backups.clone()),
        };
        Ok((message, vec![report]))
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::{Action, ActionKind, Target};
    use crate::adapters::backups::directory::time_in_name;
    use crate::checklist::checks::{Facts, evaluate};
    use crate::checklist::{Check, Status};
    use crate::config::DemoConfig;
    use crate::domain::{Estate, Level, UnixTime};
    use crate::sim::World;
    use crate::sim::actions::Applied;

    /// 2026-09-21 14:13:20 UTC.
    const T0: UnixTime = UnixTime(1_790_000_000);
    const NIGHTLY: &str = "positivity nightly";

    /// Runs a backup job to its end as the feed does: its progress lines and its result, with
    /// the reports applied to `estate`.
    fn run(world: &mut World, estate: &mut Estate, kind: ActionKind) -> (Vec<String>, String) {
        let action = Action {
            kind,
            target: Target::BackupSet {
                name: NIGHTLY.into(),
            },
            context: "demo".into(),
        };
        let Ok(Applied::Job(mut job)) = world.apply(&action) else {
            panic!("a backup action is a job");
        };
        let mut progress = Vec::new();
        while job.ticks_left > 0 {
            progress.push(job.progress());
        }
        let (message, reports) = world.finish_job(&job).expect("the job finishes");
        for r in reports {
            estate.apply(r);
        }
        (progress, message)
    }

    fn step(estate: &Estate) -> crate::checklist::Outcome {
        let check = Check::Backups {
            set: Some(NIGHTLY.into()),
        };
        evaluate(&check, &Facts { estate, now: T0 }, None)
    }

    #[test]
    fn a_backup_taken_is_named_like_its_dumps_and_unverified_until_verified() {
        let mut world = World::generate(&DemoConfig::default(), 2, T0);
        let mut estate = Estate::default();
        for r in world.initial_reports() {
            estate.apply(r);
        }
        let (_, message) = run(&mut world, &mut estate, ActionKind::TakeBackup);
        let set = estate.backups.iter().find(|b| b.name == NIGHTLY).unwrap();
        let newest = set.latest().unwrap().clone();
        assert_eq!(newest.created, T0);
        // Named as the set's other dumps, and dated in its name as the directory adapter reads it.
        assert_eq!(time_in_name(&newest.name), Some(T0), "{}", newest.name);
        assert!(newest.name.starts_with("backup_"), "{}", newest.name);
        assert_eq!(
            newest.name.matches(".dump.gz").count(),
            1,
            "{}",
            newest.name
        );
        assert!(newest.name.ends_with(".dump.gz"), "{}", newest.name);
        assert_eq!(message, format!("new backup {} (9.0GiB)", newest.name));
        for older in &set.items[1..] {
            assert_eq!(
                time_in_name(&older.name),
                Some(older.created),
                "{}",
                older.name
            );
        }
        // The verification on record was of the backup before: the new one is not verified.
        assert_eq!(set.level(T0), Level::Warn, "{set:?}");
        assert_eq!(step(&estate).status, Status::Warn, "{:?}", step(&estate));

        let (_, message) = run(&mut world, &mut estate, ActionKind::VerifyBackup);
        assert!(message.starts_with(&newest.name), "{message}");
        let set = estate.backups.iter().find(|b| b.name == NIGHTLY).unwrap();
        assert_eq!(set.level(T0), Level::Ok, "{set:?}");
        assert_eq!(step(&estate).status, Status::Pass, "{:?}", step(&estate));
    }

    #[test]
    fn a_test_restore_names_its_scratch_database_and_server() {
        let mut world = World::generate(&DemoConfig::default(), 2, T0);
        let mut estate = Estate::default();
        let (progress, message) = run(&mut world, &mut estate, ActionKind::TestRestore);
        assert!(
            !progress.iter().any(|l| l.contains(NIGHTLY)),
            "a set is not a database: {progress:?}"
        );
        assert!(
            progress
                .iter()
                .any(|l| l.contains("opsdeck_restore_positivity_nightly_")
                    && l.contains("on positivity-db")),
            "{progress:?}"
        );
        assert!(message.contains("on positivity-db"), "{message}");
    }
}
