//! ConfigMaps and Secrets as the API server writes them, and the references to them that the
//! demo workloads' pod templates carry (volumes, `envFrom`, env `valueFrom`), rendered from
//! `sim::configs::USES` into the template JSON only.

use base64::Engine;
use serde_json::{Value, json};

use super::render::uid;
use crate::domain::{ConfigKind, ConfigRef};
use crate::sim::configs::{SimConfig, USES};

/// A ConfigMap or Secret, without its resource version.
pub fn config(c: &SimConfig) -> Value {
    let kind = c.kind.api_kind();
    let mut object = json!({
        "apiVersion": "v1",
        "kind": kind,
        "metadata": {
            "name": c.name,
            "namespace": c.namespace,
            "uid": uid(&[kind, c.namespace, c.name]),
            "creationTimestamp": c.created.rfc3339(),
        },
    });
    match c.kind {
        ConfigKind::ConfigMap => object["data"] = json!(c.data),
        ConfigKind::Secret => {
            let engine = base64::engine::general_purpose::STANDARD;
            let data: serde_json::Map<String, Value> = c
                .data
                .iter()
                .map(|(k, v)| (k.clone(), json!(engine.encode(v))))
                .collect();
            object["data"] = Value::Object(data);
            object["type"] = json!(c.secret_type.unwrap_or("Opaque"));
        }
    }
    object
}

/// Adds a workload's references to its pod template: a volume mounted in the first container
/// for `volume`, the first container's `envFrom` or an env variable for the others.
pub fn add_refs(template: &mut Value, namespace: &str, workload: &str, refs: &[ConfigRef]) {
    for (_, _, how, kind, name) in USES
        .iter()
        .filter(|(ns, w, ..)| *ns == namespace && *w == workload)
        .filter(|(.., kind, name)| refs.iter().any(|r| r.kind == *kind && r.name == *name))
    {
        let spec = &mut template["spec"];
        let source = match kind {
            ConfigKind::ConfigMap => "configMap",
            ConfigKind::Secret => "secret",
        };
        match *how {
            "volume" => {
                let volume = match kind {
                    ConfigKind::ConfigMap => json!({"name": name, "configMap": {"name": name}}),
                    ConfigKind::Secret => json!({"name": name, "secret": {"secretName": name}}),
                };
                push(&mut spec["volumes"], volume);
                push(
                    &mut spec["containers"][0]["volumeMounts"],
                    json!({"name": name, "mountPath": format!("/etc/{name}"), "readOnly": true}),
                );
            }
            "envFrom" => push(
                &mut spec["containers"][0]["envFrom"],
                json!({ format!("{source}Ref"): {"name": name} }),
            ),
            _ => {
                let var = name.to_uppercase().replace(['-', '.'], "_");
                push(
                    &mut spec["containers"][0]["env"],
                    json!({"name": var, "valueFrom": { format!("{source}KeyRef"): {"name": name, "key": first_key(*kind, name)} }}),
                );
            }
        }
    }
}

fn first_key(kind: ConfigKind, name: &str) -> String {
    crate::sim::configs::make(crate::domain::UnixTime(0))
        .into_iter()
        .find(|c| c.kind == kind && c.name == name)
        .and_then(|c| c.data.keys().next().cloned())
        .unwrap_or_default()
}

fn push(list: &mut Value, item: Value) {
    if !list.is_array() {
        *list = json!([]);
    }
    list.as_array_mut().expect("an array").push(item);
}
