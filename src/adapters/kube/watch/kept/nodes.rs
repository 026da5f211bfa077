//! Nodes: few and cluster-wide, one reflector whatever the namespaces.

use k8s_openapi::api::core::v1::Node;
use kube::runtime::reflector::Store;

use super::{Kept, Opener};
use crate::adapters::kube::convert_node;
use crate::domain::Report;

struct Nodes(Store<Node>);

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Nodes(o.cluster()))
}

impl Kept for Nodes {
    fn report(&self) -> Report {
        Report::Nodes(
            self.0
                .state()
                .iter()
                .map(|n| convert_node::node(n))
                .collect(),
        )
    }
}
