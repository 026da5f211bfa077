//! One object by GET through the kube client (so the kubeconfig's auth and TLS apply), for the
//! YAML view and the details: fetched once when asked, never watched. What comes back is
//! prepared before it leaves the adapter: `managedFields` dropped, a Secret's values replaced
//! by their sizes.

use serde_json::Value;

use crate::config::KubernetesConfig;
use crate::domain::kube_object::{ObjectRef, prepare};

#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("{0}")]
    Connect(String),
    /// RBAC refused the GET: `not permitted: get pods in pos`.
    #[error("{0}")]
    NotPermitted(String),
    #[error("{0} not found (deleted since it was listed?)")]
    NotFound(String),
    #[error("{0}")]
    Failed(String),
}

/// One GET on a client of its own, for a one-off fetch (tests, the CLI).
pub async fn get(cfg: &KubernetesConfig, object: &ObjectRef) -> Result<Value, ObjectError> {
    let client = super::client(cfg).await.map_err(ObjectError::Connect)?;
    get_with(client, object).await
}

/// One GET through `client` (the cluster's one connection pool, in the cockpit).
pub async fn get_with(client: kube::Client, object: &ObjectRef) -> Result<Value, ObjectError> {
    let request = http::Request::get(object.path())
        .body(Vec::new())
        .map_err(|e| ObjectError::Failed(e.to_string()))?;
    match client.request::<Value>(request).await {
        Ok(value) => Ok(prepare(value)),
        Err(kube::Error::Api(status)) if status.code == 403 => {
            Err(ObjectError::NotPermitted(object.not_permitted()))
        }
        Err(kube::Error::Api(status)) if status.code == 404 => {
            Err(ObjectError::NotFound(object.title()))
        }
        Err(e) => Err(ObjectError::Failed(super::actions::describe(&e))),
    }
}
