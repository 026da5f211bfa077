//! What every source sends into the cockpit: a report about one source, with the time it was
//! true. The simulated estate and the real adapters produce exactly these, so the UI cannot tell
//! them apart.

use super::{
    alert::{Alert, Silence},
    backup::BackupSet,
    database::{PgInstance, RedisInfo},
    pod::{Pod, PodKey},
    time::UnixTime,
    workload::{K8sEvent, NamespaceInfo, ServiceHealth, ServiceKpis, Workload},
};

/// The kind of backend a source talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    Kubernetes,
    Alertmanager,
    Health,
    Prometheus,
    Postgres,
    Redis,
    Backups,
}

impl SourceKind {
    /// Short label for the status bar.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Kubernetes => "k8s",
            SourceKind::Alertmanager => "alerts",
            SourceKind::Health => "health",
            SourceKind::Prometheus => "prom",
            SourceKind::Postgres => "pg",
            SourceKind::Redis => "redis",
            SourceKind::Backups => "backups",
        }
    }
}

/// One configured source, e.g. `(Postgres, "positivity-db")`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId {
    pub kind: SourceKind,
    pub name: String,
}

impl SourceId {
    pub fn new(kind: SourceKind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
        }
    }
}

/// The body of a report. Watched collections come as deltas (pods can number 100,000); polled
/// ones as whole snapshots, which replace what the source said before.
#[derive(Debug, Clone)]
pub enum Report {
    /// The source is alive and its data is current, with nothing new to say.
    Alive,
    /// The source cannot reach its backend; what it said before stays, marked as such.
    Unreachable(String),
    /// The backend answers, but the source must list everything again (a Kubernetes watch's
    /// 410 Gone after an API server restart): not an outage; the next data settles it.
    Relisting(String),
    /// The complete set of pods (after a (re)list); replaces every pod this source reported.
    /// While a first list is in progress, also its first part (see `PodsListing`).
    PodsReset(Vec<Pod>),
    /// More pods of a first list in progress, those listed since its last report: each is
    /// upserted (the whole list, a `PodsReset`, settles them once the list is complete).
    PodsListed(Vec<Pod>),
    /// A first list of the pods is in progress (`Some`: how far), or complete (`None`).
    PodsListing(Option<ListProgress>),
    PodUpsert(Pod),
    PodDelete(PodKey),
    /// CPU (millicores) and memory (bytes) of running pods, from the metrics API; pods not
    /// named keep what they had.
    PodUsage(Vec<(PodKey, u32, u64)>),
    Workloads(Vec<Workload>),
    Namespaces(Vec<NamespaceInfo>),
    /// Every node of the cluster.
    Nodes(Vec<super::node::Node>),
    /// CPU (millicores) and memory (bytes) each node uses, from the metrics API, by node name:
    /// the whole set (a node not named has no figures).
    NodeUsage(Vec<(String, u32, u64)>),
    /// Events listed or watched: each replaces the one of its name (the store keeps the newest).
    Events(Vec<K8sEvent>),
    Alerts(Vec<Alert>),
    /// Every silence one Alertmanager knows (active, pending and recently expired).
    Silences(Vec<Silence>),
    Health(Vec<ServiceHealth>),
    Kpis(Vec<ServiceKpis>),
    /// Every workload's error counts from `[logs] errors_query`, or why the query failed.
    QueriedLogErrors(Result<Vec<super::QueriedErrors>, String>),
    Postgres(PgInstance),
    Redis(RedisInfo),
    Backups(Vec<BackupSet>),
    /// What the cluster lets this user read, when it is less than everything.
    KubeAccess(KubeAccess),
    /// Every HorizontalPodAutoscaler of the watched namespaces.
    Hpas(Vec<super::hpa::Hpa>),
    /// Every CronJob watched.
    CronJobs(Vec<super::job::CronJob>),
    /// Every Job watched.
    Jobs(Vec<super::job::Job>),
    /// Every ConfigMap and Secret watched (a Secret's values never in it).
    Configs(Vec<super::configs::ConfigObject>),
}

pub use super::kube_access::KubeAccess;

impl Report {
    /// The report with the secrets taken out of every URL and message that can hold one (a
    /// health check's URL, reqwest's errors naming the URL, a backup set's location): what an
    /// adapter says is shown, reported and logged, so it is cleaned as it comes in.
    pub fn redacted(self) -> Report {
        use super::redact::urls;
        let clean = |s: String| match urls(&s) {
            std::borrow::Cow::Borrowed(_) => s,
            std::borrow::Cow::Owned(o) => o,
        };
        match self {
            Report::Unreachable(reason) => Report::Unreachable(clean(reason)),
            Report::QueriedLogErrors(Err(why)) => Report::QueriedLogErrors(Err(clean(why))),
            Report::Health(checks) => Report::Health(
                checks
                    .into_iter()
                    .map(|h| ServiceHealth {
                        url: clean(h.url),
                        last_error: h.last_error.map(clean),
                        ..h
                    })
                    .collect(),
            ),
            Report::Backups(sets) => Report::Backups(
                sets.into_iter()
                    .map(|s| BackupSet {
                        location: clean(s.location),
                        problem: s.problem.map(clean),
                        ..s
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// How far a list has come: objects received, and the server's estimate of the whole list
/// (its `remainingItemCount` after the first page), when it gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListProgress {
    pub listed: usize,
    pub estimate: Option<usize>,
}

/// A report from one source, true at `at`.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub source: SourceId,
    pub at: UnixTime,
    pub report: Report,
}
