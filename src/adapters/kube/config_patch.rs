//! A ConfigMap key set to a new value, as `kubectl patch configmap --type merge` sends it: a
//! merge patch of `data` that also carries `metadata.resourceVersion`, the version the value
//! was read at, so that the API server refuses it (409 Conflict) when someone else changed
//! the ConfigMap since.

use k8s_openapi::api::core::v1::ConfigMap;
use kube::Client;
use kube::api::{Api, Patch, PatchParams};
use serde_json::json;

use super::actions::action_error;
use crate::actions::executor::ActionError;
use crate::actions::preflight_config::CHANGED_SINCE;

/// The merge patch a ConfigMap edit sends.
pub fn merge_patch(key: &str, value: &str, resource_version: &str) -> serde_json::Value {
    json!({
        "metadata": {"resourceVersion": resource_version},
        "data": {key: value},
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn patch(
    client: &Client,
    params: &PatchParams,
    namespace: &str,
    name: &str,
    key: &str,
    value: &str,
    resource_version: &str,
) -> Result<String, ActionError> {
    let patch = Patch::Merge(merge_patch(key, value, resource_version));
    let api = Api::<ConfigMap>::namespaced(client.clone(), namespace);
    match api.patch(name, params, &patch).await {
        Ok(stored) => {
            let now = stored.metadata.resource_version.unwrap_or_default();
            Ok(if params.dry_run {
                format!(
                    "server accepts {key} ({} bytes) in configmap {name}",
                    value.len()
                )
            } else {
                format!(
                    "{key} set ({} bytes); resourceVersion {resource_version} → {now}",
                    value.len()
                )
            })
        }
        Err(kube::Error::Api(status)) if status.code == 409 => Err(ActionError::Failed(format!(
            "configmap {name} {CHANGED_SINCE} (resourceVersion {resource_version} is no longer current); open it again"
        ))),
        Err(e) => Err(action_error(e)),
    }
}
