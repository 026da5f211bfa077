//! The actions on backup sets: verify the newest dump, test-restore it, take a backup now.
//! Each runs in the background with progress lines; its result is the audited outcome.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

use super::Backups;
use super::restore::{scratch_name, test_restore};
use super::verify::{DumpFormat, check_file, read_all_data, table_of_contents};
use crate::actions::executor::{ActionError, Executor, Permission};
use crate::actions::{Action, ActionKind, Target};
use crate::config::{BackupConfig, BackupKind};
use crate::domain::UnixTime;
use crate::domain::time::format_bytes;

pub struct BackupExecutor {
    pub backups: Arc<Backups>,
}

impl BackupExecutor {
    fn set_of(&self, action: &Action) -> Result<&BackupConfig, ActionError> {
        let Target::BackupSet { name } = &action.target else {
            return Err(ActionError::Unavailable(action.title()));
        };
        self.backups
            .set(name)
            .ok_or_else(|| ActionError::NotFound(format!("backup set \"{name}\"")))
    }

    /// Why this action cannot be done on this set, if it cannot.
    fn refusal(&self, action: &Action, set: &BackupConfig) -> Option<String> {
        match action.kind {
            ActionKind::TakeBackup if set.take.is_none() && set.kind != BackupKind::Velero => Some(
                format!("set \"{}\" has no `take` command configured", set.name),
            ),
            ActionKind::VerifyBackup | ActionKind::TestRestore
                if set.kind != BackupKind::Directory =>
            {
                Some("only dump files in a directory set can be checked here".into())
            }
            ActionKind::TestRestore => match &set.restore_to {
                None => Some(format!(
                    "set \"{}\" has no `restore_to` PostgreSQL configured",
                    set.name
                )),
                Some(server) if !self.backups.servers.iter().any(|s| &s.name == server) => Some(
                    format!("restore_to = \"{server}\" is not a configured [[postgres]]"),
                ),
                _ => None,
            },
            _ => None,
        }
    }

    /// The set's newest dump file.
    fn newest(set: &BackupConfig) -> Result<PathBuf, ActionError> {
        let dir = set.path.clone().unwrap_or_default();
        let files = super::directory::scan(&dir, &set.pattern).map_err(ActionError::Failed)?;
        files
            .into_iter()
            .next()
            .map(|f| f.path)
            .ok_or_else(|| ActionError::Failed(format!("no backup in {}", set.location())))
    }

