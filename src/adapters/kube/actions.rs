//! Workload, pod and namespace actions against the API server, done as kubectl does them:
//! scale through the scale subresource, rollout restart by the `restartedAt` template
//! annotation, rollback by copying the chosen ReplicaSet's template back (`rollout undo
//! --to-revision`), lockdown by opsdeck's deny-all NetworkPolicy, restart pod by deleting it.
//! Permission is a SelfSubjectAccessReview for the exact verb and resource, followed by a
//! server-side dry run of the change, whose answer the dialog shows.

use futures::future::BoxFuture;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;
use tokio::sync::mpsc;

use crate::actions::executor::{ActionError, Executor, Permission};
use crate::actions::{Action, ActionKind, LOCKDOWN_POLICY, Target, WorkloadKindName};
use crate::config::KubernetesConfig;
use crate::domain::UnixTime;

/// Who we say made a change (`managedFields`).
pub(super) const FIELD_MANAGER: &str = "opsdeck";
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// The label that marks a NetworkPolicy as opsdeck's: lifting deletes only such a policy.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "opsdeck");

use super::actions_access::access;
pub(super) use super::api_errors::action_error;
pub use super::api_errors::describe;

pub struct KubeExecutor {
    cfg: KubernetesConfig,
    clients: super::Clients,
}

impl KubeExecutor {
    pub fn new(cfg: KubernetesConfig) -> Self {
        Self::shared(cfg, super::Clients::default())
    }

    /// An executor whose requests go through the cluster's one client (its connection pool).
    pub fn shared(cfg: KubernetesConfig, clients: super::Clients) -> Self {
        KubeExecutor { cfg, clients }
    }

    async fn client(&self) -> Result<Client, ActionError> {
        self.clients
            .get(&self.cfg)
            .await
            .map_err(|e| ActionError::Unavailable(format!("the cluster ({e})")))
    }

    async fn review(
        &self,
        client: &Client,
        action: &Action,
    ) -> Result<Option<String>, ActionError> {
        let Some((verb, group, resource, subresource)) = access(action) else {
            return Err(ActionError::Unavailable(action.kind.name().into()));
        };
        let name = match &action.target {
            Target::Namespace { .. } if verb == "delete" => Some(LOCKDOWN_POLICY.to_string()),
            Target::Namespace { .. } => None,
            _ if let ActionKind::HpaBounds { hpa, .. } = &action.kind => Some(hpa.clone()),
            Target::Node { .. } if subresource == "eviction" => None,
            other => Some(other.name()),
        };
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: action.target.namespace().map(str::to_string),
                    verb: Some(verb.into()),
                    group: Some(group.into()),
                    resource: Some(resource.into()),
                    subresource: (!subresource.is_empty()).then(|| subresource.into()),
                    name,
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let answer = Api::<SelfSubjectAccessReview>::all(client.clone())
            .create(&PostParams::default(), &review)
            .await
            .map_err(action_error)?;
        let status = answer.status.unwrap_or_default();
        if status.allowed {
            return Ok(None);
        }
        let what = match subresource {
            "" => resource.to_string(),
            sub => format!("{resource}/{sub}"),
        };
        let ns = action.target.namespace().unwrap_or("the cluster");
        Ok(Some(match status.reason.filter(|r| !r.is_empty()) {
            Some(reason) => format!("RBAC: {reason}"),
            None => format!("RBAC does not allow {verb} on {what} in {ns}"),
        }))
    }

