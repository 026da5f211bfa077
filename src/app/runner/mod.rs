//! Carries out what `update` decided, off the UI loop: permission checks and actions, each in
//! its own task. An action's intent is written to the audit log and flushed before anything is
//! done; its outcome after. Read-only and the `[[guardrails]]` are enforced here too, where the
//! command is executed, not only by the keys that reach the dialog.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::msg::Msg;
use crate::actions::Action;
use crate::actions::audit::{AuditLog, AuditRecord, Intent};
use crate::actions::executor::{ActionError, ContextSwitch, Executor, LogStreams, Permission};
use crate::domain::{UnixTime, redact};

/// How long a permission check may take before the dialog says so.
const PERMISSION_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Runner {
    pub executor: Arc<dyn Executor>,
    pub audit: Option<AuditLog>,
    /// `[audit] postgres`: the shared table the records also go to.
    pub audit_table: Option<Arc<crate::actions::audit_table::AuditTable>>,
    pub readonly: bool,
    /// `[[guardrails]]`: judged again on every intent before it is executed.
    pub guardrails: Arc<crate::config::Guardrails>,
    /// Longest an action may run before it is reported as timed out.
    pub timeout: Duration,
    pub inbox: mpsc::Sender<Msg>,
    /// The cluster, when there is one to switch between contexts.
    pub cluster: Option<Arc<dyn ContextSwitch>>,
    /// Where pods' logs come from, when there is a cluster.
    pub logs: Option<Arc<dyn LogStreams>>,
    /// The war room, when configured: notes, intents and outcomes go to it; leases come from it.
    pub room: Option<crate::warroom::task::RoomHandle>,
    /// Runs checklist queries with the config's connections.
    pub prober: Arc<crate::checklist::Prober>,
    /// The open log streams' tasks, to stop when their pane closes.
    pub log_tasks:
        Arc<std::sync::Mutex<std::collections::HashMap<u64, tokio::task::JoinHandle<()>>>>,
    /// The actions running now, to record as abandoned when opsdeck quits before they end.
    pub in_flight: Arc<InFlight>,
    /// The port-forwards open, until closed from the list or opsdeck quits.
    pub forwards: Arc<forwards::Forwards>,
}

impl Runner {
    /// Tells the cluster whether a panel that shows pods' usage is open (sent on change only).
    pub fn want_metrics(&self, wanted: crate::domain::node::MetricsDemand) {
        if let Some(cluster) = &self.cluster {
            cluster.want_metrics(wanted);
        }
    }

    pub fn switch_context(&self, context: &str) {
        if let Some(cluster) = &self.cluster {
            tracing::info!(context, "switching kubeconfig context");
            cluster.switch_context(context);
        }
    }

