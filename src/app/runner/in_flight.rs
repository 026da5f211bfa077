//! The actions running now, for cancelling one and for recording as abandoned those still
//! running when opsdeck quits.

use std::time::{Duration, Instant};

use crate::actions::audit::{AuditRecord, Intent};
use crate::domain::UnixTime;

/// What is known of each running action: its intent, since when, its last progress line; and
/// the actions cancelled before they had started (their intent still being written), which
/// end as soon as they start.
#[derive(Default)]
pub struct InFlight(
    pub(super) std::sync::Mutex<std::collections::BTreeMap<u64, Running>>,
    pub(super) std::sync::Mutex<std::collections::BTreeSet<u64>>,
);

pub(super) struct Running {
    intent: Intent,
    started: Instant,
    last_progress: Option<String>,
    /// Ends the action before it finishes (`Runner::cancel`).
    cancel: Option<tokio::sync::oneshot::Sender<()>>,
}

impl InFlight {
    /// Notes a running action; what it returns is told when the operator cancels it.
    pub(super) fn start(
        &self,
        seq: u64,
        intent: &Intent,
        started: Instant,
    ) -> tokio::sync::oneshot::Receiver<()> {
        let (cancel, cancelled) = tokio::sync::oneshot::channel();
        let early = self.1.lock().is_ok_and(|mut early| early.remove(&seq));
        let cancel = match early {
            true => {
                let _ = cancel.send(());
                None
            }
            false => Some(cancel),
        };
        if let Ok(mut map) = self.0.lock() {
            map.insert(
                seq,
                Running {
                    intent: intent.clone(),
                    started,
                    last_progress: None,
                    cancel,
                },
            );
        }
        cancelled
    }

    /// Asks a running action to end; one not started yet (its intent being written) ends as
    /// soon as it starts. `false` when it is not running (any more).
    pub(super) fn cancel(&self, seq: u64) -> bool {
        let Ok(mut map) = self.0.lock() else {
            return false;
        };
        match map.get_mut(&seq) {
            Some(running) => running.cancel.take().is_some_and(|c| c.send(()).is_ok()),
            None => {
                if let Ok(mut early) = self.1.lock() {
                    early.insert(seq);
                }
                false
            }
        }
    }

    pub(super) fn progress(&self, seq: u64, line: &str) {
        if let Ok(mut map) = self.0.lock()
            && let Some(running) = map.get_mut(&seq)
        {
            running.last_progress = Some(line.to_string());
        }
    }

    pub(super) fn finish(&self, seq: u64) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&seq);
        }
    }

    /// Takes every running action, each as the record of its abandonment.
    pub(super) fn abandon_all(&self, at: UnixTime) -> Vec<AuditRecord> {
        let Ok(mut map) = self.0.lock() else {
            return Vec::new();
        };
        std::mem::take(&mut *map)
            .into_values()
            .map(|r| {
                let ran = r.started.elapsed();
                let mut known = format!(
                    "opsdeck quit while it ran (after {}); its outcome is unknown, check the target",
                    humantime::format_duration(Duration::from_secs(ran.as_secs()))
                );
                if let Some(line) = r.last_progress {
                    known.push_str(&format!("; last progress: {line}"));
                }
                AuditRecord::abandoned(&r.intent, at, known, ran.as_millis() as u64)
            })
            .collect()
    }
}
