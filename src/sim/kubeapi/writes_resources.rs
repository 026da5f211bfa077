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
        if before.len() != after.len() || before.iter().zip(&after).any(|(b, a)| b.name != a.name) {
            return Err(ApiError::invalid(
                "spec.template.spec.containers: the simulator changes the containers' resources, not the containers",
            ));
        }
        for c in &after {
            for q in [
                &c.requests.cpu,
                &c.requests.memory,
                &c.limits.cpu,
                &c.limits.memory,
            ]
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::patch::PatchType;
    use super::super::{Policy, Resource};
    use crate::config::DemoConfig;
    use crate::domain::UnixTime;
    use crate::sim::World;

    #[test]
    fn set_resources_rolls_the_pods_onto_a_template_with_the_new_limit() {
        let config = DemoConfig {
            pods: 60,
            churn: 0,
            ..DemoConfig::default()
        };
        let t0 = UnixTime(1_800_000_000);
        let mut w = World::generate(&config, 1, t0);
        w.serve_kubernetes(Policy::default(), 10_000);
        // kubectl set resources' patch: the container by name, the quantity changed.
        let body = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "pdf-recognizer", "resources": {"limits": {"memory": "4Gi"}}}]}}}});
        let patch = |w: &mut World, dry| {
            w.api_patch(
                Resource::Deployments,
                "workflow",
                "pdf-recognizer",
                PatchType::StrategicMerge,
                &body,
                dry,
            )
        };
        let index = w.workload_index("workflow", "pdf-recognizer").unwrap();
        let revision = w.workloads[index].workload.revision;
        patch(&mut w, true).expect("a dry run");
        assert_eq!(w.workloads[index].workload.revision, revision);
        patch(&mut w, false).expect("the patch");
        assert_eq!(w.workloads[index].workload.revision, revision + 1);
        let pods = w.pods_of(index).len();
        for tick in 1..=(4 * pods as i64 + 8) {
            // As the feed does: the world's reports into the API's view.
            let reports = w.step(t0.plus(tick));
            w.absorb_kubernetes(&reports);
        }
        let api = w.api.as_ref().unwrap();
        let served: Vec<_> = w
            .pods_of(index)
            .iter()
            .map(|p| api.get(Resource::Pods, "workflow", &p.key.name).unwrap())
            .collect();
        assert_eq!(served.len(), pods);
        for pod in served {
            let limits = &pod["spec"]["containers"][0]["resources"]["limits"];
            assert_eq!(limits["memory"], "4Gi", "{}", pod["metadata"]["name"]);
        }
    }
}
