//! `GET /api/v1/namespaces/{ns}/pods/{name}/log` with kubectl's options: `container`,
//! `tailLines`, `sinceSeconds`, `timestamps`, `previous`, and `follow`, which streams lines as
//! the simulated container writes them until the client goes or the container dies.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use tokio::sync::mpsc;

use super::kube::{error, flag, gone};
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::Resource;
use crate::sim::kubeapi::writes::ApiError;
use crate::sim::logs::{LogQuery, LogSource, error_rate_of};

/// How often a followed log is written out: lines come in batches at high rates.
const FOLLOW_TICK: Duration = Duration::from_millis(50);

/// Followed logs being served right now, in this process (for tests that check a closed pane
/// closes its stream).
static FOLLOWING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn following() -> usize {
    FOLLOWING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Counts a followed log while it is served.
struct Following;

impl Following {
    fn start() -> Following {
        FOLLOWING.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Following
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        FOLLOWING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

fn now_ms() -> i64 {
    crate::sim::clock::now_ms()
}

pub async fn serve(
    world: WorldHandle,
    ns: String,
    name: String,
    params: &HashMap<String, String>,
) -> Response {
    let number = |key: &str| params.get(key).and_then(|v| v.parse::<u64>().ok());
    let query = LogQuery {
        container: params.get("container").cloned().filter(|c| !c.is_empty()),
        tail_lines: number("tailLines"),
        since_seconds: number("sinceSeconds"),
        timestamps: flag(params, "timestamps"),
        previous: flag(params, "previous"),
    };
    let follow = flag(params, "follow");
    let wanted = name.clone();
    let found = world
        .call(move |w| {
            let pod = w.api.as_ref()?.pod(&ns, &name);
            // The pod's workload's failing requests set how often its log says ERROR.
            let error_rate = pod.as_ref().map_or(0.0, error_rate_of);
            Some((pod, w.log_rate, error_rate))
        })
        .await;
    let Some(Some((pod, rate, error_rate))) = found else {
        return gone();
    };
    let Some(pod) = pod else {
        return error(ApiError::not_found(Resource::Pods, &wanted));
    };
    let source = match LogSource::for_query(&pod, &query, rate, error_rate) {
        Ok(s) => s,
        Err(refusal) => return error(ApiError::bad_request(refusal.0)),
    };
    let now = now_ms();
    let first = source.first_wanted(&query, now);
    let count = source.count_at(now);
    let text = |from: u64, to: u64| {
        let mut out = String::new();
        for n in from..to {
            out.push_str(&source.line(n, query.timestamps));
            out.push('\n');
        }
        out
    };
    let head = text(first, count);
    let body = if follow {
        let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(64);
        let source = source.clone();
        let timestamps = query.timestamps;
        tokio::spawn(async move {
            let _counted = Following::start();
            if tx.send(Ok(Bytes::from(head))).await.is_err() {
                return;
            }
            let mut sent = count;
            let mut tick = tokio::time::interval(FOLLOW_TICK);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = tx.closed() => return,
                }
                let upto = source.count_at(now_ms());
                if upto > sent {
                    let mut chunk = String::new();
                    for n in sent..upto {
                        chunk.push_str(&source.line(n, timestamps));
                        chunk.push('\n');
                    }
                    sent = upto;
                    if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                        return;
                    }
                }
                // A container that died writes no more.
                if source.ends_at.is_some() && source.count_at(i64::MAX / 2) == sent {
                    return;
                }
            }
        });
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
    } else {
        Body::from(head)
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(body)
        .expect("a valid response")
}
