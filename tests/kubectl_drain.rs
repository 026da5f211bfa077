//! Draining a node of the simulator, by kubectl and by opsdeck's executor: `kubectl get pdb`
//! prints the demo's budget with kubectl's columns, `kubectl drain` refuses a node with a pod
//! no controller owns, and drains another through the Eviction API, slowed by the budget
//! (429 until the evicted pod's replacement is Ready elsewhere); opsdeck's drain says the same
//! block in its progress and leaves the same end state on a second simulator of the same seed;
//! its dry run changes nothing; cancelled, it evicts no more.

use std::time::{Duration, Instant};

use opsdeck::actions::executor::{Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::kube::KubeExecutor;
use serde_json::Value;
use sim_process::Sim;
use tokio::sync::mpsc;

mod sim_process;

/// The node the demo's seed puts four of pos-catalog's pods on, and none of monitoring's
/// (whose writes the demo's RBAC denies).
const NODE: &str = "worker-09";

fn drain(node: &str) -> Action {
    Action {
        kind: ActionKind::Drain,
        target: Target::Node { name: node.into() },
        context: "demo".into(),
    }
}

/// The pods on a node, `namespace/name`, sorted.
fn pods_on(sim: &Sim, node: &str) -> Vec<String> {
    let list = sim.json(&[
        "get",
        "pods",
        "-A",
        "--field-selector",
        &format!("spec.nodeName={node}"),
    ]);
    let mut out: Vec<String> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap_or_default(),
                p["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    out.sort();
    out
}

/// What a drain leaves: the node's spec.unschedulable, the pods on it, and every workload's
/// pod count with how many are Ready, once the replacements have started (waited for).
fn end_state(sim: &Sim, node: &str) -> (Value, Vec<String>, Vec<(String, usize, usize)>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pods = sim.json(&["get", "pods", "-A"]);
        let mut counts = std::collections::BTreeMap::<String, (usize, usize)>::new();
        for p in pods["items"].as_array().expect("items") {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or_default();
            let app = p["metadata"]["labels"]["app"].as_str().unwrap_or("(none)");
            let ready = p["status"]["phase"] == "Running"
                && p["status"]["containerStatuses"]
                    .as_array()
                    .is_some_and(|s| s.iter().all(|c| c["ready"] == true));
            let entry = counts.entry(format!("{ns}/{app}")).or_default();
            entry.0 += 1;
            entry.1 += usize::from(ready);
        }
        let catalog = counts["pos/pos-catalog"];
        if catalog.0 == catalog.1 || Instant::now() > deadline {
            let node_spec = sim.json(&["get", "node", node])["spec"]["unschedulable"].clone();
            let counts = counts
                .into_iter()
                // The demo's rollout of pos-order and its crash loop go on by themselves.
                .filter(|(k, _)| k != "pos/pos-order" && k != "workflow/pdf-recognizer")
                .map(|(k, (n, r))| (k, n, r))
                .collect();
            return (node_spec, pods_on(sim, node), counts);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn kubectl_reads_the_budget_and_drains_a_node_through_evictions_the_budget_slows() {
    let sim = Sim::start_live(&[]);
    let pdb = sim.ok(&["get", "pdb", "-A"]);
    let lines: Vec<Vec<&str>> = pdb
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines[0],
        [
            "NAMESPACE",
            "NAME",
            "MIN",
            "AVAILABLE",
            "MAX",
            "UNAVAILABLE",
            "ALLOWED",
            "DISRUPTIONS",
            "AGE"
        ],
        "{pdb}"
    );
    assert_eq!(
        lines[1][..5],
        ["pos", "pos-catalog", "N/A", "1", "1"],
        "{pdb}"
    );
    let ds = sim.ok(&["get", "ds", "-n", "monitoring"]);
    assert!(ds.contains("node-exporter"), "{ds}");

    // A pod no controller owns: refused by name, as without --force.
    let out = sim.kubectl(&[
        "drain",
        "worker-12",
        "--ignore-daemonsets",
        "--delete-emptydir-data",
        "--timeout=20s",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("declare no controller") && err.contains("data/debug-toolbox"),
        "{err}"
    );

    let before = pods_on(&sim, NODE);
    let catalog_before = before.iter().filter(|p| p.contains("pos-catalog")).count();
    assert!(catalog_before >= 2, "{before:?}");
    let out = sim.kubectl(&[
        "drain",
        NODE,
        "--ignore-daemonsets",
        "--delete-emptydir-data",
        "--timeout=60s",
    ]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("node/{NODE} drained")), "{stdout}");
    assert!(
        stderr.contains("Cannot evict pod as it would violate the pod's disruption budget."),
        "the budget held some eviction back: {stderr}"
    );
    let (unschedulable, left, counts) = end_state(&sim, NODE);
    assert_eq!(unschedulable, true);
    assert_eq!(left.len(), 1, "only the DaemonSet's pod stays: {left:?}");
    assert!(left[0].starts_with("monitoring/node-exporter-"), "{left:?}");
    let catalog = counts.iter().find(|c| c.0 == "pos/pos-catalog").unwrap();
    assert_eq!(
        (catalog.1, catalog.2),
        (20, 20),
        "recreated elsewhere, Ready"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opsdecks_drain_reports_the_budgets_block_and_ends_as_kubectls() {
    let (theirs, ours) = (Sim::start_live(&[]), Sim::start_live(&[]));
    let executor = KubeExecutor::new(ours.cluster());

    // The dry run says the plan and changes nothing.
    match executor.permitted(&drain(NODE)).await {
        Permission::DryRun(said) => assert!(
            said.starts_with("cordon and evictions accepted: ") && said.ends_with(" pods"),
            "{said}"
        ),
        other => panic!("{other:?}"),
    }
    let spec = tokio::task::block_in_place(|| ours.json(&["get", "node", NODE]))["spec"].clone();
    assert_ne!(spec["unschedulable"], true, "a dry run cordons nothing");
    match executor.permitted(&drain("worker-12")).await {
        Permission::Denied(why) => assert!(why.contains("data/debug-toolbox"), "{why}"),
        other => panic!("{other:?}"),
    }

    let (tx, mut rx) = mpsc::channel(256);
    let lines = tokio::spawn(async move {
        let mut lines = Vec::new();
        while let Some(line) = rx.recv().await {
            lines.push(line);
        }
        lines
    });
    let said = executor
        .execute(&drain(NODE), tx)
        .await
        .expect("opsdeck's drain");
    let lines = lines.await.unwrap();
    assert!(said.starts_with("drained: "), "{said}");
    assert!(lines[0].starts_with("cordoned; evicting "), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("blocked by PDB pos-catalog, retrying: pos/pos-catalog-")),
        "{lines:?}"
    );
    let evicted: Vec<&String> = lines.iter().filter(|l| l.starts_with("evicted ")).collect();
    let total = evicted.len();
    assert!(
        evicted
            .last()
            .unwrap()
            .starts_with(&format!("evicted {total} of {total}: ")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("(its emptyDir data deleted)")),
        "{lines:?}"
    );

    tokio::task::block_in_place(|| {
        theirs.ok(&[
            "drain",
            NODE,
            "--ignore-daemonsets",
            "--delete-emptydir-data",
        ]);
        let (a, b) = (end_state(&theirs, NODE), end_state(&ours, NODE));
        assert_eq!(a, b, "kubectl's drain and opsdeck's leave the same");
        assert_eq!(b.0, true);
        assert_eq!(b.1.len(), 1, "{:?}", b.1);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_drain_evicts_no_more() {
    let sim = Sim::start_live(&[]);
    let executor = KubeExecutor::new(sim.cluster());
    let (tx, mut rx) = mpsc::channel(256);
    let action = drain(NODE);
    let run = executor.execute(&action, tx);
    // Cancelled as the runner cancels: the execution is dropped, here at the first block.
    let blocked = tokio::select! {
        _ = run => panic!("the drain finished before the budget held it"),
        blocked = async {
            loop {
                let line = rx.recv().await.expect("progress");
                if let Some(pod) = line.strip_prefix("blocked by PDB pos-catalog, retrying: ") {
                    return pod.to_string();
                }
            }
        } => blocked,
    };
    // Once the budget would allow it again, the held pod is still there: no retry went on.
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let pdb = sim.json(&["get", "pdb", "-n", "pos", "pos-catalog"]);
            if pdb["status"]["disruptionsAllowed"] == 1 {
                break;
            }
            assert!(Instant::now() < deadline, "the budget allows again: {pdb}");
            std::thread::sleep(Duration::from_millis(200));
        }
        // A retry would have come within RETRY_AFTER of the budget allowing it.
        std::thread::sleep(opsdeck::actions::drain::RETRY_AFTER * 2);
        let left = pods_on(&sim, NODE);
        assert!(left.contains(&blocked), "{blocked} stays: {left:?}");
        let node = sim.json(&["get", "node", NODE]);
        assert_eq!(
            node["spec"]["unschedulable"], true,
            "the node stays cordoned"
        );
    });
}
