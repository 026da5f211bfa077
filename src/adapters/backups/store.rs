//! The last verification of each set (verify or test-restore: which file, when, the result),
//! kept in `backups/verifications.json` in the state directory so that it outlives a restart.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::domain::{UnixTime, Verification};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    file: String,
    at: i64,
    ok: bool,
    detail: String,
}

pub struct Verifications {
    path: Option<PathBuf>,
    by_set: Mutex<BTreeMap<String, Stored>>,
}

impl Verifications {
    /// Reads the file if there is one; `None` keeps them in memory only.
    pub fn open(path: Option<PathBuf>) -> Verifications {
        let by_set = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Verifications {
            path,
            by_set: Mutex::new(by_set),
        }
    }

    pub fn get(&self, set: &str) -> Option<Verification> {
        let by_set = self.by_set.lock().ok()?;
        let s = by_set.get(set)?;
        Some(Verification {
            file: s.file.clone(),
            at: UnixTime(s.at),
            ok: s.ok,
            detail: s.detail.clone(),
        })
    }

    /// Keeps a result, and writes the file (a failure to write is logged: the result still
    /// shows until the cockpit stops).
    pub fn record(&self, set: &str, file: &str, ok: bool, detail: &str) {
        let stored = Stored {
            file: file.into(),
            at: UnixTime::now().0,
            ok,
            detail: detail.into(),
        };
        let Ok(mut by_set) = self.by_set.lock() else {
            return;
        };
        by_set.insert(set.into(), stored);
        let Some(path) = &self.path else { return };
        let text = serde_json::to_string_pretty(&*by_set).unwrap_or_default();
        if let Err(e) = crate::config::paths::write_atomically(path, &text) {
            tracing::warn!(path = %path.display(), error = %e, "cannot keep the verification result");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_outlive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backups").join("verifications.json");
        let first = Verifications::open(Some(path.clone()));
        first.record(
            "nightly",
            "b.dump.gz",
            false,
            "gzip: unexpected end of file",
        );
        let again = Verifications::open(Some(path));
        let v = again.get("nightly").unwrap();
        assert!(!v.ok);
        assert_eq!(v.file, "b.dump.gz");
        assert_eq!(v.detail, "gzip: unexpected end of file");
        assert!(again.get("other").is_none());
    }
}
