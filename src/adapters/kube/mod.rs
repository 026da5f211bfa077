//! Kubernetes, through kube-rs: watches (not polling) of pods, deployments, statefulsets,
//! replicasets, namespaces, network policies and events, turned into the cockpit's reports;
//! pod usage from metrics.k8s.io when the cluster has it; and the executor for workload, pod
//! and namespace actions (`actions.rs`). Watches restart with backoff and relist after a 410;
//! while the API server cannot be reached the source shows unreachable with the reason.

pub mod actions;
mod client;
pub mod convert;
pub mod exec;
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
    spawn_with_demand(cfg, source_name, refresh, tx, demand::channel(true).1)
}

/// Starts watching, pod usage polled only while `metrics_wanted` says a panel shows it.
pub fn spawn_with_demand(
    cfg: KubernetesConfig,
    source_name: String,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
    metrics_wanted: demand::Receiver<bool>,
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
    metrics_wanted: demand::Receiver<bool>,
    clients: Clients,
) {
    let mut backoff = Duration::from_secs(1);
    let client = loop {
        match clients.get(&cfg).await {
            Ok(c) => break c,
            Err(reason) => {
                if !reporter.send(Report::Unreachable(reason)).await {
                    return;
                }
                tokio::time::sleep(super::jittered(backoff)).await;
                backoff = super::next_backoff(backoff);
            }
        }
    };
    watch::Watch::new(client, &cfg, reporter, refresh, metrics_wanted)
        .run()
        .await;
}
