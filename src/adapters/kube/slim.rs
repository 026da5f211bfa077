//! A pod as the adapter reads it: only the fields a Pods row needs. A full k8s-openapi `Pod`
//! carries the whole spec and `managedFields`, several kilobytes a pod, all parsed, allocated and
//! thrown away; with a hundred thousand pods that is most of the start-up time and memory. The
//! watcher takes any `Resource`, so it is given this one.

use std::borrow::Cow;
use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use serde::Deserialize;

use super::convert::TEMPLATE_HASH_LABEL;

#[derive(Debug, Clone, Deserialize)]
#[serde(from = "Wire")]
pub struct SlimPod {
    /// Name, namespace, resource version (the watcher resumes from it), creation and deletion
    /// times, owners, and the template-hash label; nothing else.
    pub metadata: ObjectMeta,
    pub node: Option<String>,
    pub containers: usize,
    /// The containers' names when there are several; empty for one.
    pub container_names: Vec<String>,
    pub image: Option<String>,
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub statuses: Vec<ContainerStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub ready: bool,
    pub restart_count: i32,
    pub state: Option<State>,
    pub last_state: Option<State>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct State {
    pub waiting: Option<Waiting>,
    pub terminated: Option<Terminated>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Waiting {
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Terminated {
    pub reason: Option<String>,
    pub exit_code: i32,
    pub finished_at: Option<Time>,
}

/// The JSON as it comes; unknown fields (managedFields, volumes, env...) are skipped unread.
#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    metadata: WireMeta,
    #[serde(default)]
    spec: WireSpec,
    #[serde(default)]
    status: WireStatus,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireMeta {
    name: Option<String>,
    namespace: Option<String>,
    resource_version: Option<String>,
    uid: Option<String>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
    labels: BTreeMap<String, String>,
    owner_references: Option<Vec<OwnerReference>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireSpec {
    node_name: Option<String>,
    containers: Vec<WireContainer>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireContainer {
    name: String,
    image: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireStatus {
    phase: Option<String>,
    reason: Option<String>,
    container_statuses: Vec<ContainerStatus>,
}

impl From<Wire> for SlimPod {
    fn from(w: Wire) -> SlimPod {
        let mut labels = w.metadata.labels;
        labels.retain(|k, _| k == TEMPLATE_HASH_LABEL);
        SlimPod {
            metadata: ObjectMeta {
                name: w.metadata.name,
                namespace: w.metadata.namespace,
                resource_version: w.metadata.resource_version,
                uid: w.metadata.uid,
                creation_timestamp: w.metadata.creation_timestamp,
                deletion_timestamp: w.metadata.deletion_timestamp,
                labels: (!labels.is_empty()).then_some(labels),
                owner_references: w.metadata.owner_references,
                ..ObjectMeta::default()
            },
            node: w.spec.node_name,
            containers: w.spec.containers.len(),
            container_names: if w.spec.containers.len() > 1 {
                w.spec.containers.iter().map(|c| c.name.clone()).collect()
            } else {
                Vec::new()
            },
            image: w.spec.containers.into_iter().next().and_then(|c| c.image),
            phase: w.status.phase,
            reason: w.status.reason,
            statuses: w.status.container_statuses,
        }
    }
}

impl kube::Resource for SlimPod {
    type DynamicType = ();
    type Scope = k8s_openapi::NamespaceResourceScope;

    fn kind(_: &()) -> Cow<'_, str> {
        "Pod".into()
    }
    fn group(_: &()) -> Cow<'_, str> {
        "".into()
    }
    fn version(_: &()) -> Cow<'_, str> {
        "v1".into()
    }
    fn plural(_: &()) -> Cow<'_, str> {
        "pods".into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}
