//! The Kubernetes side against `opsdeck sim` run as a process: Debian's `kubectl` reads and
//! changes it; opsdeck's actions and the equivalent kubectl commands leave the same state; the
//! kube adapter sees changes by watch, survives the API server being killed and restarted, and
//! is refused by RBAC with the reason. Each test starts its own small simulator (~50 ms).

use std::time::{Duration, Instant};

use opsdeck::actions::executor::{ActionError, Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target, WorkloadKindName};
use opsdeck::adapters::kube;
use opsdeck::config::KubernetesConfig;
use opsdeck::domain::{PodPhase, Report, SourceReport};
use serde_json::Value;
use sim_process::Sim;
use tokio::sync::mpsc;

mod sim_process;

fn workload(ns: &str, name: &str, kind: ActionKind) -> Action {
    Action {
        kind,
        target: Target::Workload {
            namespace: ns.into(),
            kind: WorkloadKindName::Deployment,
            name: name.into(),
        },
        context: "demo".into(),
    }
}

fn restart_pod(name: impl Into<String>) -> Action {
    Action {
        kind: ActionKind::RestartPod,
        target: Target::Pod {
            namespace: "pos".into(),
            name: name.into(),
        },
        context: "demo".into(),
    }
}

/// `pod/NAME` lines of pos-gateway's pods.
fn gateway_pods(sim: &Sim) -> String {
    sim.ok(&[
        "get",
        "pods",
        "-n",
        "pos",
        "-l",
        "app=pos-gateway",
        "-o",
        "name",
    ])
}

/// Revision numbers and change causes of a deployment, as `kubectl rollout history` lists them.
fn history(sim: &Sim, deployment: &str) -> Vec<(u64, String)> {
    let text = sim.ok(&[
        "-n",
        "pos",
        "rollout",
        "history",
        &format!("deployment/{deployment}"),
    ]);
    text.lines()
        .filter_map(|l| {
            let (number, cause) = l.trim().split_once(char::is_whitespace)?;
            Some((number.parse().ok()?, cause.trim().to_string()))
        })
        .collect()
}

