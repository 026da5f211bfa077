//! Reading the team's runbooks: glob patterns from the config, expanded and read once at start.
//! A pattern that matches nothing or a file that cannot be read is a warning, not a stop.

use std::path::Path;

use crate::domain::runbook::RunbookFile;

/// The runbook shipped for the demo estate.
pub const DEMO_RUNBOOK: (&str, &str) = (
    "demo-runbook.md",
    include_str!("../../assets/runbooks/demo-runbook.md"),
);

/// Reads every file the patterns match, in pattern order and by path within a pattern.
/// Relative patterns are taken from `base` (the config file's directory); `~/` is the home.
pub fn load(patterns: &[String], base: Option<&Path>) -> (Vec<RunbookFile>, Vec<String>) {
    let mut files: Vec<RunbookFile> = Vec::new();
    let mut warnings = Vec::new();
    for pattern in patterns {
        let expanded = match (pattern.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => Path::new(&home).join(rest),
            _ => match base {
                Some(base) if Path::new(pattern).is_relative() => base.join(pattern),
                _ => pattern.into(),
            },
        };
        let paths = match glob::glob(&expanded.to_string_lossy()) {
            Ok(paths) => paths,
            Err(e) => {
                warnings.push(format!("runbooks: `{pattern}` is not a valid pattern: {e}"));
                continue;
            }
        };
        let mut matched = 0;
        for entry in paths {
            let path = match entry {
                Ok(path) => path,
                Err(e) => {
                    warnings.push(format!("runbooks: {e}"));
                    continue;
                }
            };
            let shown = path.display().to_string();
            if files.iter().any(|f| f.path == shown) {
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    matched += 1;
                    files.push(RunbookFile { path: shown, text });
                }
                Err(e) => warnings.push(format!("runbooks: cannot read {shown}: {e}")),
            }
        }
        if matched == 0 {
            warnings.push(format!("runbooks: `{pattern}` matched no readable file"));
        }
    }
    (files, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_expand_relative_to_the_config_and_report_what_matched_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("rb")).unwrap();
        std::fs::write(dir.path().join("rb/b.md"), "# B").unwrap();
        std::fs::write(dir.path().join("rb/a.md"), "# A").unwrap();
        std::fs::write(dir.path().join("rb/notes.txt"), "x").unwrap();
        let patterns = vec!["rb/*.md".to_string(), "missing/*.md".into(), "rb/[".into()];
        let (files, warnings) = load(&patterns, Some(dir.path()));
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.rsplit('/').next().unwrap())
            .collect();
        assert_eq!(names, ["a.md", "b.md"]);
        assert_eq!(files[0].text, "# A");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("`missing/*.md` matched no readable file"));
        assert!(warnings[1].contains("`rb/[` is not a valid pattern"));
    }
}
