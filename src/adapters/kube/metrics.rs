//! Pod usage from metrics.k8s.io, read into typed rows (a JSON value tree of 100,000 pods'
//! metrics is hundreds of MB).

use kube::Client;

use super::convert;
use crate::domain::PodKey;

/// How long one metrics request may take.
const POLL_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a metrics poll gave nothing.
pub(super) enum Metrics {
    /// The cluster has no metrics API: stop asking.
    Missing,
    /// This request failed; ask again next time.
    Failed,
    /// This user may not read the metrics (403): stop asking, and say so.
    NotPermitted,
}

/// `(pod, millicores, bytes)` of every pod in the scopes, or why there are none.
pub(super) async fn poll(
    client: &Client,
    scopes: &[Option<String>],
) -> Result<Vec<(PodKey, u32, u64)>, Metrics> {
    let mut rows = Vec::new();
    for scope in scopes {
        let path = match scope {
            Some(ns) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods"),
            None => "/apis/metrics.k8s.io/v1beta1/pods".to_string(),
        };
        let request = http::Request::get(path)
            .body(Vec::new())
            .expect("a valid request");
        // The watch task waits on this poll: a hung metrics API must not hold the watches up.
        let answer = tokio::time::timeout(POLL_DEADLINE, client.request::<MetricsList>(request));
        let Ok(answer) = answer.await else {
            tracing::debug!("metrics: no answer within {POLL_DEADLINE:?}");
            return Err(Metrics::Failed);
        };
        match answer {
            Ok(list) => rows.extend(metrics_rows(list)),
            Err(kube::Error::Api(e)) if e.code == 404 || e.code == 503 => {
                return Err(Metrics::Missing);
            }
            Err(kube::Error::Api(e)) if e.code == 403 => return Err(Metrics::NotPermitted),
            Err(e) => {
                tracing::debug!("metrics: {e}");
                return Err(Metrics::Failed);
            }
        }
    }
    Ok(rows)
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
