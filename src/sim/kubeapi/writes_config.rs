//! Patching a ConfigMap through the simulated API server: checked against the policy, the
//! patch worked out on the stored object (a dry run returns it), refused with 409 Conflict when
//! it carries a `metadata.resourceVersion` that is no longer the stored one (the API server's
//! optimistic concurrency), then stored, its resource version bumped, and reported.

use serde_json::Value;

use super::Resource;
use super::patch::{self, PatchType};
use super::writes::ApiError;
use crate::domain::{ConfigKind, Report, SourceKind, SourceReport};
use crate::sim::World;

impl World {
    /// PATCH of a ConfigMap: its `data` may change.
    pub(super) fn api_patch_config_map(
        &mut self,
        ns: &str,
        name: &str,
        kind: PatchType,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let resource = Resource::ConfigMaps;
        self.guard("patch", resource.plural(), ns, name)?;
        let current = self
            .mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        let asked = &body["metadata"]["resourceVersion"];
        if !asked.is_null() && *asked != current["metadata"]["resourceVersion"] {
            return Err(ApiError {
                code: 409,
                reason: "Conflict",
                message: format!(
                    "Operation cannot be fulfilled on configmaps \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
                ),
            });
        }
        let patched = patch::apply(kind, &current, body).map_err(ApiError::bad_request)?;
        let mut data = std::collections::BTreeMap::new();
        match &patched["data"] {
            Value::Null => {}
            Value::Object(map) => {
                for (k, v) in map {
                    let Some(v) = v.as_str() else {
                        return Err(ApiError::invalid(format!(
                            "data[{k}]: Invalid value: must be a string"
                        )));
                    };
                    data.insert(k.clone(), v.to_string());
                }
            }
            _ => return Err(ApiError::invalid("data: Invalid value: must be an object")),
        }
        if dry_run {
            return Ok(patched);
        }
        let Some(config) = self
            .configs
            .iter_mut()
            .find(|c| c.kind == ConfigKind::ConfigMap && c.namespace == ns && c.name == name)
        else {
            return Err(ApiError::not_found(resource, name));
        };
        if config.data != data {
            config.data = data;
            config.version += 1;
            let object = super::render_config::config(config);
            self.api
                .as_mut()
                .expect("the API is served")
                .upsert_value(resource, object);
            let report = SourceReport {
                source: crate::sim::world::source(SourceKind::Kubernetes, crate::sim::CONTEXT),
                at: self.now,
                report: Report::Configs(self.config_rows()),
            };
            self.publish(vec![report]);
        }
        self.mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))
    }
}
