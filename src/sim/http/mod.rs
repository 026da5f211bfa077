//! The simulator's HTTP face: the world served over the APIs the real adapters speak, on a
//! loopback port, so `opsdeck --demo` and the tests run the real adapters against it.

mod alertmanager;
mod inflight;
mod kube;
mod kube_discovery;
mod kube_exec;
pub mod kube_logs;
mod kube_portforward;
mod kube_velero;
mod kube_watch;
pub mod requests;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::serve::ListenerExt;

use super::handle::WorldHandle;
pub use requests::RequestCounts;

/// How demanding the server is: `opsdeck sim --max-inflight` and `--page-size-limit`.
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpOptions {
    /// Requests served at once (long-running ones aside) before 429 with Retry-After.
    pub max_inflight: Option<usize>,
    /// The most objects one list page holds, whatever `limit` the client asks.
    pub page_size_limit: Option<usize>,
    /// Every watch ends after this long, whatever `timeoutSeconds` asks (as a load balancer
    /// in front of the API server cuts long requests): the client must resume.
    pub watch_timeout: Option<std::time::Duration>,
}

/// Binds `listen` (port 0 picks a free one) and serves the simulator's APIs on the current
/// tokio runtime until the world stops. Returns the address it listens on.
pub fn serve(handle: WorldHandle, listen: SocketAddr) -> std::io::Result<SocketAddr> {
    serve_with(handle, listen, HttpOptions::default()).map(|(addr, _)| addr)
}

/// `serve`, with the options, and the counts of what the clients asked (`requests.rs`).
pub fn serve_with(
    handle: WorldHandle,
    listen: SocketAddr,
    options: HttpOptions,
) -> std::io::Result<(SocketAddr, Arc<RequestCounts>)> {
    let counts = Arc::new(RequestCounts::default());
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let accepted = counts.clone();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    let listener = listener.tap_io(move |_| accepted.connection_accepted());
    let inflight = Arc::new(inflight::Inflight {
        most: options.max_inflight,
        now: Default::default(),
        counts: counts.clone(),
    });
    let shown = counts.clone();
    let app = Router::new()
        .merge(alertmanager::routes())
        .merge(kube::routes())
        .with_state(handle)
        .route(
            "/debug/requests",
            axum::routing::get(move || async move { shown.render() }),
        )
        .layer(axum::middleware::from_fn_with_state(
            inflight,
            inflight::limit,
        ))
        .layer(axum::Extension(options))
        .layer(axum::middleware::from_fn_with_state(
            counts.clone(),
            requests::count,
        ));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!("simulator HTTP server stopped: {e}");
        }
    });
    Ok((addr, counts))
}

/// The answer when the world has stopped (the cockpit is shutting down).
fn gone() -> (axum::http::StatusCode, String) {
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "the simulated world has stopped".into(),
    )
}
