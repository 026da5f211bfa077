//! `[logs]`: how much of a pod's log the logs pane reads and keeps, how many streams may be
//! open at once, and the background count of ERROR lines per workload.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogsConfig {
    /// Lines a log starts with, as `kubectl logs --tail`.
    #[serde(deserialize_with = "tail")]
    pub tail: u64,
    /// Lines kept per open log; older ones are dropped.
    #[serde(deserialize_with = "ring")]
    pub ring: usize,
    /// Most log streams open at once: a workload's logs follow at most this many pods.
    #[serde(deserialize_with = "max_streams")]
    pub max_streams: usize,
    /// Count ERROR lines per workload (last 15 min / 24 h) in the background.
    pub error_counts: bool,
    /// How often each pod's log is read again for the counts.
    #[serde(deserialize_with = "super::duration::at_least::<_, 1000>")]
    pub error_interval: Duration,
    /// Most lines read from one pod's log at a time for the counts; a log that wrote more
    /// since the last read is counted from its newest lines and the count says "at least".
    #[serde(deserialize_with = "tail")]
    pub error_read_lines: u64,
    /// The budget of log reads for the counts, per minute, for the whole cockpit: the API
    /// server's cost is this many small requests a minute, whatever the cluster's size.
    #[serde(deserialize_with = "reads_per_minute")]
    pub error_reads_per_minute: u64,
    /// Above this many running pods, counting does not start by itself (`e` in Services starts
    /// it): one cockpit's reads stay a choice on a big cluster.
    pub error_auto_max_pods: usize,
    /// PromQL giving every workload's ERROR count over `$window` (one series per workload,
    /// labelled `namespace` and `workload` / `deployment` / `statefulset` / `daemonset`),
    /// asked of `[prometheus]` each `error_interval`; when set, no pod log is read to count.
    pub errors_query: Option<String>,
}

impl Default for LogsConfig {
    fn default() -> Self {
        Self {
            tail: 200,
            ring: 10_000,
            max_streams: 16,
            error_counts: true,
            error_interval: Duration::from_secs(60),
            error_read_lines: 2_000,
            error_reads_per_minute: 60,
            error_auto_max_pods: 2_000,
            errors_query: None,
        }
    }
}

fn in_range<'de, D: Deserializer<'de>>(
    d: D,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, D::Error> {
    let n = u64::deserialize(d)?;
    if !range.contains(&n) {
        return Err(serde::de::Error::custom(format!(
            "{n} is out of range; expected {} to {}",
            range.start(),
            range.end()
        )));
    }
    Ok(n)
}

fn tail<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    in_range(d, 1..=1_000_000)
}

fn ring<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    in_range(d, 100..=1_000_000).map(|n| n as usize)
}

fn max_streams<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    in_range(d, 1..=256).map(|n| n as usize)
}

fn reads_per_minute<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    in_range(d, 1..=10_000)
}
