//! The cluster's ConfigMaps and Secrets: the ones the runbooks name (`positivity-config`,
//! `workspace-agent-config` with `cache.enabled` and the pool sizes, the agents' JWT secret)
//! and which workloads' pod templates read them. A fixed table, made without the world's
//! random numbers, so that adding them changed nothing else the seed makes; a Secret's value
//! lives here and in the API's objects only, never in a report.

use std::collections::BTreeMap;

use crate::domain::{ConfigKey, ConfigKind, ConfigObject, ConfigRef, UnixTime};

/// The JWT secret's value (the tests look for it everywhere it must not be).
pub const JWT_SECRET_VALUE: &str = "sim-jwt-9f2c7e41b8d05a6e3c1f";

/// One ConfigMap or Secret as the simulated API server stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub kind: ConfigKind,
    pub namespace: &'static str,
    pub name: &'static str,
    pub secret_type: Option<&'static str>,
    /// Plain values (a Secret's are base64-encoded when rendered).
    pub data: BTreeMap<String, String>,
    pub created: UnixTime,
    /// Changes made to it, counted from 1: its resourceVersion in the world's own reports
    /// when it is not served (the API's own version otherwise).
    pub version: u64,
}

impl SimConfig {
    /// The Config panel's row: a Secret's values left out.
    pub fn row(&self, resource_version: &str) -> ConfigObject {
        ConfigObject {
            context: crate::domain::cluster_row::no_context(),
            kind: self.kind,
            namespace: self.namespace.into(),
            name: self.name.into(),
            secret_type: self.secret_type.map(str::to_string),
            keys: self
                .data
                .iter()
                .map(|(k, v)| ConfigKey {
                    name: k.clone(),
                    size: v.len(),
                    value: (self.kind == ConfigKind::ConfigMap).then(|| v.clone()),
                })
                .collect(),
            resource_version: resource_version.into(),
            created: self.created,
        }
    }
}

const AGENT_YAML: &str = "\
# workspace agents: how each agent's workspace is kept
workspace:
  root: /var/lib/agents
  quota_mb: 512
  cleanup_after: 6h
";

const POSITIVITY_YAML: &str = "\
# positivity scoring of validated documents
model: positivity-v3
threshold: 0.72
languages:
  - en
  - de
  - fr
";

type Table = &'static [(&'static str, &'static str)];

const TABLE: &[(ConfigKind, &str, &str, Option<&str>, Table)] = &[
    (
        ConfigKind::ConfigMap,
        "agents",
        "workspace-agent-config",
        None,
        &[
            ("cache.enabled", "true"),
            ("cache.ttl_seconds", "300"),
            ("pool.min_size", "4"),
            ("pool.max_size", "32"),
            ("agent.yaml", AGENT_YAML),
        ],
    ),
    (
        ConfigKind::Secret,
        "agents",
        "agents-jwt",
        Some("Opaque"),
        &[
            ("jwt.key", JWT_SECRET_VALUE),
            ("jwt.issuer", "agents.local"),
        ],
    ),
    (
        ConfigKind::ConfigMap,
        "workflow",
        "positivity-config",
        None,
        &[("positivity.yaml", POSITIVITY_YAML), ("batch.size", "16")],
    ),
    (
        ConfigKind::ConfigMap,
        "monitoring",
        "grafana-datasources",
        None,
        &[(
            "datasources.yaml",
            "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    url: http://prometheus:9090\n",
        )],
    ),
];

/// Which workloads read which: (namespace, workload, how, kind, name). `how` is where the
/// rendered pod template names it: `volume`, `envFrom` or `env`.
pub const USES: &[(&str, &str, &str, ConfigKind, &str)] = &[
    (
        "agents",
        "workspace-agents",
        "envFrom",
        ConfigKind::ConfigMap,
        "workspace-agent-config",
    ),
    (
        "agents",
        "workspace-agents",
        "envFrom",
        ConfigKind::Secret,
        "agents-jwt",
    ),
    (
        "agents",
        "core-agent",
        "volume",
        ConfigKind::ConfigMap,
        "workspace-agent-config",
    ),
    (
        "agents",
        "core-agent",
        "env",
        ConfigKind::Secret,
        "agents-jwt",
    ),
    (
        "workflow",
        "validation-service",
        "volume",
        ConfigKind::ConfigMap,
        "positivity-config",
    ),
    (
        "workflow",
        "workflow-worker",
        "env",
        ConfigKind::ConfigMap,
        "positivity-config",
    ),
    (
        "monitoring",
        "grafana",
        "volume",
        ConfigKind::ConfigMap,
        "grafana-datasources",
    ),
];

pub(super) fn make(now: UnixTime) -> Vec<SimConfig> {
    TABLE
        .iter()
        .enumerate()
        .map(
            |(i, (kind, namespace, name, secret_type, data))| SimConfig {
                kind: *kind,
                namespace,
                name,
                secret_type: *secret_type,
                data: data
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                created: now.plus(-(86_400 * (90 - 11 * i as i64))),
                version: 1,
            },
        )
        .collect()
}

/// What a workload's pod template reads, sorted, each once.
pub fn refs_of(namespace: &str, workload: &str) -> Vec<ConfigRef> {
    let mut refs: Vec<ConfigRef> = USES
        .iter()
        .filter(|(ns, w, ..)| *ns == namespace && *w == workload)
        .map(|(_, _, _, kind, name)| ConfigRef {
            kind: *kind,
            name: name.to_string(),
        })
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

impl super::World {
    /// The ConfigMaps' and Secrets' rows at the API's resource versions (or none yet).
    pub(crate) fn config_rows(&self) -> Vec<ConfigObject> {
        self.configs
            .iter()
            .map(|c| {
                let rv = self
                    .api
                    .as_ref()
                    .and_then(|api| api.get(resource_of(c.kind), c.namespace, c.name))
                    .and_then(|v| {
                        v["metadata"]["resourceVersion"]
                            .as_str()
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| c.version.to_string());
                c.row(&rv)
            })
            .collect()
    }
}

pub(crate) fn resource_of(kind: ConfigKind) -> super::kubeapi::Resource {
    match kind {
        ConfigKind::ConfigMap => super::kubeapi::Resource::ConfigMaps,
        ConfigKind::Secret => super::kubeapi::Resource::Secrets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_value_is_in_a_row() {
        for c in make(UnixTime(0)) {
            let row = c.row("1");
            if c.kind == ConfigKind::Secret {
                assert!(row.keys.iter().all(|k| k.value.is_none()));
                assert!(!format!("{row:?}").contains(JWT_SECRET_VALUE));
            }
        }
    }

    #[test]
    fn every_use_names_a_config_that_exists() {
        let made = make(UnixTime(0));
        for (ns, _, _, kind, name) in USES {
            assert!(
                made.iter()
                    .any(|c| c.namespace == *ns && c.name == *name && c.kind == *kind),
                "{ns}/{name}"
            );
        }
    }
}
