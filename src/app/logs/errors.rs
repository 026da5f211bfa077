//! When to read the pods' logs for the workloads' error counts: a pass over every running pod
//! each `[logs] error_interval`, one pass at a time (a slow cluster stretches the interval
//! rather than piling passes up). The reads and the tally are the runtime's and the domain's.

use super::super::msg::Effect;
use super::super::state::State;
use crate::domain::{LogScan, ScanResult, UnixTime};

/// Where the passes are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorReads {
    pub running: bool,
    /// When the next pass may start.
    pub next_at: Option<UnixTime>,
}

/// Starts a pass when one is due; called every tick.
pub fn schedule_error_reads(state: &mut State) -> Option<Effect> {
    let logs = &state.settings.logs;
    if !logs.error_counts || state.error_reads.running || state.estate.pods.is_empty() {
        return None;
    }
    if state.error_reads.next_at.is_some_and(|at| state.now < at) {
        return None;
    }
    let scans =
        state
            .estate
            .log_errors
            .plan(state.estate.pods.iter(), state.now, logs.error_read_lines);
    let interval = logs.error_interval.as_secs().max(1) as i64;
    state.error_reads.next_at = Some(state.now.plus(interval));
    if scans.is_empty() {
        return None;
    }
    state.error_reads.running = true;
    Some(Effect::ReadLogErrors(scans))
}

/// One pod's read came back: its errors join its workload's counts.
pub fn on_errors_read(state: &mut State, scan: LogScan, result: Result<ScanResult, String>) {
    // A pod whose log cannot be read (gone, not started) is tried again next pass; a pod no
    // longer here (another context now) is not counted.
    if let Ok(result) = result
        && state.estate.pods.get(&scan.key).is_some()
    {
        state.estate.log_errors.record(&scan, &result, state.now);
        state.estate.gens.workloads += 1;
        // Only the Services panel (LOG ERR) and a checklist run (log_errors) show the counts:
        // elsewhere a read changes nothing on screen, and an unchanged frame still costs bytes
        // on the wire (a pass reads every pod, a few hundred redraws).
        if matches!(
            state.panel,
            super::super::Panel::Services | super::super::Panel::Checklist
        ) {
            state.dirty = true;
        }
    }
}

pub fn on_errors_pass_done(state: &mut State) {
    state.error_reads.running = false;
    let pods = &state.estate.pods;
    state
        .estate
        .log_errors
        .retain_pods(|key| pods.get(key).is_some());
}
