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
    /// Counting was started from the keyboard (it does not start by itself on a cluster with
    /// more than `[logs] error_auto_max_pods` running pods).
    pub on_request: bool,
    /// Counting waits for the keyboard because the cluster is that big.
    pub waiting_for_request: bool,
}

/// Starts a pass when one is due; called every tick.
pub fn schedule_error_reads(state: &mut State) -> Option<Effect> {
    let logs = &state.settings.logs;
    // Prometheus counts (`[logs] errors_query`): no pod's log is read for the counts. While the
    // first list goes on, the pods shown are a part: whether the cluster is above
    // `error_auto_max_pods` is known when it is whole.
    if !logs.error_counts
        || logs.errors_query.is_some()
        || state.error_reads.running
        || state.estate.pods.is_empty()
        || state.estate.pods_listing.is_some()
    {
        return None;
    }
    if state.error_reads.next_at.is_some_and(|at| state.now < at) {
        return None;
    }
    let interval = logs.error_interval.as_secs().max(1) as i64;
    // Counting the running pods is a walk over them all: once per interval, not every tick
    // (`e` clears `next_at`, so it starts at once).
    let running = state
        .estate
        .pods
        .iter()
        .filter(|p| p.phase == crate::domain::PodPhase::Running)
        .count();
    state.error_reads.waiting_for_request =
        running > logs.error_auto_max_pods && !state.error_reads.on_request;
    if state.error_reads.waiting_for_request {
        state.error_reads.next_at = Some(state.now.plus(interval));
        return None;
    }
    // The budget is per minute; a pass every `interval` takes its share.
    let max_reads = (logs.error_reads_per_minute * interval as u64 / 60).max(1) as usize;
    let focus = workloads_in_view(state);
    let focus: Vec<(&str, &str)> = focus
        .iter()
        .map(|(n, o)| (n.as_str(), o.as_str()))
        .collect();
    let priority = crate::domain::log_errors::ReadPriority {
        focus: &focus,
        max_reads,
    };
    let scans = state.estate.log_errors.plan_within(
        state.estate.pods.iter(),
        state.now,
        logs.error_read_lines,
        priority,
    );
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

/// `(namespace, Kind/name)` of the workloads on the Services panel's screen, the selected one
/// first: their pods are read before any other.
fn workloads_in_view(state: &State) -> Vec<(String, String)> {
    let view = &state.tables.services;
    let height = crate::ui::layout::table_body_height(state).max(1);
    let selected = view.selected_index();
    let on_screen = view.visible().iter().skip(view.offset).take(height);
    selected
        .into_iter()
        .chain(on_screen.map(|i| *i as usize))
        .filter_map(|i| state.estate.workloads.get(i))
        .map(|w| (w.namespace.clone(), w.owner_ref()))
        .collect()
}

/// `e` in Services: starts counting on a cluster too big for it to start by itself.
pub fn start_on_request(state: &mut State) {
    if !state.settings.logs.error_counts {
        state.notify(
            "log error counting is off ([logs] error_counts = false)",
            crate::domain::Level::Warn,
            5,
        );
        return;
    }
    if state.settings.logs.errors_query.is_some() {
        let text = "ERROR lines are counted by Prometheus ([logs] errors_query), no log is read";
        state.notify(text, crate::domain::Level::Ok, 5);
        return;
    }
    let budget = state.settings.logs.error_reads_per_minute;
    let text = if state.error_reads.waiting_for_request {
        state.error_reads.on_request = true;
        state.error_reads.next_at = None;
        format!("counting ERROR lines: {budget} log reads a minute, the pods on screen first")
    } else {
        // Below the size limit it started by itself: say so rather than claim a start.
        format!("already counting ERROR lines ({budget} log reads a minute)")
    };
    state.notify(text, crate::domain::Level::Ok, 5);
}
