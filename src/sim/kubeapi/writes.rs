//! Writes through the simulated API server: each is checked against the policy, worked out on
//! the rendered object (so a dry run returns exactly what would be stored), then carried out by
//! the world as the matching action, whose reports update the mirror before the reply.

use serde_json::Value;

pub use super::error::ApiError;
use super::patch::{self, PatchType};
use super::render::{self, RESTARTED_AT_ANNOTATION};
use super::{ApiMirror, Resource};
use crate::actions::{Action, ActionKind, LOCKDOWN_POLICY, Target, WorkloadKindName};
use crate::domain::{Report, SourceKind, SourceReport, WorkloadKind};
use crate::sim::World;
use crate::sim::actions::Applied;

/// What a write asks of the world.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Change {
    Scale(u32),
    /// A new revision with the same image, marked with this restartedAt.
    Restart(String),
    Rollback(u64),
    SetImage(String),
    /// The containers' requests and limits (`kubectl set resources`): a new revision.
    Resources(Vec<crate::domain::ContainerResources>),
}

pub(super) fn workload_kind(resource: Resource) -> Option<WorkloadKind> {
    match resource {
        Resource::Deployments => Some(WorkloadKind::Deployment),
        Resource::StatefulSets => Some(WorkloadKind::StatefulSet),
        _ => None,
    }
}

fn image_of(object: &Value) -> Option<&str> {
    object["spec"]["template"]["spec"]["containers"][0]["image"].as_str()
}

