//! Discovery documents of the simulated API server: what kubectl reads to map `deploy` to
//! `deployments.apps` and to find the scale subresource's kind.

use axum::Json;
use serde_json::{Value, json};

use crate::sim::kubeapi::Resource;

const READ: [&str; 3] = ["get", "list", "watch"];

pub async fn version() -> Json<Value> {
    Json(json!({
        "major": "1", "minor": "30", "gitVersion": "v1.30.0-opsdeck-sim",
        "gitCommit": "", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "n/a", "compiler": "opsdeck", "platform": "linux/amd64",
    }))
}

pub async fn core_versions() -> Json<Value> {
    Json(json!({
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
    }))
}

/// The non-core groups and their one version each.
const GROUPS: [(&str, &str); 8] = [
    ("apps", "v1"),
    ("networking.k8s.io", "v1"),
    ("authorization.k8s.io", "v1"),
    ("metrics.k8s.io", "v1beta1"),
    ("velero.io", "v1"),
    ("autoscaling", "v2"),
    ("policy", "v1"),
    ("batch", "v1"),
];

pub async fn groups() -> Json<Value> {
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|(name, version)| {
            let gv = json!({"groupVersion": format!("{name}/{version}"), "version": version});
            json!({"name": name, "versions": [gv], "preferredVersion": gv})
        })
        .collect();
    Json(json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}))
}

fn entry(resource: Resource) -> Value {
    let mut verbs: Vec<&str> = READ.to_vec();
    match resource {
        Resource::Pods | Resource::NetworkPolicies => verbs.extend(["create", "delete"]),
        Resource::Deployments | Resource::StatefulSets => verbs.extend(["patch", "update"]),
        Resource::HorizontalPodAutoscalers => verbs.push("patch"),
        Resource::CronJobs => verbs.extend(["create", "delete", "patch", "update"]),
        Resource::Jobs => verbs.extend(["create", "delete"]),
        Resource::Nodes | Resource::ConfigMaps => verbs.push("patch"),
        _ => {}
    }
    let singular = resource.kind().to_lowercase();
    json!({
        "name": resource.plural(), "singularName": singular, "namespaced": resource.namespaced(),
        "kind": resource.kind(), "verbs": verbs, "shortNames": resource.short_names(),
    })
}

fn scale_entry(resource: Resource) -> Value {
    json!({
        "name": format!("{}/scale", resource.plural()), "singularName": "", "namespaced": true,
        "group": "autoscaling", "version": "v1", "kind": "Scale",
        "verbs": ["get", "patch", "update"],
    })
}

/// The APIResourceList of a group-version, or `None` for one the simulator does not serve.
pub fn resources(group: &str, version: &str) -> Option<Value> {
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let mut list: Vec<Value> = Resource::ALL
        .into_iter()
        .filter(|r| r.group_version() == (group, version))
        .flat_map(|r| {
            let mut entries = vec![entry(r)];
            if matches!(r, Resource::Deployments | Resource::StatefulSets) {
                entries.push(scale_entry(r));
            }
            if r == Resource::Pods {
                entries.push(json!({
                    "name": "pods/log", "singularName": "", "namespaced": true,
                    "kind": "Pod", "verbs": ["get"],
                }));
                // kubectl drain evicts through this when discovery lists it (else it deletes).
                entries.push(json!({
                    "name": "pods/eviction", "singularName": "", "namespaced": true,
                    "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"],
                }));
            }
            entries
        })
        .collect();
    match (group, version) {
        ("authorization.k8s.io", "v1") => list.push(json!({
            "name": "selfsubjectaccessreviews", "singularName": "selfsubjectaccessreview",
            "namespaced": false, "kind": "SelfSubjectAccessReview", "verbs": ["create"],
        })),
        ("metrics.k8s.io", "v1beta1") => {
            list.push(json!({
                "name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics",
                "verbs": ["get", "list"],
            }));
            list.push(json!({
                "name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics",
                "verbs": ["get", "list"],
            }));
        }
        ("velero.io", "v1") => list.push(json!({
            "name": "backups", "singularName": "backup", "namespaced": true, "kind": "Backup",
            "verbs": ["get", "list", "create"],
        })),
        _ => {}
    }
    if list.is_empty() {
        return None;
    }
    Some(json!({
        "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
        "resources": list,
    }))
}
