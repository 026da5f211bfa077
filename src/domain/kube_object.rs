//! One Kubernetes object named by a row (a pod, a workload, ...), for the YAML view and the
//! details: where the API serves it, and what is done to it before anything shows it
//! (`managedFields` dropped; a Secret's values replaced by their sizes, so no secret value ever
//! reaches the view, the clipboard or a saved file).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Pod,
    Deployment,
    StatefulSet,
    ReplicaSet,
    Service,
    Namespace,
    Node,
    NetworkPolicy,
    Event,
    Secret,
    ConfigMap,
}

impl ObjectKind {
    /// The API group path and the resource's plural, as in the URL.
    fn api(self) -> (&'static str, &'static str) {
        match self {
            ObjectKind::Pod => ("api/v1", "pods"),
            ObjectKind::Service => ("api/v1", "services"),
            ObjectKind::Namespace => ("api/v1", "namespaces"),
            ObjectKind::Node => ("api/v1", "nodes"),
            ObjectKind::Event => ("api/v1", "events"),
            ObjectKind::Secret => ("api/v1", "secrets"),
            ObjectKind::ConfigMap => ("api/v1", "configmaps"),
            ObjectKind::Deployment => ("apis/apps/v1", "deployments"),
            ObjectKind::StatefulSet => ("apis/apps/v1", "statefulsets"),
            ObjectKind::ReplicaSet => ("apis/apps/v1", "replicasets"),
            ObjectKind::NetworkPolicy => ("apis/networking.k8s.io/v1", "networkpolicies"),
        }
    }

    /// The resource's plural (`pods`), as RBAC and kubectl name it.
    pub fn resource(self) -> &'static str {
        self.api().1
    }

    /// The kind from an owner or event reference (`Deployment`), when it is one of these.
    pub fn from_api_kind(kind: &str) -> Option<ObjectKind> {
        Some(match kind {
            "Pod" => ObjectKind::Pod,
            "Deployment" => ObjectKind::Deployment,
            "StatefulSet" => ObjectKind::StatefulSet,
            "ReplicaSet" => ObjectKind::ReplicaSet,
            "Service" => ObjectKind::Service,
            "Namespace" => ObjectKind::Namespace,
            "Node" => ObjectKind::Node,
            "NetworkPolicy" => ObjectKind::NetworkPolicy,
            "Event" => ObjectKind::Event,
            "Secret" => ObjectKind::Secret,
            "ConfigMap" => ObjectKind::ConfigMap,
            _ => return None,
        })
    }
}

/// Which object: its kind, namespace (none for a namespace itself) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    /// The cluster (kubeconfig context) it is in; empty when one cluster is watched.
    pub context: String,
    pub kind: ObjectKind,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn new(kind: ObjectKind, namespace: &str, name: &str) -> ObjectRef {
        ObjectRef {
            context: String::new(),
            kind,
            // Namespaces and nodes belong to no namespace.
            namespace: (!matches!(kind, ObjectKind::Namespace | ObjectKind::Node))
                .then(|| namespace.to_string()),
            name: name.to_string(),
        }
    }

    /// The same object, in cluster `context`.
    pub fn in_cluster(self, context: &str) -> ObjectRef {
        ObjectRef {
            context: context.to_string(),
            ..self
        }
    }

    /// The GET path, as kubectl asks for it.
    pub fn path(&self) -> String {
        let (api, resource) = self.kind.api();
        match &self.namespace {
            Some(ns) => format!("/{api}/namespaces/{ns}/{resource}/{}", self.name),
            None => format!("/{api}/{resource}/{}", self.name),
        }
    }

    /// `pods pos/pos-order-7d9c` (for titles and file names the caller cleans).
    pub fn title(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind.resource(), self.name),
            None => format!("{} {}", self.kind.resource(), self.name),
        }
    }

    /// What a refusal says: `not permitted: get pods in pos`.
    pub fn not_permitted(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("not permitted: get {} in {ns}", self.kind.resource()),
            None => format!("not permitted: get {}", self.kind.resource()),
        }
    }
}

/// The object as it may be shown: `metadata.managedFields` dropped (the server's bookkeeping,
/// often longer than the object), and a Secret's `data` / `stringData` values replaced by
/// their sizes, so that the values never leave the adapter. The last-applied annotation of a
/// Secret carries its values too, and goes.
pub fn prepare(mut object: Value) -> Value {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if object["kind"] == "Secret" {
        for field in ["data", "stringData"] {
            if let Some(values) = object.get_mut(field).and_then(Value::as_object_mut) {
                for value in values.values_mut() {
                    *value = Value::String(hidden_size(field, value));
                }
            }
        }
        if let Some(annotations) = object
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
        {
            let last_applied = "kubectl.kubernetes.io/last-applied-configuration";
            if annotations.contains_key(last_applied) {
                annotations.insert(last_applied.into(), Value::String("(hidden)".into()));
            }
        }
    }
    object
}

/// `(hidden, 12 bytes)`: `data` holds base64, so its size is the decoded one.
fn hidden_size(field: &str, value: &Value) -> String {
    let text = value.as_str().unwrap_or_default();
    let bytes = if field == "data" {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_or(text.len(), |b| b.len())
    } else {
        text.len()
    };
    format!("(hidden, {bytes} bytes)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_the_apis() {
        let pod = ObjectRef::new(ObjectKind::Pod, "pos", "p-1");
        assert_eq!(pod.path(), "/api/v1/namespaces/pos/pods/p-1");
        let deploy = ObjectRef::new(ObjectKind::Deployment, "pos", "pos-order");
        assert_eq!(
            deploy.path(),
            "/apis/apps/v1/namespaces/pos/deployments/pos-order"
        );
        let ns = ObjectRef::new(ObjectKind::Namespace, "", "pos");
        assert_eq!(ns.path(), "/api/v1/namespaces/pos");
        assert_eq!(pod.not_permitted(), "not permitted: get pods in pos");
    }

    #[test]
    fn managed_fields_are_dropped() {
        let pod =
            json!({"kind": "Pod", "metadata": {"name": "p", "managedFields": [{"manager": "x"}]}});
        assert_eq!(
            prepare(pod),
            json!({"kind": "Pod", "metadata": {"name": "p"}})
        );
    }

    #[test]
    fn a_secrets_values_are_replaced_by_their_sizes() {
        let secret = json!({
            "kind": "Secret",
            "metadata": {"name": "db", "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"aHVudGVyMg==\"}}",
                "team": "pos"}},
            "data": {"password": "aHVudGVyMg==", "user": "YXBw"},
            "stringData": {"token": "s3cr3t-value"},
        });
        let shown = prepare(secret);
        let text = shown.to_string();
        for value in ["aHVudGVyMg==", "YXBw", "s3cr3t-value", "hunter2"] {
            assert!(!text.contains(value), "{value} in {text}");
        }
        assert_eq!(shown["data"]["password"], "(hidden, 7 bytes)");
        assert_eq!(shown["data"]["user"], "(hidden, 3 bytes)");
        assert_eq!(shown["stringData"]["token"], "(hidden, 12 bytes)");
        assert_eq!(shown["metadata"]["annotations"]["team"], "pos");
    }

    #[test]
    fn another_kinds_data_is_kept() {
        let map = json!({"kind": "ConfigMap", "metadata": {}, "data": {"a": "b"}});
        assert_eq!(prepare(map)["data"]["a"], "b");
    }
}
