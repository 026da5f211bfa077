//! Per-area summaries for the Overview tiles and the panel tabs: counts and the worst state.
//! Counting 100,000 pods is not free, so summaries are recomputed when the estate changes, not
//! on every frame.

use super::summary_pods::{Contexts, counted, pods};
use crate::domain::{AlertState, Estate, Level, Severity, SourceKind, UnixTime, level::Thresholds};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodSummary {
    pub total: usize,
    pub running: usize,
    pub pending: usize,
    pub crash_looping: usize,
    pub failed: usize,
    pub not_ready: usize,
    /// Pods that restarted within the last hour.
    pub restarted_recently: usize,
    /// Pods per namespace with the namespace's worst pod state, worst first.
    pub by_namespace: Vec<(String, usize, Level)>,
    /// Pods per cluster (context) with its worst pod state, in context order: the Overview
    /// names each cluster while several are watched.
    pub by_cluster: Vec<(String, usize, Level)>,
    /// The worst pods that are not ok, worst then most restarted first (at most
    /// `WORST_PODS`), for a tile with room to name them.
    pub worst_pods: Vec<WorstPod>,
    pub level: Level,
}

/// How many pods the Overview may name.
pub const WORST_PODS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct WorstPod {
    pub namespace: String,
    pub name: String,
    pub status: String,
    /// Ready and all containers.
    pub ready: (u8, u8),
    pub restarts: u32,
    pub level: Level,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceSummary {
    pub workloads: usize,
    pub fully_ready: usize,
    pub rolling_out: Vec<String>,
    pub health_up: usize,
    pub health_down: Vec<String>,
    /// The worst p95 (ms) and its service, with the thresholds it is judged by.
    pub worst_p95: Option<(String, f64, Thresholds)>,
    pub worst_error_rate: Option<(String, f64, Thresholds)>,
    pub locked_namespaces: Vec<String>,
    /// Workloads not fully ready, worst first: (name, ready, desired, level).
    pub troubled: Vec<(String, u32, u32, Level)>,
    pub level: Level,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertSummary {
    pub critical: usize,
    pub warning: usize,
    pub info: usize,
    pub silenced: usize,
    /// Alerts no longer listed, remembered as resolved; not counted in the others.
    pub resolved: usize,
    pub level: Level,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub pods: PodSummary,
    pub services: ServiceSummary,
    pub alerts: AlertSummary,
    pub databases: Level,
    pub backups: Level,
    /// The namespace the view filter chose: pods and workloads of the others are not counted.
    namespace: Option<String>,
    /// The clusters `:ctx` chose (`None`: all): the others' pods and workloads are not counted.
    contexts: Option<std::collections::BTreeSet<String>>,
    key: Option<SummaryKey>,
}

#[derive(Debug, Clone, PartialEq)]
struct SummaryKey {
    pods: (u64, u64),
    gens: crate::domain::estate::Generations,
    /// Ages (restarts within the hour, backups against RPO) move with the clock; a minute's
    /// resolution is enough for counts.
    minute: i64,
}

impl Summary {
    /// Counts only `namespace`'s pods and workloads from the next refresh on (`None`: all).
    pub fn set_contexts(&mut self, contexts: Option<&std::collections::BTreeSet<String>>) {
        if self.contexts.as_ref() != contexts {
            self.contexts = contexts.cloned();
            self.key = None;
        }
    }

    pub fn set_namespace(&mut self, namespace: Option<&str>) {
        if self.namespace.as_deref() != namespace {
            self.namespace = namespace.map(String::from);
            self.key = None;
        }
    }

    /// Recomputes everything at the next refresh.
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// Recomputes what changed since the last call.
    pub fn refresh(&mut self, estate: &Estate, now: UnixTime) {
        let key = SummaryKey {
            pods: (
                estate.pods.membership_generation(),
                estate.pods.content_generation(),
            ),
            gens: estate.gens,
            minute: now.0 / 60,
        };
        let Some(old) = self.key.take() else {
            self.recompute_all(estate, now);
            self.key = Some(key);
            return;
        };
        if old.pods != key.pods || old.minute != key.minute {
            self.pods = pods(
                estate,
                now,
                self.namespace.as_deref(),
                self.contexts.as_ref(),
            );
        }
        if old.gens.workloads != key.gens.workloads || old.gens.services != key.gens.services {
            self.services = services(estate, self.namespace.as_deref(), self.contexts.as_ref());
        }
        if old.gens.alerts != key.gens.alerts {
            self.alerts = alerts(estate);
        }
        // Database and backup levels depend on ages; they are small, so always recompute.
        self.databases = databases(estate, now);
        self.backups = Level::worst(estate.backups.iter().map(|b| b.level(now)));
        self.key = Some(key);
    }

    fn recompute_all(&mut self, estate: &Estate, now: UnixTime) {
        self.pods = pods(
            estate,
            now,
            self.namespace.as_deref(),
            self.contexts.as_ref(),
        );
        self.services = services(estate, self.namespace.as_deref(), self.contexts.as_ref());
        self.alerts = alerts(estate);
        self.databases = databases(estate, now);
        self.backups = Level::worst(estate.backups.iter().map(|b| b.level(now)));
    }

    /// The worst state of an area including its sources' freshness: data from an unreachable
    /// source is not ok.
    pub fn level_with_freshness(
        &self,
        estate: &Estate,
        kinds: &[SourceKind],
        level: Level,
        now: UnixTime,
    ) -> Level {
        let freshness = kinds
            .iter()
            .filter_map(|k| estate.freshness_of(*k, now))
            .map(|f| f.level())
            .max()
            .unwrap_or(Level::Ok);
        level.max(freshness)
    }
}

fn services(
    estate: &Estate,
    namespace: Option<&str>,
    contexts: Option<&Contexts>,
) -> ServiceSummary {
    let mut s = ServiceSummary::default();
    let mut levels = Vec::new();
    let shown = estate
        .workloads
        .iter()
        .filter(|w| counted(contexts, &w.context))
        .filter(|w| namespace.is_none_or(|ns| w.namespace == ns));
    // With several clusters, a name alone does not say which one's workload it is.
    let several = estate.kube_contexts().nth(1).is_some();
    for w in shown {
        let name = match several {
            true => format!("{} {}", w.context, w.name),
            false => w.name.clone(),
        };
        s.workloads += 1;
        if w.ready >= w.desired {
            s.fully_ready += 1;
        } else {
            s.troubled
                .push((name.clone(), w.ready, w.desired, w.level()));
        }
        if w.rollout_in_progress() {
            s.rolling_out.push(name);
        }
        levels.push(w.level());
        if let Some(h) = estate.health_for(w) {
            if h.up {
                s.health_up += 1;
            } else {
                s.health_down.push(w.name.clone());
                levels.push(Level::Crit);
            }
        }
        if let Some(k) = estate.kpis_for(w) {
            if let Some(p95) = k.p95_ms {
                levels.push(k.p95_thresholds.level(p95));
                if s.worst_p95.as_ref().is_none_or(|(_, v, _)| p95 > *v) {
                    s.worst_p95 = Some((w.name.clone(), p95, k.p95_thresholds));
                }
            }
            if let Some(e) = k.error_rate {
                levels.push(k.error_thresholds.level(e));
                if s.worst_error_rate.as_ref().is_none_or(|(_, v, _)| e > *v) {
                    s.worst_error_rate = Some((w.name.clone(), e, k.error_thresholds));
                }
            }
        }
    }
    // Checks of services outside the cluster count as much as those of workloads.
    for name in &estate.standalone_checks {
        let Some(h) = estate.health.get(name) else {
            continue;
        };
        // As in the Services table: a check of another namespace, or of none, is not shown.
        if namespace.is_some() && crate::domain::http_checks::split(name).0 != namespace {
            continue;
        }
        if h.up {
            s.health_up += 1;
        } else {
            s.health_down.push(name.clone());
            levels.push(Level::Crit);
        }
    }
    s.troubled
        .sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    s.locked_namespaces = estate
        .namespaces
        .iter()
        .filter(|n| n.locked_down && namespace.is_none_or(|ns| n.name == ns))
        .map(|n| n.name.clone())
        .collect();
    if !s.locked_namespaces.is_empty() {
        levels.push(Level::Warn);
    }
    s.level = Level::worst(levels);
    s
}

fn alerts(estate: &Estate) -> AlertSummary {
    let mut s = AlertSummary::default();
    for a in &estate.alerts {
        if a.state != AlertState::Active {
            s.silenced += 1;
            continue;
        }
        match a.severity {
            Severity::Critical => s.critical += 1,
            Severity::Warning => s.warning += 1,
            Severity::Info | Severity::None => s.info += 1,
        }
    }
    s.resolved = estate.alert_memory.resolved.len();
    s.level = Level::worst(estate.alerts.iter().map(|a| a.level()));
    s
}

fn databases(estate: &Estate, now: UnixTime) -> Level {
    Level::worst(
        estate
            .postgres
            .iter()
            .map(|p| p.level(now))
            .chain(estate.redis.iter().map(|r| r.level())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Report, ServiceHealth, SourceId, SourceKind, SourceReport};

    /// A service outside the cluster that is down makes the Services tile critical and is
    /// named there, as a workload's check would be; it was left out.
    #[test]
    fn checks_outside_the_cluster_count_in_the_services_summary() {
        let mut estate = Estate::default();
        let check = |service: &str, up: bool| ServiceHealth {
            service: service.into(),
            url: "http://moqui.internal/health".into(),
            up,
            status_code: Some(if up { 200 } else { 503 }),
            latency_ms: 3,
            last_error: None,
            checked_at: UnixTime(10),
        };
        estate.apply(SourceReport {
            source: SourceId::new(SourceKind::Health, "checks"),
            at: UnixTime(10),
            report: Report::Health(vec![check("moqui-server", false), check("erp", true)]),
        });
        let mut summary = Summary::default();
        summary.refresh(&estate, UnixTime(10));
        assert_eq!(summary.services.health_up, 1);
        assert_eq!(summary.services.health_down, ["moqui-server"]);
        assert_eq!(summary.services.level, Level::Crit);
    }
}
