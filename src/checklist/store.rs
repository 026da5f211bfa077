//! Where finished runs go: Markdown and JSON named by checklist and time, in the state
//! directory (`checklists/NAME/`, where the next run finds the last one) and in the configured
//! reports directory.

use std::path::{Path, PathBuf};

use super::report::RunRecord;

/// `morning-20261123-091500`, from the record's finish time.
pub fn file_stem(record: &RunRecord) -> String {
    let digits: String = record
        .finished
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    let (date, time) = digits.split_at(digits.len().min(8));
    format!("{}-{date}-{time}", record.checklist)
}

/// The folder of a checklist's runs in the state directory.
pub fn runs_dir(state_dir: &Path, checklist: &str) -> PathBuf {
    state_dir.join("checklists").join(checklist)
}

/// The newest run of `checklist` kept in the state directory.
pub fn last_run(state_dir: &Path, checklist: &str) -> Option<RunRecord> {
    let dir = runs_dir(state_dir, checklist);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    // The names carry the time, so the newest sorts last.
    files.sort();
    files
        .iter()
        .rev()
        .find_map(|p| serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok())
}

/// Writes the record as `.md` and `.json` into each folder (created when missing); returns the
/// Markdown files written.
pub fn write(record: &RunRecord, dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let stem = file_stem(record);
    let markdown = record.to_markdown();
    let json = record.to_json();
    let mut written = Vec::new();
    for dir in dirs {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (ext, text) in [("json", &json), ("md", &markdown)] {
            let path = dir.join(format!("{stem}.{ext}"));
            crate::config::paths::write_atomically(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        written.push(dir.join(format!("{stem}.md")));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::outcome::Status;
    use crate::checklist::report::Counts;

    fn record(finished: &str) -> RunRecord {
        RunRecord {
            checklist: "morning".into(),
            title: "Morning".into(),
            operator: "alice".into(),
            context: "demo".into(),
            started: finished.into(),
            finished: finished.into(),
            result: Status::Pass,
            counts: Counts::default(),
            steps: Vec::new(),
            changes: Vec::new(),
            previous: None,
        }
    }

    #[test]
    fn runs_are_named_by_time_and_the_newest_is_the_last_run() {
        let dir = tempfile::tempdir().unwrap();
        let runs = runs_dir(dir.path(), "morning");
        assert_eq!(
            file_stem(&record("2026-11-23T09:15:00Z")),
            "morning-20261123-091500"
        );
        write(&record("2026-11-23T09:15:00Z"), std::slice::from_ref(&runs)).unwrap();
        write(&record("2026-11-22T09:10:00Z"), std::slice::from_ref(&runs)).unwrap();
        let md = write(&record("2026-11-21T09:00:00Z"), std::slice::from_ref(&runs)).unwrap();
        assert_eq!(md, [runs.join("morning-20261121-090000.md")]);
        assert!(
            std::fs::read_to_string(&md[0])
                .unwrap()
                .starts_with("# Morning")
        );
        let last = last_run(dir.path(), "morning").unwrap();
        assert_eq!(last.finished, "2026-11-23T09:15:00Z");
        assert!(last_run(dir.path(), "weekly").is_none());
    }
}
