//! The Jobs panel's actions against the API server, as kubectl does them: run now is `kubectl
//! create job JOB --from=cronjob/NAME` (the CronJob read, a Job made from its `jobTemplate`
//! with the `cronjob.kubernetes.io/instantiate: manual` annotation and a controller reference
//! to the CronJob, without `blockOwnerDeletion`, then posted); suspend and resume are `kubectl
//! patch`'s merge of `spec.suspend`; delete is `kubectl delete job` (propagation Background,
//! so its pods go too).

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{CronJob, Job, JobSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube::api::{DeleteParams, Patch, PatchParams, PostParams, PropagationPolicy};
use kube::{Api, Client};
use serde_json::json;

use super::actions::action_error;
use crate::actions::executor::ActionError;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::job::INSTANTIATE_ANNOTATION;

/// The RBAC question of a Jobs action: verb and resource (group `batch`).
pub(super) fn access(action: &Action) -> Option<(&'static str, &'static str)> {
    Some(match (&action.kind, &action.target) {
        (ActionKind::RunCronJob { .. }, Target::CronJob { .. }) => ("create", "jobs"),
        (ActionKind::SuspendCronJob | ActionKind::ResumeCronJob, Target::CronJob { .. }) => {
            ("patch", "cronjobs")
        }
        (ActionKind::DeleteJob, Target::Job { .. }) => ("delete", "jobs"),
        _ => return None,
    })
}

/// The Job `kubectl create job NAME --from=cronjob/...` makes of `cronjob`.
pub fn job_from(cronjob: &CronJob, name: &str) -> Job {
    let template = cronjob.spec.job_template.clone();
    let meta = template.metadata.unwrap_or_default();
    let mut annotations =
        BTreeMap::from([(INSTANTIATE_ANNOTATION.to_string(), "manual".to_string())]);
    annotations.extend(meta.annotations.unwrap_or_default());
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: cronjob.metadata.namespace.clone(),
            annotations: Some(annotations),
            labels: meta.labels,
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name: cronjob.metadata.name.clone().unwrap_or_default(),
                uid: cronjob.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..Default::default()
        },
        spec: template.spec.or_else(|| Some(JobSpec::default())),
        status: None,
    }
}

/// Carries out a Jobs action (or has the server dry-run it); `None` when it is not one.
pub(super) async fn perform(
    client: &Client,
    action: &Action,
    dry_run: bool,
    patch_params: &PatchParams,
) -> Option<Result<String, ActionError>> {
    let would = |done: String, dry: String| if dry_run { dry } else { done };
    Some(match (&action.kind, &action.target) {
        (ActionKind::RunCronJob { job }, Target::CronJob { namespace, name }) => {
            let cronjobs = Api::<CronJob>::namespaced(client.clone(), namespace);
            let jobs = Api::<Job>::namespaced(client.clone(), namespace);
            async {
                let cronjob = cronjobs.get(name).await.map_err(action_error)?;
                let params = PostParams {
                    dry_run,
                    field_manager: Some(super::actions::FIELD_MANAGER.into()),
                };
                jobs.create(&params, &job_from(&cronjob, job))
                    .await
                    .map_err(action_error)?;
                Ok(would(
                    format!("job {job} created from cronjob {name}"),
                    format!("server accepts job {job} from cronjob {name}"),
                ))
            }
            .await
        }
        (
            kind @ (ActionKind::SuspendCronJob | ActionKind::ResumeCronJob),
            Target::CronJob { namespace, name },
        ) => {
            let suspend = *kind == ActionKind::SuspendCronJob;
            let patch = Patch::Merge(json!({"spec": {"suspend": suspend}}));
            let done = if suspend { "suspended" } else { "resumed" };
            Api::<CronJob>::namespaced(client.clone(), namespace)
                .patch(name, patch_params, &patch)
                .await
                .map_err(action_error)
                .map(|_| {
                    would(
                        format!("cronjob {name} {done}"),
                        format!("server accepts spec.suspend={suspend} on cronjob {name}"),
                    )
                })
        }
        (ActionKind::DeleteJob, Target::Job { namespace, name }) => {
            let params = DeleteParams {
                dry_run,
                propagation_policy: Some(PropagationPolicy::Background),
                ..Default::default()
            };
            Api::<Job>::namespaced(client.clone(), namespace)
                .delete(name, &params)
                .await
                .map_err(action_error)
                .map(|_| {
                    would(
                        format!("job {name} deleted, its pods with it"),
                        format!("server accepts deleting job {name}"),
                    )
                })
        }
        _ => return None,
    })
}