fn restarted_of(object: &Value) -> Option<&str> {
    object["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT_ANNOTATION].as_str()
}

impl World {
    pub(super) fn mirror(&self) -> &ApiMirror {
        self.api.as_ref().expect("the API is served")
    }

    fn mirror_mut(&mut self) -> &mut ApiMirror {
        self.api.as_mut().expect("the API is served")
    }

    pub(crate) fn guard(
        &self,
        verb: &str,
        resource: &str,
        ns: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        self.mirror()
            .policy
            .check(verb, resource, ns)
            .map_err(|_| ApiError {
                code: 403,
                reason: "Forbidden",
                message: format!(
                    "{resource} \"{name}\" is forbidden: User \"{}\" cannot {verb} resource \"{resource}\" in the namespace \"{ns}\"",
                    super::policy::USER
                ),
            })
    }

    /// Reports from an API write: into the mirror now, to the cockpit by the feed.
    pub(crate) fn publish(&mut self, reports: Vec<SourceReport>) {
        if let Some(api) = self.api.as_mut() {
            for r in reports
                .iter()
                .filter(|r| r.source.kind == SourceKind::Kubernetes)
            {
                api.absorb(&r.report);
            }
        }
        self.outbox.extend(reports);
    }

    pub(super) fn act(&mut self, kind: ActionKind, target: Target) -> Result<(), ApiError> {
        let action = Action {
            kind,
            target,
            context: crate::sim::CONTEXT.into(),
        };
        match self.apply(&action) {
            Ok(Applied::Done(_, reports)) => {
                self.publish(reports);
                Ok(())
            }
            Ok(Applied::Job(_)) => Err(ApiError::invalid("not a Kubernetes change")),
            Err(e) => Err(ApiError::invalid(e.to_string())),
        }
    }

    /// PATCH of a Deployment or StatefulSet.
    pub fn api_patch(
        &mut self,
        resource: Resource,
        ns: &str,
        name: &str,
        kind: PatchType,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if resource == Resource::Nodes {
            return self.api_patch_node(name, kind, body, dry_run);
        }
        if resource == Resource::HorizontalPodAutoscalers {
            return self.api_patch_hpa(ns, name, kind, body, dry_run);
        }
        if resource == Resource::CronJobs {
            return self.api_patch_cronjob(ns, name, kind, body, dry_run);
        }
        if resource == Resource::ConfigMaps {
            return self.api_patch_config_map(ns, name, kind, body, dry_run);
        }
        if workload_kind(resource).is_none() {
            return Err(ApiError {
                code: 405,
                reason: "MethodNotAllowed",
                message: format!("the simulator does not patch {}", resource.plural()),
            });
        }
        self.guard("patch", resource.plural(), ns, name)?;
        let current = self
            .mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        let patched = patch::apply(kind, &current, body).map_err(ApiError::bad_request)?;
        let changes = self.interpret(ns, name, &current, &patched)?;
        if dry_run {
            return Ok(patched);
        }
        for change in changes {
            self.carry_out(resource, ns, name, change)?;
        }
        self.mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))
    }

    /// What a patched object asks for, compared with the current one.
    fn interpret(
        &self,
        ns: &str,
        name: &str,
        current: &Value,
        patched: &Value,
    ) -> Result<Vec<Change>, ApiError> {
        let mut changes = Vec::new();
        if patched["spec"]["replicas"] != current["spec"]["replicas"] {
            let replicas = patched["spec"]["replicas"]
                .as_u64()
                .ok_or_else(|| ApiError::invalid("spec.replicas: must be a whole number"))?;
            changes.push(Change::Scale(replicas as u32));
        }
        let image = image_of(patched).ok_or_else(|| {
            ApiError::invalid(
                "spec.template.spec.containers: a container with an image is required",
            )
        })?;
        let restarted = restarted_of(patched);
        let same_template =
            image == image_of(current).unwrap_or_default() && restarted == restarted_of(current);
        // Resources alone (`kubectl set resources`); with the image too, a rollback brings
        // the revision's resources back with it.
        if same_template && let Some(sizes) = self.resources_change(current, patched)? {
            changes.push(Change::Resources(sizes));
            return Ok(changes);
        }
        if same_template {
            return Ok(changes);
        }
        let index = self
            .workload_index(ns, name)
            .ok_or_else(|| ApiError::invalid("no such workload"))?;
        let w = &self.workloads[index].workload;
        let times = &self.mirror().restarted_at;
        // A template that some earlier revision had is a rollback to it, as Kubernetes finds
        // the matching ReplicaSet.
        let earlier = w.history.iter().rev().find(|r| {
            r.number != w.revision
                && r.image == image
                && times
                    .get(&(ns.to_string(), name.to_string(), r.number))
                    .map(String::as_str)
                    == restarted
        });
        changes.push(match earlier {
            Some(r) => Change::Rollback(r.number),
            None if image == w.image => Change::Restart(restarted.unwrap_or_default().to_string()),
            None => Change::SetImage(image.to_string()),
        });
        Ok(changes)
    }

    pub(super) fn carry_out(
        &mut self,
        resource: Resource,
        ns: &str,
        name: &str,
        change: Change,
    ) -> Result<(), ApiError> {
        let kind: WorkloadKindName = workload_kind(resource).expect("a workload").into();
        let target = Target::Workload {
            namespace: ns.into(),
            kind,
            name: name.into(),
        };
        let index = self
            .workload_index(ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        let next = {
            let w = &self.workloads[index].workload;
            w.history
                .iter()
                .map(|r| r.number)
                .max()
                .unwrap_or(w.revision)
                + 1
        };
        let key = |n| (ns.to_string(), name.to_string(), n);
        if !matches!(change, Change::Scale(_)) {
            self.keep_revision_sizes(index);
        }
        match change {
            Change::Resources(sizes) => {
                self.set_resources(index, sizes);
                Ok(())
            }
            Change::Scale(replicas) => self.act(ActionKind::Scale { replicas }, target),
            Change::Restart(at) => {
                if !at.is_empty() {
                    self.mirror_mut().restarted_at.insert(key(next), at);
                }
                self.act(ActionKind::RolloutRestart, target)
            }
            Change::Rollback(to_revision) => {
                if let Some(at) = self.mirror().restarted_at.get(&key(to_revision)).cloned() {
                    self.mirror_mut().restarted_at.insert(key(next), at);
                }
                // The revision's template comes back whole: its resources too.
                let w = &self.workloads[index].workload;
                let sizes = render::sizes_of(w, to_revision, &self.mirror().sizes);
                self.workloads[index].workload.containers = sizes;
                self.act(ActionKind::Rollback { to_revision }, target)
            }
            Change::SetImage(image) => {
                let cause = format!("image set to {image}");
                self.push_revision(index, image, cause);
                let mut reports = self.restart_statefulset_pods(index);
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
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
                Ok(())
            }
        }
    }

    /// DELETE of a pod (its controller makes a new one) or of opsdeck's lockdown policy.
    pub fn api_delete(
        &mut self,
        resource: Resource,
        ns: &str,
        name: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if resource == Resource::Jobs {
            return self.api_delete_job(ns, name, dry_run);
        }
        self.guard("delete", resource.plural(), ns, name)?;
        let object = self
            .mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))?;
        let (kind, target) = match resource {
            Resource::Pods => (
                ActionKind::RestartPod,
                Target::Pod {
                    namespace: ns.into(),
                    name: name.into(),
                },
            ),
            Resource::NetworkPolicies if name == LOCKDOWN_POLICY => (
                ActionKind::LiftLockdown,
                Target::Namespace {
                    namespace: ns.into(),
                },
            ),
            _ => {
                return Err(ApiError {
                    code: 405,
                    reason: "MethodNotAllowed",
                    message: format!("the simulator does not delete {}", resource.plural()),
                });
            }
        };
        if !dry_run {
            self.act(kind, target)?;
        }
        Ok(object)
    }

    /// POST of a NetworkPolicy: the simulator keeps opsdeck's lockdown policy only.
    pub fn api_create(
        &mut self,
        resource: Resource,
        ns: &str,
        body: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if resource == Resource::Jobs {
            return self.api_create_job(ns, body, dry_run);
        }
        let name = body["metadata"]["name"].as_str().unwrap_or_default();
        self.guard("create", resource.plural(), ns, name)?;
        if resource != Resource::NetworkPolicies {
            return Err(ApiError {
                code: 405,
                reason: "MethodNotAllowed",
                message: format!("the simulator does not create {}", resource.plural()),
            });
        }
        if name != LOCKDOWN_POLICY {
            return Err(ApiError::invalid(format!(
                "metadata.name: the simulator keeps only the {LOCKDOWN_POLICY} policy"
            )));
        }
        if self.mirror().get(Resource::Namespaces, "", ns).is_none() {
            return Err(ApiError::not_found(Resource::Namespaces, ns));
        }
        if self.mirror().get(resource, ns, name).is_some() {
            return Err(ApiError {
                code: 409,
                reason: "AlreadyExists",
                message: format!("networkpolicies.networking.k8s.io \"{name}\" already exists"),
            });
        }
        if dry_run {
            let mut out = render::lockdown_policy(ns, self.now);
            out["spec"] = body["spec"].clone();
            return Ok(out);
        }
        self.act(
            ActionKind::Lockdown,
            Target::Namespace {
                namespace: ns.into(),
            },
        )?;
        self.mirror()
            .get(resource, ns, name)
            .ok_or_else(|| ApiError::not_found(resource, name))
    }
}
