//! The simulated estate as a source: a task that owns the world, sends its reports into the
//! cockpit's channel every tick, and stops when the cockpit goes away.

use std::time::Duration;

use tokio::sync::mpsc;

use super::World;
use crate::config::DemoConfig;
use crate::domain::{SourceReport, UnixTime};

/// Runs the world until the receiver is dropped. With `config.freeze`, the world does not change
/// and only heartbeats are sent, so the cockpit shows it live but still.
pub async fn run(mut world: World, config: DemoConfig, tx: mpsc::Sender<SourceReport>) {
    for report in world.initial_reports() {
        if tx.send(report).await.is_err() {
            return;
        }
    }
    let mut ticker = tokio::time::interval(config.tick.max(Duration::from_millis(50)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        let now = UnixTime::now();
        let reports = if config.freeze {
            world.heartbeats(now)
        } else {
            world.step(now)
        };
        for report in reports {
            if tx.send(report).await.is_err() {
                return;
            }
        }
    }
}

/// How many ticks make one refresh of the polled sources.
pub fn refresh_ticks(refresh: Duration, tick: Duration) -> u64 {
    (refresh.as_millis() / tick.as_millis().max(1)).max(1) as u64
}
