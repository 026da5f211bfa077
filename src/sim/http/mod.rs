//! The simulator's HTTP face: the world served over the APIs the real adapters speak, on a
//! loopback port, so `opsdeck --demo` and the tests run the real adapters against it.

mod alertmanager;
pub mod auth;
mod inflight;
mod kube;
mod kube_discovery;
mod kube_exec;
pub mod kube_logs;
mod kube_portforward;
mod kube_portforward_spdy;
mod kube_velero;
mod kube_watch;
pub mod requests;
mod spdy;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

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
    /// Serve the Kubernetes API only (a cluster of `opsdeck sim --clusters` other than the
    /// first: the estate has one Alertmanager).
    pub without_alertmanager: bool,
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
    serve_secured(handle, listen, None, None, options)
}

/// `serve_with`, the Kubernetes routes behind `gate` (authentication and RBAC) when given, and
/// over TLS with `tls` when given. The Alertmanager API stays open, as a real Alertmanager's is
/// by default. Every request is counted and limited alike (`requests.rs`, `inflight.rs`).
pub fn serve_secured(
    handle: WorldHandle,
    listen: SocketAddr,
    gate: Option<Arc<auth::Gate>>,
    tls: Option<rustls::ServerConfig>,
    options: HttpOptions,
) -> std::io::Result<(SocketAddr, Arc<RequestCounts>)> {
    let counts = Arc::new(RequestCounts::default());
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    let inflight = Arc::new(inflight::Inflight {
        most: options.max_inflight,
        now: Default::default(),
        counts: counts.clone(),
    });
    let shown = counts.clone();
    let kube_routes = match gate {
        Some(gate) => {
            kube::routes().route_layer(axum::middleware::from_fn_with_state(gate, auth::guard))
        }
        None => kube::routes(),
    };
    let app = match options.without_alertmanager {
        true => Router::new(),
        false => Router::new().merge(alertmanager::routes()),
    };
    let app = app
        .merge(kube_routes)
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
        ))
        .into_make_service_with_connect_info::<tls::Peer>();
    let accepted = counts.clone();
    tokio::spawn(async move {
        let served = match tls {
            Some(config) => {
                match tls::TlsListener::new(listener, config, move || {
                    accepted.connection_accepted()
                }) {
                    Ok(listener) => axum::serve(listener, app).await,
                    Err(e) => Err(e),
                }
            }
            None => {
                let listener = tls::CountedListener {
                    inner: listener,
                    accepted: move || accepted.connection_accepted(),
                };
                axum::serve(listener, app).await
            }
        };
        if let Err(e) = served {
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
