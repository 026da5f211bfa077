//! Carries out what `update` decided, off the UI loop: permission checks and actions, each in
//! its own task. An action's intent is written to the audit log and flushed before anything is
//! done; its outcome after. Read-only is enforced here too, where the command is executed, not
//! only by the keys that reach the dialog.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::msg::Msg;
use crate::actions::Action;
use crate::actions::audit::{AuditLog, AuditRecord, Intent};
use crate::actions::executor::{ActionError, Executor, Permission};
use crate::domain::UnixTime;

/// How long a permission check may take before the dialog says so.
const PERMISSION_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Runner {
    pub executor: Arc<dyn Executor>,
    pub audit: Option<AuditLog>,
    pub readonly: bool,
    /// Longest an action may run before it is reported as timed out.
    pub timeout: Duration,
    pub inbox: mpsc::Sender<Msg>,
}

impl Runner {
    pub fn check_permission(&self, seq: u64, action: Action) {
        let executor = self.executor.clone();
        let inbox = self.inbox.clone();
        tokio::spawn(async move {
            let permission = tokio::time::timeout(PERMISSION_TIMEOUT, executor.permitted(&action))
                .await
                .unwrap_or_else(|_| {
                    Permission::Denied("the backend did not answer the permission check".into())
                });
            let _ = inbox.send(Msg::Permission { seq, permission }).await;
        });
    }

    pub fn execute(&self, seq: u64, intent: Intent) {
        let runner = self.clone();
        tokio::spawn(async move {
            let result = runner.run(seq, &intent).await;
            let _ = runner
                .inbox
                .send(Msg::ActionFinished {
                    seq,
                    result: result.map_err(|e| e.to_string()),
                })
                .await;
        });
    }

    /// Intent, execution with a timeout, outcome. Returns what happened.
    pub async fn run(&self, seq: u64, intent: &Intent) -> Result<String, ActionError> {
        if self.readonly {
            return Err(ActionError::ReadOnly(intent.action.kind.name().into()));
        }
        let started = Instant::now();
        if let Some(audit) = &self.audit {
            let record = AuditRecord::intent(intent, UnixTime::now());
            append(audit.clone(), record)
                .await
                .map_err(ActionError::Audit)?;
        }
        let (progress, mut lines) = mpsc::channel::<String>(32);
        let inbox = self.inbox.clone();
        let forward = tokio::spawn(async move {
            while let Some(line) = lines.recv().await {
                let _ = inbox.send(Msg::ActionProgress { seq, line }).await;
            }
        });
        let result = match tokio::time::timeout(
            self.timeout,
            self.executor.execute(&intent.action, progress),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(ActionError::Timeout(self.timeout.as_secs())),
        };
        let _ = forward.await;
        if let Some(audit) = &self.audit {
            let outcome = result.clone().map_err(|e| e.to_string());
            let record = AuditRecord::outcome(
                intent,
                UnixTime::now(),
                &outcome,
                started.elapsed().as_millis() as u64,
            );
            if let Err(e) = append(audit.clone(), record).await {
                tracing::error!(error = %e, id = %intent.id, "cannot write the outcome to the audit log");
            }
        }
        tracing::info!(id = %intent.id, action = intent.action.kind.name(), target = %intent.action.target.key(), ok = result.is_ok(), "action finished");
        result
    }
}

/// Appends on a blocking thread: the write waits for the disk.
async fn append(audit: AuditLog, record: AuditRecord) -> Result<(), String> {
    let path = audit.path().display().to_string();
    tokio::task::spawn_blocking(move || audit.append(&record))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{path}: {e}"))
}
