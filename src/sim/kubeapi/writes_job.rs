//! Writes to CronJobs and Jobs through the simulated API server, checked against the policy
//! and carried out on the world: a Job created (what `kubectl create job --from=cronjob/NAME`
//! posts) runs its pod; a CronJob's `spec.suspend` patched; a Job deleted with its pods (the
//! background propagation kubectl asks for). A dry run answers with what would be stored.

use serde_json::Value;

use super::patch::{self, PatchType};
use super::writes::ApiError;
use super::{Resource, render_job};
use crate::domain::job::INSTANTIATE_ANNOTATION;
use crate::domain::{Report, SourceKind, SourceReport};
use crate::sim::World;

/// A Job's name must be a DNS label (it is the value of its pods' job-name label).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

impl World {
    /// Publishes reports of the Kubernetes source (what a write changed).
    pub(super) fn publish_k8s(&mut self, reports: Vec<Report>) {
        let source = crate::sim::world::source(SourceKind::Kubernetes, crate::sim::CONTEXT);
        let at = self.now;
        self.publish(
            reports
                .into_iter()
                .map(|report| SourceReport {
                    source: source.clone(),
                    at,
                    report,
                })
                .collect(),
        );
    }

    /// POST of a Job: its CronJob (the owner reference of kind CronJob), whether it was made
    /// by hand (the instantiate annotation), and a pod template with a container.
    pub(super) fn api_create_job(
        &mut self,
        ns: &str,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let name = body["metadata"]["name"].as_str().unwrap_or_default();
        self.guard("create", Resource::Jobs.plural(), ns, name)?;
        if !valid_name(name) {
            return Err(ApiError::invalid(format!(
                "metadata.name: Invalid value: \"{name}\": must be no more than 63 characters, lower case alphanumeric or '-'"
            )));
        }
        let has_container = body["spec"]["template"]["spec"]["containers"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["image"].is_string()));
        if !has_container {
            return Err(ApiError::invalid(
                "spec.template.spec.containers: Required value: a container with an image",
            ));
        }
        if self.mirror().get(Resource::Namespaces, "", ns).is_none() {
            return Err(ApiError::not_found(Resource::Namespaces, ns));
        }
        if self.mirror().get(Resource::Jobs, ns, name).is_some() {
            return Err(ApiError {
                code: 409,
                reason: "AlreadyExists",
                message: format!("jobs.batch \"{name}\" already exists"),
            });
        }
        let owner = body["metadata"]["ownerReferences"]
            .as_array()
            .and_then(|refs| refs.iter().find(|r| r["kind"] == "CronJob"))
            .and_then(|r| r["name"].as_str())
            .map(str::to_string);
        if let Some(owner) = &owner
            && self.mirror().get(Resource::CronJobs, ns, owner).is_none()
        {
            return Err(ApiError::not_found(Resource::CronJobs, owner));
        }
        let manual = body["metadata"]["annotations"][INSTANTIATE_ANNOTATION] == "manual";
        if dry_run {
            let mut job =
                crate::sim::jobs::SimJob::start(ns, name, owner.as_deref(), manual, self.now).job;
            job.active = 1;
            return Ok(render_job::job(&job));
        }
        let reports = self.create_job(ns, name, owner.as_deref(), manual);
        self.publish_k8s(reports);
        self.mirror()
            .get(Resource::Jobs, ns, name)
            .ok_or_else(|| ApiError::not_found(Resource::Jobs, name))
    }

    /// PATCH of a CronJob: only `spec.suspend` may change.
    pub(super) fn api_patch_cronjob(
        &mut self,
        ns: &str,
        name: &str,
        kind: PatchType,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        self.guard("patch", Resource::CronJobs.plural(), ns, name)?;
        let current = self
            .mirror()
            .get(Resource::CronJobs, ns, name)
            .ok_or_else(|| ApiError::not_found(Resource::CronJobs, name))?;
        let patched = patch::apply(kind, &current, body).map_err(ApiError::bad_request)?;
        let suspend = match &patched["spec"]["suspend"] {
            Value::Bool(b) => *b,
            Value::Null => false,
            _ => return Err(ApiError::invalid("spec.suspend: must be true or false")),
        };
        let mut others = patched["spec"].clone();
        let mut was = current["spec"].clone();
        others["suspend"] = Value::Null;
        was["suspend"] = Value::Null;
        if others != was {
            return Err(ApiError::invalid(
                "spec: the simulator changes only spec.suspend of a CronJob",
            ));
        }
        if dry_run {
            return Ok(patched);
        }
        if self.set_suspend(ns, name, suspend) == Some(true) {
            self.publish_k8s(vec![Report::CronJobs(self.cronjobs.clone())]);
        }
        self.mirror()
            .get(Resource::CronJobs, ns, name)
            .ok_or_else(|| ApiError::not_found(Resource::CronJobs, name))
    }

    /// DELETE of a Job: it goes, and its pods with it.
    pub(super) fn api_delete_job(
        &mut self,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        self.guard("delete", Resource::Jobs.plural(), ns, name)?;
        let object = self
            .mirror()
            .get(Resource::Jobs, ns, name)
            .ok_or_else(|| ApiError::not_found(Resource::Jobs, name))?;
        if !dry_run && let Some(reports) = self.delete_job(ns, name) {
            self.publish_k8s(reports);
        }
        Ok(object)
    }
}