    /// Carries out the action, or with `dry_run` has the server check it; what happened (or
    /// would), in a sentence.
    async fn perform(
        &self,
        client: &Client,
        action: &Action,
        dry_run: bool,
    ) -> Result<String, ActionError> {
        let patch_params = PatchParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.into()),
            ..Default::default()
        };
        if let Some(result) =
            super::actions_job::perform(client, action, dry_run, &patch_params).await
        {
            return result;
        }
        let would = |done: String, dry: String| if dry_run { dry } else { done };
        if let Some(done) = super::actions_template::perform(client, action, &patch_params).await {
            return done;
        }
        match (&action.kind, &action.target) {
            (
                ActionKind::Scale { replicas },
                Target::Workload {
                    namespace,
                    kind,
                    name,
                },
            ) => {
                let patch = Patch::Merge(json!({"spec": {"replicas": replicas}}));
                let scale = match kind {
                    WorkloadKindName::Deployment => {
                        Api::<Deployment>::namespaced(client.clone(), namespace)
                            .patch_scale(name, &patch_params, &patch)
                            .await
                    }
                    WorkloadKindName::StatefulSet => {
                        Api::<StatefulSet>::namespaced(client.clone(), namespace)
                            .patch_scale(name, &patch_params, &patch)
                            .await
                    }
                }
                .map_err(action_error)?;
                let got = scale.spec.and_then(|s| s.replicas).unwrap_or_default();
                Ok(would(
                    format!("scaled to {got} replicas"),
                    format!("server accepts replicas = {got}"),
                ))
            }
            (
                ActionKind::RolloutRestart,
                Target::Workload {
                    namespace,
                    kind,
                    name,
                },
            ) => {
                let at = UnixTime::now().rfc3339();
                let patch = Patch::Strategic(
                    json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: at}}}}}),
                );
                match kind {
                    WorkloadKindName::Deployment => {
                        Api::<Deployment>::namespaced(client.clone(), namespace)
                            .patch(name, &patch_params, &patch)
                            .await
                            .map(|_| ())
                    }
                    WorkloadKindName::StatefulSet => {
                        Api::<StatefulSet>::namespaced(client.clone(), namespace)
                            .patch(name, &patch_params, &patch)
                            .await
                            .map(|_| ())
                    }
                }
                .map_err(action_error)?;
                Ok(would(
                    format!("restart rolling out (restartedAt {at})"),
                    "server accepts the restartedAt annotation".into(),
                ))
            }
            (
                ActionKind::Rollback { to_revision },
                Target::Workload {
                    namespace,
                    kind,
                    name,
                },
            ) => {
                if *kind != WorkloadKindName::Deployment {
                    return Err(ActionError::Failed(format!(
                        "opsdeck rolls back deployments only; for a statefulset run kubectl -n {namespace} rollout undo statefulset/{name} --to-revision={to_revision}"
                    )));
                }
                let (image, patch) =
                    super::rollback::rollback_patch(client, namespace, name, *to_revision).await?;
                Api::<Deployment>::namespaced(client.clone(), namespace)
                    .patch(name, &patch_params, &patch)
                    .await
                    .map_err(action_error)?;
                Ok(would(
                    format!("rolled back to revision {to_revision} ({image})"),
                    format!("server accepts revision {to_revision}'s template ({image})"),
                ))
            }
            (ActionKind::Lockdown, Target::Namespace { namespace }) => {
                let policy: NetworkPolicy = serde_json::from_value(json!({
                    "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                    "metadata": {"name": LOCKDOWN_POLICY, "namespace": namespace,
                        "labels": {MANAGED_BY.0: MANAGED_BY.1}},
                    "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
                }))
                .map_err(|e| ActionError::Failed(e.to_string()))?;
                let params = PostParams {
                    dry_run,
                    field_manager: Some(FIELD_MANAGER.into()),
                };
                Api::<NetworkPolicy>::namespaced(client.clone(), namespace)
                    .create(&params, &policy)
                    .await
                    .map_err(action_error)?;
                Ok(would(
                    format!("NetworkPolicy {LOCKDOWN_POLICY} created in {namespace}"),
                    format!("server accepts NetworkPolicy {LOCKDOWN_POLICY}"),
                ))
            }
            (ActionKind::LiftLockdown, Target::Namespace { namespace }) => {
                let api = Api::<NetworkPolicy>::namespaced(client.clone(), namespace);
                let ours = api.get(LOCKDOWN_POLICY).await.map_err(action_error)?;
                let labels = ours.metadata.labels.unwrap_or_default();
                if labels.get(MANAGED_BY.0).map(String::as_str) != Some(MANAGED_BY.1) {
                    return Err(ActionError::Failed(format!(
                        "NetworkPolicy {LOCKDOWN_POLICY} in {namespace} is not labelled {}={}; opsdeck deletes only its own",
                        MANAGED_BY.0, MANAGED_BY.1
                    )));
                }
                let params = DeleteParams {
                    dry_run,
                    ..Default::default()
                };
                api.delete(LOCKDOWN_POLICY, &params)
                    .await
                    .map_err(action_error)?;
                Ok(would(
                    format!("NetworkPolicy {LOCKDOWN_POLICY} deleted from {namespace}"),
                    format!("server accepts deleting {LOCKDOWN_POLICY}"),
                ))
            }
            (ActionKind::Cordon | ActionKind::Uncordon, Target::Node { name }) => {
                // What `kubectl cordon` sends: a merge patch of `spec.unschedulable`.
                let cordon = action.kind == ActionKind::Cordon;
                let patch = Patch::Merge(json!({"spec": {"unschedulable": cordon}}));
                Api::<k8s_openapi::api::core::v1::Node>::all(client.clone())
                    .patch(name, &patch_params, &patch)
                    .await
                    .map_err(action_error)?;
                let done = if cordon { "cordoned" } else { "uncordoned" };
                Ok(would(
                    format!("node {name} {done}"),
                    format!("server accepts spec.unschedulable={cordon} on node {name}"),
                ))
            }
            (
                ActionKind::EditConfigMap {
                    key,
                    value,
                    resource_version,
                    ..
                },
                Target::ConfigMap { namespace, name },
            ) => {
                let (ns, rv) = (namespace, resource_version);
                super::config_patch::patch(client, &patch_params, ns, name, key, value, rv).await
            }
            (ActionKind::RestartPod, Target::Pod { namespace, name }) => {
                let params = DeleteParams {
                    dry_run,
                    ..Default::default()
                };
                Api::<Pod>::namespaced(client.clone(), namespace)
                    .delete(name, &params)
                    .await
                    .map_err(action_error)?;
                Ok(would(
                    "deleted; its controller starts a new one".into(),
                    "server accepts the deletion".into(),
                ))
            }
            (ActionKind::Drain, Target::Node { name }) => super::drain::dry_run(client, name).await,
            (kind, target) => Err(ActionError::Unavailable(format!(
                "{} on {}",
                kind.name(),
                target.key()
            ))),
        }
    }
}

