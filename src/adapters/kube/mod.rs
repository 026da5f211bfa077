//! Kubernetes, through kube-rs: watches (not polling) of pods, deployments, statefulsets,
//! replicasets, namespaces, network policies and events, turned into the cockpit's reports;
//! pod usage from metrics.k8s.io when the cluster has it; and the executor for workload, pod
//! and namespace actions (`actions.rs`). Watches restart with backoff and relist after a 410;
//! while the API server cannot be reached the source shows unreachable with the reason.

pub mod actions;
pub mod client;
pub mod convert;
pub mod logs;
mod metrics;
mod rollback;
pub mod slim;
pub mod switch;
mod watch;

use std::time::Duration;

use tokio::sync::mpsc;

use super::Reporter;
use crate::config::KubernetesConfig;
use crate::domain::{Report, SourceId, SourceKind, SourceReport};

pub use actions::KubeExecutor;
pub use client::{IN_CLUSTER, client, context_name};
pub use switch::Cluster;

/// Starts watching; returns the executor for the actions on this cluster.
pub fn spawn(
    cfg: KubernetesConfig,
    source_name: String,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
) -> KubeExecutor {
    let reporter = Reporter::new(SourceId::new(SourceKind::Kubernetes, source_name), tx);
    let task_reporter = reporter.clone();
    let watched = cfg.clone();
    super::supervise::supervise(
        reporter,
        move || run(watched.clone(), refresh, task_reporter.clone()),
        super::supervise::unreachable,
    );
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
    watch::Watch::new(client, &cfg, reporter, refresh)
        .run()
        .await;
}
