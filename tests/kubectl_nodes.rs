//! The simulator's nodes as kubectl reads and changes them: `kubectl get nodes` prints the
//! twelve workers with kubectl's columns (one cordoned, as SchedulingDisabled), `kubectl top
//! nodes` reads their usage from metrics.k8s.io against their allocatable, and `kubectl
//! cordon` / `uncordon` patch `spec.unschedulable`, which the next `get` shows.

use sim_process::Sim;

mod sim_process;

/// `(name, status, roles, version)` of each row of `kubectl get nodes`.
fn node_rows(sim: &Sim) -> Vec<(String, String, String, String)> {
    let text = sim.ok(&["get", "nodes"]);
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "{text}"
    );
    lines
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(w.len(), 5, "{l}");
            (w[0].into(), w[1].into(), w[2].into(), w[4].into())
        })
        .collect()
}

fn status_of(sim: &Sim, node: &str) -> String {
    node_rows(sim)
        .into_iter()
        .find(|r| r.0 == node)
        .unwrap_or_else(|| panic!("{node} listed"))
        .1
}

#[test]
fn kubectl_gets_tops_cordons_and_uncordons_the_simulators_nodes() {
    let sim = Sim::start(&[]);
    let rows = node_rows(&sim);
    assert_eq!(rows.len(), 12, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.2 == "worker" && r.3.starts_with("v1.29."))
    );
    assert_eq!(status_of(&sim, "worker-12"), "Ready,SchedulingDisabled");
    assert_eq!(status_of(&sim, "worker-01"), "Ready");

    // The pressure condition is in the object, as `describe` would show it.
    let node = sim.json(&["get", "node", "worker-07"]);
    let conditions = node["status"]["conditions"].as_array().expect("conditions");
    let pressure = conditions
        .iter()
        .find(|c| c["type"] == "MemoryPressure")
        .expect("MemoryPressure");
    assert_eq!(pressure["status"], "True");
    assert_eq!(node["status"]["allocatable"]["pods"], "110");

    // `kubectl top nodes`: every node, with CPU and memory used and their share of allocatable.
    let top = sim.ok(&["top", "nodes"]);
    let mut lines = top.lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("NAME"), "{top}");
    assert!(
        header.contains("CPU(cores)") && header.contains("MEMORY(bytes)"),
        "{top}"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 12, "{top}");
    for row in &rows {
        assert!(row[1].ends_with('m'), "{row:?}");
        let share: u32 = row[2].trim_end_matches('%').parse().expect("a CPU share");
        assert!(share > 0 && share < 100, "{row:?}");
        assert!(row[3].ends_with("Mi"), "{row:?}");
    }

    // Cordon and uncordon: patches of spec.unschedulable that the next list shows.
    sim.ok(&["cordon", "worker-03"]);
    assert_eq!(status_of(&sim, "worker-03"), "Ready,SchedulingDisabled");
    let node = sim.json(&["get", "node", "worker-03"]);
    assert_eq!(node["spec"]["unschedulable"], true);
    assert!(
        node["spec"]["taints"].as_array().is_some_and(|t| t
            .iter()
            .any(|t| t["key"] == "node.kubernetes.io/unschedulable")),
        "{node}"
    );
    sim.ok(&["uncordon", "worker-12"]);
    assert_eq!(status_of(&sim, "worker-12"), "Ready");
    let out = sim.ok(&["cordon", "worker-03", "--dry-run=server"]);
    assert!(out.contains("worker-03"), "{out}");
}

