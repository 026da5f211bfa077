//! Error counts from pods' logs, per workload, over the windows runbooks ask about ("error
//! count in the last 15 minutes / 24 hours"). Each pod's log is read with timestamps from
//! where the last read ended (`sinceSeconds`), a bounded tail at a time; ERROR entries are
//! tallied per minute per workload (a stack trace's lines are one entry, counted once), so a window's count is a sum, and a pod that goes away
//! keeps its share of the history. Where a read was cut short by the tail bound, the count is a
//! lower bound and says so.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use super::log_level::{LogEntries, LogLevel, split_stamp};
use super::pod::{Pod, PodKey};
use super::time::UnixTime;

/// The windows counted, in seconds: the last 15 minutes and the last 24 hours.
pub const WINDOWS: [u64; 2] = [15 * 60, 24 * 3600];
const DAY: i64 = 24 * 3600;

/// One pod's log to read: everything since `since_seconds` ago, at most `tail` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LogScan {
    pub key: PodKey,
    /// The workload the pod belongs to (`Deployment/name`).
    pub owner: Arc<str>,
    /// The workload's own container, when the pod has several (sidecars are not counted).
    pub container: Option<String>,
    pub since_seconds: u64,
    pub tail: u64,
    /// Lines at or before this time were counted by an earlier read.
    pub after: Option<Duration>,
}

/// What one read of a pod's log found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanResult {
    /// ERROR entries per minute (Unix seconds / 60), by the minute each began.
    pub errors: BTreeMap<i64, u32>,
    /// The newest line's time: the next read starts after it.
    pub newest: Option<Duration>,
    /// The oldest line's time this read saw.
    pub oldest: Option<Duration>,
    /// Lines read (including ones skipped as already counted).
    pub lines: u64,
    /// The entry the last line read belongs to (lines already counted are read too, so that a
    /// stack trace continuing past them is not counted again).
    entries: LogEntries,
}

impl ScanResult {
    /// Tallies `lines` (each `TIMESTAMP text`, as `kubectl logs --timestamps` prints them),
    /// skipping those at or before `after`.
    pub fn tally<'a>(lines: impl IntoIterator<Item = &'a str>, after: Option<Duration>) -> Self {
        let mut result = ScanResult::default();
        for line in lines {
            result.add(line, after);
        }
        result
    }

    /// Counts one line: an ERROR entry where it begins.
    pub fn add(&mut self, line: &str, after: Option<Duration>) {
        self.lines += 1;
        let classified = self.entries.classify(line);
        let Some((at, _)) = split_stamp(line) else {
            return;
        };
        if self.oldest.is_none_or(|o| at < o) {
            self.oldest = Some(at);
        }
        if self.newest.is_none_or(|n| at > n) {
            self.newest = Some(at);
        }
        if after.is_some_and(|a| at <= a) {
            return;
        }
        if classified.starts_entry && classified.level == LogLevel::Error {
            *self.errors.entry(at.as_secs() as i64 / 60).or_default() += 1;
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct PodCursor {
    newest: Option<Duration>,
    last_read: Option<UnixTime>,
}

/// Which pods a pass reads when it may not read them all: the workloads the operator is
/// looking at first, then pods that restarted since their last read (a crash is when errors
/// are logged), then those never read, then the least recently read (round robin).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadPriority<'a> {
    /// `(namespace, owner)` of the workloads to read first: the selected one, then those on
    /// screen.
    pub focus: &'a [(&'a str, &'a str)],
    /// Most reads in this pass.
    pub max_reads: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct WorkloadTally {
    minutes: BTreeMap<i64, u32>,
    /// The log before this time (Unix seconds) was not read for some pod: a tail bound cut a
    /// read short, so windows reaching back past it are lower bounds.
    unread_before: Option<i64>,
}

/// A workload's counts over `WINDOWS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadErrors {
    pub counts: [u32; 2],
    /// Per window: every pod's log was read back to the window's start. When false the count
    /// is a lower bound.
    pub complete: [bool; 2],
    /// How far back every pod's log was read, when some window is incomplete.
    pub read_back_to: Option<UnixTime>,
    /// When the counts were taken (the last read).
    pub as_of: UnixTime,
    /// Of the workload's running pods, how many have had their log read: while reads are
    /// budgeted, fewer than all, and the counts are lower bounds.
    pub pods_read: u32,
    pub pods_total: u32,
    /// Counted by Prometheus (`[logs] errors_query`), not from the pods' logs.
    pub from_query: bool,
}

/// A workload's counts' key: context, namespace and owner (`Deployment/name`).
type WorkloadKey = (Arc<str>, Arc<str>, Arc<str>);

/// Every workload's log error tally, and where each pod's last read ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogErrorCounts {
    pods: HashMap<PodKey, PodCursor>,
    workloads: HashMap<WorkloadKey, WorkloadTally>,
    /// Running pods per workload at the last budgeted plan, and of them how many were read.
    coverage: HashMap<WorkloadKey, (u32, u32)>,
    /// The time of the last read recorded: the counts are as of then.
    as_of: Option<UnixTime>,
}

