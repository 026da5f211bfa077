//! Kubernetes, through kube-rs: watches (not polling) of pods, deployments, statefulsets,
//! replicasets, namespaces, network policies, nodes and events, turned into the cockpit's reports;
//! pod usage from metrics.k8s.io when the cluster has it; and the executor for workload, pod
//! and namespace actions (`actions.rs`). Watches restart with backoff and relist after a 410;
//! while the API server cannot be reached the source shows unreachable with the reason.

mod access;
pub mod actions;
mod actions_access;
mod actions_job;
pub mod actions_template;
mod api_errors;
pub mod client;
pub mod config_patch;
pub mod convert;
pub mod convert_config;
pub mod convert_hpa;
pub mod convert_job;
pub mod convert_node;
mod convert_resources;
pub mod convert_service;
pub mod drain;
pub mod exec;
pub mod fleet;
pub mod logs;
mod metrics;
pub mod object;
pub mod portforward;
mod ratelimit;
mod rollback;
mod shared;
mod shell;
pub mod slim;
pub mod switch;
mod watch;

use std::time::Duration;

use tokio::sync::{mpsc, watch as demand};

use super::Reporter;
use crate::config::KubernetesConfig;
use crate::domain::{Report, SourceId, SourceKind, SourceReport};

pub use actions::KubeExecutor;
pub use client::{IN_CLUSTER, client, context_name};
pub use fleet::Fleet;
pub use ratelimit::{DEFAULT_BURST, DEFAULT_QPS};
pub use shared::Clients;
pub use switch::Cluster;

/// Starts watching, pod usage always polled; returns the executor for the actions on this
/// cluster.
pub fn spawn(
    cfg: KubernetesConfig,
    source_name: String,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
) -> KubeExecutor {
    let pods = crate::domain::node::MetricsDemand {
        pods: true,
        nodes: false,
    };
    spawn_with_demand(cfg, source_name, refresh, tx, demand::channel(pods).1)
}

/// Starts watching, pod usage polled only while `metrics_wanted` says a panel shows it.
pub fn spawn_with_demand(
    cfg: KubernetesConfig,
    source_name: String,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
    metrics_wanted: demand::Receiver<crate::domain::node::MetricsDemand>,
) -> KubeExecutor {
    let reporter = Reporter::new(SourceId::new(SourceKind::Kubernetes, source_name), tx);
    let task_reporter = reporter.clone();
    let watched = cfg.clone();
    let clients = Clients::default();
    let shared = clients.clone();
    super::supervise::supervise(
        reporter,
        move || {
            run(
                watched.clone(),
                refresh,
                task_reporter.clone(),
                metrics_wanted.clone(),
                shared.clone(),
            )
        },
        super::supervise::unreachable,
    );
    KubeExecutor::shared(cfg, clients)
}

async fn run(
    cfg: KubernetesConfig,
    refresh: Duration,
    reporter: Reporter,
    metrics_wanted: demand::Receiver<crate::domain::node::MetricsDemand>,
    clients: Clients,
) {
    // Each turn after the first logs in afresh (a new client runs the exec plugin again): after
    // a 401, the credential the shared client holds is no good, whatever its expiry said.
    let mut wait = Duration::ZERO;
    let mut renew = false;
    loop {
        tokio::time::sleep(wait).await;
        let Some((client, scopes)) = connect(&cfg, &reporter, &clients, renew).await else {
            return;
        };
        renew = true;
        let started = std::time::Instant::now();
        // With no cluster-wide access, each readable namespace is watched as if configured.
        let watched = KubernetesConfig {
            namespaces: scopes.scopes.iter().flatten().cloned().collect(),
            ..cfg.clone()
        };
        let mut watch = watch::Watch::new(
            client,
            &watched,
            reporter.clone(),
            refresh,
            metrics_wanted.clone(),
        );
        watch.access.namespaces = scopes.namespaces;
        if !watch.run().await {
            return;
        }
        // Refused again at once: the new login is no better; wait longer each time.
        wait = match started.elapsed() < Duration::from_secs(60) {
            true => super::next_backoff(wait.max(Duration::from_millis(500))),
            false => Duration::ZERO,
        };
    }
}

/// The cluster's shared client (made anew when `renew`) and where to watch, retried with
/// backoff; `None` when the cockpit has gone.
async fn connect(
    cfg: &KubernetesConfig,
    reporter: &Reporter,
    clients: &Clients,
    renew: bool,
) -> Option<(kube::Client, access::Scopes)> {
    let mut backoff = Duration::from_secs(1);
    loop {
        let made = match renew {
            true => clients.renew(cfg).await,
            false => clients.get(cfg).await,
        };
        let found = match made {
            Ok(c) => access::scopes(&c, &cfg.namespaces).await.map(|s| (c, s)),
            Err(reason) => Err(reason),
        };
        match found {
            Ok(found) => return Some(found),
            Err(reason) => {
                if !reporter.send(Report::Unreachable(reason)).await {
                    return None;
                }
                tokio::time::sleep(super::jittered(backoff)).await;
                backoff = super::next_backoff(backoff);
            }
        }
    }
}
