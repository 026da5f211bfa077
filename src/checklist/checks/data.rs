//! Checks on alerts, databases and backups.

use super::{Facts, Gate, gate, gated};
use crate::app::Panel;
use crate::checklist::outcome::{Findings, Outcome, Status, human};
use crate::domain::level::defaults;
use crate::domain::{AlertState, Level, Severity, SourceKind};

fn status_of(level: Level) -> Option<Status> {
    match level {
        Level::Crit => Some(Status::Fail),
        Level::Warn => Some(Status::Warn),
        _ => None,
    }
}

fn percent(ratio: f64) -> String {
    format!("{:.0} %", ratio * 100.0)
}

/// The threshold a figure is judged against, named as the one it crossed: a failure says
/// "critical at 90 %", not "warning at 80 %" (which read as the wrong rule).
fn threshold_crossed(thresholds: crate::domain::level::Thresholds, ratio: f64) -> String {
    if ratio >= thresholds.crit {
        format!("critical at {}", percent(thresholds.crit))
    } else {
        format!("warning at {}", percent(thresholds.warn))
    }
}

/// No firing critical alert; firing warnings are listed (a warning). Silenced and inhibited
/// alerts are someone's already.
pub(super) fn alerts(facts: &Facts) -> Outcome {
    gated(
        facts,
        SourceKind::Alertmanager,
        None,
        "Alertmanager",
        || {
            let mut findings = Findings::default();
            let mut quiet = 0;
            let mut alerts: Vec<_> = facts.estate.alerts.iter().collect();
            alerts.sort_by_key(|a| (a.severity, a.starts_at));
            for alert in alerts {
                if alert.state != AlertState::Active {
                    quiet += 1;
                    continue;
                }
                let status = match alert.severity {
                    Severity::Critical => Status::Fail,
                    Severity::Warning => Status::Warn,
                    _ => continue,
                };
                let place = alert
                    .label("namespace")
                    .map_or(String::new(), |ns| format!(" ({ns})"));
                let summary = if alert.summary.is_empty() {
                    String::new()
                } else {
                    format!(": {}", alert.summary)
                };
                findings.add(
                    status,
                    format!(
                        "{} `{}`{place} firing for {}{summary}",
                        alert.severity.word(),
                        alert.name,
                        human(alert.starts_at.age_at(facts.now))
                    ),
                );
                findings.jump(status, Panel::Alerts, alert.name.clone());
            }
            findings.finish(match quiet {
                0 => "no critical alert firing".into(),
                n => format!("{n} silenced or inhibited, not counted"),
            })
        },
    )
}

/// Every instance (or the one named) below its connection warning threshold.
pub(super) fn postgres(facts: &Facts, instance: Option<&str>) -> Outcome {
    if let Gate::Closed(outcome) = gate(facts, SourceKind::Postgres, instance, "PostgreSQL") {
        return outcome;
    }
    let mut findings = Findings::default();
    let mut fine = Vec::new();
    for pg in &facts.estate.postgres {
        if instance.is_some_and(|n| n != pg.name) {
            continue;
        }
        // Each instance is its own source: one unreachable fails on its own line.
        if let Gate::Closed(o) = gate(facts, SourceKind::Postgres, Some(&pg.name), "PostgreSQL") {
            findings.add(o.status, &o.evidence[0]);
            continue;
        }
        let ratio = pg.connection_ratio();
        let line = format!(
            "`{}` {}/{} connections ({}), {}",
            pg.name,
            pg.sessions.len(),
            pg.max_connections,
            percent(ratio),
            threshold_crossed(defaults::PG_CONNECTIONS, ratio)
        );
        match status_of(defaults::PG_CONNECTIONS.level(ratio)) {
            Some(status) => {
                findings.add(status, line);
                findings.jump(status, Panel::Databases, pg.name.clone());
            }
            None => fine.push(format!("`{}` {}", pg.name, percent(ratio))),
        }
    }
    findings.finish(if fine.is_empty() {
        String::new()
    } else {
        format!(
            "below {} of max_connections: {}",
            percent(defaults::PG_CONNECTIONS.warn),
            fine.join(", ")
        )
    })
}

