//! Backup sets: their newest dumps against the recovery point objective, and verification.

use super::{level::Level, time::UnixTime};

#[derive(Debug, Clone, PartialEq)]
pub struct BackupItem {
    pub name: String,
    pub created: UnixTime,
    /// `None` when its tool does not say (Velero does not report a backup's size).
    pub size_bytes: Option<u64>,
    /// Finished and usable to restore from (a Velero backup in phase `Completed`); only these
    /// count for the RPO.
    pub complete: bool,
    /// What its tool says of it (a Velero backup's phase, errors, warnings, expiry).
    pub note: Option<String>,
}

/// The last verification or test-restore of a set: of which backup, when, and its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The backup it read (its item's name).
    pub file: String,
    pub at: UnixTime,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BackupSet {
    pub name: String,
    /// `directory`, `velero` or `command`.
    pub kind: String,
    pub location: String,
    pub rpo_secs: u64,
    pub retention_days: u32,
    /// Newest first.
    pub items: Vec<BackupItem>,
    /// The last verification, whichever backup it was of: [`BackupSet::newest_verification`]
    /// is the one that says whether the newest backup is good.
    pub verification: Option<Verification>,
    /// The `[[postgres]]` instance whose server takes its test restores, if one is configured.
    pub restore_to: Option<String>,
    /// Why the set could not be read (a missing directory, a command that failed or printed
    /// something else than JSON); the set then shows no backups.
    pub problem: Option<String>,
}

impl BackupSet {
    /// The newest complete backup.
    pub fn latest(&self) -> Option<&BackupItem> {
        self.items.iter().find(|b| b.complete)
    }

    /// The verification of the newest complete backup; `None` until that one is verified,
    /// however recently an older one was.
    pub fn newest_verification(&self) -> Option<&Verification> {
        let newest = self.latest()?;
        self.verification.as_ref().filter(|v| v.file == newest.name)
    }

    /// The last verification when it was of an older backup than the newest.
    pub fn earlier_verification(&self) -> Option<&Verification> {
        match self.newest_verification() {
            Some(_) => None,
            None => self.verification.as_ref(),
        }
    }

    pub fn age_secs(&self, now: UnixTime) -> Option<u64> {
        self.latest().map(|b| b.created.age_at(now))
    }

    pub fn within_rpo(&self, now: UnixTime) -> bool {
        self.age_secs(now).is_some_and(|a| a <= self.rpo_secs)
    }

    /// A newest dump less than half the size of the one before is suspicious; one of 0 bytes
    /// after a larger one is the worst shrink of all. Sizes the tool does not report are not
    /// judged.
    pub fn shrank(&self) -> bool {
        let mut complete = self.items.iter().filter(|b| b.complete);
        let Some(newest) = complete.next().and_then(|b| b.size_bytes) else {
            return false;
        };
        match complete.find_map(|b| b.size_bytes) {
            Some(before) => newest.saturating_mul(2) < before,
            None => false,
        }
    }

    pub fn level(&self, now: UnixTime) -> Level {
        if self.problem.is_some() || !self.within_rpo(now) {
            return Level::Crit;
        }
        match self.newest_verification() {
            Some(v) if !v.ok => Level::Crit,
            _ if self.shrank() => Level::Warn,
            None => Level::Warn,
            Some(_) => Level::Ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(age: i64, ok: Option<bool>) -> BackupSet {
        verified_set(age, ok, "b")
    }

    fn verified_set(age: i64, ok: Option<bool>, file: &str) -> BackupSet {
        BackupSet {
            name: "nightly".into(),
            kind: "directory".into(),
            location: "/backups".into(),
            rpo_secs: 24 * 3600,
            retention_days: 30,
            items: vec![BackupItem {
                name: "b".into(),
                created: UnixTime(1_000_000 - age),
                size_bytes: Some(10),
                complete: true,
                note: None,
            }],
            verification: ok.map(|ok| Verification {
                file: file.into(),
                at: UnixTime(0),
                ok,
                detail: String::new(),
            }),
            restore_to: None,
            problem: None,
        }
    }

    #[test]
    fn stale_beyond_rpo_is_critical_and_unverified_warns() {
        let now = UnixTime(1_000_000);
        assert_eq!(set(3600, Some(true)).level(now), Level::Ok);
        assert_eq!(set(26 * 3600, Some(true)).level(now), Level::Crit);
        assert_eq!(set(3600, None).level(now), Level::Warn);
        assert_eq!(set(3600, Some(false)).level(now), Level::Crit);
    }

    #[test]
    fn only_a_verification_of_the_newest_backup_counts() {
        let now = UnixTime(1_000_000);
        let older = verified_set(3600, Some(true), "a");
        assert!(older.newest_verification().is_none());
        assert_eq!(
            older.earlier_verification().map(|v| v.file.as_str()),
            Some("a")
        );
        assert_eq!(older.level(now), Level::Warn, "the newest is not verified");
        let failed_before = verified_set(3600, Some(false), "a");
        assert_eq!(
            failed_before.level(now),
            Level::Warn,
            "only the newest counts"
        );
        let newest = verified_set(3600, Some(true), "b");
        assert!(newest.earlier_verification().is_none());
        assert_eq!(newest.newest_verification().map(|v| v.ok), Some(true));
    }

    fn sized(sizes: &[u64]) -> BackupSet {
        let mut s = set(3600, Some(true));
        s.items = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| BackupItem {
                name: format!("b{i}"),
                created: UnixTime(1_000_000 - 3600 * (i as i64 + 1)),
                size_bytes: Some(size),
                complete: true,
                note: None,
            })
            .collect();
        s.verification = Some(Verification {
            file: "b0".into(),
            at: UnixTime(0),
            ok: true,
            detail: String::new(),
        });
        s
    }

    #[test]
    fn a_newest_backup_of_zero_bytes_is_the_worst_shrink() {
        let now = UnixTime(1_000_000);
        assert!(!sized(&[900, 1000]).shrank());
        assert!(sized(&[400, 1000]).shrank());
        let empty = sized(&[0, 1000]);
        assert!(empty.shrank(), "0 bytes after 1000 is a shrink");
        assert_eq!(empty.level(now), Level::Warn);
    }
}
