//! The simulated backup sets: a stale nightly dump, an hourly set that keeps taking dumps, a
//! Velero set and an unverified command-driven one.

use super::world::World;
use crate::domain::{BackupItem, BackupSet, UnixTime, Verification};

fn backup_items(
    prefix: &str,
    ext: &str,
    newest: UnixTime,
    every_secs: i64,
    count: usize,
    size: u64,
) -> Vec<BackupItem> {
    (0..count)
        .map(|i| {
            let created = newest.plus(-(i as i64) * every_secs);
            BackupItem {
                name: format!("{prefix}{}{ext}", created.0 / 60),
                created,
                size_bytes: size - (i as u64) * size / 200,
                complete: true,
                note: None,
            }
        })
        .collect()
}

pub(super) fn backups(now: UnixTime) -> Vec<BackupSet> {
    const GIB: u64 = 1024 * 1024 * 1024;
    vec![
        BackupSet {
            name: "positivity nightly".into(),
            kind: "directory".into(),
            location: "/backups/postgres/backup_*.dump.gz".into(),
            rpo_secs: 24 * 3600,
            retention_days: 30,
            items: backup_items(
                "backup_",
                ".dump.gz",
                now.plus(-26 * 3600),
                86_400,
                30,
                9 * GIB,
            ),
            verification: Some(Verification {
                at: now.plus(-25 * 3600),
                ok: true,
                detail: "gzip ok; pg_restore --list: 214 entries".into(),
            }),
            problem: None,
        },
        BackupSet {
            name: "workflow hourly".into(),
            kind: "directory".into(),
            location: "/backups/workflow/*.sql.gz".into(),
            rpo_secs: 3600,
            retention_days: 7,
            items: backup_items("workflow_", ".sql.gz", now.plus(-25 * 60), 3600, 48, GIB),
            verification: Some(Verification {
                at: now.plus(-20 * 60),
                ok: true,
                detail: "gzip ok".into(),
            }),
            problem: None,
        },
        BackupSet {
            name: "cluster daily".into(),
            kind: "velero".into(),
            location: "velero/daily-cluster".into(),
            rpo_secs: 24 * 3600,
            retention_days: 14,
            items: backup_items(
                "daily-cluster-",
                "",
                now.plus(-6 * 3600),
                86_400,
                14,
                3 * GIB,
            ),
            verification: Some(Verification {
                at: now.plus(-5 * 3600),
                ok: true,
                detail: "phase Completed, 0 errors, 2 warnings".into(),
            }),
            problem: None,
        },
        BackupSet {
            name: "weaviate snapshots".into(),
            kind: "command".into(),
            location: "weaviate-backup list --output=json".into(),
            rpo_secs: 12 * 3600,
            retention_days: 7,
            items: backup_items(
                "snapshot-",
                "",
                now.plus(-4 * 3600),
                12 * 3600,
                14,
                22 * GIB,
            ),
            verification: None,
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
                let size = set.latest().map_or(1 << 30, |b| b.size_bytes + (1 << 20));
                set.items.insert(
                    0,
                    crate::domain::BackupItem {
                        name: format!("workflow_{}.sql.gz", now.0 / 60),
                        created: now,
                        size_bytes: size,
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
