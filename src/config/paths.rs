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

/// Writes `text` to `path` through a temporary file and a rename (creating the folder), so a
/// reader never sees half a file.
pub fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// The default config file, `config.toml` in the config directory.
pub fn default_config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}
