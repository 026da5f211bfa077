//! The actions on an autoscaled workload's HPA and on a workload's containers' resources, as
//! kubectl does them: `kubectl patch hpa` (a merge patch of `spec.minReplicas` /
//! `spec.maxReplicas`) and `kubectl set resources` (a strategic merge patch of the named
//! container's `resources` in the pod template, which rolls the pods).

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use kube::api::{Patch, PatchParams};
use kube::{Api, Client};
use serde_json::{Value, json};

use super::actions::action_error;
use crate::actions::executor::ActionError;
use crate::actions::{Action, ActionKind, Target, WorkloadKindName};

/// Carries out (or with `params.dry_run`, has the server check) one of these actions; `None`
/// for any other.
pub(super) async fn perform(
    client: &Client,
    action: &Action,
    params: &PatchParams,
) -> Option<Result<String, ActionError>> {
    let Target::Workload {
        namespace,
        kind,
        name,
    } = &action.target
    else {
        return None;
    };
    let dry = params.dry_run;
    Some(match &action.kind {
        ActionKind::HpaBounds { hpa, min, max } => {
            let patch = Patch::Merge(json!({"spec": {"minReplicas": min, "maxReplicas": max}}));
            Api::<HorizontalPodAutoscaler>::namespaced(client.clone(), namespace)
                .patch(hpa, params, &patch)
                .await
                .map_err(action_error)
                .map(|_| match dry {
                    true => format!("server accepts min {min}, max {max} on HPA {hpa}"),
                    false => format!("HPA {hpa} now scales {name} between {min} and {max}"),
                })
        }
        ActionKind::SetResources { container, .. } => {
            let patch = Patch::Strategic(resources_patch(&action.kind));
            let done = match kind {
                WorkloadKindName::Deployment => {
                    Api::<Deployment>::namespaced(client.clone(), namespace)
                        .patch(name, params, &patch)
                        .await
                        .map(|_| ())
                }
                WorkloadKindName::StatefulSet => {
                    Api::<StatefulSet>::namespaced(client.clone(), namespace)
                        .patch(name, params, &patch)
                        .await
                        .map(|_| ())
                }
            };
            done.map_err(action_error).map(|()| match dry {
                true => format!("server accepts the resources of {container}"),
                false => format!("resources of {container} set; the pods roll"),
            })
        }
        _ => return None,
    })
}

/// The strategic merge patch `kubectl set resources` sends: the container by name (the list
/// merges on it), with only the quantities given.
pub fn resources_patch(kind: &ActionKind) -> Value {
    let ActionKind::SetResources {
        container,
        requests_cpu,
        requests_memory,
        limits_cpu,
        limits_memory,
    } = kind
    else {
        return Value::Null;
    };
    let part = |cpu: &Option<String>, memory: &Option<String>| {
        let mut m = serde_json::Map::new();
        if let Some(cpu) = cpu {
            m.insert("cpu".into(), json!(cpu));
        }
        if let Some(memory) = memory {
            m.insert("memory".into(), json!(memory));
        }
        m
    };
    let mut resources = serde_json::Map::new();
    for (key, m) in [
        ("limits", part(limits_cpu, limits_memory)),
        ("requests", part(requests_cpu, requests_memory)),
    ] {
        if !m.is_empty() {
            resources.insert(key.into(), Value::Object(m));
        }
    }
    json!({"spec": {"template": {"spec": {"containers": [
        {"name": container, "resources": resources}
    ]}}}})
}
