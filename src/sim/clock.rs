//! The simulator's clock: the machine's, moved by `opsdeck sim --clock-skew` to stand for an
//! API server whose clock is ahead of (or behind) its clients'. Everything the server stamps
//! or judges by time reads it: objects' and events' timestamps, Tables' ages, log lines, and
//! whether an exec token has expired. The plugin that makes the tokens runs on the client and
//! keeps the client's clock, as it would.
//!
//! One value for the process, as a machine has one clock: only `opsdeck sim` sets it (once, at
//! start); in-process simulators (the demo, tests) never do, so they read the machine's.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::domain::UnixTime;

static SKEW_SECS: AtomicI64 = AtomicI64::new(0);

/// Moves the simulator's clock `secs` ahead of the machine's (behind when negative).
pub fn set_skew(secs: i64) {
    SKEW_SECS.store(secs, Ordering::Relaxed);
}

/// The skew, in seconds.
pub fn skew() -> i64 {
    SKEW_SECS.load(Ordering::Relaxed)
}

/// The simulator's time.
pub fn now() -> UnixTime {
    UnixTime(UnixTime::now().0 + skew())
}

/// The simulator's time in milliseconds since the epoch (log lines' timestamps).
pub fn now_ms() -> i64 {
    let machine = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    machine + skew() * 1000
}

/// `--clock-skew`'s value: a duration (`3m`, `90s`), ahead; with a leading `-`, behind.
pub fn parse_skew(text: &str) -> Result<i64, String> {
    let (sign, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let duration = humantime::parse_duration(magnitude)
        .map_err(|e| format!("`{text}`: {e} (e.g. 3m ahead, -90s behind)"))?;
    Ok(sign * duration.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skews_are_ahead_or_behind() {
        assert_eq!(parse_skew("3m"), Ok(180));
        assert_eq!(parse_skew("+90s"), Ok(90));
        assert_eq!(parse_skew("-2m"), Ok(-120));
        assert!(parse_skew("soon").is_err());
    }
}