impl Executor for KubeExecutor {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async move {
            let client = match self.client().await {
                Ok(c) => c,
                Err(e) => return Permission::Denied(e.to_string()),
            };
            match self.review(&client, action).await {
                Ok(None) => {}
                Ok(Some(denied)) => return Permission::Denied(denied),
                Err(e) => return Permission::Denied(format!("cannot ask the API server: {e}")),
            }
            // An exec or a forward has no dry run: the review is the whole answer.
            if matches!(
                action.kind,
                ActionKind::Exec { .. } | ActionKind::Shell { .. } | ActionKind::PortForward { .. }
            ) {
                return Permission::Allowed;
            }
            match self.perform(&client, action, true).await {
                Ok(result) => Permission::DryRun(result),
                Err(e) => Permission::Denied(format!("dry run refused: {e}")),
            }
        })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let client = self.client().await?;
            if let (
                ActionKind::Exec {
                    container, command, ..
                },
                Target::Pod { namespace, name },
            ) = (&action.kind, &action.target)
            {
                let container = container.as_deref();
                return super::exec::run(&client, namespace, name, container, command, progress)
                    .await;
            }
            if let (ActionKind::Drain, Target::Node { name }) = (&action.kind, &action.target) {
                // Its own client, which lets the budgets' 429s through (see drain.rs).
                let client = super::client::client_without_retries(&self.cfg)
                    .await
                    .map_err(|e| ActionError::Unavailable(format!("the cluster ({e})")))?;
                return super::drain::run(&client, name, progress).await;
            }
            self.perform(&client, action, false).await
        })
    }

    fn shell<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let (
                ActionKind::Shell {
                    container, shells, ..
                },
                Target::Pod { namespace, name },
            ) = (&action.kind, &action.target)
            else {
                return Err(ActionError::Unavailable(action.kind.name().into()));
            };
            let client = self.client().await?;
            super::shell::interactive(&client, namespace, name, container.as_deref(), shells).await
        })
    }

    fn port_forward<'a>(
        &'a self,
        action: &'a Action,
    ) -> BoxFuture<'a, Result<crate::actions::forward::OpenForward, ActionError>> {
        Box::pin(async move {
            let (ActionKind::PortForward { local, remote, .. }, Target::Pod { namespace, name }) =
                (&action.kind, &action.target)
            else {
                return Err(ActionError::Unavailable(action.kind.name().into()));
            };
            let client = self.client().await?;
            super::portforward::start(&client, namespace, name, *local, *remote).await
        })
    }
}
