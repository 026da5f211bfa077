//! HorizontalPodAutoscalers (autoscaling/v2), few per namespace: joined onto their workloads
//! in the Services panel.

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use kube::runtime::reflector::Store;

use super::{Kept, Opener, everything};
use crate::adapters::kube::convert_hpa;
use crate::domain::Report;

struct Hpas(Vec<Store<HorizontalPodAutoscaler>>);

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Hpas(o.per_scope()))
}

impl Kept for Hpas {
    fn report(&self) -> Report {
        Report::Hpas(
            everything(&self.0)
                .iter()
                .filter_map(|h| convert_hpa::hpa(h))
                .collect(),
        )
    }
}
