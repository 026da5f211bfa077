//! The cluster's nodes: the twelve workers the pods run on (`catalog::NODES`), each with
//! capacity and allocatable, a kubelet version and its conditions; one under memory pressure
//! and one cordoned, as a cluster on a bad day has. Made without the world's random numbers,
//! so that adding them changed nothing else the seed makes.

use crate::domain::UnixTime;
use crate::domain::node::{Node, NodeResources, UNSCHEDULABLE_TAINT};

use super::catalog;
use super::world::World;

/// The node whose kubelet reports MemoryPressure.
pub const MEMORY_PRESSURE: &str = "worker-07";
/// The node cordoned for maintenance.
pub const CORDONED: &str = "worker-12";

const GIB: u64 = 1 << 30;

pub(super) fn make(now: UnixTime) -> Vec<Node> {
    catalog::NODES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let big = i % 3 == 0;
            let (cpus, memory) = if big { (16, 64 * GIB) } else { (8, 32 * GIB) };
            let cordoned = *name == CORDONED;
            Node {
                context: crate::domain::cluster_row::no_context(),
                name: name.to_string(),
                roles: vec!["worker".into()],
                unschedulable: cordoned,
                ready: true,
                problems: if *name == MEMORY_PRESSURE {
                    vec!["MemoryPressure".into()]
                } else {
                    Vec::new()
                },
                taints: if cordoned {
                    vec![UNSCHEDULABLE_TAINT.into()]
                } else {
                    Vec::new()
                },
                kubelet: if i < 8 { "v1.29.4" } else { "v1.29.6" }.into(),
                capacity: NodeResources {
                    cpu_millis: cpus * 1000,
                    memory_bytes: memory,
                    pods: 110,
                },
                // What the kubelet reserves for the system: as a managed cluster leaves it.
                allocatable: NodeResources {
                    cpu_millis: cpus * 1000 - 90 - cpus * 10,
                    memory_bytes: memory - GIB - memory / 20,
                    pods: 110,
                },
                created: now.plus(-(86_400 * (120 - 7 * i as i64))),
            }
        })
        .collect()
}

/// Cordons (`true`) or uncordons a node: `spec.unschedulable` and its taint, as the API server
/// keeps them together. Whether it changed.
pub(crate) fn set_unschedulable(node: &mut Node, unschedulable: bool) -> bool {
    if node.unschedulable == unschedulable {
        return false;
    }
    node.unschedulable = unschedulable;
    node.taints.retain(|t| t != UNSCHEDULABLE_TAINT);
    if unschedulable {
        node.taints.push(UNSCHEDULABLE_TAINT.into());
    }
    true
}

impl World {
    /// The node a new pod goes to: the one drawn, or the next that is not cordoned (a cordoned
    /// node gets no new pods), drawing no more random numbers than before nodes could be.
    pub(super) fn schedulable_node(&self, drawn: usize) -> &'static str {
        let n = catalog::NODES.len();
        (0..n)
            .map(|i| catalog::NODES[(drawn + i) % n])
            .find(|name| {
                !self
                    .nodes
                    .iter()
                    .any(|x| x.name == *name && x.unschedulable)
            })
            .unwrap_or(catalog::NODES[drawn % n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DemoConfig;

    #[test]
    fn the_cordoned_node_gets_no_new_pods_and_the_others_keep_theirs() {
        let world = World::generate(&DemoConfig::default(), 2, UnixTime(1_790_000_000));
        let cordoned = catalog::NODES.iter().position(|n| *n == CORDONED).unwrap();
        // Drawn, the cordoned node passes its pod to the next; any other takes its own.
        assert_eq!(
            world.schedulable_node(cordoned),
            catalog::NODES[(cordoned + 1) % catalog::NODES.len()]
        );
        assert_eq!(world.schedulable_node(0), catalog::NODES[0]);
        let pressured = world.nodes.iter().find(|n| n.name == MEMORY_PRESSURE);
        assert_eq!(pressured.unwrap().problems, ["MemoryPressure"]);
    }

    #[test]
    fn cordon_sets_the_taint_with_the_flag_and_uncordon_takes_it_away() {
        let mut node = make(UnixTime(0)).swap_remove(0);
        assert!(set_unschedulable(&mut node, true));
        assert!(!set_unschedulable(&mut node, true), "already cordoned");
        assert_eq!(node.taints, [UNSCHEDULABLE_TAINT]);
        assert_eq!(node.status(), "Ready,SchedulingDisabled");
        assert!(set_unschedulable(&mut node, false));
        assert!(node.taints.is_empty());
    }
}
