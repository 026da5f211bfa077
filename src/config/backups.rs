//! `[[backups]]`: the backup sets to watch. A set is a directory of dump files or a command
//! that prints the backups as JSON; each has an RPO and a retention, and may name how to take a
//! backup now (`take`) and which PostgreSQL takes test restores (`restore_to`).

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::duration::{at_least, optional_at_least};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackupKind {
    /// Dump files in a folder, matching `pattern`.
    Directory,
    /// A command printing JSON (`pgbackrest info --output=json`, or a list of backups).
    Command,
    /// Velero `Backup` objects, read through the `[kubernetes]` cluster.
    Velero,
}

impl BackupKind {
    pub fn word(self) -> &'static str {
        match self {
            BackupKind::Directory => "directory",
            BackupKind::Command => "command",
            BackupKind::Velero => "velero",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    pub name: String,
    pub kind: BackupKind,
    /// The folder (directory sets).
    pub path: Option<PathBuf>,
    /// File names that are backups (directory sets), e.g. `backup_*.dump.gz`; default: all.
    #[serde(default = "default_pattern")]
    pub pattern: String,
    /// The command that lists the backups (command sets), run with `sh -c`.
    pub command: Option<String>,
    /// The newest backup must be younger than this.
    #[serde(default = "default_rpo", deserialize_with = "at_least::<_, 60_000>")]
    pub rpo: Duration,
    /// How long backups are kept: the count is judged against it.
    #[serde(
        default = "default_retention",
        deserialize_with = "at_least::<_, 60_000>"
    )]
    pub retention: Duration,
    /// Takes a backup now (run with `sh -c`; its output is shown as it runs), e.g. the team's
    /// `backup-db.sh` or a `pg_dump -F c -f ...` line.
    pub take: Option<String>,
    /// The `[[postgres]]` instance whose server takes test restores (into a scratch database).
    pub restore_to: Option<String>,
    /// `pg_restore` to use for verifying and test-restoring PostgreSQL dumps.
    #[serde(default = "default_pg_restore")]
    pub pg_restore: String,
    /// `psql` to use for test-restoring plain SQL dumps.
    #[serde(default = "default_psql")]
    pub psql: String,
    /// Velero's namespace (velero sets).
    #[serde(default = "default_velero_namespace")]
    pub namespace: String,
    /// The Velero schedule whose backups make the set (`velero.io/schedule-name`); default: all.
    pub schedule: Option<String>,
    /// How often the set is looked at again; default: the global `refresh`, at least 10 s.
    #[serde(default, deserialize_with = "optional_at_least::<_, 1000>")]
    pub interval: Option<Duration>,
}

impl BackupConfig {
    /// What the panel shows as the set's location.
    pub fn location(&self) -> String {
        match self.kind {
            BackupKind::Directory => self
                .path
                .as_ref()
                .map(|p| p.join(&self.pattern).display().to_string())
                .unwrap_or_default(),
            BackupKind::Command => self.command.clone().unwrap_or_default(),
            BackupKind::Velero => format!(
                "{}/{}",
                self.namespace,
                self.schedule.as_deref().unwrap_or("*")
            ),
        }
    }

    /// What is missing for the set's kind, for the config error.
    pub fn problem(&self) -> Option<String> {
        match self.kind {
            BackupKind::Directory if self.path.is_none() => {
                Some("a directory set needs `path`".into())
            }
            BackupKind::Command if self.command.is_none() => {
                Some("a command set needs `command`".into())
            }
            _ => None,
        }
    }
}

fn default_velero_namespace() -> String {
    "velero".into()
}

fn default_pattern() -> String {
    "*".into()
}

fn default_rpo() -> Duration {
    Duration::from_secs(24 * 3600)
}

fn default_retention() -> Duration {
    Duration::from_secs(30 * 24 * 3600)
}

fn default_pg_restore() -> String {
    "pg_restore".into()
}

fn default_psql() -> String {
    "psql".into()
}
