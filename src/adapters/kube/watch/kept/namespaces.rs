//! Namespaces and whether each is locked down (opsdeck's lockdown NetworkPolicy in it). With
//! configured namespaces those are the list: namespaces are not listed then.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::runtime::reflector::Store;

use super::{Kept, Opener};
use crate::domain::{NamespaceInfo, Report};

struct Namespaces {
    /// Listed only when the whole cluster is watched.
    namespaces: Option<Store<Namespace>>,
    policies: Vec<Store<NetworkPolicy>>,
    scopes: Vec<Option<String>>,
}

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    let policies = o.per_scope();
    let namespaces = (o.scopes == [None]).then(|| o.cluster());
    Box::new(Namespaces {
        namespaces,
        policies,
        scopes: o.scopes.to_vec(),
    })
}

impl Kept for Namespaces {
    fn needed_first(&self) -> bool {
        true
    }

    fn report(&self) -> Report {
        Report::Namespaces(self.rows())
    }
}

impl Namespaces {
    fn rows(&self) -> Vec<NamespaceInfo> {
        let locked: HashSet<String> = self
            .policies
            .iter()
            .flat_map(|s| s.state())
            .filter(|p| p.metadata.name.as_deref() == Some(crate::actions::LOCKDOWN_POLICY))
            .filter_map(|p| p.metadata.namespace.clone())
            .collect();
        let mut names: Vec<String> = match &self.namespaces {
            Some(store) => store
                .state()
                .iter()
                .filter_map(|n| n.metadata.name.clone())
                .collect(),
            None => self.scopes.iter().flatten().cloned().collect(),
        };
        names.sort();
        names
            .into_iter()
            .map(|name| NamespaceInfo {
                context: crate::domain::cluster_row::no_context(),
                locked_down: locked.contains(&name),
                name,
            })
            .collect()
    }
}
