//! Cordon and uncordon through the simulated API server: a patch of a node's
//! `spec.unschedulable` (what `kubectl cordon` sends), checked against the policy, and carried
//! out on the world's node, whose report updates the mirror before the reply.

use serde_json::Value;

use super::Resource;
use super::patch::{self, PatchType};
use super::writes::ApiError;
use crate::domain::{Report, SourceKind, SourceReport};
use crate::sim::World;

impl World {
    /// PATCH of a node: only `spec.unschedulable` may change.
    pub(super) fn api_patch_node(
        &mut self,
        name: &str,
        kind: PatchType,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        self.guard("patch", Resource::Nodes.plural(), "", name)?;
        let current = self
            .mirror()
            .get(Resource::Nodes, "", name)
            .ok_or_else(|| ApiError::not_found(Resource::Nodes, name))?;
        let patched = patch::apply(kind, &current, body).map_err(ApiError::bad_request)?;
        let unschedulable = match &patched["spec"]["unschedulable"] {
            Value::Bool(b) => *b,
            Value::Null => false,
            _ => {
                return Err(ApiError::invalid(
                    "spec.unschedulable: must be true or false",
                ));
            }
        };
        if dry_run {
            return Ok(patched);
        }
        let Some(node) = self.nodes.iter_mut().find(|n| n.name == name) else {
            return Err(ApiError::not_found(Resource::Nodes, name));
        };
        if crate::sim::nodes::set_unschedulable(node, unschedulable) {
            let report = SourceReport {
                source: crate::sim::world::source(SourceKind::Kubernetes, crate::sim::CONTEXT),
                at: self.now,
                report: Report::Nodes(self.nodes.clone()),
            };
            self.publish(vec![report]);
        }
        self.mirror()
            .get(Resource::Nodes, "", name)
            .ok_or_else(|| ApiError::not_found(Resource::Nodes, name))
    }
}
