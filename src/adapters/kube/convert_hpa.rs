//! A HorizontalPodAutoscaler into the row the Services panel joins onto its workload.

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;

use crate::domain::{Hpa, UnixTime, WorkloadKind};

/// The row of an HPA that scales a Deployment or StatefulSet (`None` for other targets).
pub fn hpa(h: &HorizontalPodAutoscaler) -> Option<Hpa> {
    let target_kind = match h.spec.scale_target_ref.kind.as_str() {
        "Deployment" => WorkloadKind::Deployment,
        "StatefulSet" => WorkloadKind::StatefulSet,
        _ => return None,
    };
    let cpu_target = h
        .spec
        .metrics
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find_map(|m| {
            let r = m.resource.as_ref().filter(|r| r.name == "cpu")?;
            r.target.average_utilization
        });
    let status = h.status.as_ref();
    let cpu_now = status
        .and_then(|s| s.current_metrics.as_deref())
        .unwrap_or_default()
        .iter()
        .find_map(|m| {
            let r = m.resource.as_ref().filter(|r| r.name == "cpu")?;
            r.current.average_utilization
        });
    let count = |v: Option<i32>| v.unwrap_or(0).max(0) as u32;
    Some(Hpa {
        context: crate::domain::cluster_row::no_context(),
        namespace: h.metadata.namespace.clone().unwrap_or_default(),
        name: h.metadata.name.clone().unwrap_or_default(),
        target_kind,
        target_name: h.spec.scale_target_ref.name.clone(),
        min: count(h.spec.min_replicas).max(1),
        max: count(Some(h.spec.max_replicas)),
        current: count(status.and_then(|s| s.current_replicas)),
        desired: count(status.map(|s| s.desired_replicas)),
        cpu_target_pct: cpu_target.map(|p| p.max(0) as u32),
        cpu_current_pct: cpu_now.map(|p| p.max(0) as u32),
        created: h
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or(UnixTime(0), |t| UnixTime(t.0.as_second())),
    })
}
