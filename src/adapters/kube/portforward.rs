//! A port of a pod on 127.0.0.1, through the API's portforward (kube-rs's `ws`), as `kubectl
//! port-forward` does it: the same local port when it is free, else the next free one
//! (`actions::forward::bind_local`); each local connection its own forwarded stream. The bytes
//! carried are counted each way as they pass, and a forward that can no longer reach its pod
//! (gone, or refused) says why.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;
use kube::{Api, Client};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::actions::executor::ActionError;
use crate::actions::forward::{ForwardStats, OpenForward, bind_local};

/// Closes the forward's tasks when the forward is dropped.
struct Abort(tokio::task::JoinHandle<()>);

impl Drop for Abort {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Binds 127.0.0.1 at `local`, else the next free port, and forwards what connects there to
/// the pod's `remote` port.
pub async fn start(
    client: &Client,
    namespace: &str,
    pod: &str,
    local: u16,
    remote: u16,
) -> Result<OpenForward, ActionError> {
    let listener = bind_local(local)
        .and_then(|l| {
            l.set_nonblocking(true).map_err(|e| e.to_string())?;
            TcpListener::from_std(l).map_err(|e| e.to_string())
        })
        .map_err(ActionError::Failed)?;
    let local = listener
        .local_addr()
        .map_err(|e| ActionError::Failed(e.to_string()))?;
    let api = Api::<Pod>::namespaced(client.clone(), namespace);
    let stats = Arc::new(ForwardStats::default());
    let counted = stats.clone();
    let pod = pod.to_string();
    let task = tokio::spawn(async move {
        // Aborting this task drops the set, which aborts every connection in it.
        let mut connections = tokio::task::JoinSet::new();
        while let Ok((conn, _)) = listener.accept().await {
            let (api, pod, stats) = (api.clone(), pod.clone(), counted.clone());
            connections.spawn(async move { carry(api, &pod, remote, conn, &stats).await });
            // Finished connections are let go of as new ones come.
            while connections.try_join_next().is_some() {}
        }
    });
    Ok(OpenForward {
        local,
        stats,
        guard: Box::new(Abort(task)),
    })
}

/// One local connection: its own portforward stream to the pod, until either side closes.
async fn carry(
    api: Api<Pod>,
    pod: &str,
    remote: u16,
    conn: tokio::net::TcpStream,
    stats: &ForwardStats,
) {
    let mut forwarder = match api.portforward(pod, &[remote]).await {
        Ok(f) => f,
        Err(e) => {
            let why = match &e {
                kube::Error::Api(s) if s.code == 404 => format!("pod {pod} is gone"),
                kube::Error::Api(s) => s.message.clone(),
                other => other.to_string(),
            };
            return stats.set_broken(why);
        }
    };
    let Some(upstream) = forwarder.take_stream(remote) else {
        return stats.set_broken(format!("the API server gave no stream for port {remote}"));
    };
    stats.set_working();
    let error = forwarder.take_error(remote);
    let (conn_read, conn_write) = conn.into_split();
    let (up_read, up_write) = tokio::io::split(upstream);
    tokio::join!(
        pump(conn_read, up_write, |n| stats.add(n, 0)),
        pump(up_read, conn_write, |n| stats.add(0, n)),
    );
    // What the port's error channel said (the pod's port refused the connection, say).
    if let Some(error) = error
        && let Ok(Some(message)) =
            tokio::time::timeout(std::time::Duration::from_millis(100), error).await
        && !message.trim().is_empty()
    {
        stats.set_broken(message.trim().to_string());
    }
    let _ = forwarder.join().await;
}

/// Copies one way, counting as it goes (so a long connection's bytes show while it runs),
/// then closes the writing side.
async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    count: impl Fn(u64),
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).await.is_err() {
                    break;
                }
                count(n as u64);
            }
        }
    }
    let _ = to.shutdown().await;
}