    async fn verify(
        &self,
        set: &BackupConfig,
        progress: &mpsc::Sender<String>,
    ) -> Result<String, ActionError> {
        let path = Self::newest(set)?;
        let file = file_name(&path);
        let _ = progress.send(format!("reading {file}")).await;
        let checked = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || check_file(&path))
                .await
                .map_err(|e| ActionError::Failed(e.to_string()))?
        };
        let result = match checked {
            Err(why) => Err(why),
            Ok((DumpFormat::Plain, size)) => {
                Ok(format!("SQL dump, {} readable", format_bytes(size)))
            }
            Ok((DumpFormat::Custom, size)) => {
                let _ = progress.send("pg_restore --list".to_string()).await;
                match table_of_contents(&set.pg_restore, &path).await {
                    Err(why) => Err(why),
                    Ok((entries, data)) => {
                        // The table of contents is at the front: a dump cut short still lists
                        // it. Reading every data block into a script that goes nowhere does not.
                        let _ = progress
                            .send("pg_restore: reading every data block".into())
                            .await;
                        read_all_data(&set.pg_restore, &path).await.map(|()| {
                            format!(
                                "custom-format dump, {}: {entries} entries, {data} tables with \
                                 data, every block readable",
                                format_bytes(size)
                            )
                        })
                    }
                }
            }
        };
        self.finish(set, &file, result)
    }

    async fn test_restore(
        &self,
        set: &BackupConfig,
        progress: &mpsc::Sender<String>,
    ) -> Result<String, ActionError> {
        let server_name = set.restore_to.as_deref().unwrap_or_default();
        let server = self
            .backups
            .servers
            .iter()
            .find(|s| s.name == server_name)
            .ok_or_else(|| ActionError::NotFound(format!("[[postgres]] \"{server_name}\"")))?;
        let path = Self::newest(set)?;
        let file = file_name(&path);
        let _ = progress.send(format!("checking {file}")).await;
        let checked = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || check_file(&path))
                .await
                .map_err(|e| ActionError::Failed(e.to_string()))?
        };
        let format = match checked {
            Ok((format, _)) => format,
            Err(why) => return self.finish(set, &file, Err(why)),
        };
        let database = scratch_name(&set.name, UnixTime::now().0);
        let result = test_restore(set, server, &path, format, &database, progress).await;
        let result = match result {
            Ok(restored) if restored.tables.is_empty() => {
                Err(format!("restored into {database} but it has no tables"))
            }
            Ok(restored) => Ok(format!(
                "test-restored into {database} on {server_name}: {}; dropped",
                restored.summary()
            )),
            Err(why) => Err(format!("test-restore: {why}")),
        };
        self.finish(set, &file, result)
    }

    /// Keeps the result as the set's last verification, shows it at once, and returns it.
    fn finish(
        &self,
        set: &BackupConfig,
        file: &str,
        result: Result<String, String>,
    ) -> Result<String, ActionError> {
        let (ok, detail) = match &result {
            Ok(d) => (true, d.clone()),
            Err(d) => (false, d.clone()),
        };
        self.backups
            .verifications
            .record(&set.name, file, ok, &detail);
        self.backups.rescan.notify_one();
        result
            .map(|d| format!("{file}: {d}"))
            .map_err(|d| ActionError::Failed(format!("{file}: {d}")))
    }

    async fn take(
        &self,
        set: &BackupConfig,
        progress: &mpsc::Sender<String>,
    ) -> Result<String, ActionError> {
        if set.kind == BackupKind::Velero && set.take.is_none() {
            let cluster = self.backups.cluster.as_ref().ok_or_else(|| {
                ActionError::Unavailable("a velero backup without [kubernetes]".into())
            })?;
            let clients = &self.backups.clients;
            let result = super::velero::take(clients, cluster, set, progress).await;
            self.backups.rescan.notify_one();
            return result.map_err(ActionError::Failed);
        }
        let command = set.take.clone().unwrap_or_default();
        let before = Self::newest(set).ok();
        let mut shell = tokio::process::Command::new("sh");
        shell
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = crate::actions::children::own_group(&mut shell)
            .spawn()
            .map_err(|e| ActionError::Failed(format!("cannot run `{command}`: {e}")))?;
        let group = crate::actions::children::Group::track(child.id());
        // Both streams, line by line, as progress; the last line is kept for the outcome.
        let (tx, mut lines) = mpsc::channel::<String>(64);
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        tokio::spawn(forward_lines(stdout, tx.clone()));
        tokio::spawn(forward_lines(stderr, tx));
        let mut last = String::new();
        while let Some(line) = lines.recv().await {
            if !line.trim().is_empty() {
                last = line.clone();
                let _ = progress.send(line).await;
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|e| ActionError::Failed(e.to_string()))?;
        group.finished();
        self.backups.rescan.notify_one();
        if !status.success() {
            return Err(ActionError::Failed(format!(
                "`{command}` failed ({status}){}",
                if last.is_empty() {
                    String::new()
                } else {
                    format!(": {last}")
                }
            )));
        }
        if set.kind == BackupKind::Command {
            return Ok(format!("`{command}` finished"));
        }
        let after = Self::newest(set).ok();
        match after {
            Some(path) if Some(&path) != before.as_ref() => {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                Ok(format!(
                    "new backup {} ({})",
                    file_name(&path),
                    format_bytes(size)
                ))
            }
            _ => Err(ActionError::Failed(format!(
                "`{command}` finished but no new file matching {} appeared",
                set.pattern
            ))),
        }
    }
}

async fn forward_lines(from: impl tokio::io::AsyncRead + Unpin, to: mpsc::Sender<String>) {
    let mut lines = BufReader::new(from).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if to.send(line).await.is_err() {
            return;
        }
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

impl Executor for BackupExecutor {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async move {
            match self.set_of(action) {
                Err(e) => Permission::Denied(e.to_string()),
                Ok(set) => match self.refusal(action, set) {
                    Some(why) => Permission::Denied(why),
                    None => Permission::Allowed,
                },
            }
        })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let set = self.set_of(action)?;
            if let Some(why) = self.refusal(action, set) {
                return Err(ActionError::NotPermitted(why));
            }
            match action.kind {
                ActionKind::VerifyBackup => self.verify(set, &progress).await,
                ActionKind::TestRestore => self.test_restore(set, &progress).await,
                ActionKind::TakeBackup => self.take(set, &progress).await,
                _ => Err(ActionError::Unavailable(action.title())),
            }
        })
    }
}