fn image(sim: &Sim, deployment: &str) -> String {
    let d = sim.json(&["-n", "pos", "get", "deployment", deployment]);
    d["spec"]["template"]["spec"]["containers"][0]["image"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn kubectl_reads_and_changes_the_simulator() {
    let sim = Sim::start(&[]);
    let pods = sim.ok(&["get", "pods", "-A"]);
    let header: Vec<&str> = pods
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "{pods}"
    );
    assert_eq!(
        pods.lines().count(),
        61 + opsdeck::sim::NODE_PODS,
        "60 pods, the 13 node pods and the header:\n{pods}"
    );
    assert!(pods.contains("CrashLoopBackOff"), "{pods}");
    let deployments = sim.ok(&["get", "deploy", "-n", "pos"]);
    assert!(deployments.contains("pos-order"), "{deployments}");
    assert!(
        deployments
            .lines()
            .next()
            .unwrap_or_default()
            .contains("UP-TO-DATE")
    );

    sim.ok(&["-n", "pos", "scale", "deploy/pos-catalog", "--replicas=7"]);
    let scaled = sim.json(&["-n", "pos", "get", "deploy", "pos-catalog"]);
    assert_eq!(scaled["spec"]["replicas"], 7);

    let before = history(&sim, "pos-order");
    assert!(before.len() >= 2, "{before:?}");
    sim.ok(&["-n", "pos", "rollout", "restart", "deploy/pos-order"]);
    let after = history(&sim, "pos-order");
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        after.last().map(|r| r.1.as_str()),
        Some("kubectl rollout restart")
    );

    // Back to the oldest revision: its image becomes the deployment's.
    let oldest = before[0].0;
    let rs = sim.json(&["-n", "pos", "get", "rs", "-l", "app=pos-order"]);
    let oldest_image = rs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                .as_str()
                .and_then(|v| v.parse::<u64>().ok())
                == Some(oldest)
        })
        .map(|r| {
            r["spec"]["template"]["spec"]["containers"][0]["image"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .expect("a ReplicaSet for the oldest revision");
    sim.ok(&[
        "-n",
        "pos",
        "rollout",
        "undo",
        "deploy/pos-order",
        &format!("--to-revision={oldest}"),
    ]);
    assert_eq!(image(&sim, "pos-order"), oldest_image);
    let missing = sim.kubectl(&[
        "-n",
        "pos",
        "rollout",
        "undo",
        "deploy/pos-order",
        "--to-revision=999",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("unable to find specified revision"));

    assert!(sim.ok(&["get", "networkpolicy", "-n", "pos"]).is_empty());
    let victim = sim
        .ok(&["get", "pods", "-n", "pos", "-o", "name"])
        .lines()
        .next()
        .unwrap()
        .to_string();
    sim.ok(&["-n", "pos", "delete", &victim]);
    let gone = sim.kubectl(&["-n", "pos", "get", &victim]);
    assert!(
        String::from_utf8_lossy(&gone.stderr).contains("NotFound")
            || String::from_utf8_lossy(&gone.stderr).contains("not found")
    );

    assert_eq!(
        sim.ok(&["auth", "can-i", "patch", "deployments", "-n", "pos"])
            .trim(),
        "yes"
    );
    let denied = sim.kubectl(&["auth", "can-i", "delete", "pods", "-n", "monitoring"]);
    assert!(!denied.status.success());
    assert!(String::from_utf8_lossy(&denied.stdout).starts_with("no"));
}

/// What a deployment's state comes to, for comparing two clusters.
fn deployment_state(sim: &Sim, name: &str) -> (Value, Value, Vec<(u64, String)>) {
    let d = sim.json(&["-n", "pos", "get", "deploy", name]);
    (
        d["spec"]["replicas"].clone(),
        d["spec"]["template"]["spec"]["containers"][0]["image"].clone(),
        history(sim, name),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opsdeck_actions_and_kubectl_commands_leave_the_same_state() {
    let ours = Sim::start(&[]);
    let theirs = Sim::start(&[]);
    let executor = kube::KubeExecutor::new(ours.cluster());
    let oldest = history(&theirs, "pos-order")[0].0;
    let actions = [
        (
            workload("pos", "pos-catalog", ActionKind::Scale { replicas: 6 }),
            vec!["-n", "pos", "scale", "deploy/pos-catalog", "--replicas=6"],
        ),
        (
            workload("pos", "pos-payment", ActionKind::RolloutRestart),
            vec!["-n", "pos", "rollout", "restart", "deploy/pos-payment"],
        ),
    ];
    for (action, command) in &actions {
        let said = executor
            .execute(action, mpsc::channel(1).0)
            .await
            .expect("opsdeck's action");
        assert!(!said.is_empty());
        tokio::task::block_in_place(|| theirs.ok(command));
    }
    let rollback = workload(
        "pos",
        "pos-order",
        ActionKind::Rollback {
            to_revision: oldest,
        },
    );
    executor
        .execute(&rollback, mpsc::channel(1).0)
        .await
        .expect("rollback");
    let to = format!("--to-revision={oldest}");
    tokio::task::block_in_place(|| {
        theirs.ok(&["-n", "pos", "rollout", "undo", "deploy/pos-order", &to])
    });
    tokio::task::block_in_place(|| {
        for name in ["pos-catalog", "pos-payment", "pos-order"] {
            assert_eq!(
                deployment_state(&ours, name),
                deployment_state(&theirs, name),
                "{name}"
            );
        }
    });

    // Restart a pod: deleted in both, and its deployment back to the same count.
    let pod = tokio::task::block_in_place(|| gateway_pods(&ours));
    let pod = pod
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("pod/")
        .to_string();
    let restart = restart_pod(pod.clone());
    executor
        .execute(&restart, mpsc::channel(1).0)
        .await
        .expect("restart pod");
    tokio::task::block_in_place(|| {
        theirs.ok(&["-n", "pos", "delete", "pod", &pod]);
        for sim in [&ours, &theirs] {
            let names = gateway_pods(sim);
            assert!(!names.contains(&pod), "{names}");
            assert_eq!(names.lines().count(), gateway_pods(&ours).lines().count());
        }
    });

    // Lock down: the same policy in both (kubectl creates it from the dialog's own command).
    let lockdown = Action {
        kind: ActionKind::Lockdown,
        target: Target::Namespace {
            namespace: "pos".into(),
        },
        context: "demo".into(),
    };
    executor
        .execute(&lockdown, mpsc::channel(1).0)
        .await
        .expect("lockdown");
    let manifest = theirs.dir.path().join("lockdown.json");
    let cli = lockdown.cli();
    let json = &cli[cli.find("<<< '").unwrap() + 5..cli.len() - 1];
    std::fs::write(&manifest, json).unwrap();
    tokio::task::block_in_place(|| {
        theirs.ok(&[
            "-n",
            "pos",
            "create",
            "--validate=false",
            "-f",
            manifest.to_str().unwrap(),
        ]);
        let spec = |sim: &Sim| {
            sim.json(&["-n", "pos", "get", "networkpolicy", "opsdeck-lockdown"])["spec"].clone()
        };
        assert_eq!(spec(&ours), spec(&theirs));
        assert_eq!(
            spec(&ours)["policyTypes"],
            serde_json::json!(["Ingress", "Egress"])
        );
    });
}

/// The next report for which `pick` gives something; other reports are passed over.
async fn next_where<T>(
    rx: &mut mpsc::Receiver<SourceReport>,
    within: Duration,
    pick: impl Fn(&Report) -> Option<T>,
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
async fn the_adapter_watches_dry_runs_survives_a_restart_and_hears_rbac() {
    let mut sim = Sim::start(&["--deny", "patch:deployments/scale:workflow"]);
    let (tx, mut rx) = mpsc::channel(10_000);
    let executor = kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let pods = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::PodsReset(p) => Some(p.clone()),
        _ => None,
    })
    .await;
    assert_eq!(pods.len(), 60 + opsdeck::sim::NODE_PODS);
    let mut running = pods.iter().filter(|p| &*p.status == "Running");
    assert!(
        running.clone().count() > 50 && running.all(|p| p.cpu_millis.is_some()),
        "usage from metrics.k8s.io"
    );
    // A container that does not run (crash-looping, phase Running) has no usage, as with
    // metrics-server.
    let mut waiting = pods
        .iter()
        .filter(|p| p.phase == PodPhase::Running && &*p.status == "CrashLoopBackOff");
    assert!(waiting.clone().count() >= 1 && waiting.all(|p| p.cpu_millis.is_none()));
    let workloads = next_where(&mut rx, Duration::from_secs(5), |r| match r {
        Report::Workloads(w) => Some(w.clone()),
        _ => None,
    })
    .await;
    let catalog = workloads
        .iter()
        .find(|w| w.name == "pos-catalog")
        .expect("pos-catalog");
    assert!(catalog.history.len() >= 2, "revisions from the ReplicaSets");

    // A dry run answers without changing anything.
    let scale = workload(
        "pos",
        "pos-catalog",
        ActionKind::Scale {
            replicas: catalog.desired + 2,
        },
    );
    match executor.permitted(&scale).await {
        Permission::DryRun(said) => assert!(
            said.contains(&format!("replicas = {}", catalog.desired + 2)),
            "{said}"
        ),
        other => panic!("{other:?}"),
    }
    let victim = pods
        .iter()
        .find(|p| &*p.key.namespace == "pos")
        .unwrap()
        .key
        .clone();
    let delete = restart_pod(victim.name.to_string());
    assert!(matches!(
        executor.permitted(&delete).await,
        Permission::DryRun(_)
    ));
    let still =
        tokio::task::block_in_place(|| sim.kubectl(&["-n", "pos", "get", "pod", &victim.name]));
    assert!(still.status.success(), "a dry-run deletion deleted the pod");
    let replicas = tokio::task::block_in_place(|| {
        sim.json(&["-n", "pos", "get", "deploy", "pos-catalog"])
    })["spec"]["replicas"]
        .clone();
    assert_eq!(replicas, catalog.desired);

    // The watch sees a deletion quickly.
    let started = Instant::now();
    executor
        .execute(&delete, mpsc::channel(1).0)
        .await
        .expect("delete the pod");
    let key = victim.clone();
    next_where(&mut rx, Duration::from_secs(1), |r| {
        matches!(r, Report::PodDelete(k) if *k == key).then_some(())
    })
    .await;
    println!("pod deletion seen by watch after {:?}", started.elapsed());

    // RBAC: refused with the reason, before and at the server.
    let denied = workload(
        "workflow",
        "workflow-engine",
        ActionKind::Scale { replicas: 3 },
    );
    match executor.permitted(&denied).await {
        Permission::Denied(why) => {
            assert!(why.contains("RBAC") && why.contains("workflow"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    match executor.execute(&denied, mpsc::channel(1).0).await {
        Err(ActionError::NotPermitted(why)) => assert!(why.contains("forbidden"), "{why}"),
        other => panic!("{other:?}"),
    }

    // Killed: unreachable with a reason; restarted: listed again, by itself.
    tokio::task::block_in_place(|| sim.kill());
    let reason = next_where(&mut rx, Duration::from_secs(15), |r| match r {
        Report::Unreachable(why) => Some(why.clone()),
        _ => None,
    })
    .await;
    assert!(!reason.is_empty());
    // Until the server is back, nothing the adapter sends may mark the source live again.
    let quiet_until = tokio::time::Instant::now() + Duration::from_secs(3);
    while let Ok(Some(report)) = tokio::time::timeout_at(quiet_until, rx.recv()).await {
        assert!(
            matches!(report.report, Report::Unreachable(_)),
            "a dead API server reported as alive: {:?}",
            report.report
        );
    }
    tokio::task::block_in_place(|| sim.restart());
    // The restarted server no longer holds the versions the watches had reached: its 410 is the
    // signal to list again, shown as relisting, never as an outage once the server answers.
    let answered = Instant::now();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    let mut relisting = false;
    let again = loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("listed again in time")
            .expect("adapter alive");
        match report.report {
            Report::PodsReset(p) => break p.len(),
            Report::Relisting(why) => {
                assert!(why.contains("too old resource version"), "{why}");
                relisting = true;
            }
            Report::Unreachable(why) => assert!(
                !why.contains("too old resource version") && !why.contains("410"),
                "a 410 after the restart reported as an outage: {why}"
            ),
            _ => {}
        }
    };
    assert_eq!(again, 60 + opsdeck::sim::NODE_PODS);
    println!(
        "listed again {:?} after the restarted server answered (relisting shown: {relisting})",
        answered.elapsed()
    );
}

#[tokio::test]
async fn a_watch_from_a_version_the_journal_no_longer_holds_gets_410() {
    // Plain HTTP, no login: the test speaks to the API with a bare HTTP client.
    let sim = Sim::start(&["--journal", "4", "--insecure-http", "--auth", "none"]);
    let base = format!("http://127.0.0.1:{}", sim.port);
    let client = reqwest::Client::new();
    // Five changes push the first version out of a journal of four.
    let list: Value = serde_json::from_str(
        &client
            .get(format!("{base}/api/v1/namespaces/pos/pods"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    for replicas in 1..=5 {
        let url = format!("{base}/apis/apps/v1/namespaces/pos/deployments/pos-catalog/scale");
        let body = serde_json::json!({"spec": {"replicas": replicas}}).to_string();
        let r = client
            .patch(url)
            .header("Content-Type", "application/merge-patch+json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    let watch = client
        .get(format!(
            "{base}/api/v1/namespaces/pos/pods?watch=true&resourceVersion={rv}&timeoutSeconds=1"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first: Value = serde_json::from_str(watch.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "ERROR");
    assert_eq!(first["object"]["code"], 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_filter_watches_only_those_namespaces() {
    let sim = Sim::start(&[]);
    let expected: usize = tokio::task::block_in_place(|| {
        ["pos", "data"]
            .iter()
            .map(|ns| {
                sim.ok(&["get", "pods", "-n", ns, "-o", "name"])
                    .lines()
                    .count()
            })
            .sum()
    });
    let cluster = KubernetesConfig {
        namespaces: vec!["pos".into(), "data".into()],
        ..sim.cluster()
    };
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(cluster, "demo".into(), Duration::from_secs(1), tx);
    enum Seen {
        Pod(opsdeck::domain::PodKey),
        Namespaces(Vec<String>),
    }
    let mut seen = std::collections::HashSet::new();
    let mut namespaces = None;
    while seen.len() < expected || namespaces.is_none() {
        let next = next_where(&mut rx, Duration::from_secs(10), |r| match r {
            Report::PodUpsert(p) => Some(Seen::Pod(p.key.clone())),
            Report::Namespaces(n) => {
                Some(Seen::Namespaces(n.iter().map(|n| n.name.clone()).collect()))
            }
            Report::PodsReset(_) => panic!("a reset would wipe the other namespace's pods"),
            _ => None,
        })
        .await;
        match next {
            Seen::Pod(key) => {
                seen.insert(key);
            }
            Seen::Namespaces(names) => namespaces = Some(names),
        }
    }
    assert_eq!(seen.len(), expected);
    assert!(
        seen.iter()
            .all(|k| &*k.namespace == "pos" || &*k.namespace == "data")
    );
    assert_eq!(
        namespaces,
        Some(vec!["data".to_string(), "pos".to_string()])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_through_the_adapter_are_kubectls_lines_and_follow_brings_new_ones() {
    use futures::StreamExt;
    use kube::logs::{LogOptions, lines};
    let sim = Sim::start(&["--log-rate", "20"]);
    let cluster = sim.cluster();
    let (ns, pod) = tokio::task::block_in_place(|| {
        let name = sim.ok(&["get", "pods", "-n", "pos", "-o", "name"]);
        (
            "pos".to_string(),
            name.lines()
                .next()
                .unwrap()
                .trim_start_matches("pod/")
                .to_string(),
        )
    });
    let collect = |options: LogOptions| {
        let (cluster, ns, pod) = (cluster.clone(), ns.clone(), pod.clone());
        async move {
            let stream = lines(&cluster, &ns, &pod, &options).await.expect("a log");
            stream
                .map(|l| l.expect("a line"))
                .collect::<Vec<String>>()
                .await
        }
    };
    // The adapter's last 20 lines are a run of kubectl's last 200, fetched just after.
    let ours = collect(LogOptions {
        tail_lines: Some(20),
        timestamps: true,
        ..LogOptions::default()
    })
    .await;
    let theirs = tokio::task::block_in_place(|| {
        sim.ok(&["-n", "pos", "logs", &pod, "--tail=200", "--timestamps"])
    });
    let theirs: Vec<&str> = theirs.lines().collect();
    assert_eq!(ours.len(), 20);
    let start = theirs
        .iter()
        .position(|l| *l == ours[0])
        .expect("our first line in kubectl's");
    assert_eq!(
        &theirs[start..start + 20],
        &ours.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );

    // The crash-looping pod's previous container: the same lines, ending in its stack trace.
    let crashed = tokio::task::block_in_place(|| {
        let all = sim.ok(&["get", "pods", "-A"]);
        let row = all
            .lines()
            .find(|l| l.contains("CrashLoopBackOff"))
            .expect("a crash-looping pod")
            .to_string();
        let mut cols = row.split_whitespace();
        (
            cols.next().unwrap().to_string(),
            cols.next().unwrap().to_string(),
        )
    });
    let previous = LogOptions {
        previous: true,
        ..LogOptions::default()
    };
    let ours = lines(&cluster, &crashed.0, &crashed.1, &previous)
        .await
        .expect("previous log");
    let ours: Vec<String> = ours.map(|l| l.unwrap()).collect().await;
    let theirs = tokio::task::block_in_place(|| {
        sim.ok(&["-n", &crashed.0, "logs", &crashed.1, "--previous"])
    });
    assert_eq!(ours, theirs.lines().map(String::from).collect::<Vec<_>>());
    assert!(
        ours.last().unwrap().starts_with("MemoryError"),
        "{:?}",
        ours.last()
    );

    // Following: a new line within a second.
    let follow = LogOptions {
        follow: true,
        tail_lines: Some(0),
        ..LogOptions::default()
    };
    let mut stream = lines(&cluster, &ns, &pod, &follow)
        .await
        .expect("a followed log");
    let started = Instant::now();
    let line = tokio::time::timeout(Duration::from_secs(1), stream.next())
        .await
        .expect("a line within a second");
    assert!(!line.expect("open").expect("a line").is_empty());
    println!("first followed line after {:?}", started.elapsed());

    // A container the pod does not have: refused with the reason.
    let wrong = LogOptions {
        container: Some("nope".into()),
        ..LogOptions::default()
    };
    let refused = lines(&cluster, &ns, &pod, &wrong)
        .await
        .err()
        .expect("refused");
    assert!(refused.contains("not valid"), "{refused}");

    // A pod with a sidecar: kubectl must name the container, as the cockpit's picker does;
    // the envoy's log is its own.
    let gateway = tokio::task::block_in_place(|| gateway_pods(&sim));
    let gateway = gateway.lines().next().unwrap().trim_start_matches("pod/");
    let unnamed = lines(&cluster, "pos", gateway, &LogOptions::default())
        .await
        .err()
        .expect("refused without a container");
    assert!(
        unnamed.contains("choose one of: [pos-gateway envoy]"),
        "{unnamed}"
    );
    let envoy = LogOptions {
        container: Some("envoy".into()),
        tail_lines: Some(50),
        timestamps: true,
        ..LogOptions::default()
    };
    let ours: Vec<String> = lines(&cluster, "pos", gateway, &envoy)
        .await
        .expect("the envoy's log")
        .map(|l| l.unwrap())
        .collect()
        .await;
    let theirs = tokio::task::block_in_place(|| {
        sim.ok(&[
            "-n",
            "pos",
            "logs",
            gateway,
            "-c",
            "envoy",
            "--tail=500",
            "--timestamps",
        ])
    });
    assert!(
        theirs.contains(&ours.join("\n")),
        "the adapter's 50 lines are a run of kubectl's"
    );
}
