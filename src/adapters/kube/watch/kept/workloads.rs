//! Deployments, ReplicaSets and StatefulSets, sent together as the workloads' report (a
//! deployment's revisions are its ReplicaSets).

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use kube::runtime::reflector::Store;

use super::{Kept, Opener, everything};
use crate::adapters::kube::convert;
use crate::domain::Report;

struct Workloads {
    deployments: Vec<Store<Deployment>>,
    replica_sets: Vec<Store<ReplicaSet>>,
    stateful_sets: Vec<Store<StatefulSet>>,
}

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Workloads {
        deployments: o.per_scope(),
        replica_sets: o.per_scope(),
        stateful_sets: o.per_scope(),
    })
}

impl Kept for Workloads {
    fn needed_first(&self) -> bool {
        true
    }

    fn report(&self) -> Report {
        Report::Workloads(convert::workloads(
            &everything(&self.deployments),
            &everything(&self.replica_sets),
            &everything(&self.stateful_sets),
        ))
    }
}
