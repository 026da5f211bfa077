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
    /// `status.podIP`, when it parses as an address.
    pub ip: Option<std::net::IpAddr>,
    /// `(container, memory limit)` of the containers that have one: an OOMKilled container
    /// is shown with the limit it hit.
    pub memory_limits: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub name: String,
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
    annotations: DefaultContainer,
}

/// The annotation kubectl reads for a pod's default container; the only one kept.
pub const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// A pod's annotations, read for the default container only: the rest (often kilobytes of
/// `last-applied-configuration`) are skipped unkept.
#[derive(Default)]
struct DefaultContainer(Option<String>);

impl<'de> Deserialize<'de> for DefaultContainer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = DefaultContainer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of annotations")
            }
            fn visit_unit<E>(self) -> Result<DefaultContainer, E> {
                Ok(DefaultContainer(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<DefaultContainer, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == DEFAULT_CONTAINER_ANNOTATION {
                        found = Some(map.next_value::<String>()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(DefaultContainer(found))
            }
        }
        d.deserialize_any(Visit)
    }
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
    resources: WireResources,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireResources {
    limits: WireLimits,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireLimits {
    memory: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireStatus {
    phase: Option<String>,
    reason: Option<String>,
    container_statuses: Vec<ContainerStatus>,
    #[serde(rename = "podIP")]
    pod_ip: Option<String>,
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
            memory_limits: w
                .spec
                .containers
                .iter()
                .filter_map(|c| Some((c.name.clone(), c.resources.limits.memory.clone()?)))
                .collect(),
            containers: w.spec.containers.len(),
            container_names: if w.spec.containers.len() > 1 {
                let mut names: Vec<String> =
                    w.spec.containers.iter().map(|c| c.name.clone()).collect();
                // The default container first, as kubectl exec and logs take it.
                if let Some(at) = w
                    .metadata
                    .annotations
                    .0
                    .and_then(|d| names.iter().position(|n| *n == d))
                {
                    let default = names.remove(at);
                    names.insert(0, default);
                }
                names
            } else {
                Vec::new()
            },
            image: w.spec.containers.into_iter().next().and_then(|c| c.image),
            phase: w.status.phase,
            reason: w.status.reason,
            statuses: w.status.container_statuses,
            ip: w.status.pod_ip.and_then(|ip| ip.parse().ok()),
        }
    }
}

/// `kube::Resource` for a slim type of a core v1, namespaced kind: what the watcher needs to
/// list and watch it (its URL parts) and its metadata.
macro_rules! core_v1_resource {
    ($ty:ty, $kind:literal, $plural:literal) => {
        impl kube::Resource for $ty {
            type DynamicType = ();
            type Scope = k8s_openapi::NamespaceResourceScope;

            fn kind(_: &()) -> std::borrow::Cow<'_, str> {
                $kind.into()
            }
            fn group(_: &()) -> std::borrow::Cow<'_, str> {
                "".into()
            }
            fn version(_: &()) -> std::borrow::Cow<'_, str> {
                "v1".into()
            }
            fn plural(_: &()) -> std::borrow::Cow<'_, str> {
                $plural.into()
            }
            fn meta(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                &self.metadata
            }
            fn meta_mut(
                &mut self,
            ) -> &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                &mut self.metadata
            }
        }
    };
}
pub(crate) use core_v1_resource;

core_v1_resource!(SlimPod, "Pod", "pods");

#[cfg(test)]
mod tests {
    use super::*;

    fn names(annotations: serde_json::Value) -> Vec<String> {
        let pod: SlimPod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-1", "namespace": "pos", "annotations": annotations},
            "spec": {"containers": [{"name": "istio-proxy"}, {"name": "web"}, {"name": "log"}]},
        }))
        .expect("a pod");
        pod.container_names
    }

    #[test]
    fn the_default_container_annotation_puts_that_container_first() {
        let annotated = names(serde_json::json!({
            "kubectl.kubernetes.io/last-applied-configuration": "{\"big\": true}",
            DEFAULT_CONTAINER_ANNOTATION: "web",
        }));
        assert_eq!(annotated, ["web", "istio-proxy", "log"]);
        // Without it (or naming no container of the pod) the spec's order stands.
        assert_eq!(names(serde_json::json!({})), ["istio-proxy", "web", "log"]);
        assert_eq!(
            names(serde_json::json!({DEFAULT_CONTAINER_ANNOTATION: "gone"})),
            ["istio-proxy", "web", "log"]
        );
        assert_eq!(
            names(serde_json::Value::Null),
            ["istio-proxy", "web", "log"]
        );
    }
}
