//! Where opsdeck keeps its files: the platform's config and state directories (XDG on Linux).

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "opsdeck")
}

/// `~/.config/opsdeck` on Linux.
pub fn config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}

/// `~/.local/state/opsdeck` on Linux; logs, audit records and reports go here.
pub fn state_dir() -> Option<PathBuf> {
    project().map(|p| {
        p.state_dir()
            .unwrap_or_else(|| p.data_local_dir())
            .to_path_buf()
    })
}

/// The default audit log, `audit.jsonl` in the state directory.
pub fn default_audit_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("audit.jsonl"))
}

/// The default config file, `config.toml` in the config directory.
pub fn default_config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}
