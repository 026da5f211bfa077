//! The estate: what every source last reported, with each source's freshness. Applying a report
//! is the only way it changes; each collection carries a generation counter so that views can
//! cache their sorting and filtering and recompute only when their data changed.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{
    alert::{Alert, Silence},
    backup::BackupSet,
    database::{PgInstance, RedisInfo},
    freshness::Freshness,
    pod::PodStore,
    report::{Report, SourceId, SourceReport},
    workload::{NamespaceInfo, ServiceHealth, ServiceKpis, Workload},
};

/// Change counters, one per collection other than pods (which keep their own).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Generations {
    pub workloads: u64,
    pub namespaces: u64,
    pub nodes: u64,
    pub events: u64,
    pub alerts: u64,
    pub services: u64,
    pub databases: u64,
    pub backups: u64,
    pub sources: u64,
    pub jobs: u64,
    pub configs: u64,
}

#[derive(Debug, Default, Clone)]
pub struct Estate {
    pub pods: PodStore,
    /// Each kind's rows are grouped by cluster (context) in context order, each cluster's as
    /// it was reported (`super::cluster_row`).
    pub workloads: Vec<Workload>,
    pub namespaces: Vec<NamespaceInfo>,
    /// The cluster's nodes, by name.
    pub nodes: Vec<super::node::Node>,
    /// The HorizontalPodAutoscalers, joined onto their workloads in the Services panel.
    pub hpas: Vec<super::hpa::Hpa>,
    /// Each node's usage, `(millicores, bytes)`, from the metrics API while the Nodes panel
    /// is shown.
    pub node_usage: BTreeMap<(Arc<str>, String), (u32, u64)>,
    /// The cluster's events, the newest `[kubernetes] events_max`.
    pub events: super::events::EventStore,
    pub alerts: Vec<Alert>,
    pub silences: Vec<Silence>,
    /// Alerts no longer listed, remembered for a while, and how often alerts flap.
    pub alert_memory: super::alert_memory::AlertMemory,
    pub health: HashMap<String, ServiceHealth>,
    pub kpis: HashMap<String, ServiceKpis>,
    pub postgres: Vec<PgInstance>,
    pub redis: Vec<RedisInfo>,
    pub backups: Vec<BackupSet>,
    pub sources: BTreeMap<SourceId, Freshness>,
    /// ERROR lines in the workloads' logs, counted by the cockpit from the pods' logs.
    pub log_errors: super::LogErrorCounts,
    /// The same counted by Prometheus (`[logs] errors_query`), once it has answered: then
    /// these are the figures shown.
    pub queried_errors: Option<super::QueriedCounts>,
    /// Health checks that match no workload, sorted: rows of their own in the Services panel.
    pub standalone_checks: Vec<String>,
    /// A first list of the pods under way: the Pods panel says how far it has come (all the
    /// clusters' lists together; `pods_listings` has each one's).
    pub pods_listing: Option<super::ListProgress>,
    pub pods_listings: BTreeMap<Arc<str>, super::ListProgress>,
    /// What the clusters let this user read, when it is less than everything: every cluster's
    /// refusals together (`kube_access_by` has each one's).
    pub kube_access: super::report::KubeAccess,
    pub kube_access_by: BTreeMap<Arc<str>, super::report::KubeAccess>,
    /// Each Kubernetes source's context, interned: every row of that cluster shares it.
    pub contexts: BTreeMap<String, Arc<str>>,
    /// CronJobs and Jobs, each sorted by namespace and name.
    pub cronjobs: Vec<super::job::CronJob>,
    pub jobs: Vec<super::job::Job>,
    /// ConfigMaps and Secrets, by namespace and name.
    pub configs: Vec<super::configs::ConfigObject>,
    pub gens: Generations,
}

use super::cluster_row::replace_cluster;

/// What kind of change a report made, so the caller knows whether anything on screen may differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Data or the source's freshness changed: something on screen may differ.
    Data,
    /// A live source confirmed it is still live, or said again what the estate holds (no
    /// generation moved): nothing visible changed.
    Heartbeat,
}

impl Estate {
    /// Registers a source before it reports, so the status bar shows it as connecting.
    pub fn register_source(&mut self, source: SourceId, stale_after_secs: u64) {
        self.sources
            .entry(source)
            .or_insert_with(|| Freshness::new(stale_after_secs));
        self.gens.sources += 1;
    }

