//! Watches of the simulated API: from a resource version (the journal's backlog, then live
//! changes), from none (the current objects as ADDED), or a 410 ERROR event when the version
//! is too old; bookmarks when the client allows them.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use super::kube::{flag, gone};
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::writes::ApiError;
use crate::sim::kubeapi::{Change, ListQuery, Resource};

/// How often a quiet watch says where it is, when the client allows bookmarks.
const BOOKMARK_EVERY: Duration = Duration::from_secs(5);

fn event_line(kind: &str, object: &Value) -> Bytes {
    let mut line = json!({"type": kind, "object": object}).to_string();
    line.push('\n');
    Bytes::from(line)
}

/// Where a watch starts: objects to send as ADDED, journalled changes to replay, the
/// receiver for what comes next, and the version reached.
struct WatchStart {
    initial: Vec<Value>,
    backlog: Vec<Arc<Change>>,
    rx: broadcast::Receiver<Arc<Change>>,
    rv: u64,
}

/// A watch's start, or the oldest version the journal holds when asked for an older one.
type Start = Result<WatchStart, u64>;

pub(super) async fn watch(
    world: WorldHandle,
    resource: Resource,
    query: ListQuery,
    params: &HashMap<String, String>,
    cut_after: Option<Duration>,
) -> Response {
    let from: Option<u64> = params
        .get("resourceVersion")
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0);
    let timeout = params
        .get("timeoutSeconds")
        .and_then(|t| t.parse().ok())
        .map_or(Duration::from_secs(1800), Duration::from_secs)
        .min(cut_after.unwrap_or(Duration::MAX));
    let bookmarks = flag(params, "allowWatchBookmarks");
    let list_query = ListQuery {
        limit: None,
        continue_from: None,
        ..query.clone()
    };
    let start = world
        .call(move |w| {
            let api = w.api.as_ref()?;
            let start: Start = match from {
                // No version: the current objects as ADDED, then what comes.
                None => {
                    let page = api.list(resource, &list_query);
                    let (_, rx) = api
                        .watch_from(page.rv)
                        .expect("the current version is kept");
                    Ok(WatchStart {
                        initial: page.items,
                        backlog: Vec::new(),
                        rx,
                        rv: page.rv,
                    })
                }
                Some(rv) => api
                    .watch_from(rv)
                    .map(|(backlog, rx)| WatchStart {
                        initial: Vec::new(),
                        backlog,
                        rx,
                        rv,
                    })
                    .map_err(|e| e.oldest),
            };
            Some(start)
        })
        .await;
    let Some(Some(start)) = start else {
        return gone();
    };
    let (tx, body) = mpsc::channel::<Result<Bytes, Infallible>>(256);
    match start {
        Err(oldest) => {
            let status = ApiError {
                code: 410,
                reason: "Expired",
                message: format!("too old resource version: {} ({oldest})", from.unwrap_or(0)),
            }
            .status();
            let _ = tx.try_send(Ok(event_line("ERROR", &status)));
        }
        Ok(start) => {
            tokio::spawn(stream_changes(
                tx, resource, query, start, timeout, bookmarks,
            ));
        }
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(
            tokio_stream::wrappers::ReceiverStream::new(body),
        ))
        .expect("a valid response")
}

async fn stream_changes(
    tx: mpsc::Sender<Result<Bytes, Infallible>>,
    resource: Resource,
    query: ListQuery,
    start: WatchStart,
    timeout: Duration,
    bookmarks: bool,
) {
    let WatchStart {
        initial,
        backlog,
        mut rx,
        rv: mut last,
    } = start;
    let wanted = |c: &Change| c.resource == resource && query.matches(&c.object);
    for object in &initial {
        if tx.send(Ok(event_line("ADDED", object))).await.is_err() {
            return;
        }
    }
    for change in backlog.iter().filter(|c| wanted(c)) {
        last = last.max(change.rv);
        if tx
            .send(Ok(event_line(change.kind.word(), &change.object)))
            .await
            .is_err()
        {
            return;
        }
    }
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut bookmark = tokio::time::interval(BOOKMARK_EVERY);
    bookmark.tick().await;
    loop {
        tokio::select! {
            _ = &mut deadline => return,
            _ = tx.closed() => return,
            change = rx.recv() => match change {
                Ok(change) => {
                    last = last.max(change.rv);
                    if wanted(&change)
                        && tx.send(Ok(event_line(change.kind.word(), &change.object))).await.is_err()
                    {
                        return;
                    }
                }
                // Fell behind or the world stopped: end the watch; the client resumes from the
                // last version it saw, which the journal still holds.
                Err(_) => return,
            },
            _ = bookmark.tick(), if bookmarks => {
                let object = json!({
                    "kind": resource.kind(), "apiVersion": resource.api_version(),
                    "metadata": {"resourceVersion": last.to_string()},
                });
                if tx.send(Ok(event_line("BOOKMARK", &object))).await.is_err() {
                    return;
                }
            }
        }
    }
}
