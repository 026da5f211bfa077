//! Deployments, ReplicaSets and StatefulSets, sent together as the workloads' report (a
//! deployment's revisions are its ReplicaSets), each with the Service in front of its pods.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{PodTemplateSpec, Service};
use kube::runtime::reflector::Store;

use super::{Kept, Opener, everything};
use crate::adapters::kube::{convert, convert_service};
use crate::domain::{Report, WorkloadKind};

struct Workloads {
    deployments: Vec<Store<Deployment>>,
    replica_sets: Vec<Store<ReplicaSet>>,
    stateful_sets: Vec<Store<StatefulSet>>,
    services: Vec<Store<Service>>,
}

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Workloads {
        deployments: o.per_scope(),
        replica_sets: o.per_scope(),
        stateful_sets: o.per_scope(),
        services: o.per_scope(),
    })
}

impl Kept for Workloads {
    fn needed_first(&self) -> bool {
        true
    }

    fn report(&self) -> Report {
        let deployments = everything(&self.deployments);
        let stateful_sets = everything(&self.stateful_sets);
        let mut rows = convert::workloads(
            &deployments,
            &everything(&self.replica_sets),
            &stateful_sets,
        );
        // Each workload's pod template labels, which a Service's selector is matched against.
        let labels = |t: &PodTemplateSpec| t.metadata.as_ref().and_then(|m| m.labels.clone());
        let mut templates: HashMap<(WorkloadKind, String, String), BTreeMap<String, String>> =
            HashMap::new();
        let key = |kind, meta: &kube::api::ObjectMeta| {
            let ns = meta.namespace.clone().unwrap_or_default();
            (kind, ns, meta.name.clone().unwrap_or_default())
        };
        for d in &deployments {
            if let Some(l) = labels(&d.spec.template) {
                templates.insert(key(WorkloadKind::Deployment, &d.metadata), l);
            }
        }
        for s in &stateful_sets {
            if let Some(l) = labels(&s.spec.template) {
                templates.insert(key(WorkloadKind::StatefulSet, &s.metadata), l);
            }
        }
        let services = everything(&self.services);
        for w in &mut rows {
            let template = templates.get(&(w.kind, w.namespace.clone(), w.name.clone()));
            w.service = convert_service::service_for(&services, &w.namespace, template);
        }
        Report::Workloads(rows)
    }
}
