//! What the details pane says of a pod or a deployment beyond its row, read from the object
//! fetched when the details open (as `kubectl describe` does): per container its state and last
//! state (reason, exit code, when), restarts, image, requests and limits; the pod's conditions,
//! labels, annotations and QoS class; a deployment's conditions and strategy.
//!
//! Why fetched and not watched: the rows stay small for 100,000 pods (`domain/pod.rs`), and
//! this is only ever needed for the one row whose details are open.

use serde_json::Value;

use super::UnixTime;

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerState {
    /// `Running`, `Waiting`, `Terminated`.
    pub state: String,
    pub reason: Option<String>,
    pub exit_code: Option<i64>,
    /// When it started (running) or finished (terminated).
    pub at: Option<UnixTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub restarts: i64,
    pub state: Option<ContainerState>,
    pub last_state: Option<ContainerState>,
    /// `cpu=100m, memory=256Mi`; empty when none are set.
    pub requests: String,
    pub limits: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub kind: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodDescription {
    pub containers: Vec<ContainerInfo>,
    pub conditions: Vec<Condition>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub qos_class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeploymentDescription {
    pub conditions: Vec<Condition>,
    /// `RollingUpdate: max surge 25%, max unavailable 25%`, or `Recreate`.
    pub strategy: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Description {
    Pod(PodDescription),
    Deployment(DeploymentDescription),
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object().map_or_else(Vec::new, |m| {
        m.iter()
            .map(|(k, v)| (k.clone(), text(v).unwrap_or_default()))
            .collect()
    })
}

/// `cpu=100m, memory=256Mi`.
fn quantities(v: &Value) -> String {
    pairs(v)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn state(v: &Value) -> Option<ContainerState> {
    let (word, inner) = v.as_object()?.iter().next()?;
    let state = match word.as_str() {
        "running" => "Running",
        "waiting" => "Waiting",
        "terminated" => "Terminated",
        _ => return None,
    };
    let at = ["finishedAt", "startedAt"]
        .iter()
        .find_map(|k| inner[*k].as_str().and_then(UnixTime::parse_rfc3339));
    Some(ContainerState {
        state: state.into(),
        reason: text(&inner["reason"]),
        exit_code: inner["exitCode"].as_i64(),
        at,
    })
}

fn conditions(v: &Value) -> Vec<Condition> {
    v.as_array().map_or_else(Vec::new, |items| {
        items
            .iter()
            .map(|c| Condition {
                kind: text(&c["type"]).unwrap_or_default(),
                status: text(&c["status"]).unwrap_or_default(),
                reason: text(&c["reason"]),
                message: text(&c["message"]),
            })
            .collect()
    })
}

/// The description of a fetched object, for the kinds the details pane describes.
pub fn describe(object: &Value) -> Option<Description> {
    match object["kind"].as_str()? {
        "Pod" => Some(Description::Pod(pod(object))),
        "Deployment" | "StatefulSet" => Some(Description::Deployment(deployment(object))),
        _ => None,
    }
}

fn pod(object: &Value) -> PodDescription {
    let statuses = object["status"]["containerStatuses"].as_array();
    let containers = object["spec"]["containers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|c| {
            let name = text(&c["name"]).unwrap_or_default();
            let status = statuses
                .and_then(|s| s.iter().find(|s| s["name"].as_str() == Some(&name)))
                .unwrap_or(&Value::Null);
            ContainerInfo {
                image: text(&c["image"]).unwrap_or_default(),
                ready: status["ready"].as_bool().unwrap_or(false),
                restarts: status["restartCount"].as_i64().unwrap_or(0),
                state: state(&status["state"]),
                last_state: state(&status["lastState"]),
                requests: quantities(&c["resources"]["requests"]),
                limits: quantities(&c["resources"]["limits"]),
                name,
            }
        })
        .collect();
    PodDescription {
        containers,
        conditions: conditions(&object["status"]["conditions"]),
        labels: pairs(&object["metadata"]["labels"]),
        annotations: pairs(&object["metadata"]["annotations"]),
        qos_class: text(&object["status"]["qosClass"]),
    }
}

fn deployment(object: &Value) -> DeploymentDescription {
    let strategy = &object["spec"]["strategy"];
    let update = &object["spec"]["updateStrategy"];
    let strategy = match (text(&strategy["type"]), text(&update["type"])) {
        (Some(kind), _) if kind == "RollingUpdate" => {
            let r = &strategy["rollingUpdate"];
            Some(format!(
                "RollingUpdate: max surge {}, max unavailable {}",
                text(&r["maxSurge"]).unwrap_or_else(|| "25%".into()),
                text(&r["maxUnavailable"]).unwrap_or_else(|| "25%".into())
            ))
        }
        (Some(kind), _) => Some(kind),
        // A StatefulSet's.
        (None, Some(kind)) => Some(kind),
        (None, None) => None,
    };
    DeploymentDescription {
        conditions: conditions(&object["status"]["conditions"]),
        strategy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pods_containers_conditions_labels_and_qos() {
        let pod = json!({
            "kind": "Pod",
            "metadata": {"labels": {"app": "x"}, "annotations": {"team": "pos"}},
            "spec": {"containers": [
                {"name": "app", "image": "img:1", "resources": {
                    "requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}}},
                {"name": "sidecar", "image": "side:2"}]},
            "status": {"qosClass": "Burstable",
                "conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady"}],
                "containerStatuses": [
                    {"name": "sidecar", "ready": true, "restartCount": 0,
                     "state": {"running": {"startedAt": "2026-12-01T10:00:00Z"}}},
                    {"name": "app", "ready": false, "restartCount": 14,
                     "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                     "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137,
                        "startedAt": "2026-12-01T11:00:00Z", "finishedAt": "2026-12-01T11:56:00Z"}}}]},
        });
        let Some(Description::Pod(d)) = describe(&pod) else {
            panic!()
        };
        let app = &d.containers[0];
        assert_eq!(
            (app.name.as_str(), app.restarts, app.ready),
            ("app", 14, false)
        );
        assert_eq!(app.requests, "cpu=100m, memory=256Mi");
        assert_eq!(app.limits, "memory=512Mi");
        let last = app.last_state.as_ref().unwrap();
        assert_eq!(last.state, "Terminated");
        assert_eq!(last.reason.as_deref(), Some("OOMKilled"));
        assert_eq!(last.exit_code, Some(137));
        assert_eq!(last.at, UnixTime::parse_rfc3339("2026-12-01T11:56:00Z"));
        assert_eq!(
            app.state.as_ref().unwrap().reason.as_deref(),
            Some("CrashLoopBackOff")
        );
        assert_eq!(d.containers[1].state.as_ref().unwrap().state, "Running");
        assert_eq!(d.containers[1].limits, "");
        assert_eq!(
            d.conditions[0].reason.as_deref(),
            Some("ContainersNotReady")
        );
        assert_eq!(d.labels, [("app".to_string(), "x".to_string())]);
        assert_eq!(d.qos_class.as_deref(), Some("Burstable"));
    }

    #[test]
    fn a_deployments_conditions_and_strategy() {
        let deploy = json!({"kind": "Deployment",
            "spec": {"strategy": {"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}}},
            "status": {"conditions": [{"type": "Progressing", "status": "True",
                "reason": "ReplicaSetUpdated", "message": "ReplicaSet \"x\" is progressing."}]}});
        let Some(Description::Deployment(d)) = describe(&deploy) else {
            panic!()
        };
        assert_eq!(
            d.strategy.as_deref(),
            Some("RollingUpdate: max surge 25%, max unavailable 1")
        );
        assert_eq!(d.conditions[0].kind, "Progressing");
        assert!(describe(&json!({"kind": "Namespace"})).is_none());
    }
}
