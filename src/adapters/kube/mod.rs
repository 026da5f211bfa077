//! Kubernetes, through kube-rs: watches (not polling) of pods, deployments, statefulsets,
//! replicasets, namespaces, network policies and events, turned into the cockpit's reports;
//! pod usage from metrics.k8s.io when the cluster has it; and the executor for workload, pod
//! and namespace actions (`actions.rs`). Watches restart with backoff and relist after a 410;
//! while the API server cannot be reached the source shows unreachable with the reason.

pub mod actions;
pub mod convert;
pub mod logs;
pub mod slim;
pub mod switch;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Event as CoreEvent, Namespace};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::Reporter;
use crate::config::KubernetesConfig;
use crate::domain::{NamespaceInfo, PodKey, Report, SourceId, SourceKind, SourceReport};
use convert::{Interner, Usage};
use slim::SlimPod as Pod;

pub use actions::KubeExecutor;
pub use switch::Cluster;

/// The source's name when running inside a pod with no kubeconfig.
pub const IN_CLUSTER: &str = "in-cluster";
/// How many events the first list passes on (the newest).
const INITIAL_EVENTS: usize = 100;
/// Workload and namespace changes are gathered for this long before a report.
const FLUSH_EVERY: Duration = Duration::from_millis(200);

/// The context the adapter will use, for the header and the source's name: the configured
/// one, else the kubeconfig's current context, else in-cluster.
pub fn context_name(cfg: &KubernetesConfig) -> String {
    if let Some(context) = &cfg.context {
        return context.clone();
    }
    let kubeconfig = match &cfg.kubeconfig {
        Some(path) => kube::config::Kubeconfig::read_from(path).ok(),
        None => kube::config::Kubeconfig::read().ok(),
    };
    kubeconfig
        .and_then(|k| k.current_context)
        .unwrap_or_else(|| IN_CLUSTER.into())
}

