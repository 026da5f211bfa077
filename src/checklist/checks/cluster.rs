//! Checks on the cluster: workloads and their health checks, pods, and errors in the logs.

use super::{Facts, Gate, gate, gated, mark_stale};
use crate::app::Panel;
use crate::checklist::def::LogWindow;
use crate::checklist::outcome::{Findings, Outcome, Status, human};
use crate::domain::{Level, SourceKind, Workload};

const DAY: u64 = 86_400;
/// Restarts after which a pod in Error is taken to be crash-looping between back-offs.
const CRASH_LOOP_RESTARTS: u32 = 3;

fn in_namespace(namespace: Option<&str>, ns: &str) -> bool {
    namespace.is_none_or(|n| n == ns)
}

/// Every workload's replicas ready and every health check up.
pub(super) fn services(facts: &Facts, namespace: Option<&str>) -> Outcome {
    let sources = [
        (SourceKind::Kubernetes, "cluster"),
        (SourceKind::Health, "health check source"),
    ];
    let configured: Vec<_> = sources
        .iter()
        .filter(|(kind, _)| facts.estate.sources.keys().any(|id| id.kind == *kind))
        .collect();
    if configured.is_empty() {
        return Outcome::new(
            Status::Skip,
            "does not apply: no cluster and no [[services]] health check is configured",
        );
    }
    let mut stale = None;
    for (kind, what) in configured {
        match gate(facts, *kind, None, what) {
            Gate::Closed(outcome) => return outcome,
            Gate::Open { stale: s } => stale = stale.max(s),
        }
    }
    let mut findings = Findings::default();
    let mut workloads = 0;
    for w in &facts.estate.workloads {
        if !in_namespace(namespace, &w.namespace) {
            continue;
        }
        workloads += 1;
        let status = match w.level() {
            Level::Crit => Status::Fail,
            Level::Warn => Status::Warn,
            _ => continue,
        };
        let rolling = if w.rollout_in_progress() {
            ", rolling out"
        } else {
            ""
        };
        findings.add(
            status,
            format!(
                "`{}` {}/{} ready{rolling}",
                w.qualified_name(),
                w.ready,
                w.desired
            ),
        );
        findings.jump(status, Panel::Services, w.name.clone());
    }
    let mut checks = 0;
    let mut health: Vec<_> = facts.estate.health.values().collect();
    health.sort_by(|a, b| a.service.cmp(&b.service));
    for h in health {
        let ns = h.service.split_once('/').map(|(ns, _)| ns);
        if namespace.is_some() && ns != namespace {
            continue;
        }
        checks += 1;
        if !h.up {
            let why = h
                .last_error
                .clone()
                .or_else(|| h.status_code.map(|c| format!("HTTP {c}")))
                .unwrap_or_else(|| "down".into());
            findings.add(
                Status::Fail,
                format!("`{}` health check down: {why} ({})", h.service, h.url),
            );
            let name = h.service.rsplit('/').next().unwrap_or(&h.service);
            findings.jump(Status::Fail, Panel::Services, name.to_string());
        }
    }
    let scope = namespace.map_or(String::new(), |n| format!(" in `{n}`"));
    mark_stale(
        findings.finish(format!(
            "{workloads} workloads{scope} checked, {checks} health checks"
        )),
        stale,
    )
}

/// No pod crash-looping or broken, none restarted more than `max_restarts` times recently.
pub(super) fn pods(facts: &Facts, namespace: Option<&str>, max_restarts: u32) -> Outcome {
    gated(facts, SourceKind::Kubernetes, None, "cluster", || {
        let mut findings = Findings::default();
        let mut total = 0;
        for pod in facts.estate.pods.iter() {
            if !in_namespace(namespace, &pod.key.namespace) {
                continue;
            }
            total += 1;
            let who = format!("`{}/{}`", pod.key.namespace, pod.key.name);
            let recent = pod.last_restart.is_some_and(|t| t.age_at(facts.now) <= DAY);
            if pod.level() == Level::Crit {
                // A container failing over and over shows Error and CrashLoopBackOff in turn.
                let looping = pod.is_crash_looping()
                    || (&*pod.status == "Error" && pod.restarts >= CRASH_LOOP_RESTARTS);
                let what = if looping { "is crash-looping: " } else { "" };
                findings.add(
                    Status::Fail,
                    format!("pod {who} {what}{}, {} restarts", pod.status, pod.restarts),
                );
            } else if pod.restarts > max_restarts && recent {
                let last = pod.last_restart.map_or(String::new(), |t| {
                    format!(", last {} ago", human(t.age_at(facts.now)))
                });
                findings.add(
                    Status::Fail,
                    format!("pod {who} restarted {} times{last}", pod.restarts),
                );
            } else {
                continue;
            }
            findings.jump(Status::Fail, Panel::Pods, pod.key.name.to_string());
        }
        let scope = namespace.map_or(String::new(), |n| format!(" in `{n}`"));
        findings.finish(format!(
            "{total} pods{scope} checked; more than {max_restarts} restarts in 24 h count"
        ))
    })
}

fn workload_matches(w: &Workload, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|n| n == w.qualified_name() || n == w.name)
}

/// ERROR lines in the workloads' logs within the window, at most `max` per workload.
pub(super) fn log_errors(
    facts: &Facts,
    workload: Option<&str>,
    window: LogWindow,
    max: u64,
) -> Outcome {
    gated(facts, SourceKind::Kubernetes, None, "cluster", || {
        if facts.estate.log_errors.as_of().is_none() {
            return Outcome::pending("waiting for the first read of the pods' logs");
        }
        let index = match window {
            LogWindow::Minutes15 => 0,
            LogWindow::Hours24 => 1,
        };
        let mut findings = Findings::default();
        let mut read = 0;
        let mut worst: Option<(u64, String)> = None;
        let mut matched = false;
        for w in &facts.estate.workloads {
            if !workload_matches(w, workload) {
                continue;
            }
            matched = true;
            let Some(errors) = facts.estate.log_errors_for(w) else {
                continue;
            };
            read += 1;
            let count = u64::from(errors.counts[index]);
            let bound = if errors.complete[index] {
                ""
            } else {
                "at least "
            };
            let partial = match (errors.complete[index], errors.read_back_to) {
                (false, Some(t)) => {
                    format!(" (logs read back {} only)", human(t.age_at(errors.as_of)))
                }
                _ => String::new(),
            };
            if count > max {
                findings.add(
                    Status::Fail,
                    format!(
                        "`{}` {bound}{count} ERROR lines in {}{partial}, at most {max}",
                        w.qualified_name(),
                        window.word()
                    ),
                );
                findings.jump(Status::Fail, Panel::Services, w.name.clone());
            }
            if worst.as_ref().is_none_or(|(c, _)| count > *c) {
                worst = Some((count, w.qualified_name()));
            }
        }
        if let (Some(name), false) = (workload, matched) {
            return Outcome::new(Status::Fail, format!("no workload `{name}` in the cluster"));
        }
        if read == 0 {
            return Outcome::pending("waiting for the first read of the workload's logs");
        }
        let worst = worst.map_or(String::new(), |(c, n)| format!(" (most: `{n}` with {c})"));
        findings.finish(format!(
            "{read} workloads' logs read: at most {max} ERROR lines each in {}{worst}",
            window.word()
        ))
    })
}
