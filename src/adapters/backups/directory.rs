//! A directory set: the dump files in a folder whose names match the set's pattern, newest
//! first, each dated by the time in its name (`backup_20261122_0300.dump.gz`,
//! `db-2026-11-22T03:00:00.sql.gz`) or, when the name has none, by the file's mtime.

use std::path::{Path, PathBuf};

use crate::domain::UnixTime;

/// One dump file.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpFile {
    pub name: String,
    pub path: PathBuf,
    pub created: UnixTime,
    pub size: u64,
}

/// The set's dump files, newest first; an error an operator can act on when the folder is
/// missing or unreadable.
pub fn scan(dir: &Path, pattern: &str) -> Result<Vec<DumpFile>, String> {
    let pattern = glob::Pattern::new(pattern)
        .map_err(|e| format!("pattern `{pattern}` is not a file pattern: {e}"))?;
    let entries = std::fs::read_dir(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("directory {} does not exist", dir.display()),
        _ => format!("cannot read directory {}: {e}", dir.display()),
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !pattern.matches(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(UnixTime(0), |d| UnixTime(d.as_secs() as i64));
        files.push(DumpFile {
            created: time_in_name(&name).unwrap_or(mtime),
            path: entry.path(),
            name,
            size: meta.len(),
        });
    }
    files.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.name.cmp(&a.name)));
    Ok(files)
}

/// A date and time written in a file name: `YYYYMMDD` or `YYYY-MM-DD`, then a separator and
/// `HHMM[SS]` or `HH:MM[:SS]` (`-` and `.` also separate). A date alone is not enough: a
/// nightly dump written at 03:00 would look three hours older than it is.
pub fn time_in_name(name: &str) -> Option<UnixTime> {
    let bytes = name.as_bytes();
    (0..bytes.len()).find_map(|start| date_time_at(&name[start..]))
}

fn date_time_at(text: &str) -> Option<UnixTime> {
    let mut rest = text;
    let take = |n: usize, rest: &mut &str| -> Option<u32> {
        let digits = rest.get(..n)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *rest = &rest[n..];
        digits.parse().ok()
    };
    let skip = |rest: &mut &str, seps: &[u8]| {
        if rest.as_bytes().first().is_some_and(|b| seps.contains(b)) {
            *rest = &rest[1..];
        }
    };
    let year = take(4, &mut rest)?;
    skip(&mut rest, b"-");
    let month = take(2, &mut rest)?;
    skip(&mut rest, b"-");
    let day = take(2, &mut rest)?;
    skip(&mut rest, b"T_-. ");
    let hour = take(2, &mut rest)?;
    skip(&mut rest, b":-.");
    let minute = take(2, &mut rest)?;
    skip(&mut rest, b":-.");
    let second = take(2, &mut rest).unwrap_or(0);
    if !(1970..=2200).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    UnixTime::parse_rfc3339(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_the_usual_names() {
        let at = |t: &str| UnixTime::parse_rfc3339(t);
        let cases = [
            ("backup_20261122_0300.dump.gz", at("2026-11-22T03:00:00Z")),
            (
                "positivity-2026-11-22T03:15:07.sql.gz",
                at("2026-11-22T03:15:07Z"),
            ),
            ("db_2026-11-22_23-59.dump", at("2026-11-22T23:59:00Z")),
            ("backup_20261122.dump", None),
            ("backup_99991322_0300.dump", None),
            ("notes.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(time_in_name(name), want, "{name}");
        }
    }

    #[test]
    fn a_scan_keeps_matching_files_newest_first_and_says_why_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "backup_20261120_0300.dump.gz",
            "backup_20261122_0300.dump.gz",
            "backup_20261121_0300.dump.gz",
            "other.txt",
        ] {
            std::fs::write(dir.path().join(name), name).unwrap();
        }
        let files = scan(dir.path(), "backup_*.dump.gz").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "backup_20261122_0300.dump.gz",
                "backup_20261121_0300.dump.gz",
                "backup_20261120_0300.dump.gz"
            ]
        );
        assert_eq!(files[0].size, 28);
        let missing = scan(&dir.path().join("nope"), "*").unwrap_err();
        assert!(missing.ends_with("nope does not exist"), "{missing}");
    }
}