    pub fn apply(&mut self, report: SourceReport) -> Applied {
        let SourceReport { source, at, report } = report;
        let report = report.redacted();
        let context = match source.kind {
            super::SourceKind::Kubernetes => self.context_of(&source),
            _ => super::cluster_row::no_context(),
        };
        let freshness = match self.sources.get_mut(&source) {
            Some(f) => f,
            None => self
                .sources
                .entry(source.clone())
                .or_insert_with(|| Freshness::new(30)),
        };
        if let Report::Unreachable(reason) = report {
            freshness.mark_unreachable(reason);
            // A list cut short by the outage is listed again from the start.
            if self.pods_listings.remove(&context).is_some() {
                self.pods_listing = self.merged_listing();
            }
            self.gens.sources += 1;
            return Applied::Data;
        }
        if let Report::Relisting(reason) = report {
            freshness.mark_relisting(reason);
            self.gens.sources += 1;
            return Applied::Data;
        }
        // Was the source shown as live? If not, this report changes the status bar.
        let was_live = freshness.view(at) == super::FreshnessView::Live;
        freshness.mark_ok(at);
        if !was_live {
            self.gens.sources += 1;
        }
        // Polled sources send whole snapshots, mostly the same as the last: each arm moves a
        // generation only on a real change, and a report that moved none costs no frame.
        let before = self.generations();
        match report {
            Report::Alive | Report::Unreachable(_) | Report::Relisting(_) => {
                return if was_live {
                    Applied::Heartbeat
                } else {
                    Applied::Data
                };
            }
            Report::PodsReset(mut pods) => {
                pods.iter_mut()
                    .for_each(|p| p.key.context = context.clone());
                self.pods.reset_cluster(&context, pods)
            }
            Report::PodsListed(pods) => pods.into_iter().for_each(|mut p| {
                p.key.context = context.clone();
                self.pods.upsert(p)
            }),
            Report::PodsListing(progress) => {
                match progress {
                    Some(p) => self.pods_listings.insert(context.clone(), p),
                    None => self.pods_listings.remove(&context),
                };
                self.pods_listing = self.merged_listing();
                self.gens.sources += 1;
            }
            Report::PodUpsert(mut pod) => {
                pod.key.context = context.clone();
                self.pods.upsert(pod)
            }
            Report::PodDelete(mut key) => {
                key.context = context.clone();
                self.pods.delete(&key)
            }
            Report::PodUsage(mut usage) => {
                usage
                    .iter_mut()
                    .for_each(|(k, _, _)| k.context = context.clone());
                self.pods.set_usage(&usage)
            }
            Report::NodeUsage(usage) => {
                let mut all = std::mem::take(&mut self.node_usage);
                let before = all.clone();
                all.retain(|(c, _), _| *c != context);
                all.extend(
                    usage
                        .into_iter()
                        .map(|(n, c, m)| ((context.clone(), n), (c, m))),
                );
                if all != before {
                    self.gens.nodes += 1;
                }
                self.node_usage = all;
            }
            Report::Workloads(w) => {
                if replace_cluster(&mut self.workloads, &context, w) {
                    self.standalone_checks =
                        super::http_checks::standalone(&self.workloads, &self.health);
                    self.gens.workloads += 1;
                }
            }
            Report::Namespaces(mut ns) => {
                ns.sort_by(|a, b| a.name.cmp(&b.name));
                if replace_cluster(&mut self.namespaces, &context, ns) {
                    self.gens.namespaces += 1;
                    // Lockdown state is a column of the Services panel.
                    self.gens.workloads += 1;
                }
            }
            Report::Hpas(mut hpas) => {
                hpas.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
                if replace_cluster(&mut self.hpas, &context, hpas) {
                    // A column of the Services panel.
                    self.gens.workloads += 1;
                }
            }
            Report::Nodes(mut nodes) => {
                nodes.sort_by(|a, b| a.name.cmp(&b.name));
                if replace_cluster(&mut self.nodes, &context, nodes) {
                    self.gens.nodes += 1;
                }
            }
            Report::Configs(mut configs) => {
                configs.sort_by(|a, b| {
                    (&a.namespace, &a.name, a.kind).cmp(&(&b.namespace, &b.name, b.kind))
                });
                if replace_cluster(&mut self.configs, &context, configs) {
                    self.gens.configs += 1;
                }
            }
            Report::Events(events) if events.is_empty() => {}
            Report::Events(mut events) => {
                events.iter_mut().for_each(|e| e.context = context.clone());
                self.events.apply(events);
                self.gens.events += 1;
            }
            Report::Alerts(mut alerts) => {
                let (previous, others) = std::mem::take(&mut self.alerts)
                    .into_iter()
                    .partition::<Vec<_>, _>(|a| a.source == source.name);
                let memory = self.alert_memory.remembered();
                self.alert_memory.observe(&previous, &mut alerts, at);
                // Same alerts in the same order, nothing newly resolved or re-fired.
                let changed = previous != alerts || self.alert_memory.remembered() != memory;
                self.alerts = others;
                self.alerts.extend(alerts);
                if changed {
                    self.gens.alerts += 1;
                }
            }
            Report::Silences(silences) => {
                let (previous, others) = std::mem::take(&mut self.silences)
                    .into_iter()
                    .partition::<Vec<_>, _>(|s| s.source == source.name);
                let changed = previous != silences;
                self.silences = others;
                self.silences.extend(silences);
                if changed {
                    self.gens.alerts += 1;
                }
            }
            Report::Health(checks) => {
                if checks
                    .iter()
                    .any(|h| self.health.get(&h.service) != Some(h))
                {
                    self.health
                        .extend(checks.into_iter().map(|h| (h.service.clone(), h)));
                    self.standalone_checks =
                        super::http_checks::standalone(&self.workloads, &self.health);
                    self.gens.services += 1;
                    self.gens.workloads += 1;
                }
            }
            Report::QueriedLogErrors(answer) => {
                let before = self.queried_errors.clone();
                self.queried_errors
                    .get_or_insert_default()
                    .record(answer, at);
                if self.queried_errors != before {
                    self.gens.workloads += 1;
                }
            }
            Report::Kpis(kpis) => {
                if kpis.iter().any(|k| self.kpis.get(&k.service) != Some(k)) {
                    self.kpis
                        .extend(kpis.into_iter().map(|k| (k.service.clone(), k)));
                    self.gens.services += 1;
                    self.gens.workloads += 1;
                }
            }
            Report::Postgres(instance) => {
                if replace_by_name(&mut self.postgres, instance, |i| &i.name) {
                    self.gens.databases += 1;
                }
            }
            Report::Redis(info) => {
                if replace_by_name(&mut self.redis, info, |r| &r.name) {
                    self.gens.databases += 1;
                }
            }
            Report::Backups(sets) => {
                let mut changed = false;
                for set in sets {
                    changed |= replace_by_name(&mut self.backups, set, |s| &s.name);
                }
                if changed {
                    self.gens.backups += 1;
                }
            }
            Report::KubeAccess(access) => {
                self.kube_access_by.insert(context.clone(), access);
                self.kube_access = self.merged_access();
                self.gens.sources += 1;
            }
            Report::CronJobs(mut cronjobs) => {
                cronjobs.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
                if replace_cluster(&mut self.cronjobs, &context, cronjobs) {
                    self.gens.jobs += 1;
                }
            }
            Report::Jobs(mut jobs) => {
                jobs.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
                if replace_cluster(&mut self.jobs, &context, jobs) {
                    self.gens.jobs += 1;
                }
            }
        }
        if was_live && self.generations() == before {
            Applied::Heartbeat
        } else {
            Applied::Data
        }
    }

    /// Every change counter, the pods' included: equal before and after a report when it
    /// changed nothing.
    fn generations(&self) -> (Generations, u64, u64) {
        (
            self.gens,
            self.pods.membership_generation(),
            self.pods.content_generation(),
        )
    }
}

/// Puts `item` in place of the one of the same name; whether anything changed.
fn replace_by_name<T: PartialEq>(
    items: &mut Vec<T>,
    item: T,
    name: impl Fn(&T) -> &String,
) -> bool {
    match items.iter_mut().find(|i| name(i) == name(&item)) {
        Some(slot) if *slot == item => false,
        Some(slot) => {
            *slot = item;
            true
        }
        None => {
            items.push(item);
            true
        }
    }
}

mod clusters;
mod lookups;

#[cfg(test)]
mod tests;