/// Every Redis (or the one named) answering PING and below its memory warning threshold.
pub(super) fn redis(facts: &Facts, instance: Option<&str>) -> Outcome {
    if let Gate::Closed(outcome) = gate(facts, SourceKind::Redis, instance, "Redis") {
        return outcome;
    }
    let mut findings = Findings::default();
    let mut fine = Vec::new();
    for r in &facts.estate.redis {
        if instance.is_some_and(|n| n != r.name) {
            continue;
        }
        if let Gate::Closed(o) = gate(facts, SourceKind::Redis, Some(&r.name), "Redis") {
            findings.add(o.status, &o.evidence[0]);
            continue;
        }
        let pong = format!("`{}` PONG in {:.1} ms", r.name, r.ping_ms);
        match r.memory_ratio() {
            Some(ratio) => {
                let line = format!(
                    "{pong}, memory {} of {} ({}), {}",
                    crate::domain::time::format_bytes(r.used_memory),
                    crate::domain::time::format_bytes(r.maxmemory),
                    percent(ratio),
                    threshold_crossed(defaults::REDIS_MEMORY, ratio)
                );
                match status_of(defaults::REDIS_MEMORY.level(ratio)) {
                    Some(status) => {
                        findings.add(status, line);
                        findings.jump(status, Panel::Databases, r.name.clone());
                    }
                    None => fine.push(line),
                }
            }
            None => fine.push(format!("{pong}, no maxmemory set")),
        }
    }
    findings.finish(if fine.is_empty() {
        String::new()
    } else {
        fine.join("; ")
    })
}

/// Every set (or the one named) within its RPO, with its newest backup verified and passed.
pub(super) fn backups(facts: &Facts, set: Option<&str>) -> Outcome {
    gated(facts, SourceKind::Backups, None, "backup source", || {
        let mut findings = Findings::default();
        let mut fine = Vec::new();
        let mut matched = false;
        for b in &facts.estate.backups {
            if set.is_some_and(|n| n != b.name) {
                continue;
            }
            matched = true;
            let rpo = human(b.rpo_secs);
            let mut flag = |status: Status, text: String| {
                findings.add(status, text);
                findings.jump(status, Panel::Backups, b.name.clone());
            };
            if let Some(problem) = &b.problem {
                flag(
                    Status::Fail,
                    format!("backup set `{}` cannot be read: {problem}", b.name),
                );
                continue;
            }
            let Some(age) = b.age_secs(facts.now) else {
                flag(
                    Status::Fail,
                    format!("backup set `{}` has no complete backup, RPO {rpo}", b.name),
                );
                continue;
            };
            if !b.within_rpo(facts.now) {
                flag(
                    Status::Fail,
                    format!("backup `{}` is {} old, RPO {rpo}", b.name, human(age)),
                );
            }
            // Only a verification of the newest backup says the newest is good.
            match b.newest_verification() {
                Some(v) if !v.ok => flag(
                    Status::Fail,
                    format!(
                        "backup `{}`: last verification failed {} ago: {}",
                        b.name,
                        human(v.at.age_at(facts.now)),
                        v.detail
                    ),
                ),
                None => flag(
                    Status::Warn,
                    match b.earlier_verification() {
                        Some(v) => format!(
                            "backup `{}`: the newest was never verified (the previous one {} {} ago)",
                            b.name,
                            if v.ok {
                                "verified"
                            } else {
                                "failed verification"
                            },
                            human(v.at.age_at(facts.now))
                        ),
                        None => format!("backup `{}` was never verified", b.name),
                    },
                ),
                Some(_) if b.shrank() => flag(
                    Status::Warn,
                    format!(
                        "backup `{}`: the newest is less than half the size of the one before",
                        b.name
                    ),
                ),
                Some(v) if b.within_rpo(facts.now) => fine.push(format!(
                    "`{}` {} old (RPO {rpo}), verified {} ago",
                    b.name,
                    human(age),
                    human(v.at.age_at(facts.now))
                )),
                Some(_) => {}
            }
        }
        if let (Some(name), false) = (set, matched) {
            return Outcome::new(
                Status::Fail,
                format!("no backup set `{name}` is configured"),
            );
        }
        findings.finish(if fine.is_empty() {
            String::new()
        } else {
            fine.join("; ")
        })
    })
}
