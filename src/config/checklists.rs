//! `[checklists]`: where the team's checklists are and where reports are also written.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChecklistsConfig {
    /// The team's checklists (`*.toml`); default: `checklists/` beside the config file. Relative
    /// paths are taken from the config file's directory.
    pub dir: Option<PathBuf>,
    /// Every finished run's report (Markdown and JSON) is also written here, e.g. a shared
    /// folder; the state directory always keeps one for the next run's comparison.
    pub reports: Option<PathBuf>,
}
