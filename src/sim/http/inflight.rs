//! `--max-inflight N`: beyond N requests being served at once the simulator answers 429 Too
//! Many Requests with `Retry-After`, as kube-apiserver's `--max-requests-inflight` does.
//! Long-running requests (watches, logs) are not held against the limit, as there.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::requests::{RequestCounts, long_running};

/// What a 429 tells the client to wait, in seconds (the API server says 1).
pub const RETRY_AFTER_SECS: u64 = 1;

pub struct Inflight {
    pub most: Option<usize>,
    pub now: AtomicUsize,
    pub counts: Arc<RequestCounts>,
}

/// Releases the request's slot when it has been answered (or dropped).
struct Slot<'a>(&'a AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub async fn limit(
    State(inflight): State<Arc<Inflight>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(most) = inflight.most else {
        return next.run(request).await;
    };
    if long_running(request.method(), request.uri()) {
        return next.run(request).await;
    }
    let before = inflight.now.fetch_add(1, Ordering::SeqCst);
    let _slot = Slot(&inflight.now);
    if before >= most {
        inflight.counts.throttled();
        return too_many();
    }
    next.run(request).await
}

fn too_many() -> Response {
    let status = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "Too many requests, please try again later.",
        "reason": "TooManyRequests", "details": {"retryAfterSeconds": RETRY_AFTER_SECS},
        "code": 429,
    });
    (
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        [
            (
                axum::http::header::RETRY_AFTER,
                RETRY_AFTER_SECS.to_string(),
            ),
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
        ],
        status.to_string(),
    )
        .into_response()
}
