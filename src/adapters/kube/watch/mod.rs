//! The watching task: one stream per watch (pods and events as deltas, reflectors for what is
//! joined into workloads and namespaces), merged and turned into the cockpit's reports. The
//! first report waits until everything has been listed once (`pods.rs`).

mod failures;
mod kept;
mod pods;
mod progress;
mod usage;

use failures::{failure, forbidden};

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;

use super::Reporter;
use super::convert::{Interner, Usage};
use super::metrics::{self, Metrics};
use super::slim::SlimPod as Pod;
use crate::config::KubernetesConfig;
use crate::domain::{PodKey, Report};

/// Changes to the kept kinds (workloads, namespaces, ...) are gathered for this long before a
/// report.
const FLUSH_EVERY: Duration = Duration::from_millis(200);

enum Update {
    Pod(usize, Box<watcher::Event<Pod>>),
    Event(Box<watcher::Event<CoreEvent>>),
    /// A reflector's store changed (its group's index in `kept::KINDS`); `ready` once its
    /// first list is complete.
    Changed {
        group: usize,
        stream: usize,
        ready: bool,
    },
    Failed(String),
    /// The API server refused the credentials (401): log in again.
    Unauthorized(String),
    /// This user may not read `kind` (403): the rest goes on without it. A reflector's stream
    /// is no longer waited for.
    NotPermitted {
        kind: String,
        stream: Option<(usize, usize)>,
    },
    /// A watch got 410 Gone and lists again at once: the server answers, this is no outage.
    Relisting(String),
    /// The server's estimate of a scope's pods, for the first list's progress.
    Estimate(usize, Option<usize>),
}

/// A watcher's item, with a 410 Gone taken out of its errors. After an API server restart (or
/// a long pause) a watch's resource version is too old: the watcher has already reset itself
/// and lists again on its next poll. Kept an error, it would read as "unreachable" and make
/// the backoff wait up to 30 s before that relist.
enum Step<K> {
    Event(watcher::Event<K>),
    Relist(String),
}

/// A watch, with 410s as `Step::Relist` and every other error backed off.
fn watched<K>(api: Api<K>) -> impl futures::Stream<Item = Result<Step<K>, watcher::Error>> + Send
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    watcher(api, watcher::Config::default())
        .map(|item| match item {
            Ok(event) => Ok(Step::Event(event)),
            Err(watcher::Error::WatchError(status)) if status.code == 410 => {
                Ok(Step::Relist(format!("410 Gone: {}", status.message)))
            }
            Err(e) => Err(e),
        })
        .default_backoff()
}

