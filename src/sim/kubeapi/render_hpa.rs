//! A HorizontalPodAutoscaler as autoscaling/v2 serves it: the target, the bounds, the CPU
//! metric (`Resource` cpu, `Utilization` of the pods' requests) and the controller's status.

use serde_json::{Value, json};

use super::render::uid;
use crate::domain::Hpa;

pub fn hpa(h: &Hpa) -> Value {
    let ns = &h.namespace;
    let created = h.created.rfc3339();
    let mut metrics = Vec::new();
    let mut current = Vec::new();
    if let Some(target) = h.cpu_target_pct {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": target}}}));
        if let Some(now) = h.cpu_current_pct {
            current.push(json!({"type": "Resource", "resource": {"name": "cpu",
                "current": {"averageUtilization": now}}}));
        }
    }
    let able = json!({"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale",
        "message": "recommended size matches current size", "lastTransitionTime": created});
    let limited = h.desired == h.min || h.desired == h.max;
    let limit = json!({"type": "ScalingLimited", "status": if limited { "True" } else { "False" },
        "reason": if limited { "TooFewReplicas" } else { "DesiredWithinRange" },
        "message": if limited { "the desired replica count is at a bound" }
                   else { "the desired count is within the acceptable range" },
        "lastTransitionTime": created});
    json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {
            "name": &h.name,
            "namespace": ns,
            "uid": uid(&["HorizontalPodAutoscaler", ns, &h.name]),
            "creationTimestamp": created,
        },
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": h.target_kind.api_kind(),
                               "name": &h.target_name},
            "minReplicas": h.min,
            "maxReplicas": h.max,
            "metrics": metrics,
        },
        "status": {
            "currentReplicas": h.current,
            "desiredReplicas": h.desired,
            "currentMetrics": current,
            "conditions": [able, limit],
        },
    })
}

/// What `kubectl get hpa` prints in TARGETS: `cpu: 71%/80%` (`<unknown>` before a metric).
pub fn targets(o: &Value) -> String {
    let specs = o["spec"]["metrics"].as_array().cloned().unwrap_or_default();
    let current = o["status"]["currentMetrics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let parts: Vec<String> = specs
        .iter()
        .filter(|m| m["type"] == "Resource")
        .map(|m| {
            let name = m["resource"]["name"].as_str().unwrap_or("");
            let target = m["resource"]["target"]["averageUtilization"]
                .as_u64()
                .unwrap_or(0);
            let now = current
                .iter()
                .find(|c| c["resource"]["name"] == name)
                .and_then(|c| c["resource"]["current"]["averageUtilization"].as_u64())
                .map_or("<unknown>".to_string(), |u| format!("{u}%"));
            format!("{name}: {now}/{target}%")
        })
        .collect();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(", ")
    }
}
