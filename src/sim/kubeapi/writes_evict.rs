//! The Eviction API (`POST .../pods/NAME/eviction`, a policy/v1 Eviction): what `kubectl
//! drain` and opsdeck's drain send for each pod. Checked against the policy (`create
//! pods/eviction`) and the disruption budgets (429 when one forbids it), then carried out as
//! the pod's deletion, after which its controller makes a new one on a schedulable node.

use serde_json::{Value, json};

use super::Resource;
use super::writes::ApiError;
use crate::actions::{ActionKind, Target};
use crate::sim::World;

impl World {
    /// Evicts pod `name` in `ns`; `dry_run` only checks. The `Status` of success.
    pub fn api_evict(&mut self, ns: &str, name: &str, dry_run: bool) -> Result<Value, ApiError> {
        self.guard("create", "pods/eviction", ns, name)?;
        let pod = self
            .mirror()
            .pod(ns, name)
            .ok_or_else(|| ApiError::not_found(Resource::Pods, name))?;
        self.mirror().eviction_allowed(&pod)?;
        // A Job's pod (a finished attempt's, as a drain meets them) is kept by its Job, not
        // among the workloads' pods: it is deleted there, as the API server deletes it.
        let job_pod = pod.owner.as_deref().is_some_and(|o| o.starts_with("Job/"));
        if job_pod && !dry_run {
            let reports = self
                .delete_job_pod(ns, name)
                .ok_or_else(|| ApiError::not_found(Resource::Pods, name))?;
            self.publish_k8s(reports);
        } else if !dry_run {
            self.act(
                ActionKind::RestartPod,
                Target::Pod {
                    namespace: ns.into(),
                    name: name.into(),
                },
            )?;
        }
        Ok(json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Success", "code": 201,
        }))
    }
}
