//! The scale subresource of Deployments and StatefulSets: GET, and PATCH or PUT of
//! `spec.replicas`, as `kubectl scale` and opsdeck's scale send them.

use serde_json::{Value, json};

use super::Resource;
use super::error::ApiError;
use super::patch::{self, PatchType};
use super::writes::{Change, workload_kind};
use crate::sim::World;

impl World {
    /// GET of a workload's scale subresource.
    pub fn api_scale(&self, resource: Resource, ns: &str, name: &str) -> Result<Value, ApiError> {
        let object = self
            .mirror()
            .get(resource, ns, name)
            .filter(|_| workload_kind(resource).is_some())
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        Ok(json!({
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {
                "name": name, "namespace": ns,
                "uid": object["metadata"]["uid"],
                "resourceVersion": object["metadata"]["resourceVersion"],
                "creationTimestamp": object["metadata"]["creationTimestamp"],
            },
            "spec": {"replicas": object["spec"]["replicas"]},
            "status": {"replicas": object["status"]["replicas"], "selector": format!("app={name}")},
        }))
    }

    /// PATCH (`patch` given) or PUT (`body` is the new Scale) of the scale subresource.
    pub fn api_scale_write(
        &mut self,
        resource: Resource,
        ns: &str,
        name: &str,
        patch_kind: Option<PatchType>,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let verb = if patch_kind.is_some() {
            "patch"
        } else {
            "update"
        };
        self.guard(verb, &format!("{}/scale", resource.plural()), ns, name)?;
        let current = self.api_scale(resource, ns, name)?;
        let wanted = match patch_kind {
            Some(kind) => patch::apply(kind, &current, body).map_err(ApiError::bad_request)?,
            None => body.clone(),
        };
        let replicas = wanted["spec"]["replicas"]
            .as_u64()
            .filter(|r| *r <= 10_000)
            .ok_or_else(|| {
                ApiError::invalid("spec.replicas: must be a whole number up to 10000")
            })?;
        if dry_run {
            let mut out = current;
            out["spec"]["replicas"] = json!(replicas);
            return Ok(out);
        }
        if current["spec"]["replicas"].as_u64() != Some(replicas) {
            self.carry_out(resource, ns, name, Change::Scale(replicas as u32))?;
        }
        self.api_scale(resource, ns, name)
    }
}
