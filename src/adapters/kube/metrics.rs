//! Pod and node usage from metrics.k8s.io, read into typed rows (a JSON value tree of 100,000 pods'
//! metrics is hundreds of MB).

use std::borrow::Cow;
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
        let body = read(client, path).await?;
        rows.extend(metrics_rows(decode::<MetricsList>(&body)?));
    }
    Ok(rows)
}

/// `(node, millicores, bytes)` of every node, or why there are none.
pub(super) async fn poll_nodes(client: &Client) -> Result<Vec<(String, u32, u64)>, Metrics> {
    let body = read(client, "/apis/metrics.k8s.io/v1beta1/nodes".into()).await?;
    let list = decode::<NodeMetricsList>(&body)?;
    Ok(list
        .items
        .into_iter()
        .map(|n| {
            let cpu = convert::cpu_millis(&n.usage.cpu).unwrap_or(0);
            let memory = convert::memory_bytes(&n.usage.memory).unwrap_or(0);
            (n.metadata.name.into_owned(), cpu, memory)
        })
        .collect())
}

/// The body of a metrics answer, whole, or why there is none. Read as bytes and decoded with
/// its strings borrowed (`decode`): at 100,000 pods the answer is ~21 MB, and kube's typed
/// request held it twice (its bytes and a `String` copy) beside ~600,000 decoded strings, at
/// first sight's peak (README, Performance).
async fn read(client: &Client, path: String) -> Result<Vec<u8>, Metrics> {
    use futures::AsyncReadExt;
    let request = http::Request::get(path)
        .body(Vec::new())
        .expect("a valid request");
    // The watch task waits on this poll: a hung metrics API must not hold the watches up.
    let answer = tokio::time::timeout(POLL_DEADLINE, async {
        let mut body = Vec::new();
        let mut stream = client.request_stream(request).await?;
        stream
            .read_to_end(&mut body)
            .await
            .map_err(kube::Error::ReadEvents)?;
        Ok::<_, kube::Error>(body)
    });
    let Ok(answer) = answer.await else {
        tracing::debug!("metrics: no answer within {POLL_DEADLINE:?}");
        return Err(Metrics::Failed);
    };
    match answer {
        Ok(body) => Ok(body),
        Err(kube::Error::Api(e)) if e.code == 404 || e.code == 503 => Err(Metrics::Missing),
        Err(kube::Error::Api(e)) if e.code == 403 => Err(Metrics::NotPermitted),
        Err(e) => {
            tracing::debug!("metrics: {e}");
            Err(Metrics::Failed)
        }
    }
}

fn decode<'a, T: serde::Deserialize<'a>>(body: &'a [u8]) -> Result<T, Metrics> {
    serde_json::from_slice(body).map_err(|e| {
        tracing::debug!("metrics: an answer not understood: {e}");
        Metrics::Failed
    })
}

/// A NodeMetricsList, only what the Nodes panel shows.
#[derive(serde::Deserialize)]
struct NodeMetricsList<'a> {
    #[serde(default, borrow)]
    items: Vec<NodeMetrics<'a>>,
}

#[derive(serde::Deserialize)]
struct NodeMetrics<'a> {
    #[serde(borrow)]
    metadata: NodeMetricsMeta<'a>,
    #[serde(borrow)]
    usage: ContainerUsage<'a>,
}

#[derive(serde::Deserialize)]
struct NodeMetricsMeta<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// A PodMetricsList, only what the Pods panel shows.
#[derive(serde::Deserialize)]
struct MetricsList<'a> {
    #[serde(default, borrow)]
    items: Vec<PodMetrics<'a>>,
}

#[derive(serde::Deserialize)]
struct PodMetrics<'a> {
    #[serde(borrow)]
    metadata: MetricsMeta<'a>,
    #[serde(default, borrow)]
    containers: Vec<ContainerMetrics<'a>>,
}

#[derive(serde::Deserialize)]
struct MetricsMeta<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    namespace: Cow<'a, str>,
}

#[derive(serde::Deserialize)]
struct ContainerMetrics<'a> {
    #[serde(borrow)]
    usage: ContainerUsage<'a>,
}

/// A quantity (`250m`, `128Mi`) is plain ASCII: borrowed from the body (a `Cow` in case a
/// server escapes a character).
#[derive(serde::Deserialize)]
struct ContainerUsage<'a> {
    #[serde(default, borrow)]
    cpu: Cow<'a, str>,
    #[serde(default, borrow)]
    memory: Cow<'a, str>,
}

/// `(pod, millicores, bytes)` of each pod in a PodMetricsList, summed over its containers.
fn metrics_rows(list: MetricsList) -> Vec<(PodKey, u32, u64)> {
    list.items
        .into_iter()
        .map(|item| {
            let key = PodKey::new(&*item.metadata.namespace, &*item.metadata.name);
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
