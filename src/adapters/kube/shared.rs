//! One client per context, shared by everything that talks to that cluster: the watches, the
//! metrics polls, the actions and every log read. A kube `Client` is a connection pool; one
//! made per request (as log reads once were) opens a TCP (and TLS) connection of its own each
//! time and throws it away, which the issue measured as a new connection per log read.

use std::collections::HashMap;
use std::sync::Arc;

use kube::Client;
use tokio::sync::Mutex;

use crate::config::KubernetesConfig;

#[derive(Clone, Default)]
pub struct Clients {
    by_config: Arc<Mutex<HashMap<String, Client>>>,
}

impl Clients {
    /// The client for `cfg`, made the first time it is asked for. A client that could not be
    /// made is not kept: the next request tries again (the kubeconfig may have been fixed).
    pub async fn get(&self, cfg: &KubernetesConfig) -> Result<Client, String> {
        let key = key(cfg);
        let mut clients = self.by_config.lock().await;
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = super::client(cfg).await?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// A new client for `cfg` in place of the one kept: after a 401 the credential it holds is
    /// no good, and a new one logs in again (re-reading the kubeconfig, re-running an exec
    /// plugin). Everything that asks afterwards shares the new one.
    pub async fn renew(&self, cfg: &KubernetesConfig) -> Result<Client, String> {
        let key = key(cfg);
        let mut clients = self.by_config.lock().await;
        clients.remove(&key);
        let client = super::client(cfg).await?;
        clients.insert(key, client.clone());
        Ok(client)
    }
}

/// The namespaces watched do not change the connection.
fn key(cfg: &KubernetesConfig) -> String {
    format!(
        "{:?}",
        KubernetesConfig {
            namespaces: Vec::new(),
            ..cfg.clone()
        }
    )
}
