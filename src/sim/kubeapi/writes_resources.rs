//! A change of the containers' requests and limits in a workload's template, as `kubectl set
//! resources` sends it (a strategic merge patch of `spec.template.spec.containers[].resources`):
//! a new revision with the same image, whose pods replace the old ones a few at a time.

use serde_json::Value;

use super::describe_parts::containers_of;
use super::error::ApiError;
use super::render;
use crate::domain::{ContainerResources, Report, SourceKind, SourceReport};
use crate::sim::World;

impl World {
    /// The containers' resources a patched template asks for, when they differ from the
    /// current ones.
    pub(super) fn resources_change(
        &self,
        current: &Value,
        patched: &Value,
    ) -> Result<Option<Vec<ContainerResources>>, ApiError> {
        let before = containers_of(&current["spec"]["template"]);
        let after = containers_of(&patched["spec"]["template"]);
        if before == after {
            return Ok(None);
        }
        if before.len() != after.len() || before.iter().zip(&after).any(|(b, a)| b.name != a.name)
        {
            return Err(ApiError::invalid(
                "spec.template.spec.containers: the simulator changes the containers' resources, not the containers",
            ));
        }
        for c in &after {
            for q in [&c.requests.cpu, &c.requests.memory, &c.limits.cpu, &c.limits.memory]
                .into_iter()
                .flatten()
            {
                if !crate::domain::resources::is_quantity(q) {
                    return Err(ApiError::invalid(format!(
                        "spec.template.spec.containers[{}].resources: Invalid value: \"{q}\": must be a quantity such as 250m or 512Mi",
                        c.name
                    )));
                }
            }
        }
        Ok(Some(after))
    }

    /// Makes `sizes` the template's resources: a new revision (same image), rolled out.
    pub(super) fn set_resources(&mut self, index: usize, sizes: Vec<ContainerResources>) {
        self.keep_revision_sizes(index);
        let image = self.workloads[index].workload.image.clone();
        self.workloads[index].workload.containers = sizes;
        self.push_revision(index, image, "kubectl set resources".into());
        let mut reports = self.restart_statefulset_pods(index);
        self.recount_workloads();
        // The workload first, so its new pods are sized by the new template when served.
        reports.insert(0, Report::Workloads(self.workload_rows()));
        let k8s = crate::sim::world::source(SourceKind::Kubernetes, crate::sim::CONTEXT);
        let now = self.now;
        self.publish(
            reports
                .into_iter()
                .map(|report| SourceReport {
                    source: k8s.clone(),
                    at: now,
                    report,
                })
                .collect(),
        );
    }

    /// Before a new revision: the current one's resources, remembered for its ReplicaSet.
    pub(super) fn keep_revision_sizes(&mut self, index: usize) {
        let w = self.workloads[index].workload.clone();
        let key = (w.namespace.clone(), w.name.clone(), w.revision);
        let api = self.api.as_mut().expect("the API is served");
        let sizes = render::sizes_of(&w, w.revision, &api.sizes);
        api.sizes.entry(key).or_insert(sizes);
    }
}
