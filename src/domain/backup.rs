//! Backup sets: their newest dumps against the recovery point objective, and verification.

use super::{level::Level, time::UnixTime};

#[derive(Debug, Clone, PartialEq)]
pub struct BackupItem {
    pub name: String,
    pub created: UnixTime,
    pub size_bytes: u64,
    /// Finished and usable to restore from (a Velero backup in phase `Completed`); only these
    /// count for the RPO.
    pub complete: bool,
    /// What its tool says of it (a Velero backup's phase, errors, warnings, expiry).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
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
    pub verification: Option<Verification>,
    /// Why the set could not be read (a missing directory, a command that failed or printed
    /// something else than JSON); the set then shows no backups.
    pub problem: Option<String>,
}

impl BackupSet {
    /// The newest complete backup.
    pub fn latest(&self) -> Option<&BackupItem> {
        self.items.iter().find(|b| b.complete)
    }

    pub fn age_secs(&self, now: UnixTime) -> Option<u64> {
        self.latest().map(|b| b.created.age_at(now))
    }

    pub fn within_rpo(&self, now: UnixTime) -> bool {
        self.age_secs(now).is_some_and(|a| a <= self.rpo_secs)
    }

    /// A newest dump less than half the size of the one before is suspicious.
    pub fn shrank(&self) -> bool {
        let mut complete = self.items.iter().filter(|b| b.complete && b.size_bytes > 0);
        match (complete.next(), complete.next()) {
            (Some(a), Some(b)) => a.size_bytes * 2 < b.size_bytes,
            _ => false,
        }
    }

    pub fn level(&self, now: UnixTime) -> Level {
        if self.problem.is_some() || !self.within_rpo(now) {
            return Level::Crit;
        }
        match &self.verification {
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
        BackupSet {
            name: "nightly".into(),
            kind: "directory".into(),
            location: "/backups".into(),
            rpo_secs: 24 * 3600,
            retention_days: 30,
            items: vec![BackupItem {
                name: "b".into(),
                created: UnixTime(1_000_000 - age),
                size_bytes: 10,
                complete: true,
                note: None,
            }],
            verification: ok.map(|ok| Verification {
                at: UnixTime(0),
                ok,
                detail: String::new(),
            }),
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
}