/// A client for the configured cluster. Errors are for the operator: which file, which context.
pub async fn client(cfg: &KubernetesConfig) -> Result<Client, String> {
    let options = kube::config::KubeConfigOptions {
        context: cfg.context.clone(),
        ..Default::default()
    };
    if let Some(url) = &cfg.server_url {
        let uri = url
            .parse()
            .map_err(|e| format!("bad API server URL {url}: {e}"))?;
        return Client::try_from(kube::Config::new(uri))
            .map_err(|e| format!("cannot make a client: {e}"));
    }
    let mut config = match &cfg.kubeconfig {
        Some(path) => {
            let kubeconfig = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        None if cfg.context.is_some() => kube::Config::from_kubeconfig(&options)
            .await
            .map_err(|e| format!("kubeconfig: {e}"))?,
        None => kube::Config::infer()
            .await
            .map_err(|e| format!("no kubeconfig found and not inside a cluster: {e}"))?,
    };
    config.connect_timeout = Some(Duration::from_secs(5));
    Client::try_from(config).map_err(|e| format!("cannot make a client: {e}"))
}

/// Starts watching; returns the executor for the actions on this cluster.
pub fn spawn(
    cfg: KubernetesConfig,
    source_name: String,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
) -> KubeExecutor {
    let reporter = Reporter::new(SourceId::new(SourceKind::Kubernetes, source_name), tx);
    tokio::spawn(run(cfg.clone(), refresh, reporter));
    KubeExecutor::new(cfg)
}

async fn run(cfg: KubernetesConfig, refresh: Duration, reporter: Reporter) {
    let mut backoff = Duration::from_secs(1);
    let client = loop {
        match client(&cfg).await {
            Ok(c) => break c,
            Err(reason) => {
                if !reporter.send(Report::Unreachable(reason)).await {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff = super::next_backoff(backoff);
            }
        }
    };
    Watch::new(client, &cfg, reporter, refresh).run().await;
}

/// Which report a reflector's change feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Group {
    Workloads,
    Namespaces,
}

enum Update {
    Pod(usize, Box<watcher::Event<Pod>>),
    Event(Box<watcher::Event<CoreEvent>>),
    /// A reflector's store changed; `ready` once its first list is complete.
    Changed {
        group: Group,
        stream: usize,
        ready: bool,
    },
    Failed(String),
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

fn describe(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(e) | watcher::Error::WatchStartFailed(e) => {
            super::kube::actions::describe(e)
        }
        watcher::Error::WatchFailed(e) => super::kube::actions::describe(e),
        other => other.to_string(),
    }
}

/// A reflector as a stream of `Changed` updates.
fn reflected<K>(
    store: reflector::store::Writer<K>,
    api: Api<K>,
    group: Group,
    stream: usize,
) -> BoxStream<'static, Update>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone + Default,
{
    reflector::reflector(
        store,
        watcher(api, watcher::Config::default()).default_backoff(),
    )
    .map(move |event| match event {
        Ok(watcher::Event::InitDone) => Update::Changed {
            group,
            stream,
            ready: true,
        },
        Ok(_) => Update::Changed {
            group,
            stream,
            ready: false,
        },
        Err(e) => Update::Failed(describe(&e)),
    })
    .boxed()
}

struct Watch {
    client: Client,
    scopes: Vec<Option<String>>,
    reporter: Reporter,
    refresh: Duration,
    streams: Vec<BoxStream<'static, Update>>,
    deployments: Vec<Store<Deployment>>,
    replica_sets: Vec<Store<ReplicaSet>>,
    stateful_sets: Vec<Store<StatefulSet>>,
    namespaces: Option<Store<Namespace>>,
    policies: Vec<Store<NetworkPolicy>>,
    /// Reflector streams whose first list is not complete, per group.
    pending: HashMap<Group, HashSet<usize>>,
    dirty: HashSet<Group>,
    strings: Interner,
    usage: HashMap<PodKey, Usage>,
    /// Pods listed so far in the current (re)list of each scope, and the keys each scope has.
    listing: Vec<Vec<crate::domain::Pod>>,
    known: Vec<HashSet<PodKey>>,
    events: Vec<crate::domain::K8sEvent>,
    failing: Option<String>,
    /// The first report has gone: every scope's pods listed, workloads and namespaces too.
    synced: bool,
    /// Each scope's first list, held until all are complete.
    first_lists: Vec<Option<Vec<crate::domain::Pod>>>,
    events_listed: bool,
    metrics_missing: bool,
}

impl Watch {
    fn new(client: Client, cfg: &KubernetesConfig, reporter: Reporter, refresh: Duration) -> Watch {
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
            deployments: Vec::new(),
            replica_sets: Vec::new(),
            stateful_sets: Vec::new(),
            namespaces: None,
            policies: Vec::new(),
            pending: HashMap::new(),
            dirty: HashSet::new(),
            strings: Interner::default(),
            usage: HashMap::new(),
            events: Vec::new(),
            failing: None,
            synced: false,
            first_lists: Vec::new(),
            events_listed: false,
            metrics_missing: false,
        };
        watch.first_lists = vec![None; watch.scopes.len()];
        watch.open_streams();
        watch
    }

    fn reflect<K>(&mut self, api: Api<K>, group: Group) -> Store<K>
    where
        K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
        K::DynamicType: Eq + std::hash::Hash + Clone + Default,
    {
        let (store, writer) = reflector::store();
        let id = self.streams.len();
        self.pending.entry(group).or_default().insert(id);
        self.streams.push(reflected(writer, api, group, id));
        store
    }

    fn open_streams(&mut self) {
        for (i, scope) in self.scopes.clone().iter().enumerate() {
            let pods = watcher(api::<Pod>(&self.client, scope), watcher::Config::default())
                .default_backoff()
                .map(move |e| match e {
                    Ok(event) => Update::Pod(i, Box::new(event)),
                    Err(e) => Update::Failed(describe(&e)),
                })
                .boxed();
            self.streams.push(pods);
            let events = watcher(
                api::<CoreEvent>(&self.client, scope),
                watcher::Config::default(),
            )
            .default_backoff()
            .map(|e| match e {
                Ok(event) => Update::Event(Box::new(event)),
                Err(e) => Update::Failed(describe(&e)),
            })
            .boxed();
            self.streams.push(events);
            let s = self.reflect(api::<Deployment>(&self.client, scope), Group::Workloads);
            self.deployments.push(s);
            let s = self.reflect(api::<ReplicaSet>(&self.client, scope), Group::Workloads);
            self.replica_sets.push(s);
            let s = self.reflect(api::<StatefulSet>(&self.client, scope), Group::Workloads);
            self.stateful_sets.push(s);
            let s = self.reflect(api::<NetworkPolicy>(&self.client, scope), Group::Namespaces);
            self.policies.push(s);
        }
        if self.scopes == [None] {
            let s = self.reflect(
                Api::<Namespace>::all(self.client.clone()),
                Group::Namespaces,
            );
            self.namespaces = Some(s);
        }
    }

    async fn run(mut self) {
        let mut streams = futures::stream::select_all(std::mem::take(&mut self.streams));
        let mut flush = tokio::time::interval(FLUSH_EVERY);
        let mut metrics = tokio::time::interval(self.refresh.max(Duration::from_secs(2)));
        let mut alive = tokio::time::interval(self.refresh.max(Duration::from_secs(1)));
        loop {
            let ok = tokio::select! {
                update = streams.next() => match update {
                    Some(update) => self.on_update(update).await,
                    None => return,
                },
                _ = flush.tick() => self.flush().await,
                // Quiet watches are still live; say so, once there is something to show.
                _ = alive.tick() => self.failing.is_some()
                    || !self.synced
                    || self.reporter.send(Report::Alive).await,
                _ = metrics.tick(), if !self.metrics_missing && self.synced && self.failing.is_none() => {
                    match self.poll_metrics().await {
                        Ok(report) => self.reporter.send(report).await,
                        Err(Metrics::Missing) => {
                            tracing::info!("no metrics.k8s.io on this cluster: pod CPU and memory show n/a");
                            self.metrics_missing = true;
                            true
                        }
                        Err(Metrics::Failed) => true,
                    }
                }
            };
            if !ok {
                return;
            }
        }
    }

    /// False when the cockpit has gone.
    async fn on_update(&mut self, update: Update) -> bool {
        if !matches!(update, Update::Failed(_)) {
            self.failing = None;
        }
        match update {
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
                if ready && let Some(pending) = self.pending.get_mut(&group) {
                    pending.remove(&stream);
                }
                self.dirty.insert(group);
                !ready || self.try_sync().await
            }
            Update::Pod(scope, event) => self.on_pod(scope, *event).await,
            Update::Event(event) => self.on_event(*event).await,
        }
    }

    async fn on_pod(&mut self, scope: usize, event: watcher::Event<Pod>) -> bool {
        match event {
            watcher::Event::Init => {
                self.listing[scope].clear();
                true
            }
            watcher::Event::InitApply(p) => {
                let row = self.convert(&p);
                self.listing[scope].push(row);
                true
            }
            watcher::Event::InitDone => {
                let pods = std::mem::take(&mut self.listing[scope]);
                if !self.synced {
                    self.first_lists[scope] = Some(pods);
                    return self.try_sync().await;
                }
                self.replace_scope(scope, pods).await
            }
            watcher::Event::Apply(p) => {
                let row = self.convert(&p);
                if let Some(Some(held)) = self.first_lists.get_mut(scope) {
                    held.retain(|p| p.key != row.key);
                    held.push(row);
                    return true;
                }
                self.known[scope].insert(row.key.clone());
                self.reporter.send(Report::PodUpsert(row)).await
            }
            watcher::Event::Delete(p) => {
                let key = convert::pod_key(&p.metadata);
                if let Some(Some(held)) = self.first_lists.get_mut(scope) {
                    held.retain(|p| p.key != key);
                    return true;
                }
                self.known[scope].remove(&key);
                self.usage.remove(&key);
                self.reporter.send(Report::PodDelete(key)).await
            }
        }
    }

    /// A scope's pods after a relist: the whole set when there is one scope, else that
    /// namespace's deletions and upserts.
    async fn replace_scope(&mut self, scope: usize, pods: Vec<crate::domain::Pod>) -> bool {
        let keys: HashSet<PodKey> = pods.iter().map(|p| p.key.clone()).collect();
        let gone: Vec<PodKey> = self.known[scope].difference(&keys).cloned().collect();
        self.known[scope] = keys;
        if self.scopes.len() == 1 {
            return self.reporter.send(Report::PodsReset(pods)).await;
        }
        for key in gone {
            if !self.reporter.send(Report::PodDelete(key)).await {
                return false;
            }
        }
        for pod in pods {
            if !self.reporter.send(Report::PodUpsert(pod)).await {
                return false;
            }
        }
        true
    }

    /// Sends the first report once everything has been listed, so the cockpit's first sight
    /// of the cluster is whole: pods with their usage, workloads, namespaces, events.
    async fn try_sync(&mut self) -> bool {
        let ready = |g: Group| self.pending.get(&g).is_none_or(HashSet::is_empty);
        if self.synced
            || self.first_lists.iter().any(Option::is_none)
            || !ready(Group::Workloads)
            || !ready(Group::Namespaces)
        {
            return true;
        }
        self.synced = true;
        if let Err(Metrics::Missing) = self.poll_metrics().await {
            tracing::info!("no metrics.k8s.io on this cluster: pod CPU and memory show n/a");
            self.metrics_missing = true;
        }
        let lists = std::mem::take(&mut self.first_lists);
        self.first_lists = vec![None; self.scopes.len()];
        for (scope, pods) in lists.into_iter().enumerate() {
            let mut pods = pods.unwrap_or_default();
            for pod in &mut pods {
                if let Some((cpu, memory)) = self.usage.get(&pod.key) {
                    pod.cpu_millis = Some(*cpu);
                    pod.memory_bytes = Some(*memory);
                }
            }
            if !self.replace_scope(scope, pods).await {
                return false;
            }
        }
        self.flush().await && self.send_events().await
    }

    fn convert(&mut self, p: &Pod) -> crate::domain::Pod {
        let key = convert::pod_key(&p.metadata);
        let usage = self.usage.get(&key).copied();
        convert::pod(p, usage, &mut self.strings)
    }

    async fn on_event(&mut self, event: watcher::Event<CoreEvent>) -> bool {
        match event {
            watcher::Event::Init => {
                self.events.clear();
                true
            }
            watcher::Event::InitApply(e) => {
                self.events.push(convert::event(&e));
                true
            }
            watcher::Event::InitDone => {
                self.events_listed = true;
                self.send_events().await
            }
            watcher::Event::Apply(e) => {
                self.events.push(convert::event(&e));
                self.send_events().await
            }
            watcher::Event::Delete(_) => true,
        }
    }

    /// Sends the events gathered, once the events and the pods have been listed: a source
    /// shows as live when its first report arrives, and that should be its pods.
    async fn send_events(&mut self) -> bool {
        if !(self.synced && self.events_listed) || self.events.is_empty() {
            return true;
        }
        let mut events = std::mem::take(&mut self.events);
        events.sort_by_key(|e| e.last_seen);
        let newest = events.split_off(events.len().saturating_sub(INITIAL_EVENTS));
        self.reporter.send(Report::Events(newest)).await
    }

    /// Sends the workloads or namespaces that changed, once their first lists are complete.
    async fn flush(&mut self) -> bool {
        // Nothing from the stores while a watch is failing: a report would mark the source live.
        if !self.synced || self.failing.is_some() {
            return true;
        }
        let ready = |g: Group| self.pending.get(&g).is_none_or(HashSet::is_empty);
        if self.dirty.contains(&Group::Workloads) && ready(Group::Workloads) {
            self.dirty.remove(&Group::Workloads);
            let report = Report::Workloads(convert::workloads(
                &everything(&self.deployments),
                &everything(&self.replica_sets),
                &everything(&self.stateful_sets),
            ));
            if !self.reporter.send(report).await {
                return false;
            }
        }
        if self.dirty.contains(&Group::Namespaces) && ready(Group::Namespaces) {
            self.dirty.remove(&Group::Namespaces);
            if !self
                .reporter
                .send(Report::Namespaces(self.namespace_rows()))
                .await
            {
                return false;
            }
        }
        true
    }

    fn namespace_rows(&self) -> Vec<NamespaceInfo> {
        let locked: HashSet<String> = self
            .policies
            .iter()
            .flat_map(|s| s.state())
            .filter(|p| p.metadata.name.as_deref() == Some(crate::actions::LOCKDOWN_POLICY))
            .filter_map(|p| p.metadata.namespace.clone())
            .collect();
        let mut names: Vec<String> = match &self.namespaces {
            Some(store) => store
                .state()
                .iter()
                .filter_map(|n| n.metadata.name.clone())
                .collect(),
            None => self.scopes.iter().flatten().cloned().collect(),
        };
        names.sort();
        names
            .into_iter()
            .map(|name| NamespaceInfo {
                locked_down: locked.contains(&name),
                name,
            })
            .collect()
    }

    /// The pods' usage, or why there is none. A failed request sends nothing: the source's
    /// freshness is the watches' to say, and a report would mark a dead server live.
    async fn poll_metrics(&mut self) -> Result<Report, Metrics> {
        let mut rows = Vec::new();
        for scope in &self.scopes {
            let path = match scope {
                Some(ns) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods"),
                None => "/apis/metrics.k8s.io/v1beta1/pods".to_string(),
            };
            let request = http::Request::get(path)
                .body(Vec::new())
                .expect("a valid request");
            // Typed, not a JSON value: a value tree of 100,000 pods' metrics is hundreds of MB.
            match self.client.request::<MetricsList>(request).await {
                Ok(list) => rows.extend(metrics_rows(list)),
                Err(kube::Error::Api(e)) if e.code == 404 || e.code == 503 => {
                    return Err(Metrics::Missing);
                }
                Err(e) => {
                    tracing::debug!("metrics: {e}");
                    return Err(Metrics::Failed);
                }
            }
        }
        self.usage = rows.iter().map(|(k, c, m)| (k.clone(), (*c, *m))).collect();
        Ok(Report::PodUsage(rows))
    }
}

