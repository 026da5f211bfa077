//! Which checklists there are: the shipped ones (`assets/checklists/`, built in) and the team's
//! own (`checklists/*.toml` beside the config file), a file of the same name replacing a shipped
//! one. A bad file is reported with its place and kept out; the others stay usable.

use std::path::Path;
use std::sync::Arc;

use super::def::{Checklist, parse};

/// The shipped checklists, by file name.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "morning.toml",
        include_str!("../../assets/checklists/morning.toml"),
    ),
    (
        "weekly.toml",
        include_str!("../../assets/checklists/weekly.toml"),
    ),
    (
        "pre-deploy.toml",
        include_str!("../../assets/checklists/pre-deploy.toml"),
    ),
];

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// By name.
    pub checklists: Vec<Arc<Checklist>>,
    /// Files that could not be read or parsed.
    pub problems: Vec<String>,
}

impl Catalog {
    /// The shipped checklists and those in `user_dir` (which may not exist).
    pub fn load(user_dir: Option<&Path>) -> Catalog {
        let mut catalog = Catalog::default();
        for (file, text) in SHIPPED {
            let path = Path::new("assets/checklists").join(file);
            match parse(&path, stem(&path), text) {
                Ok(c) => catalog.insert(c),
                Err(e) => catalog.problems.push(e.to_string()),
            }
        }
        if let Some(dir) = user_dir {
            catalog.read_dir(dir);
        }
        catalog.checklists.sort_by(|a, b| a.name.cmp(&b.name));
        catalog
    }

    fn read_dir(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.problems
                    .push(format!("cannot read {}: {e}", dir.display()));
                return;
            }
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let result = crate::config::error::read_text(&path)
                .and_then(|text| parse(&path, stem(&path), &text));
            match result {
                Ok(c) => self.insert(c),
                Err(e) => self.problems.push(e.to_string()),
            }
        }
    }

    fn insert(&mut self, checklist: Checklist) {
        self.checklists.retain(|c| c.name != checklist.name);
        self.checklists.push(Arc::new(checklist));
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Checklist>> {
        self.checklists.iter().find(|c| c.name == name)
    }

    /// The problem reported for a file named like `name`, if it is what kept it out.
    pub fn problem_for(&self, name: &str) -> Option<&String> {
        let file = format!("{name}.toml:");
        self.problems.iter().find(|p| p.contains(&file))
    }
}

fn stem(path: &Path) -> &str {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("checklist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_checklists_parse_and_the_teams_own_replace_them() {
        let catalog = Catalog::load(None);
        assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
        let names: Vec<_> = catalog.checklists.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["morning", "pre-deploy", "weekly"]);

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("morning.toml"),
            "title = \"Ours\"\n[[steps]]\ntitle = \"Coffee\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("broken.toml"),
            "title = \"B\"\n[[steps]]\ntitle = \"x\"\ncheck = \"nope\"\n",
        )
        .unwrap();
        let catalog = Catalog::load(Some(dir.path()));
        assert_eq!(catalog.get("morning").unwrap().title, "Ours");
        assert!(catalog.get("broken").is_none());
        let problem = catalog.problem_for("broken").unwrap();
        assert!(
            problem.contains("broken.toml:2:1: step 1 \"x\": unknown check `nope`"),
            "{problem}"
        );
    }
}
