//! Nodes as rows: cordoned and troubled nodes sort with the rest by name; usage and pods
//! counted here so that the table sorts by them.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::desc_none_last;
use crate::app::table::RowSet;
use crate::domain::{Estate, Node, PodPhase};

pub const NODE_COLUMNS: &[&str] = &[
    "NAME",
    "STATUS",
    "ROLES",
    "PODS",
    "CPU",
    "MEM",
    "CONDITIONS",
    "TAINTS",
    "AGE",
    "VERSION",
];

pub struct NodeRows<'a> {
    pub estate: &'a Estate,
    /// Pods scheduled on each node and not finished, as `kubectl describe node` counts them,
    /// by the node's context and name.
    pub pods_on: HashMap<(&'a str, &'a str), u32>,
}

/// The pods on each node that still hold a place there (not Succeeded or Failed).
pub fn pods_on(estate: &Estate) -> HashMap<(&str, &str), u32> {
    let mut counts = HashMap::new();
    for pod in estate.pods.iter() {
        if pod.node.is_empty() || matches!(pod.phase, PodPhase::Succeeded | PodPhase::Failed) {
            continue;
        }
        *counts.entry((&*pod.key.context, &*pod.node)).or_insert(0) += 1;
    }
    counts
}

impl<'a> NodeRows<'a> {
    pub fn new(estate: &'a Estate) -> Self {
        NodeRows {
            estate,
            pods_on: pods_on(estate),
        }
    }

    fn node(&self, i: usize) -> &Node {
        &self.estate.nodes[i]
    }

    /// CPU and memory used against allocatable, as ratios, when the metrics API said.
    pub fn used(estate: &Estate, node: &Node) -> Option<(f64, f64)> {
        let (cpu, mem) = *estate
            .node_usage
            .get(&(node.context.clone(), node.name.clone()))?;
        let ratio = |used: f64, of: u64| if of == 0 { 0.0 } else { used / of as f64 };
        Some((
            ratio(f64::from(cpu), node.allocatable.cpu_millis),
            ratio(mem as f64, node.allocatable.memory_bytes),
        ))
    }
}

/// Whether a node needs a look: not ready, cordoned, or under pressure.
pub fn node_in_trouble(node: &Node) -> bool {
    !node.ready || node.unschedulable || !node.problems.is_empty()
}

impl RowSet for NodeRows<'_> {
    type Id = String;

    fn len(&self) -> usize {
        self.estate.nodes.len()
    }
    fn generation(&self) -> (u64, u64) {
        let g = self.estate.gens.nodes;
        (g, g ^ self.estate.pods.content_generation().rotate_left(32))
    }
    fn id(&self, i: usize) -> String {
        self.node(i).name.clone()
    }
    fn index_of(&self, id: &String) -> Option<usize> {
        self.estate.nodes.iter().position(|n| &n.name == id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let n = self.node(i);
        out.push_str(&n.name);
        out.push(' ');
        out.push_str(&n.status());
        for field in n.roles.iter().chain(&n.problems).chain(&n.taints) {
            out.push(' ');
            out.push_str(field);
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.node(a), self.node(b));
        let used = |n: &Node| NodeRows::used(self.estate, n);
        let key = |r: f64| (r * 1_000_000.0) as i64;
        let by = match column {
            0 => Ordering::Equal,
            1 => node_in_trouble(y).cmp(&node_in_trouble(x)),
            2 => x.roles.cmp(&y.roles),
            3 => {
                let count = |n: &Node| {
                    let key = (&*n.context, n.name.as_str());
                    self.pods_on.get(&key).copied().unwrap_or(0)
                };
                count(y).cmp(&count(x))
            }
            4 => desc_none_last(used(x).map(|u| key(u.0)), used(y).map(|u| key(u.0))),
            5 => desc_none_last(used(x).map(|u| key(u.1)), used(y).map(|u| key(u.1))),
            6 => y.problems.len().cmp(&x.problems.len()),
            7 => y.taints.len().cmp(&x.taints.len()),
            8 => x.created.cmp(&y.created),
            9 => x.kubelet.cmp(&y.kubelet),
            _ => Ordering::Equal,
        };
        by.then_with(|| x.name.cmp(&y.name))
            .then_with(|| x.context.cmp(&y.context))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        NODE_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 3..=7)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{NodeResources, UnixTime};

    fn node(name: &str, cpu_millis: u64) -> Node {
        let r = NodeResources {
            cpu_millis,
            memory_bytes: 8 << 30,
            pods: 110,
        };
        Node {
            context: crate::domain::cluster_row::no_context(),
            name: name.into(),
            roles: Vec::new(),
            unschedulable: false,
            ready: true,
            problems: Vec::new(),
            taints: Vec::new(),
            kubelet: "v1.29.4".into(),
            capacity: r,
            allocatable: r,
            created: UnixTime(0),
        }
    }

    #[test]
    fn cpu_sorts_by_share_of_allocatable_busiest_first_unknown_last() {
        let mut estate = Estate::default();
        let mut troubled = node("c", 4000);
        troubled.problems.push("DiskPressure".into());
        estate.nodes = vec![node("a", 8000), node("b", 2000), troubled];
        // a: 2000m of 8000m = 25%; b: 1000m of 2000m = 50%; c: no figures.
        estate
            .node_usage
            .insert(("".into(), "a".into()), (2000, 1 << 30));
        estate
            .node_usage
            .insert(("".into(), "b".into()), (1000, 1 << 30));
        let rows = NodeRows::new(&estate);
        assert_eq!(
            rows.compare(1, 0, 4),
            Ordering::Less,
            "b (50%) before a (25%)"
        );
        assert_eq!(
            rows.compare(0, 2, 4),
            Ordering::Less,
            "c has no figures: last"
        );
        assert_eq!(
            rows.compare(2, 0, 1),
            Ordering::Less,
            "a node in trouble first"
        );
        let (cpu, _) = NodeRows::used(&estate, &estate.nodes[1]).expect("figures");
        assert!((cpu - 0.5).abs() < 1e-9);
    }
}
