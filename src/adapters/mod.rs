//! Adapters to real backends. Each runs as its own task that owns its connection, sends
//! `SourceReport`s into the cockpit and carries out the actions routed to it. Nothing here knows
//! about the UI.

pub mod alertmanager;
pub mod backups;
pub mod health;
pub mod kube;
pub mod postgres;
pub mod prometheus;
pub mod prometheus_errors;
pub mod redis;
pub(crate) mod supervise;

use std::time::Duration;

use tokio::sync::mpsc;

use crate::domain::{Report, SourceId, SourceReport, UnixTime};

/// Sends one source's reports into the cockpit, stamped with the time.
#[derive(Clone)]
pub(crate) struct Reporter {
    source: SourceId,
    tx: mpsc::Sender<SourceReport>,
}

impl Reporter {
    pub(crate) fn new(source: SourceId, tx: mpsc::Sender<SourceReport>) -> Self {
        Reporter { source, tx }
    }

    /// False when the cockpit has gone away: the adapter's task should end.
    pub(crate) async fn send(&self, report: Report) -> bool {
        let report = SourceReport {
            source: self.source.clone(),
            at: UnixTime::now(),
            report,
        };
        self.tx.send(report).await.is_ok()
    }
}

/// Waits before reconnecting grow from 1 s to 30 s, so a down server is not hammered.
/// `wait` give or take a fifth, so that many clients that failed together do not retry
/// together (a thundering herd on a recovering server).
pub(crate) fn jittered(wait: Duration) -> Duration {
    wait.mul_f64(0.8 + 0.4 * fastrand::f64())
}

pub(crate) fn next_backoff(current: Duration) -> Duration {
    (current * 2).clamp(Duration::from_secs(1), Duration::from_secs(30))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn retries_wait_a_fifth_either_side_of_their_backoff_not_all_alike() {
        let waits: Vec<Duration> = (0..200)
            .map(|_| super::jittered(Duration::from_secs(10)))
            .collect();
        assert!(
            waits
                .iter()
                .all(|w| *w >= Duration::from_secs(8) && *w <= Duration::from_secs(12))
        );
        let (least, most) = (waits.iter().min().unwrap(), waits.iter().max().unwrap());
        assert!(
            most.saturating_sub(*least) > Duration::from_secs(1),
            "{least:?}..{most:?}"
        );
    }
}
