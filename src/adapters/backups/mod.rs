//! Backup sets: directories of dump files and commands that list backups, looked at every
//! interval and reported as `Report::Backups`; and the actions on them — verify the newest dump
//! (gzip integrity, `pg_restore --list`), test-restore it into a scratch database, take a backup
//! now with the set's command. A set that cannot be read carries its problem; the others are
//! unaffected. Verification results are kept in the state directory so they outlive a restart.

pub mod command;
pub mod directory;
mod executor;
pub mod restore;
mod store;
pub mod velero;
pub mod verify;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

pub use executor::BackupExecutor;
pub use store::Verifications;

use crate::config::{BackupConfig, BackupKind, KubernetesConfig, PostgresConfig};
use crate::domain::{BackupItem, BackupSet, Report, SourceId, SourceKind, SourceReport};

/// The source name of the backup sets' reports.
pub const SOURCE_NAME: &str = "backups";

/// What the poller and the executor share.
pub struct Backups {
    pub sets: Vec<BackupConfig>,
    /// The `[[postgres]]` instances, for test restores.
    pub servers: Vec<PostgresConfig>,
    /// The cluster Velero sets are read from.
    pub cluster: Option<KubernetesConfig>,
    pub verifications: Verifications,
    /// Wakes the poller (after a backup was taken or verified).
    rescan: Notify,
    /// The cluster's one client for the Velero sets (a poll opens no connection of its own).
    clients: crate::adapters::kube::Clients,
}

impl Backups {
    pub fn new(
        sets: Vec<BackupConfig>,
        servers: Vec<PostgresConfig>,
        cluster: Option<KubernetesConfig>,
        verifications: Verifications,
    ) -> Arc<Backups> {
        Arc::new(Backups {
            sets,
            servers,
            cluster,
            verifications,
            rescan: Notify::new(),
            clients: Default::default(),
        })
    }

    pub fn set(&self, name: &str) -> Option<&BackupConfig> {
        self.sets.iter().find(|s| s.name == name)
    }

    /// Looks at every set now.
    pub async fn read_all(&self) -> Vec<BackupSet> {
        let mut sets = Vec::with_capacity(self.sets.len());
        for cfg in &self.sets {
            sets.push(self.read(cfg).await);
        }
        sets
    }

    async fn read(&self, cfg: &BackupConfig) -> BackupSet {
        let items: Result<Vec<BackupItem>, String> = match cfg.kind {
            BackupKind::Directory => {
                let (dir, pattern) = (cfg.path.clone().unwrap_or_default(), cfg.pattern.clone());
                tokio::task::spawn_blocking(move || directory::scan(&dir, &pattern))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()))
                    .map(|files| {
                        files
                            .into_iter()
                            .map(|f| BackupItem {
                                name: f.name,
                                created: f.created,
                                size_bytes: Some(f.size),
                                complete: true,
                                note: None,
                            })
                            .collect()
                    })
            }
            BackupKind::Command => command::list(cfg.command.as_deref().unwrap_or("false")).await,
            BackupKind::Velero => match &self.cluster {
                Some(cluster) => velero::list(&self.clients, cluster, cfg).await,
                None => Err(
                    "velero sets are read through [kubernetes], which is not configured"
                        .to_string(),
                ),
            },
        };
        let (items, problem) = match items {
            Ok(items) => (items, None),
            Err(why) => (Vec::new(), Some(why)),
        };
        BackupSet {
            name: cfg.name.clone(),
            kind: cfg.kind.word().into(),
            location: cfg.location(),
            rpo_secs: cfg.rpo.as_secs(),
            retention_days: (cfg.retention.as_secs() / 86_400) as u32,
            items,
            verification: self.verifications.get(&cfg.name),
            restore_to: cfg.restore_to.clone(),
            problem,
        }
    }
}

/// Looks at the sets every `interval` (and right after an action on one), reporting them all.
pub fn spawn(backups: Arc<Backups>, interval: Duration, reports: mpsc::Sender<SourceReport>) {
    let reporter = super::Reporter::new(SourceId::new(SourceKind::Backups, SOURCE_NAME), reports);
    let task_reporter = reporter.clone();
    super::supervise::supervise(
        reporter,
        move || look_forever(backups.clone(), interval, task_reporter.clone()),
        super::supervise::unreachable,
    );
}

async fn look_forever(backups: Arc<Backups>, interval: Duration, reporter: super::Reporter) {
    {
        loop {
            let sets = backups.read_all().await;
            if !reporter.send(Report::Backups(sets)).await {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = backups.rescan.notified() => {}
            }
        }
    }
}