/// Where each watch looks: the whole cluster, or each configured namespace.
fn api<K>(client: &Client, scope: &Option<String>) -> Api<K>
where
    K: Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match scope {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

pub(super) struct Watch {
    client: Client,
    scopes: Vec<Option<String>>,
    reporter: Reporter,
    refresh: Duration,
    streams: Vec<BoxStream<'static, Update>>,
    /// The kept kinds' groups (`kept::KINDS`), the reflector streams of each whose first
    /// list is not complete, and which changed since their last report.
    kept: Vec<Box<dyn kept::Kept>>,
    pending: Vec<HashSet<usize>>,
    dirty: Vec<bool>,
    strings: Interner,
    usage: HashMap<PodKey, Usage>,
    /// Pods listed so far in the current (re)list of each scope, and the keys each scope has.
    listing: Vec<Vec<crate::domain::Pod>>,
    known: Vec<HashSet<PodKey>>,
    events: Vec<crate::domain::K8sEvent>,
    /// `[kubernetes] events_max`: the most events passed on from a list.
    events_max: usize,
    failing: Option<String>,
    /// A watch is listing again after a 410 (why): no `Alive` until a list completes, so the
    /// cockpit shows relisting until there is data again.
    relisting: Option<String>,
    /// The first report has gone: every scope's pods listed, workloads and namespaces too.
    synced: bool,
    /// Each scope's first list, held until all are complete.
    first_lists: Vec<Option<Vec<crate::domain::Pod>>>,
    events_listed: bool,
    metrics_missing: bool,
    /// Whether a panel that shows pod usage is open; usage is polled only then.
    metrics_wanted: tokio::sync::watch::Receiver<crate::domain::node::MetricsDemand>,
    metrics_every: Duration,
    /// When usage was last asked for, and whose (pods', nodes'): a panel that shows what the
    /// last poll did not read is served at once, not at the next interval.
    metrics_polled: Option<std::time::Instant>,
    polled_for: crate::domain::node::MetricsDemand,
    /// Each scope's estimated pods, and how many listed pods were last shown (`progress.rs`).
    estimates: Vec<Option<usize>>,
    progress_shown: usize,
    /// How many of the scope's pods listed so far have gone to the cockpit (`progress.rs`).
    listing_shown: usize,
    /// Whether the first page of the first pod list has been logged (`pods.rs`).
    first_page_logged: bool,
    /// What this user may not read, and the pods' scope when it is not the whole cluster;
    /// and what the cockpit was last told of it.
    pub(super) access: crate::domain::report::KubeAccess,
    access_sent: Option<crate::domain::report::KubeAccess>,
}

impl Watch {
    pub(super) fn new(
        client: Client,
        cfg: &KubernetesConfig,
        reporter: Reporter,
        refresh: Duration,
        metrics_wanted: tokio::sync::watch::Receiver<crate::domain::node::MetricsDemand>,
    ) -> Watch {
        let scopes: Vec<Option<String>> = if cfg.namespaces.is_empty() {
            vec![None]
        } else {
            cfg.namespaces.iter().cloned().map(Some).collect()
        };
        let mut watch = Watch {
            client,
            listing: vec![Vec::new(); scopes.len()],
            known: vec![HashSet::new(); scopes.len()],
            scopes,
            reporter,
            refresh,
            streams: Vec::new(),
            kept: Vec::new(),
            pending: Vec::new(),
            dirty: Vec::new(),
            strings: Interner::default(),
            usage: HashMap::new(),
            events: Vec::new(),
            events_max: cfg.events_max(),
            failing: None,
            relisting: None,
            synced: false,
            first_lists: Vec::new(),
            events_listed: false,
            metrics_missing: false,
            metrics_wanted,
            metrics_every: cfg.metrics_interval.unwrap_or(metrics::DEFAULT_INTERVAL),
            metrics_polled: None,
            polled_for: Default::default(),
            estimates: Vec::new(),
            progress_shown: 0,
            listing_shown: 0,
            first_page_logged: false,
            access: Default::default(),
            access_sent: None,
        };
        watch.estimates = vec![None; watch.scopes.len()];
        watch.first_lists = vec![None; watch.scopes.len()];
        watch.open_streams();
        watch
    }

    fn open_streams(&mut self) {
        for (i, scope) in self.scopes.clone().iter().enumerate() {
            let pods = watched(api::<Pod>(&self.client, scope))
                .map(move |e| match e {
                    Ok(Step::Event(event)) => Update::Pod(i, Box::new(event)),
                    Ok(Step::Relist(why)) => Update::Relisting(why),
                    Err(e) => failure(&e),
                })
                .boxed();
            self.streams.push(pods);
            self.streams
                .push(progress::estimate(i, api::<Pod>(&self.client, scope)));
            let events = watched(api::<CoreEvent>(&self.client, scope))
                .map(|e| match e {
                    Ok(Step::Event(event)) => Update::Event(Box::new(event)),
                    Ok(Step::Relist(why)) => Update::Relisting(why),
                    Err(e) if forbidden(&e) => Update::NotPermitted {
                        kind: crate::domain::kube_access::EVENTS.into(),
                        stream: None,
                    },
                    Err(e) => failure(&e),
                })
                .boxed();
            self.streams.push(events);
        }
        for (group, open) in kept::KINDS.iter().enumerate() {
            let mut pending = HashSet::new();
            let mut opener = kept::Opener {
                client: &self.client,
                scopes: &self.scopes,
                group,
                streams: &mut self.streams,
                pending: &mut pending,
            };
            self.kept.push(open(&mut opener));
            self.pending.push(pending);
            self.dirty.push(false);
        }
    }

    /// Watches until the cockpit goes (false) or the credentials are refused (true: the
    /// caller logs in again).
    pub(super) async fn run(mut self) -> bool {
        // Each stream runs on its own task. Driven from this loop, a stream's request could hold
        // the client's exec-token lock (taken while the plugin runs) while the loop awaited a
        // metrics request that needs the same lock: both stalled until the metrics deadline,
        // for the whole last minute of every token's life. The set aborts them on return.
        let (tx, mut updates) = tokio::sync::mpsc::channel(1024);
        let mut tasks = tokio::task::JoinSet::new();
        for mut stream in std::mem::take(&mut self.streams) {
            let tx = tx.clone();
            tasks.spawn(async move {
                while let Some(update) = stream.next().await {
                    if tx.send(update).await.is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut flush = tokio::time::interval(FLUSH_EVERY);
        let mut first_sight = tokio::time::interval(progress::SHOW_EVERY);
        let mut alive = tokio::time::interval(self.refresh.max(Duration::from_secs(1)));
        let mut demand = self.metrics_wanted.clone();
        let mut demand_open = true;
        loop {
            let now_wanted = *demand.borrow();
            let last = match (now_wanted.pods && !self.polled_for.pods)
                || (now_wanted.nodes && !self.polled_for.nodes)
            {
                true => None,
                false => self.metrics_polled,
            };
            let wanted =
                now_wanted.any() && !self.metrics_missing && self.synced && self.failing.is_none();
            let poll_due = metrics::next_poll(wanted, last, self.metrics_every);
            let ok = tokio::select! {
                // What the streams hold first: a page's objects are taken whole before a tick
                // shows the pods listed so far (`progress.rs`), so a part ends at a page.
                biased;
                update = updates.recv() => match update {
                    Some(Update::Unauthorized(reason)) => {
                        let reason = format!("{reason}; logging in again");
                        tracing::info!("kubernetes: {reason}");
                        // After serving its watches, a login has expired (a token judged by the
                        // server's clock, which may run minutes ahead of ours, before our client
                        // thought to renew it): the server answers, the data stays, shown as
                        // relisting while the new login lists again. Refused before anything was
                        // listed, the credential is no good: that is an outage.
                        let report = match self.synced {
                            true => Report::Relisting(reason),
                            false => Report::Unreachable(reason),
                        };
                        return self.reporter.send(report).await;
                    }
                    Some(update) => self.on_update(update).await,
                    None => return false,
                },
                _ = flush.tick() => self.flush().await,
                _ = first_sight.tick(), if !self.synced => self.show_progress().await,
                // Quiet watches are still live; say so, once there is something to show.
                _ = alive.tick() => self.failing.is_some()
                    || self.relisting.is_some()
                    || !self.synced
                    || self.reporter.send(Report::Alive).await,
                // A panel with usage opened or closed: the loop works out the next poll again.
                changed = demand.changed(), if demand_open => {
                    demand_open = changed.is_ok();
                    true
                }
                _ = sleep_until(poll_due) => {
                    match self.poll_metrics().await {
                        Ok(reports) => {
                            let mut open = true;
                            for report in reports {
                                open = open && self.reporter.send(report).await;
                            }
                            open
                        }
                        Err(Metrics::Missing) => {
                            tracing::info!("no metrics.k8s.io on this cluster: pod CPU and memory show n/a");
                            self.metrics_missing = true;
                            true
                        }
                        Err(Metrics::Failed) => true,
                        Err(Metrics::NotPermitted) => {
                            self.not_permitted(crate::domain::kube_access::METRICS.into(), None);
                            true
                        }
                    }
                }
            };
            if !ok || !self.send_access().await {
                return false;
            }
        }
    }

    /// False when the cockpit has gone.
    async fn on_update(&mut self, update: Update) -> bool {
        if !matches!(update, Update::Failed(_) | Update::NotPermitted { .. }) {
            self.failing = None;
        }
        match update {
            // Taken by `run`, which ends the watch for a new login.
            Update::Unauthorized(_) => true,
            Update::NotPermitted { kind, stream } => {
                self.not_permitted(kind, stream);
                self.try_sync().await
            }
            Update::Relisting(reason) => {
                if self.relisting.is_some() {
                    return true;
                }
                self.relisting = Some(reason.clone());
                self.reporter.send(Report::Relisting(reason)).await
            }
            Update::Failed(reason) => {
                if self.failing.as_ref() == Some(&reason) {
                    return true;
                }
                self.failing = Some(reason.clone());
                self.reporter.send(Report::Unreachable(reason)).await
            }
            Update::Changed {
                group,
                stream,
                ready,
            } => {
                if ready {
                    self.relisting = None;
                    self.pending[group].remove(&stream);
                }
                self.dirty[group] = true;
                !ready || self.try_sync().await
            }
            Update::Pod(scope, event) => self.on_pod(scope, *event).await,
            Update::Estimate(scope, estimate) => {
                self.estimates[scope] = estimate;
                true
            }
            Update::Event(event) => self.on_event(*event).await,
        }
    }

    /// Sends the kept kinds that changed, each once its first lists are complete.
    async fn flush(&mut self) -> bool {
        // Nothing from the stores while a watch is failing: a report would mark the source live.
        if !self.synced || self.failing.is_some() {
            return true;
        }
        for group in 0..self.kept.len() {
            if self.dirty[group] && self.pending[group].is_empty() {
                self.dirty[group] = false;
                if !self.reporter.send(self.kept[group].report()).await {
                    return false;
                }
            }
        }
        true
    }

    /// Whether every group the first report waits for has its first lists.
    fn first_kinds_listed(&self) -> bool {
        self.kept
            .iter()
            .zip(&self.pending)
            .all(|(kept, pending)| !kept.needed_first() || pending.is_empty())
    }
}

async fn sleep_until(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
