//! Health levels and the thresholds that turn a figure into one.

use serde::{Deserialize, Serialize};

/// How bad something is. Ordered from best to worst so `max` gives the worst state of an area.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum Level {
    #[default]
    Ok,
    /// No data, or the source cannot be reached: worse than ok, not yet a warning.
    Unknown,
    Warn,
    Crit,
}

impl Level {
    /// The word shown next to every colour, so colour is never the only signal.
    pub fn word(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Unknown => "unknown",
            Level::Warn => "warn",
            Level::Crit => "crit",
        }
    }

    /// The worst of several levels; `Ok` when there are none.
    pub fn worst(levels: impl IntoIterator<Item = Level>) -> Level {
        levels.into_iter().max().unwrap_or(Level::Ok)
    }
}

/// A warn/crit pair for a figure where higher is worse (e.g. 0.80 / 0.95 of max_connections).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub warn: f64,
    pub crit: f64,
}

impl Thresholds {
    pub const fn new(warn: f64, crit: f64) -> Self {
        Self { warn, crit }
    }

    pub fn level(&self, value: f64) -> Level {
        if value.is_nan() {
            Level::Unknown
        } else if value >= self.crit {
            Level::Crit
        } else if value >= self.warn {
            Level::Warn
        } else {
            Level::Ok
        }
    }
}

/// The reference runbooks' thresholds; later issues make them configurable.
pub mod defaults {
    use super::Thresholds;
    /// PostgreSQL connections used / max_connections.
    pub const PG_CONNECTIONS: Thresholds = Thresholds::new(0.80, 0.95);
    /// Redis used_memory / maxmemory.
    pub const REDIS_MEMORY: Thresholds = Thresholds::new(0.80, 0.90);
    /// Service p95 latency in milliseconds.
    pub const P95_MS: Thresholds = Thresholds::new(1000.0, 2000.0);
    /// Service error rate as a fraction of requests.
    pub const ERROR_RATE: Thresholds = Thresholds::new(0.01, 0.05);
    /// A query running longer than this (seconds) is called out.
    pub const LONG_QUERY_S: Thresholds = Thresholds::new(60.0, 300.0);
    /// A pod restarted more than this many times.
    pub const POD_RESTARTS: Thresholds = Thresholds::new(3.0, 10.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_prefers_crit_over_unknown_and_warn() {
        assert_eq!(
            Level::worst([Level::Ok, Level::Unknown, Level::Warn]),
            Level::Warn
        );
        assert_eq!(Level::worst([Level::Crit, Level::Unknown]), Level::Crit);
        assert_eq!(Level::worst([Level::Ok, Level::Unknown]), Level::Unknown);
        assert_eq!(Level::worst([]), Level::Ok);
    }

    #[test]
    fn thresholds_are_inclusive_at_the_boundary() {
        let t = defaults::PG_CONNECTIONS;
        assert_eq!(t.level(0.79), Level::Ok);
        assert_eq!(t.level(0.80), Level::Warn);
        assert_eq!(t.level(0.949), Level::Warn);
        assert_eq!(t.level(0.95), Level::Crit);
        assert_eq!(t.level(f64::NAN), Level::Unknown);
    }
}
