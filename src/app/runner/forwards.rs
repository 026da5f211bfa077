//! The port-forwards the runner holds open: opened as an action (intent, lease and outcome
//! audited like any other; the outcome is "open on 127.0.0.1:PORT"), then kept here until the
//! list closes one or the cockpit quits. What each has carried is reported to the cockpit
//! when it changes, checked once a second (the counters are atomics the forward's own tasks
//! add to; reading them costs nothing, and an idle forward sends nothing).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use super::{Runner, redact};
use crate::actions::audit::Intent;
use crate::actions::forward::OpenForward;
use crate::app::msg::Msg;

/// How often a forward's counters are looked at.
const STATS_EVERY: Duration = Duration::from_secs(1);

/// The open forwards, by the sequence number of the action that opened them.
#[derive(Default)]
pub struct Forwards(Mutex<BTreeMap<u64, Held>>);

struct Held {
    /// Dropped to close the forward.
    _open: OpenForward,
    reporter: tokio::task::JoinHandle<()>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.reporter.abort();
    }
}

impl Forwards {
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Runner {
    /// Opens the forward the intent asks for, through the same pipeline as every action.
    pub(super) fn open_forward(&self, seq: u64, intent: Intent) {
        let runner = self.clone();
        tokio::spawn(async move {
            let executor = runner.executor.clone();
            let action = intent.action.clone();
            let opened = runner.clone();
            let result = runner
                .run_with(seq, &intent, Some(runner.timeout), move |_progress| {
                    Box::pin(async move {
                        let open = executor.port_forward(&action).await?;
                        let local = open.local;
                        opened.hold_forward(seq, open).await;
                        Ok(format!("open on {local}"))
                    })
                })
                .await;
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

    /// Keeps the forward, tells the cockpit its port, and reports its counters as they change.
    async fn hold_forward(&self, seq: u64, open: OpenForward) {
        let _ = self
            .inbox
            .send(Msg::ForwardOpened {
                seq,
                local: open.local.port(),
            })
            .await;
        let stats = open.stats.clone();
        let inbox = self.inbox.clone();
        let reporter = tokio::spawn(async move {
            let mut last = (0, 0, None);
            loop {
                tokio::time::sleep(STATS_EVERY).await;
                let now = stats.read();
                if now != last {
                    last = now.clone();
                    let (sent, received, broken) = now;
                    let msg = Msg::ForwardStats {
                        seq,
                        sent,
                        received,
                        broken,
                    };
                    if inbox.send(msg).await.is_err() {
                        return;
                    }
                }
            }
        });
        if let Ok(mut held) = self.forwards.0.lock() {
            held.insert(
                seq,
                Held {
                    _open: open,
                    reporter,
                },
            );
        }
    }

    /// Closes one forward (its listener and every connection through it).
    pub fn close_forward(&self, seq: u64) {
        let closed = self.forwards.0.lock().ok().and_then(|mut m| m.remove(&seq));
        if closed.is_some() {
            tracing::info!(seq, "port-forward closed");
        }
    }

    /// Closes every forward: the cockpit is quitting. Returns how many there were.
    pub fn close_forwards(&self) -> usize {
        let all = self
            .forwards
            .0
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        all.len()
    }
}
