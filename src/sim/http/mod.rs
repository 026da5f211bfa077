//! The simulator's HTTP face: the world served over the APIs the real adapters speak, on a
//! loopback port, so `opsdeck --demo` and the tests run the real adapters against it.

mod alertmanager;
pub mod auth;
mod kube;
mod kube_discovery;
pub mod kube_logs;
mod kube_velero;
mod kube_watch;
pub mod tls;

use std::net::SocketAddr;

use axum::Router;

use super::handle::WorldHandle;

/// Binds `listen` (port 0 picks a free one) and serves the simulator's APIs on the current
/// tokio runtime until the world stops. Returns the address it listens on.
pub fn serve(handle: WorldHandle, listen: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .merge(alertmanager::routes())
        .merge(kube::routes())
        .with_state(handle);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!("simulator HTTP server stopped: {e}");
        }
    });
    Ok(addr)
}

/// `serve`, with the Kubernetes routes behind `gate` (authentication and RBAC) and over TLS
/// with `tls`. The Alertmanager API stays open, as a real Alertmanager's is by default.
pub fn serve_secured(
    handle: WorldHandle,
    listen: SocketAddr,
    gate: std::sync::Arc<auth::Gate>,
    tls: Option<rustls::ServerConfig>,
) -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    let guarded =
        kube::routes().route_layer(axum::middleware::from_fn_with_state(gate, auth::guard));
    let app = Router::new()
        .merge(alertmanager::routes())
        .merge(guarded)
        .with_state(handle)
        .into_make_service_with_connect_info::<tls::Peer>();
    tokio::spawn(async move {
        let served = match tls {
            Some(config) => match tls::TlsListener::new(listener, config) {
                Ok(listener) => axum::serve(listener, app).await,
                Err(e) => Err(e),
            },
            None => axum::serve(listener, app).await,
        };
        if let Err(e) = served {
            tracing::warn!("simulator HTTPS server stopped: {e}");
        }
    });
    Ok(addr)
}

/// The answer when the world has stopped (the cockpit is shutting down).
fn gone() -> (axum::http::StatusCode, String) {
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "the simulated world has stopped".into(),
    )
}