impl LogErrorCounts {
    /// The reads to do now: every running pod with an owner, least recently read first.
    pub fn plan<'a>(
        &self,
        pods: impl IntoIterator<Item = &'a Pod>,
        now: UnixTime,
        tail: u64,
    ) -> Vec<LogScan> {
        let mut scans: Vec<(Option<UnixTime>, LogScan)> = pods
            .into_iter()
            .filter(|p| p.phase == super::PodPhase::Running)
            .filter_map(|p| {
                let owner = p.owner.clone()?;
                let cursor = self.pods.get(&p.key);
                let after = cursor.and_then(|c| c.newest);
                let since = match after {
                    // Back to just before the newest line counted, which is skipped.
                    Some(at) => (now.0 - at.as_secs() as i64 + 1).clamp(1, DAY) as u64,
                    None => DAY as u64,
                };
                Some((
                    cursor.and_then(|c| c.last_read),
                    LogScan {
                        key: p.key.clone(),
                        owner,
                        container: p.containers.first().map(|c| c.to_string()),
                        since_seconds: since,
                        tail,
                        after,
                    },
                ))
            })
            .collect();
        scans.sort_by_key(|(read, _)| *read);
        scans.into_iter().map(|(_, s)| s).collect()
    }

    /// The reads to do now within `priority.max_reads`, most relevant first (see
    /// [`ReadPriority`]); also notes each workload's running pods and how many were ever read,
    /// for the counts' coverage.
    pub fn plan_within<'a>(
        &mut self,
        pods: impl IntoIterator<Item = &'a Pod>,
        now: UnixTime,
        tail: u64,
        priority: ReadPriority<'_>,
    ) -> Vec<LogScan> {
        let pods: Vec<&Pod> = pods.into_iter().collect();
        self.coverage.clear();
        for p in &pods {
            if p.phase != super::PodPhase::Running {
                continue;
            }
            let Some(owner) = p.owner.clone() else {
                continue;
            };
            let read = u32::from(self.pods.contains_key(&p.key));
            let entry = self
                .coverage
                .entry((p.key.context.clone(), p.key.namespace.clone(), owner))
                .or_default();
            entry.0 += read;
            entry.1 += 1;
        }
        // The selected workload, then those on screen, then the rest by relevance. Within a
        // tier the least recently read come first, so that a budget smaller than a tier still
        // reaches every pod of it in turn.
        let tier = |p: &Pod| -> u8 {
            let owner = p.owner.as_deref().unwrap_or("");
            let focused = |(ns, o): &(&str, &str)| *ns == &*p.key.namespace && *o == owner;
            if priority.focus.first().is_some_and(focused) {
                return 0;
            }
            if priority.focus.iter().any(focused) {
                return 1;
            }
            let last_read = self.pods.get(&p.key).and_then(|c| c.last_read);
            match (last_read, p.last_restart) {
                (Some(read), Some(restart)) if restart > read => 2,
                (None, _) => 3,
                _ => 4,
            }
        };
        let by_key: HashMap<&PodKey, u8> = pods.iter().map(|p| (&p.key, tier(p))).collect();
        let mut scans = self.plan(pods.iter().copied(), now, tail);
        // `plan` orders by last read; a stable sort keeps that order within each tier.
        scans.sort_by_key(|s| by_key.get(&s.key).copied().unwrap_or(4));
        scans.truncate(priority.max_reads);
        scans
    }

    /// Adds what a read found.
    pub fn record(&mut self, scan: &LogScan, result: &ScanResult, now: UnixTime) {
        self.as_of = Some(now);
        if !self.pods.contains_key(&scan.key)
            && let Some(coverage) = self.coverage.get_mut(&(
                scan.key.context.clone(),
                scan.key.namespace.clone(),
                scan.owner.clone(),
            ))
        {
            coverage.0 = (coverage.0 + 1).min(coverage.1);
        }
        let cursor = self.pods.entry(scan.key.clone()).or_default();
        cursor.last_read = Some(now);
        if let Some(newest) = result.newest {
            cursor.newest = Some(cursor.newest.map_or(newest, |n| n.max(newest)));
        }
        let tally = self
            .workloads
            .entry((
                scan.key.context.clone(),
                scan.key.namespace.clone(),
                scan.owner.clone(),
            ))
            .or_default();
        // A read that returned as many lines as it could take may have missed older ones.
        if result.lines >= scan.tail
            && let Some(oldest) = result.oldest
        {
            let oldest = oldest.as_secs() as i64;
            tally.unread_before = Some(tally.unread_before.map_or(oldest, |u| u.max(oldest)));
        }
        for (minute, count) in &result.errors {
            *tally.minutes.entry(*minute).or_default() += count;
        }
        // A day is all anyone asks about.
        let oldest_kept = (now.0 - DAY) / 60 - 1;
        tally.minutes.retain(|m, _| *m >= oldest_kept);
    }

    /// The counts for the workload `owner` (`Deployment/name`) in `namespace`, as of the last
    /// read; `None` before any of its pods was read.
    pub fn for_workload(
        &self,
        context: &str,
        namespace: &str,
        owner: &str,
    ) -> Option<WorkloadErrors> {
        let key = (Arc::from(context), Arc::from(namespace), Arc::from(owner));
        let tally = self.workloads.get(&key)?;
        let now = self.as_of?;
        let read_back_to = tally.unread_before;
        let (pods_read, pods_total) = self.coverage.get(&key).copied().unwrap_or((0, 0));
        let every_pod = pods_read >= pods_total;
        let mut counts = [0; 2];
        let mut complete = [true; 2];
        for (i, window) in WINDOWS.iter().enumerate() {
            // Whole minutes: the window's first minute counts whole.
            let from = (now.0 - *window as i64) / 60;
            counts[i] = tally.minutes.range(from..).map(|(_, c)| c).sum();
            complete[i] = every_pod && read_back_to.is_none_or(|r| r <= now.0 - *window as i64);
        }
        Some(WorkloadErrors {
            counts,
            complete,
            read_back_to: read_back_to.map(UnixTime),
            as_of: now,
            pods_read,
            pods_total,
            from_query: false,
        })
    }

    /// When the last read was counted; `None` before the first.
    pub fn as_of(&self) -> Option<UnixTime> {
        self.as_of
    }

    /// Forgets the pods that are gone (their counts stay with their workload).
    /// Drops what was counted in one cluster.
    pub fn forget_cluster(&mut self, context: &str) {
        self.pods.retain(|k, _| &*k.context != context);
        self.workloads.retain(|k, _| &*k.0 != context);
        self.coverage.retain(|k, _| &*k.0 != context);
    }

    pub fn retain_pods(&mut self, alive: impl Fn(&PodKey) -> bool) {
        self.pods.retain(|k, _| alive(k));
    }
}

mod queried;
pub use queried::{QueriedCounts, QueriedErrors};

#[cfg(test)]
mod tests;
