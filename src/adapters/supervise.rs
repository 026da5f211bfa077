//! Supervision of the sources' tasks. A panic in a task must not end its source silently (it
//! would read "connecting" forever): the supervisor reports the source with the reason, waits
//! (1 s, doubling to 30 s; back to 1 s after a run that lasted), and starts the task afresh.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use super::{Reporter, next_backoff};
use crate::domain::Report;

/// A run this long before its panic counts as healthy: the next wait starts at 1 s again.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// Aborts the task when dropped, so that aborting the supervisor stops the task it runs.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `start()`'s task until it ends by itself (the cockpit went away); after a panic, sends
/// `report(reason)` through `reporter` and starts it again after a backoff. Aborting the
/// returned handle stops the supervisor and its task.
pub(crate) fn supervise<F, Fut, R>(reporter: Reporter, mut start: F, report: R) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
    R: Fn(String) -> Report + Send + 'static,
{
    tokio::spawn(async move {
        let mut backoff = Duration::ZERO;
        loop {
            let started = Instant::now();
            let mut task = AbortOnDrop(tokio::spawn(start()));
            let error = match (&mut task.0).await {
                Ok(()) => return,
                Err(error) if error.is_panic() => error,
                // Cancelled: the runtime is shutting down.
                Err(_) => return,
            };
            let message = crate::terminal::panic_message(error.into_panic().as_ref());
            let message = message.trim_end_matches('.');
            backoff = if started.elapsed() >= HEALTHY_RUN {
                Duration::from_secs(1)
            } else {
                next_backoff(backoff)
            };
            let wait = humantime::format_duration(backoff);
            tracing::error!(kind = ?reporter.source.kind, source = %reporter.source.name, %message, "source task panicked; restarting in {wait}");
            let reason = format!("internal error: {message}; restarting in {wait}");
            if !reporter.send(report(reason)).await {
                return;
            }
            tokio::time::sleep(super::jittered(backoff)).await;
        }
    })
}

/// The usual report for a source whose task panicked.
pub(crate) fn unreachable(reason: String) -> Report {
    Report::Unreachable(reason)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::sync::mpsc;

    use super::*;
    use crate::domain::{SourceId, SourceKind};

    #[tokio::test]
    async fn a_panicking_task_is_reported_and_restarted_and_a_finished_one_is_not() {
        let (tx, mut rx) = mpsc::channel(8);
        let reporter = Reporter::new(SourceId::new(SourceKind::Redis, "cache"), tx);
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let supervisor = supervise(
            reporter,
            move || {
                let run = counted.fetch_add(1, Ordering::SeqCst);
                async move {
                    if run == 0 {
                        panic!("bad state");
                    }
                }
            },
            unreachable,
        );
        let first = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.source, SourceId::new(SourceKind::Redis, "cache"));
        match first.report {
            Report::Unreachable(reason) => {
                assert_eq!(reason, "internal error: bad state; restarting in 1s")
            }
            other => panic!("{other:?}"),
        }
        // The second run ends by itself: the supervisor ends too, with nothing more reported.
        tokio::time::timeout(Duration::from_secs(5), supervisor)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(rx.try_recv().is_err());
    }
}
