//! PATCH of a HorizontalPodAutoscaler: its bounds (`spec.minReplicas`, `spec.maxReplicas`),
//! as `kubectl patch hpa` and opsdeck's HPA action send them. The world's controller then
//! brings the replicas within them.

use serde_json::Value;

use super::Resource;
use super::error::ApiError;
use super::patch::{self, PatchType};
use crate::domain::{SourceKind, SourceReport};
use crate::sim::World;

impl World {
    pub(super) fn api_patch_hpa(
        &mut self,
        ns: &str,
        name: &str,
        kind: PatchType,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let resource = Resource::HorizontalPodAutoscalers;
        self.guard("patch", resource.plural(), ns, name)?;
        let current = self
            .mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        let patched = patch::apply(kind, &current, body).map_err(ApiError::bad_request)?;
        let (min, max) = bounds(&patched)?;
        if dry_run {
            return Ok(patched);
        }
        if let Some(reports) = self.set_hpa_bounds(ns, name, min, max) {
            let k8s = crate::sim::world::source(SourceKind::Kubernetes, crate::sim::CONTEXT);
            let at = self.now;
            self.publish(
                reports
                    .into_iter()
                    .map(|report| SourceReport {
                        source: k8s.clone(),
                        at,
                        report,
                    })
                    .collect(),
            );
        }
        self.mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))
    }
}

/// The patched bounds, validated as the API server does.
fn bounds(hpa: &Value) -> Result<(u32, u32), ApiError> {
    let name = hpa["metadata"]["name"].as_str().unwrap_or_default();
    let field = |key: &str| {
        hpa["spec"][key].as_u64().ok_or_else(|| {
            ApiError::invalid(format!(
                "HorizontalPodAutoscaler.autoscaling \"{name}\" is invalid: spec.{key}: must be a whole number"
            ))
        })
    };
    let min = if hpa["spec"]["minReplicas"].is_null() {
        1
    } else {
        field("minReplicas")?
    };
    let max = field("maxReplicas")?;
    if min < 1 {
        return Err(ApiError::invalid(format!(
            "HorizontalPodAutoscaler.autoscaling \"{name}\" is invalid: spec.minReplicas: Invalid value: {min}: must be greater than or equal to 1"
        )));
    }
    if max < min {
        return Err(ApiError::invalid(format!(
            "HorizontalPodAutoscaler.autoscaling \"{name}\" is invalid: spec.maxReplicas: Invalid value: {max}: must be greater than or equal to `minReplicas`"
        )));
    }
    Ok((min as u32, max as u32))
}
