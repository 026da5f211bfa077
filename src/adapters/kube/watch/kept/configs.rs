//! ConfigMaps and Secrets, per watched scope, sent together as the Config panel's report.
//! Secrets are watched as `SlimSecret`, which keeps key names and value sizes only.

use k8s_openapi::api::core::v1::ConfigMap;
use kube::runtime::reflector::Store;

use super::{Kept, Opener, everything};
use crate::adapters::kube::convert_config::{self, SlimSecret};
use crate::domain::Report;

struct Configs {
    config_maps: Vec<Store<ConfigMap>>,
    secrets: Vec<Store<SlimSecret>>,
}

pub(super) fn open(o: &mut Opener) -> Box<dyn Kept> {
    Box::new(Configs {
        config_maps: o.per_scope(),
        secrets: o.per_scope(),
    })
}

impl Kept for Configs {
    fn report(&self) -> Report {
        let maps = everything(&self.config_maps);
        let secrets = everything(&self.secrets);
        Report::Configs(
            maps.iter()
                .map(|c| convert_config::config_map(c))
                .chain(secrets.iter().map(|s| convert_config::secret(s)))
                .collect(),
        )
    }
}
