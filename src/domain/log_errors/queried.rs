//! Error counts per workload from Prometheus (`[logs] errors_query`): where the team already
//! counts its logged errors (a `log_messages_total{level="error"}` counter, a Loki recording
//! rule), one query per refresh gives every workload's counts and no pod's log is read.

use std::collections::HashMap;

use super::{WINDOWS, WorkloadErrors};
use crate::domain::time::UnixTime;

/// One workload's counts as the query gave them, per window of `WINDOWS`; `None` where the
/// answer had no series for that window.
#[derive(Debug, Clone, PartialEq)]
pub struct QueriedErrors {
    pub namespace: String,
    /// The workload's name (the series' `workload`, `deployment`, `statefulset` or `daemonset`
    /// label).
    pub workload: String,
    pub counts: [Option<u32>; WINDOWS.len()],
}

/// The last answer to the errors query, or why the last asking failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueriedCounts {
    counts: HashMap<(String, String), [Option<u32>; WINDOWS.len()]>,
    as_of: Option<UnixTime>,
    /// The last query failed with this (the counts are the previous answer's).
    pub failure: Option<String>,
}

impl QueriedCounts {
    /// Takes an answer: the counts are replaced whole (a workload no longer in the answer has
    /// no figure), or the failure is kept beside the previous counts.
    pub fn record(&mut self, answer: Result<Vec<QueriedErrors>, String>, now: UnixTime) {
        match answer {
            Ok(rows) => {
                self.counts = rows
                    .into_iter()
                    .map(|r| ((r.namespace, r.workload), r.counts))
                    .collect();
                self.as_of = Some(now);
                self.failure = None;
            }
            Err(why) => self.failure = Some(why),
        }
    }

    /// A workload's counts; `None` when the answer had no series for it (no figure is made
    /// up: a workload that exports no counter is not a workload with no errors).
    pub fn for_workload(&self, namespace: &str, name: &str) -> Option<WorkloadErrors> {
        let as_of = self.as_of?;
        let counts = self
            .counts
            .get(&(namespace.to_string(), name.to_string()))?;
        Some(WorkloadErrors {
            counts: counts.map(|c| c.unwrap_or(0)),
            complete: [true; WINDOWS.len()],
            read_back_to: None,
            as_of,
            pods_read: 0,
            pods_total: 0,
            from_query: true,
        })
    }
}
