//! Which Service is in front of a workload: the first (by name) in its namespace whose
//! selector matches the workload's pod template labels, as the endpoints controller matches
//! pods. `F` on a Services row forwards to that Service's target port.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::domain::WorkloadService;

/// The Service of pods labelled `labels` in `namespace`, with its first port whose target is
/// a number (a named target port needs the container's ports, which are not read).
pub fn service_for(
    services: &[Arc<Service>],
    namespace: &str,
    labels: Option<&BTreeMap<String, String>>,
) -> Option<WorkloadService> {
    let labels = labels?;
    let mut matching: Vec<&Service> = services
        .iter()
        .map(|s| s.as_ref())
        .filter(|s| s.metadata.namespace.as_deref() == Some(namespace))
        .filter(|s| {
            let selector = s.spec.as_ref().and_then(|spec| spec.selector.as_ref());
            // A Service without a selector selects nothing (its endpoints are managed by hand).
            selector.is_some_and(|sel| {
                !sel.is_empty() && sel.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
        })
        .collect();
    matching.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    matching.into_iter().find_map(|s| {
        let port = s.spec.as_ref()?.ports.as_ref()?.iter().find_map(|p| {
            let port = u16::try_from(p.port).ok()?;
            let target = match &p.target_port {
                None => port,
                Some(IntOrString::Int(t)) => u16::try_from(*t).ok()?,
                Some(IntOrString::String(named)) => named.parse().ok()?,
            };
            Some((port, target))
        })?;
        Some(WorkloadService {
            name: s.metadata.name.clone()?,
            port: port.0,
            target_port: port.1,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ServicePort, ServiceSpec};

    fn service(
        ns: &str,
        name: &str,
        selector: &[(&str, &str)],
        port: i32,
        target: IntOrString,
    ) -> Arc<Service> {
        Arc::new(Service {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                namespace: Some(ns.into()),
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                selector: Some(
                    selector
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ports: Some(vec![ServicePort {
                    port,
                    target_port: Some(target),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        })
    }

    #[test]
    fn the_service_whose_selector_matches_the_template_and_its_target_port() {
        let labels: BTreeMap<String, String> = [
            ("app".to_string(), "web".to_string()),
            ("tier".into(), "front".into()),
        ]
        .into();
        let services = [
            service("other", "web", &[("app", "web")], 80, IntOrString::Int(1)),
            service("shop", "api", &[("app", "api")], 80, IntOrString::Int(2)),
            service("shop", "web", &[("app", "web")], 80, IntOrString::Int(8080)),
            service(
                "shop",
                "web-admin",
                &[("app", "web"), ("tier", "admin")],
                81,
                IntOrString::Int(9),
            ),
            service("shop", "everything", &[], 82, IntOrString::Int(3)),
        ];
        assert_eq!(
            service_for(&services, "shop", Some(&labels)),
            Some(WorkloadService {
                name: "web".into(),
                port: 80,
                target_port: 8080
            })
        );
        let named = [service(
            "shop",
            "w",
            &[("app", "web")],
            80,
            IntOrString::String("http".into()),
        )];
        assert_eq!(service_for(&named, "shop", Some(&labels)), None);
        assert_eq!(service_for(&services, "shop", None), None);
    }
}