    /// Writes a file in the background (a slow disk must not stall the UI).
    pub fn write_file(&self, path: std::path::PathBuf, contents: String) {
        let inbox = self.inbox.clone();
        tokio::spawn(async move {
            let result = async {
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await?;
                }
                tokio::fs::write(&path, contents).await
            }
            .await
            .map_err(|e| e.to_string());
            let _ = inbox.send(Msg::FileWritten { path, result }).await;
        });
    }

    pub fn publish_note(&self, text: String) {
        if let Some(room) = &self.room {
            room.publish(crate::warroom::EventKind::Note, text);
        }
    }

    /// Runs a checklist's queries side by side, each answering on its own.
    pub fn run_probes(&self, run: u64, probes: Vec<(usize, crate::checklist::Probe)>) {
        for (step, probe) in probes {
            let prober = self.prober.clone();
            let inbox = self.inbox.clone();
            tokio::spawn(async move {
                let answer = prober.run(&probe).await;
                let _ = inbox.send(Msg::ProbeAnswered { run, step, answer }).await;
            });
        }
    }

    /// Writes a finished run's report on a blocking thread.
    pub fn write_report(&self, record: crate::checklist::RunRecord, dirs: Vec<std::path::PathBuf>) {
        let inbox = self.inbox.clone();
        tokio::spawn(async move {
            let result =
                tokio::task::spawn_blocking(move || crate::checklist::store::write(&record, &dirs))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(Msg::ReportWritten(result)).await;
        });
    }

    pub fn check_permission(&self, seq: u64, action: Action) {
        let executor = self.executor.clone();
        let inbox = self.inbox.clone();
        let room = self.room.clone();
        tokio::spawn(async move {
            let mut permission =
                tokio::time::timeout(PERMISSION_TIMEOUT, executor.permitted(&action))
                    .await
                    .unwrap_or_else(|_| {
                        Permission::NoAnswer(format!(
                            "no answer to the permission check within {} s",
                            PERMISSION_TIMEOUT.as_secs()
                        ))
                    });
            // Another operator's cockpit acting on the same target holds it until done.
            if let Some(room) = &room
                && permission.allowed()
                && let Some(held) = crate::warroom::guard::held_by_other(room, &action).await
            {
                permission = Permission::Held(held);
            }
            let _ = inbox.send(Msg::Permission { seq, permission }).await;
        });
    }

    /// Ends a running action (a one-off command); its outcome is recorded as cancelled.
    pub fn cancel(&self, seq: u64) {
        if !self.in_flight.cancel(seq) {
            tracing::info!(
                seq,
                "cancel asked for an action not running (yet): it ends when it starts"
            );
        }
    }

    pub fn execute(&self, seq: u64, intent: Intent) {
        if matches!(
            intent.action.kind,
            crate::actions::ActionKind::PortForward { .. }
        ) {
            return self.open_forward(seq, intent);
        }
        let runner = self.clone();
        tokio::spawn(async move {
            let result = runner.run(seq, &intent).await;
            // What a command printed or an error says can name a URL, password included.
            let clean = |text: String| redact::urls(&text).into_owned();
            let _ = runner
                .inbox
                .send(Msg::ActionFinished {
                    seq,
                    result: result.map(clean).map_err(|e| clean(e.to_string())),
                })
                .await;
        });
    }

    /// Intent, execution with a timeout, outcome. Returns what happened.
    pub async fn run(&self, seq: u64, intent: &Intent) -> Result<String, ActionError> {
        let executor = self.executor.clone();
        let action = intent.action.clone();
        self.run_with(seq, intent, Some(self.timeout), move |progress| {
            Box::pin(async move { executor.execute(&action, progress).await })
        })
        .await
    }

    /// The interactive shell, on the terminal the runtime has handed over: the same intent,
    /// lease and outcome records as any action, and no timeout (the operator ends it).
    pub async fn run_shell(&self, seq: u64, intent: &Intent) -> Result<String, String> {
        let executor = self.executor.clone();
        let action = intent.action.clone();
        let result = self
            .run_with(seq, intent, None, move |_| {
                Box::pin(async move { executor.shell(&action).await })
            })
            .await;
        let clean = |text: String| redact::urls(&text).into_owned();
        result.map(clean).map_err(|e| clean(e.to_string()))
    }

    async fn run_with(
        &self,
        seq: u64,
        intent: &Intent,
        timeout: Option<Duration>,
        execute: impl FnOnce(
            mpsc::Sender<String>,
        )
            -> futures::future::BoxFuture<'static, Result<String, ActionError>>,
    ) -> Result<String, ActionError> {
        // Here, where it is executed, not only in the dialog: a read-only cockpit runs only
        // what is harmless enough for it (a team action with `readonly_ok = true`).
        if self.readonly && !intent.action.kind.readonly_ok() {
            return Err(ActionError::ReadOnly(intent.action.kind.name().into()));
        }
        let rule = crate::actions::guardrails::enforce(
            &self.guardrails.rules,
            intent,
            UnixTime::now(),
            self.room.is_some(),
        )
        .map_err(|why| {
            tracing::warn!(action = intent.action.kind.name(), target = %intent.action.target.key(), %why, "refused by a guardrail");
            ActionError::Guardrail(why)
        })?;
        self.verify_approval(intent).await?;
        let started = Instant::now();
        let lease = match &self.room {
            Some(room) => crate::warroom::guard::take(room, &intent.action, &intent.operator)
                .await
                .map_err(ActionError::Failed)?,
            None => None,
        };
        let mut record = AuditRecord::intent(intent, UnixTime::now());
        record.guardrail = rule.map(|r| r.to_string());
        if let Some(audit) = &self.audit
            && let Err(e) = append(audit.clone(), record.clone()).await
        {
            if let Some(lease) = lease {
                lease.release().await;
            }
            return Err(ActionError::Audit(e));
        }
        let cancelled = self.in_flight.start(seq, intent, started);
        self.share(seq, &record).await;
        if let Some(room) = &self.room {
            let approved = intent.guard.approval.as_ref().map_or(String::new(), |a| {
                format!(" (approved by {}, request {})", a.by, a.request)
            });
            room.publish(
                crate::warroom::EventKind::Intent,
                format!("{}: {}{approved}", intent.action.title(), intent.change),
            );
        }
        let (progress, mut lines) = mpsc::channel::<String>(32);
        let inbox = self.inbox.clone();
        let in_flight = self.in_flight.clone();
        let forward = tokio::spawn(async move {
            while let Some(line) = lines.recv().await {
                let line = redact::urls(&line).into_owned();
                // A command's output is never audited, not even as the last progress of an
                // action abandoned: only the runner's own notes are kept for that.
                if crate::actions::output::parse(&line).is_none() {
                    in_flight.progress(seq, &line);
                }
                let _ = inbox.send(Msg::ActionProgress { seq, line }).await;
            }
        });
        let run = async {
            match timeout {
                Some(limit) => match tokio::time::timeout(limit, execute(progress)).await {
                    Ok(result) => result,
                    Err(_) => Err(ActionError::Timeout(limit.as_secs())),
                },
                None => execute(progress).await,
            }
        };
        // Cancelled: the execution is dropped, which closes its stream (the API server ends a
        // command whose exec connection has gone).
        let result = tokio::select! {
            result = run => result,
            Ok(()) = cancelled => Err(ActionError::Cancelled),
        };
        let _ = forward.await;
        let took = started.elapsed().as_millis() as u64;
        // The cockpit's clock counts seconds; the output pane says how long to a tenth.
        let _ = self.inbox.send(Msg::ActionTook { seq, millis: took }).await;
        let outcome = result.clone().map_err(|e| e.to_string());
        let mut record = AuditRecord::outcome(intent, UnixTime::now(), &outcome, took);
        if matches!(result, Err(ActionError::Cancelled)) {
            record.result = Some(crate::actions::audit::CANCELLED.into());
        }
        let mut unaudited = None;
        if let Some(audit) = &self.audit
            && let Err(e) = append(audit.clone(), record.clone()).await
        {
            tracing::error!(error = %e, id = %intent.id, "cannot write the outcome to the audit log");
            unaudited = Some(e);
        }
        self.in_flight.finish(seq);
        self.share(seq, &record).await;
        // Done but not on record is not a plain success: the operator is told.
        let result = match (result, unaudited) {
            (Ok(done), Some(error)) => Err(ActionError::Unaudited { done, error }),
            (Err(e), Some(error)) => Err(ActionError::Failed(format!(
                "{e} (and its outcome could not be written to the audit log: {error})"
            ))),
            (result, None) => result,
        };
        if let Some(lease) = lease {
            lease.release().await;
        }
        if let Some(room) = &self.room {
            let how = match &result {
                Ok(message) => message.clone(),
                Err(e) => format!("failed: {e}"),
            };
            room.publish(
                crate::warroom::EventKind::Outcome,
                format!("{}: {how}", intent.action.title()),
            );
        }
        tracing::info!(id = %intent.id, action = intent.action.kind.name(), target = %intent.action.target.key(), ok = result.is_ok(), "action finished");
        result
    }
}

