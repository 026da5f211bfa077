//! The simulated backup sets: a stale nightly dump, an hourly set that keeps taking dumps, a
//! Velero set and an unverified command-driven one.

use super::world::World;
use crate::domain::{BackupItem, BackupSet, UnixTime, Verification};

/// The name a set gives a backup taken at `at`. Dump files carry the time as `YYYYMMDD_HHMMSS`,
/// which the directory adapter reads back; Velero names a schedule's backups
/// `<schedule>-YYYYMMDDhhmmss` (a Kubernetes name has no underscore).
pub(super) fn backup_name(set: &str, at: UnixTime) -> String {
    let digits: String = at.rfc3339().chars().filter(char::is_ascii_digit).collect();
    let (date, time) = digits.split_at(8.min(digits.len()));
    match set {
        "positivity nightly" => format!("backup_{date}_{time}.dump.gz"),
        "workflow hourly" => format!("workflow_{date}_{time}.sql.gz"),
        "cluster daily" => format!("daily-cluster-{date}{time}"),
        _ => format!("snapshot-{date}-{time}"),
    }
}

fn backup_items(
    set: &str,
    newest: UnixTime,
    every_secs: i64,
    count: usize,
    size: u64,
) -> Vec<BackupItem> {
    (0..count)
        .map(|i| {
            let created = newest.plus(-(i as i64) * every_secs);
            BackupItem {
                name: backup_name(set, created),
                created,
                size_bytes: Some(size - (i as u64) * size / 200),
                complete: true,
                note: None,
            }
        })
        .collect()
}

/// A verification of the set's newest backup, `ago` seconds before `now`.
fn verified(items: &[BackupItem], now: UnixTime, ago: i64, detail: &str) -> Option<Verification> {
    Some(Verification {
        file: items.first()?.name.clone(),
        at: now.plus(-ago),
        ok: true,
        detail: detail.into(),
    })
}

pub(super) fn backups(now: UnixTime) -> Vec<BackupSet> {
    const GIB: u64 = 1024 * 1024 * 1024;
    let nightly = backup_items(
        "positivity nightly",
        now.plus(-26 * 3600),
        86_400,
        30,
        9 * GIB,
    );
    let hourly = backup_items("workflow hourly", now.plus(-25 * 60), 3600, 48, GIB);
    let daily = backup_items("cluster daily", now.plus(-6 * 3600), 86_400, 14, 3 * GIB);
    vec![
        BackupSet {
            name: "positivity nightly".into(),
            kind: "directory".into(),
            location: "/backups/postgres/backup_*.dump.gz".into(),
            rpo_secs: 24 * 3600,
            retention_days: 30,
            verification: verified(
                &nightly,
                now,
                25 * 3600,
                "custom-format dump, 31.4GiB: 214 entries, 96 tables with data, every block readable",
            ),
            items: nightly,
            restore_to: Some("positivity-db".into()),
            problem: None,
        },
        BackupSet {
            name: "workflow hourly".into(),
            kind: "directory".into(),
            location: "/backups/workflow/workflow_*.sql.gz".into(),
            rpo_secs: 3600,
            retention_days: 7,
            verification: verified(&hourly, now, 20 * 60, "SQL dump, 1.0GiB readable"),
            items: hourly,
            restore_to: Some("workflow-db".into()),
            problem: None,
        },
        BackupSet {
            name: "cluster daily".into(),
            kind: "velero".into(),
            location: "velero/daily-cluster".into(),
            rpo_secs: 24 * 3600,
            retention_days: 14,
            verification: verified(
                &daily,
                now,
                5 * 3600,
                "phase Completed, 0 errors, 2 warnings",
            ),
            items: daily,
            restore_to: None,
            problem: None,
        },
        BackupSet {
            name: "weaviate snapshots".into(),
            kind: "command".into(),
            location: "weaviate-backup list --output=json".into(),
            rpo_secs: 12 * 3600,
            retention_days: 7,
            items: backup_items(
                "weaviate snapshots",
                now.plus(-4 * 3600),
                12 * 3600,
                14,
                22 * GIB,
            ),
            verification: None,
            restore_to: None,
            problem: None,
        },
    ]
}

impl World {
    /// The hourly set takes a new dump when its newest is an hour old; the nightly stays stale.
    /// Returns whether a set changed.
    pub(super) fn advance_backups(&mut self) -> bool {
        let now = self.now;
        let mut changed = false;
        for set in &mut self.backups {
            if set.name != "workflow hourly" {
                continue;
            }
            if set.age_secs(now).is_some_and(|a| a >= 3600) {
                let size = set
                    .latest()
                    .and_then(|b| b.size_bytes)
                    .map_or(1 << 30, |s| s + (1 << 20));
                set.items.insert(
                    0,
                    crate::domain::BackupItem {
                        name: backup_name(&set.name, now),
                        created: now,
                        size_bytes: Some(size),
                        complete: true,
                        note: None,
                    },
                );
                set.items.truncate(48);
                changed = true;
            }
        }
        changed
    }
}
