//! Automatic checks: each reads the estate the cockpit already watches (or a query's answer)
//! and says pass, warn or fail with its evidence. A check whose source is not configured does
//! not apply (skip); one whose source cannot be reached fails as unreachable; one still
//! waiting for its first data is pending.

mod cluster;
mod data;
#[cfg(test)]
mod tests;
mod values;

use super::def::Check;
use super::outcome::{Outcome, Status, human};
use super::probe::ProbeAnswer;
use crate::domain::{Estate, FreshnessView, SourceKind, UnixTime};

/// What the checks read.
pub struct Facts<'a> {
    pub estate: &'a Estate,
    pub now: UnixTime,
}

/// Evaluates one automatic check; `probe` is the answer to its query, for SQL and PromQL.
pub fn evaluate(check: &Check, facts: &Facts, probe: Option<&ProbeAnswer>) -> Outcome {
    match check {
        Check::Services { namespace } => cluster::services(facts, namespace.as_deref()),
        Check::Pods {
            namespace,
            max_restarts,
        } => cluster::pods(facts, namespace.as_deref(), *max_restarts),
        Check::LogErrors {
            workload,
            window,
            max,
        } => cluster::log_errors(facts, workload.as_deref(), *window, *max),
        Check::Alerts => data::alerts(facts),
        Check::Postgres { instance } => data::postgres(facts, instance.as_deref()),
        Check::Redis { instance } => data::redis(facts, instance.as_deref()),
        Check::Backups { set } => data::backups(facts, set.as_deref()),
        Check::Kpi {
            service,
            kpi,
            min,
            max,
        } => values::kpi(facts, service, *kpi, *min, *max),
        Check::Promql { min, max, .. } | Check::Sql { min, max, .. } => {
            values::probed(probe, *min, *max)
        }
    }
}

/// How a step's sources stand.
#[derive(Debug, PartialEq)]
enum Gate {
    /// Data is there to judge (`stale` when older than its source's refresh allows).
    Open { stale: Option<u64> },
    /// The outcome without looking at data.
    Closed(Outcome),
}

/// Gates on the sources of `kind` (only the one named `name`, if given): none configured is a
/// skip, any unreachable a failure, any not heard from yet pending.
fn gate(facts: &Facts, kind: SourceKind, name: Option<&str>, what: &str) -> Gate {
    let mut found = false;
    let mut stale = None;
    for (id, freshness) in &facts.estate.sources {
        if id.kind != kind || name.is_some_and(|n| n != id.name) {
            continue;
        }
        found = true;
        match freshness.view(facts.now) {
            FreshnessView::Unreachable { reason, age_secs } => {
                let since =
                    age_secs.map_or(String::new(), |a| format!(" (last data {} ago)", human(a)));
                let text = format!("{what} `{}` unreachable: {reason}{since}", id.name);
                return Gate::Closed(Outcome::new(
                    Status::Fail,
                    crate::ui::text::clean(&text).into_owned(),
                ));
            }
            FreshnessView::Connecting => {
                return Gate::Closed(Outcome::pending(format!(
                    "waiting for {what} `{}` to answer",
                    id.name
                )));
            }
            FreshnessView::Relisting { .. } => {
                return Gate::Closed(Outcome::pending(format!(
                    "waiting for {what} `{}` to list everything again",
                    id.name
                )));
            }
            FreshnessView::Stale { age_secs } => stale = stale.max(Some(age_secs)),
            FreshnessView::Live => {}
        }
    }
    if !found {
        let named = name.map_or(String::new(), |n| format!(" named `{n}`"));
        return Gate::Closed(Outcome::new(
            Status::Skip,
            format!("does not apply: no {what}{named} is configured"),
        ));
    }
    Gate::Open { stale }
}

/// Stale data cannot pass: the outcome is at least a warning, saying how old the data is.
fn mark_stale(mut outcome: Outcome, stale: Option<u64>) -> Outcome {
    if let Some(age) = stale {
        outcome.status = outcome.status.max(Status::Warn);
        outcome
            .evidence
            .insert(0, format!("the data is {} old (source stale)", human(age)));
    }
    outcome
}

/// Runs `judge` when the gate is open, marking stale data.
fn gated(
    facts: &Facts,
    kind: SourceKind,
    name: Option<&str>,
    what: &str,
    judge: impl FnOnce() -> Outcome,
) -> Outcome {
    match gate(facts, kind, name, what) {
        Gate::Closed(outcome) => outcome,
        Gate::Open { stale } => mark_stale(judge(), stale),
    }
}
