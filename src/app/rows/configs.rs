//! ConfigMaps and Secrets as rows of the Config panel, with the workloads that read each
//! (their pod templates' volumes, `envFrom`, env `valueFrom`): USED BY.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::app::table::RowSet;
use crate::domain::{ConfigKind, ConfigObject, Estate, Workload};

pub const CONFIG_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "KIND",
    "NAME",
    "TYPE",
    "KEYS",
    "SIZE",
    "USED BY",
    "AGE",
];

/// A row's identity: kind, namespace, name, and the cluster (context).
pub type ConfigId = (ConfigKind, String, String, String);

pub struct ConfigRows<'a> {
    pub estate: &'a Estate,
    used_by: HashMap<ConfigId, Vec<&'a Workload>>,
}

/// The workloads whose pod templates read each ConfigMap and Secret, by its id.
pub fn users(estate: &Estate) -> HashMap<ConfigId, Vec<&Workload>> {
    let mut out: HashMap<ConfigId, Vec<&Workload>> = HashMap::new();
    for w in &estate.workloads {
        for r in &w.config_refs {
            out.entry((
                r.kind,
                w.namespace.clone(),
                r.name.clone(),
                w.context.to_string(),
            ))
            .or_default()
            .push(w);
        }
    }
    out
}

/// The workloads that read `config`, in the estate's order.
pub fn used_by<'a>(estate: &'a Estate, config: &ConfigObject) -> Vec<&'a Workload> {
    estate
        .workloads
        .iter()
        .filter(|w| {
            w.context == config.context
                && w.namespace == config.namespace
                && w.config_refs
                    .iter()
                    .any(|r| r.kind == config.kind && r.name == config.name)
        })
        .collect()
}

/// `workspace-agents, core-agent`, or `-` for none.
pub fn used_by_text(users: &[&Workload]) -> String {
    if users.is_empty() {
        return "-".into();
    }
    users
        .iter()
        .map(|w| w.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn id_of(c: &ConfigObject) -> ConfigId {
    (
        c.kind,
        c.namespace.clone(),
        c.name.clone(),
        c.context.to_string(),
    )
}

impl<'a> ConfigRows<'a> {
    pub fn new(estate: &'a Estate) -> Self {
        ConfigRows {
            estate,
            used_by: users(estate),
        }
    }

    pub fn config(&self, i: usize) -> &'a ConfigObject {
        &self.estate.configs[i]
    }

    pub fn users(&self, i: usize) -> &[&'a Workload] {
        self.used_by
            .get(&id_of(self.config(i)))
            .map_or(&[], Vec::as_slice)
    }
}

impl RowSet for ConfigRows<'_> {
    type Id = ConfigId;

    fn len(&self) -> usize {
        self.estate.configs.len()
    }
    fn generation(&self) -> (u64, u64) {
        let g = self.estate.gens.configs ^ self.estate.gens.workloads.rotate_left(32);
        (g, g)
    }
    fn id(&self, i: usize) -> ConfigId {
        id_of(self.config(i))
    }
    fn index_of(&self, id: &ConfigId) -> Option<usize> {
        self.estate.configs.iter().position(|c| id_of(c) == *id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let c = self.config(i);
        for field in [c.namespace.as_str(), c.kind.api_kind(), c.name.as_str()] {
            out.push_str(field);
            out.push(' ');
        }
        if let Some(t) = &c.secret_type {
            out.push_str(t);
            out.push(' ');
        }
        for k in &c.keys {
            out.push_str(&k.name);
            out.push(' ');
        }
        out.push_str(&used_by_text(self.users(i)));
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.config(a), self.config(b));
        let by = match column {
            0 => x.namespace.cmp(&y.namespace),
            1 => x.kind.cmp(&y.kind),
            2 => Ordering::Equal,
            3 => x.secret_type.cmp(&y.secret_type),
            4 => y.keys.len().cmp(&x.keys.len()),
            5 => y.size().cmp(&x.size()),
            6 => self.users(b).len().cmp(&self.users(a).len()),
            7 => x.created.cmp(&y.created),
            _ => Ordering::Equal,
        };
        by.then_with(|| (&x.namespace, &x.name, x.kind).cmp(&(&y.namespace, &y.name, y.kind)))
            .then_with(|| x.context.cmp(&y.context))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        CONFIG_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 4..=6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ConfigKey, ConfigRef, UnixTime, WorkloadKind};

    fn config(kind: ConfigKind, ns: &str, name: &str, sizes: &[usize]) -> ConfigObject {
        ConfigObject {
            context: crate::domain::cluster_row::no_context(),
            kind,
            namespace: ns.into(),
            name: name.into(),
            secret_type: (kind == ConfigKind::Secret).then(|| "Opaque".into()),
            keys: sizes
                .iter()
                .enumerate()
                .map(|(i, s)| ConfigKey {
                    name: format!("k{i}"),
                    size: *s,
                    value: None,
                })
                .collect(),
            resource_version: "1".into(),
            created: UnixTime(0),
        }
    }

    fn workload(ns: &str, name: &str, refs: Vec<ConfigRef>) -> Workload {
        Workload {
            context: crate::domain::cluster_row::no_context(),
            kind: WorkloadKind::Deployment,
            namespace: ns.into(),
            name: name.into(),
            desired: 1,
            ready: 1,
            updated: 1,
            revision: 1,
            image: String::new(),
            history: Vec::new(),
            created: UnixTime(0),
            service: None,
            containers: Vec::new(),
            config_refs: refs,
        }
    }

    #[test]
    fn used_by_is_the_workloads_of_its_namespace_that_name_it_with_its_kind() {
        let cm = |name: &str| ConfigRef {
            kind: ConfigKind::ConfigMap,
            name: name.into(),
        };
        let estate = Estate {
            configs: vec![
                config(ConfigKind::ConfigMap, "a", "app", &[3, 4]),
                config(ConfigKind::Secret, "a", "app", &[100]),
            ],
            workloads: vec![
                workload("a", "web", vec![cm("app")]),
                workload("b", "other", vec![cm("app")]),
            ],
            ..Estate::default()
        };
        let rows = ConfigRows::new(&estate);
        assert_eq!(used_by_text(rows.users(0)), "web");
        assert_eq!(
            used_by_text(rows.users(1)),
            "-",
            "a Secret of that name is not read"
        );
        // SIZE sorts largest first; USED BY most users first.
        assert_eq!(rows.compare(1, 0, 5), Ordering::Less);
        assert_eq!(rows.compare(0, 1, 6), Ordering::Less);
        let mut text = String::new();
        rows.search_text(0, &mut text);
        assert!(text.contains("ConfigMap") && text.contains("web"), "{text}");
    }
}