/// Why a metrics poll gave nothing.
enum Metrics {
    /// The cluster has no metrics API: stop asking.
    Missing,
    /// This request failed; ask again next time.
    Failed,
}

/// The objects of every scope's store.
fn everything<K>(stores: &[Store<K>]) -> Vec<std::sync::Arc<K>>
where
    K: kube::runtime::reflector::Lookup + Clone + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    stores.iter().flat_map(Store::state).collect()
}

/// A PodMetricsList, only what the Pods panel shows.
#[derive(serde::Deserialize)]
struct MetricsList {
    #[serde(default)]
    items: Vec<PodMetrics>,
}

#[derive(serde::Deserialize)]
struct PodMetrics {
    metadata: MetricsMeta,
    #[serde(default)]
    containers: Vec<ContainerMetrics>,
}

#[derive(serde::Deserialize)]
struct MetricsMeta {
    name: String,
    namespace: String,
}

#[derive(serde::Deserialize)]
struct ContainerMetrics {
    usage: ContainerUsage,
}

#[derive(serde::Deserialize)]
struct ContainerUsage {
    #[serde(default)]
    cpu: String,
    #[serde(default)]
    memory: String,
}

/// `(pod, millicores, bytes)` of each pod in a PodMetricsList, summed over its containers.
fn metrics_rows(list: MetricsList) -> Vec<(PodKey, u32, u64)> {
    list.items
        .into_iter()
        .map(|item| {
            let key = PodKey::new(item.metadata.namespace, item.metadata.name);
            let cpu = item
                .containers
                .iter()
                .filter_map(|c| convert::cpu_millis(&c.usage.cpu))
                .sum();
            let memory = item
                .containers
                .iter()
                .filter_map(|c| convert::memory_bytes(&c.usage.memory))
                .sum();
            (key, cpu, memory)
        })
        .collect()
}
