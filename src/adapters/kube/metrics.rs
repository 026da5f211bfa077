//! Pod and node usage from metrics.k8s.io, read into typed rows (a JSON value tree of 100,000 pods'
//! metrics is hundreds of MB).

use std::time::{Duration, Instant};

use kube::Client;

use super::convert;
use crate::domain::PodKey;

/// How often usage is asked for by default: metrics-server scrapes every 15 s, a faster poll
/// only reads the same figures again.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15);

/// When the next poll is due: never while no panel shows usage (or the cluster has no
/// metrics API, or the watches are not live); at once when usage has never been read or the
/// last read is older than `every`; else `every` after the last.
pub(super) fn next_poll(wanted: bool, last: Option<Instant>, every: Duration) -> Option<Instant> {
    if !wanted {
        return None;
    }
    Some(last.map_or_else(Instant::now, |t| t + every))
}

/// How long one metrics request may take.
const POLL_DEADLINE: Duration = Duration::from_secs(10);

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

/// `(node, millicores, bytes)` of every node, or why there are none.
pub(super) async fn poll_nodes(client: &Client) -> Result<Vec<(String, u32, u64)>, Metrics> {
    let request = http::Request::get("/apis/metrics.k8s.io/v1beta1/nodes")
        .body(Vec::new())
        .expect("a valid request");
    let answer = tokio::time::timeout(POLL_DEADLINE, client.request::<NodeMetricsList>(request));
    let Ok(answer) = answer.await else {
        tracing::debug!("node metrics: no answer within {POLL_DEADLINE:?}");
        return Err(Metrics::Failed);
    };
    match answer {
        Ok(list) => Ok(list
            .items
            .into_iter()
            .map(|n| {
                let cpu = convert::cpu_millis(&n.usage.cpu).unwrap_or(0);
                let memory = convert::memory_bytes(&n.usage.memory).unwrap_or(0);
                (n.metadata.name, cpu, memory)
            })
            .collect()),
        Err(kube::Error::Api(e)) if e.code == 404 || e.code == 503 => Err(Metrics::Missing),
        Err(kube::Error::Api(e)) if e.code == 403 => Err(Metrics::NotPermitted),
        Err(e) => {
            tracing::debug!("node metrics: {e}");
            Err(Metrics::Failed)
        }
    }
}

/// A NodeMetricsList, only what the Nodes panel shows.
#[derive(serde::Deserialize)]
struct NodeMetricsList {
    #[serde(default)]
    items: Vec<NodeMetrics>,
}

#[derive(serde::Deserialize)]
struct NodeMetrics {
    metadata: NodeMetricsMeta,
    usage: ContainerUsage,
}

#[derive(serde::Deserialize)]
struct NodeMetricsMeta {
    name: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_is_due_only_while_wanted_and_at_most_every_interval() {
        let every = Duration::from_secs(15);
        let now = Instant::now();
        assert_eq!(next_poll(false, None, every), None, "nobody looks: no poll");
        assert_eq!(next_poll(false, Some(now), every), None);
        let first = next_poll(true, None, every).expect("wanted, never read: at once");
        assert!(first <= Instant::now());
        assert_eq!(next_poll(true, Some(now), every), Some(now + every));
    }
}
