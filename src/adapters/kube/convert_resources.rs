//! What the adapter reads of containers' resources: each container's requests and limits in a
//! workload's pod template, and a pod's last termination with the memory limit it hit.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::slim::SlimPod;
use crate::domain;

/// Each container's requests and limits of CPU and memory in a pod template.
pub(super) fn container_resources(
    template: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>,
) -> Vec<domain::ContainerResources> {
    let quantities = |map: Option<&std::collections::BTreeMap<String, Quantity>>| {
        let get = |k: &str| map.and_then(|m| m.get(k)).map(|q| q.0.clone());
        domain::Quantities {
            cpu: get("cpu"),
            memory: get("memory"),
        }
    };
    template
        .and_then(|t| t.spec.as_ref())
        .map(|s| s.containers.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let r = c.resources.as_ref();
            domain::ContainerResources {
                name: c.name.clone(),
                requests: quantities(r.and_then(|r| r.requests.as_ref())),
                limits: quantities(r.and_then(|r| r.limits.as_ref())),
            }
        })
        .collect()
}

/// Why a container last terminated, the first that did: `OOMKilled (limit 512Mi)` when it was
/// killed for memory and has a limit, else the reason as the kubelet gave it.
pub(super) fn last_terminated(p: &SlimPod) -> Option<String> {
    let (name, reason) = p.statuses.iter().find_map(|c| {
        let reason = c.last_state.as_ref()?.terminated.as_ref()?.reason.clone()?;
        Some((&c.name, reason))
    })?;
    let limit = p
        .memory_limits
        .iter()
        .find(|(c, _)| c == name)
        .map(|(_, l)| l);
    Some(match limit {
        Some(limit) if reason == "OOMKilled" => format!("OOMKilled (limit {limit})"),
        _ => reason,
    })
}
