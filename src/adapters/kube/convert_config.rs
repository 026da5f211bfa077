//! ConfigMaps and Secrets into the Config panel's rows, and a pod template's references to
//! them. Secrets are read as [`SlimSecret`]: its deserialization measures each value and keeps
//! only the key and the size, so no Secret value is ever held by the adapter (nor logged, nor
//! sent on), not even for the length of a conversion.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{ConfigMap, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Deserialize;

use crate::domain::configs::base64_size;
use crate::domain::{ConfigKey, ConfigKind, ConfigObject, ConfigRef, UnixTime};

fn time(t: &Option<Time>) -> UnixTime {
    t.as_ref()
        .map_or(UnixTime(0), |t| UnixTime(t.0.as_second()))
}

pub fn config_map(c: &ConfigMap) -> ConfigObject {
    let mut keys: Vec<ConfigKey> = c
        .data
        .iter()
        .flatten()
        .map(|(k, v)| ConfigKey {
            name: k.clone(),
            size: v.len(),
            value: Some(v.clone()),
        })
        .collect();
    // Binary values are not shown; their sizes are.
    keys.extend(c.binary_data.iter().flatten().map(|(k, v)| ConfigKey {
        name: k.clone(),
        size: v.0.len(),
        value: None,
    }));
    keys.sort_by(|a, b| a.name.cmp(&b.name));
    ConfigObject {
        context: crate::domain::cluster_row::no_context(),
        kind: ConfigKind::ConfigMap,
        namespace: c.metadata.namespace.clone().unwrap_or_default(),
        name: c.metadata.name.clone().unwrap_or_default(),
        secret_type: None,
        keys,
        resource_version: c.metadata.resource_version.clone().unwrap_or_default(),
        created: time(&c.metadata.creation_timestamp),
    }
}

pub fn secret(s: &SlimSecret) -> ConfigObject {
    ConfigObject {
        context: crate::domain::cluster_row::no_context(),
        kind: ConfigKind::Secret,
        namespace: s.metadata.namespace.clone().unwrap_or_default(),
        name: s.metadata.name.clone().unwrap_or_default(),
        secret_type: Some(s.type_.clone().unwrap_or_else(|| "Opaque".into())),
        keys: s
            .sizes
            .iter()
            .map(|(k, size)| ConfigKey {
                name: k.clone(),
                size: *size,
                value: None,
            })
            .collect(),
        resource_version: s.metadata.resource_version.clone().unwrap_or_default(),
        created: time(&s.metadata.creation_timestamp),
    }
}

/// The ConfigMaps and Secrets a pod template mounts as volumes (projected ones included) or
/// reads through `envFrom` or an env variable's `valueFrom`, in any container.
pub fn template_refs(template: Option<&PodTemplateSpec>) -> Vec<ConfigRef> {
    let mut refs = BTreeSet::new();
    let Some(spec) = template.and_then(|t| t.spec.as_ref()) else {
        return Vec::new();
    };
    let mut add = |kind, name: &Option<String>| {
        if let Some(name) = name.as_ref().filter(|n| !n.is_empty()) {
            refs.insert(ConfigRef {
                kind,
                name: name.clone(),
            });
        }
    };
    for v in spec.volumes.iter().flatten() {
        if let Some(c) = &v.config_map {
            add(ConfigKind::ConfigMap, &Some(c.name.clone()));
        }
        if let Some(s) = &v.secret {
            add(ConfigKind::Secret, &s.secret_name);
        }
        for source in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(c) = &source.config_map {
                add(ConfigKind::ConfigMap, &Some(c.name.clone()));
            }
            if let Some(s) = &source.secret {
                add(ConfigKind::Secret, &Some(s.name.clone()));
            }
        }
    }
    let containers = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    for c in containers {
        for from in c.env_from.iter().flatten() {
            if let Some(r) = &from.config_map_ref {
                add(ConfigKind::ConfigMap, &Some(r.name.clone()));
            }
            if let Some(r) = &from.secret_ref {
                add(ConfigKind::Secret, &Some(r.name.clone()));
            }
        }
        for var in c.env.iter().flatten() {
            let Some(from) = &var.value_from else {
                continue;
            };
            if let Some(r) = &from.config_map_key_ref {
                add(ConfigKind::ConfigMap, &Some(r.name.clone()));
            }
            if let Some(r) = &from.secret_key_ref {
                add(ConfigKind::Secret, &Some(r.name.clone()));
            }
        }
    }
    refs.into_iter().collect()
}

/// A Secret as the adapter reads it: name, namespace, versions and times, type, and each
/// key's value size. The values are measured as they are read and dropped there (`Sizes`);
/// annotations and managedFields are not read at all (`kubectl apply` leaves the values in
/// the last-applied annotation).
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "WireSecret")]
pub struct SlimSecret {
    pub metadata: ObjectMeta,
    pub type_: Option<String>,
    /// Key → decoded size, from `data` (base64).
    pub sizes: Sizes,
}

#[derive(Deserialize)]
struct WireSecret {
    #[serde(default)]
    metadata: WireMeta,
    #[serde(default, rename = "type")]
    type_: Option<String>,
    #[serde(default)]
    data: Sizes,
}

/// The metadata kept: what identifies the object and what the watcher resumes from.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireMeta {
    name: Option<String>,
    namespace: Option<String>,
    resource_version: Option<String>,
    uid: Option<String>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
}

impl From<WireSecret> for SlimSecret {
    fn from(w: WireSecret) -> SlimSecret {
        SlimSecret {
            metadata: ObjectMeta {
                name: w.metadata.name,
                namespace: w.metadata.namespace,
                resource_version: w.metadata.resource_version,
                uid: w.metadata.uid,
                creation_timestamp: w.metadata.creation_timestamp,
                deletion_timestamp: w.metadata.deletion_timestamp,
                ..ObjectMeta::default()
            },
            type_: w.type_,
            sizes: w.data,
        }
    }
}

/// `data` read as key → decoded size; the values are borrowed from the input, measured and
/// not kept.
#[derive(Debug, Clone, Default)]
pub struct Sizes(BTreeMap<String, usize>);

impl std::ops::Deref for Sizes {
    type Target = BTreeMap<String, usize>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Sizes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Sizes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of base64 values")
            }
            fn visit_unit<E>(self) -> Result<Sizes, E> {
                Ok(Sizes::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Sizes, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<Option<Cow<'de, str>>>()?;
                    out.insert(key, value.as_deref().map_or(0, base64_size));
                }
                Ok(Sizes(out))
            }
        }
        d.deserialize_any(Visit)
    }
}

super::slim::core_v1_resource!(SlimSecret, "Secret", "secrets");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slim_secret_keeps_key_names_and_sizes_and_no_value() {
        let slim: SlimSecret = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "jwt", "namespace": "agents", "resourceVersion": "7",
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"k\":\"c2VjcmV0\"}}"}},
            "type": "Opaque",
            "data": {"jwt.key": "c2VjcmV0LXZhbHVl", "empty": ""},
        }))
        .expect("a secret");
        let row = secret(&slim);
        assert_eq!(row.keys.len(), 2);
        assert_eq!(row.key("jwt.key").unwrap().size, "secret-value".len());
        assert!(row.keys.iter().all(|k| k.value.is_none()));
        let kept = format!("{slim:?} {row:?}");
        assert!(
            !kept.contains("c2VjcmV0") && !kept.contains("secret-value"),
            "{kept}"
        );
    }
}
