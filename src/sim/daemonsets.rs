//! What a drain meets on a node besides the workloads' pods: a DaemonSet's pod on every node
//! (`monitoring/node-exporter`, which a drain skips) and one pod no controller owns
//! (`data/debug-toolbox` on the cordoned node, which a drain refuses to delete without
//! `--force`). Made without the world's random numbers, after the workloads' pods, so that
//! adding them changed nothing else the seed makes.

use serde_json::{Value, json};

use super::catalog;
use super::names;
use crate::domain::{Pod, PodKey, PodPhase, UnixTime};

/// The DaemonSet with a pod on every node.
pub const DAEMONSET: (&str, &str) = ("monitoring", "node-exporter");
/// The pod no controller owns, and the node it runs on.
pub const BARE_POD: (&str, &str) = ("data", "debug-toolbox");
pub const BARE_POD_NODE: &str = super::nodes::CORDONED;
/// How many pods this adds to the workloads' (`--pods`): one per node and the bare one.
pub const NODE_PODS: usize = catalog::NODES.len() + 1;
const IMAGE: &str = "prom/node-exporter:v1.7.0";

/// The DaemonSet's pods, one per node, then the bare pod.
pub(super) fn pods(now: UnixTime) -> Vec<Pod> {
    let (ns, ds) = DAEMONSET;
    let mut out: Vec<Pod> = catalog::NODES
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let suffix = &names::template_hash(ds, i as u64)[..5];
            pod(
                ns,
                &format!("{ds}-{suffix}"),
                node,
                Some(format!("DaemonSet/{ds}")),
                IMAGE,
                now.plus(-(86_400 * 30 + 600 * i as i64)),
            )
        })
        .collect();
    out.push(pod(
        BARE_POD.0,
        BARE_POD.1,
        BARE_POD_NODE,
        None,
        "busybox:1.36",
        now.plus(-5_400),
    ));
    out
}

fn pod(
    ns: &str,
    name: &str,
    node: &str,
    owner: Option<String>,
    image: &str,
    created: UnixTime,
) -> Pod {
    Pod {
        key: PodKey::new(ns, name),
        phase: PodPhase::Running,
        status: "Running".into(),
        ready_containers: 1,
        total_containers: 1,
        containers: Box::default(),
        restarts: 0,
        last_restart: None,
        node: node.into(),
        owner: owner.map(Into::into),
        created,
        image: image.into(),
        cpu_millis: Some(8),
        memory_bytes: Some(24 << 20),
        ip: Some(super::names::pod_ip(ns, name)),
        last_terminated: None,
    }
}

/// The DaemonSet as the API server renders it, its status counted from its pods.
pub fn daemonset(pods: &[&Pod], now: UnixTime) -> Value {
    let (ns, name) = DAEMONSET;
    let nodes = catalog::NODES.len();
    let ready = pods
        .iter()
        .filter(|p| p.ready_containers == p.total_containers && p.phase == PodPhase::Running)
        .count();
    let created = now.plus(-(86_400 * 30 + 3_600)).rfc3339();
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {
            "name": name, "namespace": ns,
            "uid": crate::sim::kubeapi::render::uid(&["DaemonSet", ns, name]),
            "creationTimestamp": created,
            "generation": 1,
            "labels": {"app": name},
        },
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": IMAGE}],
                         "tolerations": [{"operator": "Exists"}]},
            },
            "updateStrategy": {"type": "RollingUpdate"},
        },
        "status": {
            "desiredNumberScheduled": nodes,
            "currentNumberScheduled": pods.len(),
            "numberReady": ready,
            "updatedNumberScheduled": pods.len(),
            "numberAvailable": ready,
            "numberMisscheduled": 0,
            "observedGeneration": 1,
        },
    })
}
