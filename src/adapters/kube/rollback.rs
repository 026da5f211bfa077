//! Rollback as `kubectl rollout undo --to-revision` does it: find the deployment's ReplicaSet of
//! that revision (controlled by it, by uid) and put its pod template back.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kube::api::{ListParams, Patch};
use kube::{Api, Client};
use serde_json::json;

use super::actions::action_error;
use super::convert::{REVISION_ANNOTATION, TEMPLATE_HASH_LABEL};
use crate::actions::executor::ActionError;

/// The JSON patch `kubectl rollout undo --to-revision` sends: the chosen ReplicaSet's template
/// (without its hash label) replaces the deployment's.
pub(super) async fn rollback_patch(
    client: &Client,
    namespace: &str,
    name: &str,
    to_revision: u64,
) -> Result<(String, Patch<serde_json::Value>), ActionError> {
    let deployment = Api::<Deployment>::namespaced(client.clone(), namespace)
        .get(name)
        .await
        .map_err(action_error)?;
    let uid = deployment.metadata.uid.clone().unwrap_or_default();
    let selector = deployment
        .spec
        .selector
        .match_labels
        .as_ref()
        .map(|labels| {
            labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let sets = Api::<ReplicaSet>::namespaced(client.clone(), namespace)
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(action_error)?;
    let chosen = sets
        .items
        .into_iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|o| o.controller == Some(true) && o.uid == uid)
        })
        .find(|rs| {
            rs.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION_ANNOTATION))
                .and_then(|r| r.parse::<u64>().ok())
                == Some(to_revision)
        })
        .ok_or_else(|| {
            ActionError::NotFound(format!("revision {to_revision} of {namespace}/{name}"))
        })?;
    let mut template = chosen.spec.template.ok_or_else(|| {
        ActionError::Failed(format!("revision {to_revision} has no pod template"))
    })?;
    if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(TEMPLATE_HASH_LABEL);
    }
    let image = template
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default();
    let template =
        serde_json::to_value(template).map_err(|e| ActionError::Failed(e.to_string()))?;
    let ops = json!([{"op": "replace", "path": "/spec/template", "value": template}]);
    let patch: json_patch::Patch =
        serde_json::from_value(ops).map_err(|e| ActionError::Failed(e.to_string()))?;
    Ok((image, Patch::Json(patch)))
}