/// The next report for which `pick` gives something; other reports are passed over.
async fn next_where<T>(
    rx: &mut tokio::sync::mpsc::Receiver<opsdeck::domain::SourceReport>,
    within: std::time::Duration,
    pick: impl Fn(&opsdeck::domain::Report) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the report in time")
            .expect("the adapter is running")
            .report;
        if let Some(found) = pick(&report) {
            return found;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_sees_kubectls_cordon_by_watch_and_reads_node_usage() {
    use opsdeck::domain::Report;
    use opsdeck::domain::node::{MetricsDemand, UNSCHEDULABLE_TAINT};
    use std::time::Duration;
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let demand = MetricsDemand {
        pods: false,
        nodes: true,
    };
    let (_wanted, wanted) = tokio::sync::watch::channel(demand);
    let _executor = opsdeck::adapters::kube::spawn_with_demand(
        sim.cluster(),
        "demo".into(),
        Duration::from_secs(1),
        tx,
        wanted,
    );
    // The nodes and their first usage, in whichever order they come (the usage poll may
    // answer before the nodes' list: waiting for one, then the other, missed it).
    let (mut nodes, mut usage) = (None, None);
    while nodes.is_none() || usage.is_none() {
        match next_where(&mut rx, Duration::from_secs(10), |r| match r {
            Report::Nodes(_) | Report::NodeUsage(_) => Some(r.clone()),
            _ => None,
        })
        .await
        {
            Report::Nodes(n) => nodes = Some(n),
            Report::NodeUsage(u) => usage = usage.or(Some(u)),
            _ => unreachable!(),
        }
    }
    let (nodes, usage) = (nodes.unwrap(), usage.unwrap());
    assert_eq!(nodes.len(), 12);
    let w12 = nodes
        .iter()
        .find(|n| n.name == "worker-12")
        .expect("worker-12");
    assert!(w12.unschedulable && w12.taints.iter().any(|t| t == UNSCHEDULABLE_TAINT));
    let w07 = nodes
        .iter()
        .find(|n| n.name == "worker-07")
        .expect("worker-07");
    assert_eq!(w07.problems, ["MemoryPressure"]);
    assert!(w07.allocatable.cpu_millis > 0 && w07.capacity.pods > 0);
    let w03 = nodes
        .iter()
        .find(|n| n.name == "worker-03")
        .expect("worker-03");
    assert!(w03.ready && !w03.unschedulable);

    // Usage from metrics.k8s.io's nodes, every node, below what it may allocate.
    assert_eq!(usage.len(), 12, "{usage:?}");
    assert!(usage.iter().all(|(_, cpu, mem)| *cpu > 0 && *mem > 0));

    sim.ok(&["cordon", "worker-03"]);
    next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::Nodes(n) => n
            .iter()
            .find(|n| n.name == "worker-03" && n.unschedulable)
            .map(|n| assert_eq!(n.status(), "Ready,SchedulingDisabled")),
        _ => None,
    })
    .await;
    sim.ok(&["uncordon", "worker-03"]);
    next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::Nodes(n) => n
            .iter()
            .find(|n| n.name == "worker-03" && !n.unschedulable)
            .map(|_| ()),
        _ => None,
    })
    .await;
}

fn node_action(kind: opsdeck::actions::ActionKind, name: &str) -> opsdeck::actions::Action {
    opsdeck::actions::Action {
        kind,
        target: opsdeck::actions::Target::Node { name: name.into() },
        context: "demo".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cordon_and_uncordon_through_the_executor_are_what_kubectl_then_sees() {
    use opsdeck::actions::ActionKind;
    use opsdeck::actions::executor::{ActionError, Executor, Permission};
    let sim = Sim::start(&[]);
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(sim.cluster());
    let cordon = node_action(ActionKind::Cordon, "worker-03");
    assert_eq!(cordon.cli(), "kubectl cordon worker-03");
    // Access review and a server-side dry run: nothing changes yet.
    match executor.permitted(&cordon).await {
        Permission::DryRun(said) => {
            assert!(said.contains("spec.unschedulable=true"), "{said}")
        }
        other => panic!("{other:?}"),
    }
    let status = |n: &str| tokio::task::block_in_place(|| status_of(&sim, n));
    assert_eq!(status("worker-03"), "Ready", "a dry run cordoned the node");
    let done = executor
        .execute(&cordon, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("cordon");
    assert_eq!(done, "node worker-03 cordoned");
    assert_eq!(status("worker-03"), "Ready,SchedulingDisabled");
    let uncordon = node_action(ActionKind::Uncordon, "worker-03");
    assert!(matches!(
        executor.permitted(&uncordon).await,
        Permission::DryRun(_)
    ));
    executor
        .execute(&uncordon, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("uncordon");
    assert_eq!(status("worker-03"), "Ready");

    // RBAC: refused with the reason, at the review and at the server.
    let denied = Sim::start(&["--deny", "patch:nodes:*"]);
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(denied.cluster());
    match executor.permitted(&cordon).await {
        Permission::Denied(why) => assert!(why.contains("nodes"), "{why}"),
        other => panic!("{other:?}"),
    }
    match executor
        .execute(&cordon, tokio::sync::mpsc::channel(1).0)
        .await
    {
        Err(ActionError::NotPermitted(why)) => assert!(why.contains("forbidden"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_not_permitted_are_said_and_the_rest_is_watched() {
    use opsdeck::domain::Report;
    use std::time::Duration;
    let sim = Sim::start(&["--deny", "list,watch:nodes:*"]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let pods = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::PodsReset(p) => Some(p.len()),
        _ => None,
    })
    .await;
    assert_eq!(
        pods,
        60 + opsdeck::sim::NODE_PODS,
        "the pods are watched all the same"
    );
    let access = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::KubeAccess(a) => Some(a.clone()),
        Report::Unreachable(why) => panic!("{why}"),
        _ => None,
    })
    .await;
    assert!(
        access.denies(opsdeck::domain::kube_access::NODES),
        "{access:?}"
    );
}