impl Runner {
    /// Records every action still running as abandoned, with what is known of it: called when
    /// the cockpit stops, however it stops. Returns how many there were.
    pub async fn abandon_running(&self) -> usize {
        let records = self.in_flight.abandon_all(UnixTime::now());
        for record in &records {
            tracing::warn!(id = %record.id, action = %record.action, target = %record.target, "action abandoned: opsdeck quit while it ran");
            if let Some(audit) = &self.audit
                && let Err(e) = append(audit.clone(), record.clone()).await
            {
                tracing::error!(error = %e, id = %record.id, "cannot write the abandonment to the audit log");
            }
            self.share(0, record).await;
        }
        records.len()
    }

    /// Puts the record in the shared audit table too; a failure is shown with the action (the
    /// local file has it) and does not stop it.
    async fn share(&self, seq: u64, record: &AuditRecord) {
        let Some(table) = &self.audit_table else {
            return;
        };
        if let Err(e) = table.insert(record).await {
            tracing::warn!(error = %e, id = %record.id, "the shared audit table was not written");
            let line = format!("shared audit table not written: {e}");
            let _ = self.inbox.send(Msg::ActionProgress { seq, line }).await;
        }
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

mod approval;
mod forwards;
mod in_flight;
pub use forwards::Forwards;
pub use in_flight::InFlight;

#[cfg(test)]
mod tests;
