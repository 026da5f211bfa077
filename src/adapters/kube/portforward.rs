//! A port of a pod on 127.0.0.1, through the API's portforward (kube-rs's `ws`), as `kubectl
//! port-forward` does it: the same local port when it is free, else the next free one; each
//! local connection its own forwarded stream. The bytes carried are counted both ways.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use k8s_openapi::api::core::v1::Pod;
use kube::{Api, Client};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How many ports past the wanted one are tried when it is taken.
const PORTS_TRIED: u16 = 100;

/// An open forward; dropping it closes the listener and every connection through it.
pub struct Forward {
    pub local: SocketAddr,
    pub remote_port: u16,
    bytes: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl Forward {
    /// Bytes carried so far, both ways.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl Drop for Forward {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds 127.0.0.1 at `port`, else the next free one, and forwards what connects there to
/// the pod's `port`.
pub async fn start(
    client: &Client,
    namespace: &str,
    pod: &str,
    port: u16,
) -> Result<Forward, String> {
    let mut listener = None;
    for local in port..=port.saturating_add(PORTS_TRIED) {
        if let Ok(l) = TcpListener::bind(("127.0.0.1", local)).await {
            listener = Some(l);
            break;
        }
    }
    let listener = listener.ok_or_else(|| {
        format!(
            "no free local port from {port} to {}",
            port.saturating_add(PORTS_TRIED)
        )
    })?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let api = Api::<Pod>::namespaced(client.clone(), namespace);
    let pod = pod.to_string();
    let bytes = Arc::new(AtomicU64::new(0));
    let counted = bytes.clone();
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        while let Ok((mut conn, _)) = listener.accept().await {
            let api = api.clone();
            let pod = pod.clone();
            let counted = counted.clone();
            connections.spawn(async move {
                let Ok(mut forwarder) = api.portforward(&pod, &[port]).await else {
                    return;
                };
                let Some(mut upstream) = forwarder.take_stream(port) else {
                    return;
                };
                if let Ok((up, down)) =
                    tokio::io::copy_bidirectional(&mut conn, &mut upstream).await
                {
                    counted.fetch_add(up + down, Ordering::Relaxed);
                }
                drop(upstream);
                let _ = forwarder.join().await;
            });
            // Finished connections are let go of as new ones come.
            while connections.try_join_next().is_some() {}
        }
    });
    Ok(Forward {
        local,
        remote_port: port,
        bytes,
        task,
    })
}
