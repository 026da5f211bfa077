//! Adapters to real backends. Each runs as its own task that owns its connection, sends
//! `SourceReport`s into the cockpit and carries out the actions routed to it. Nothing here knows
//! about the UI.

pub mod postgres;
pub mod redis;

use std::time::Duration;

/// Waits before reconnecting grow from 1 s to 30 s, so a down server is not hammered.
pub(crate) fn next_backoff(current: Duration) -> Duration {
    (current * 2).clamp(Duration::from_secs(1), Duration::from_secs(30))
}
