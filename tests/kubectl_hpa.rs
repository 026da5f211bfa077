//! The simulator's HorizontalPodAutoscalers and containers' resources as kubectl reads and
//! changes them, and opsdeck's two actions on them through the kube adapter: `kubectl get hpa`
//! prints kubectl's columns, `kubectl patch hpa` changes the bounds, `kubectl set resources`
//! makes a new revision with the new quantities; the executor's HPA bounds and set resources
//! leave a simulator in the same state as kubectl's commands leave a second one of the same
//! seed; the adapter reads the HPAs by watch and a crash-looping pod's OOMKilled with its limit.

use opsdeck::actions::executor::{Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target, WorkloadKindName};
use serde_json::Value;
use sim_process::Sim;

mod sim_process;

/// The rows of `kubectl get hpa -A`, each split on blanks (TARGETS is two words).
fn hpa_rows(sim: &Sim) -> Vec<Vec<String>> {
    let text = sim.ok(&["get", "hpa", "-A"]);
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "NAME",
            "REFERENCE",
            "TARGETS",
            "MINPODS",
            "MAXPODS",
            "REPLICAS",
            "AGE"
        ],
        "{text}"
    );
    lines
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn workload(namespace: &str, name: &str) -> Target {
    Target::Workload {
        namespace: namespace.into(),
        kind: WorkloadKindName::Deployment,
        name: name.into(),
    }
}

fn action(kind: ActionKind, target: Target) -> Action {
    Action {
        kind,
        target,
        context: "demo".into(),
    }
}

/// What the two simulators must agree on of a deployment: its template, revision, replicas,
/// and its ReplicaSets' names and templates.
fn deployment_state(sim: &Sim, namespace: &str, name: &str) -> Value {
    let d = sim.json(&["-n", namespace, "get", "deployment", name]);
    let sets = sim.json(&["-n", namespace, "get", "rs", "-l", &format!("app={name}")]);
    let mut sets: Vec<Value> = sets["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|rs| {
            serde_json::json!({
                "name": rs["metadata"]["name"],
                "revision": rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
                "template": rs["spec"]["template"],
            })
        })
        .collect();
    sets.sort_by_key(|s| s["name"].as_str().unwrap_or_default().to_string());
    serde_json::json!({
        "template": d["spec"]["template"],
        "replicas": d["spec"]["replicas"],
        "revision": d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "sets": sets,
    })
}

#[test]
fn kubectl_gets_and_patches_the_hpas_and_sets_resources() {
    let sim = Sim::start(&[]);
    let rows = hpa_rows(&sim);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let catalog = rows
        .iter()
        .find(|r| r[1] == "pos-catalog")
        .expect("pos-catalog");
    assert_eq!(catalog[0], "pos");
    assert_eq!(catalog[2], "Deployment/pos-catalog");
    // `cpu: 71%/80%`: the CPU against its target, below it (nothing to scale).
    assert_eq!(catalog[3], "cpu:");
    let (now, target) = catalog[4].split_once('/').expect("now/target");
    let now: u32 = now.trim_end_matches('%').parse().expect("a percentage");
    assert_eq!(target, "80%");
    assert!(now > 0 && now <= 80, "{catalog:?}");
    let replicas: u32 = catalog[7].parse().expect("replicas");
    let (min, max): (u32, u32) = (catalog[5].parse().unwrap(), catalog[6].parse().unwrap());
    assert!(min <= replicas && replicas <= max, "{catalog:?}");

    // `kubectl patch hpa`: the bounds change; a maximum under the minimum is refused.
    let patch = format!(
        "{{\"spec\":{{\"minReplicas\":{},\"maxReplicas\":{}}}}}",
        min + 1,
        max + 5
    );
    sim.ok(&["-n", "pos", "patch", "hpa", "pos-catalog", "-p", &patch]);
    let hpa = sim.json(&["-n", "pos", "get", "hpa", "pos-catalog"]);
    assert_eq!(hpa["spec"]["minReplicas"], min + 1);
    assert_eq!(hpa["spec"]["maxReplicas"], max + 5);
    assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "Deployment");
    let bad = sim.kubectl(&[
        "-n",
        "pos",
        "patch",
        "hpa",
        "pos-catalog",
        "-p",
        r#"{"spec":{"maxReplicas":0}}"#,
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("minReplicas"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    // `kubectl set resources`: a new revision whose template has the new limit.
    let before = sim.json(&["-n", "workflow", "get", "deployment", "pdf-recognizer"]);
    let container = &before["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["name"], "pdf-recognizer");
    assert_eq!(container["resources"]["limits"]["memory"], "512Mi");
    let dry = sim.ok(&[
        "-n",
        "workflow",
        "set",
        "resources",
        "deployment/pdf-recognizer",
        "-c",
        "pdf-recognizer",
        "--limits=memory=4Gi",
        "--dry-run=server",
    ]);
    assert!(dry.contains("resource requirements updated"), "{dry}");
    assert_eq!(
        sim.json(&["-n", "workflow", "get", "deployment", "pdf-recognizer"])["spec"]["template"],
        before["spec"]["template"],
        "a dry run changed the template"
    );
    let out = sim.ok(&[
        "-n",
        "workflow",
        "set",
        "resources",
        "deployment/pdf-recognizer",
        "-c",
        "pdf-recognizer",
        "--limits=memory=4Gi",
        "--requests=cpu=200m",
    ]);
    assert!(out.contains("resource requirements updated"), "{out}");
    let after = sim.json(&["-n", "workflow", "get", "deployment", "pdf-recognizer"]);
    let resources = &after["spec"]["template"]["spec"]["containers"][0]["resources"];
    assert_eq!(resources["limits"]["memory"], "4Gi");
    assert_eq!(resources["requests"]["cpu"], "200m");
    assert_eq!(
        resources["requests"]["memory"], "256Mi",
        "an untouched quantity stays"
    );
    let revision = |d: &Value| {
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
            .as_str()
            .and_then(|r| r.parse::<u64>().ok())
            .expect("a revision")
    };
    assert_eq!(revision(&after), revision(&before) + 1);
    // The new ReplicaSet's template has them; the old one keeps the old limit.
    let sets = sim.json(&["-n", "workflow", "get", "rs", "-l", "app=pdf-recognizer"]);
    let limit_of = |rev: u64| {
        sets["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|rs| {
                rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                    .as_str()
                    .and_then(|r| r.parse::<u64>().ok())
                    == Some(rev)
            })
            .map(|rs| {
                rs["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]
                    .clone()
            })
    };
    assert_eq!(limit_of(revision(&after)), Some(Value::from("4Gi")));
    assert_eq!(limit_of(revision(&before)), Some(Value::from("512Mi")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_executors_actions_end_where_kubectls_commands_do() {
    let ours = Sim::start(&[]);
    let theirs = Sim::start(&[]);
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(ours.cluster());
    let set = action(
        ActionKind::SetResources {
            container: "pdf-recognizer".into(),
            requests_cpu: Some("200m".into()),
            requests_memory: None,
            limits_cpu: None,
            limits_memory: Some("4Gi".into()),
        },
        workload("workflow", "pdf-recognizer"),
    );
    assert_eq!(
        set.cli(),
        "kubectl -n workflow set resources deployment/pdf-recognizer -c pdf-recognizer --limits=memory=4Gi --requests=cpu=200m"
    );
    let hpa =
        tokio::task::block_in_place(|| ours.json(&["-n", "pos", "get", "hpa", "pos-catalog"]));
    let (min, max) = (
        hpa["spec"]["minReplicas"].as_u64().unwrap() as u32 + 1,
        hpa["spec"]["maxReplicas"].as_u64().unwrap() as u32 + 5,
    );
    let bounds = action(
        ActionKind::HpaBounds {
            hpa: "pos-catalog".into(),
            min,
            max,
        },
        workload("pos", "pos-catalog"),
    );
    let state = |sim: &Sim| {
        tokio::task::block_in_place(|| {
            let hpa = sim.json(&["-n", "pos", "get", "hpa", "pos-catalog"]);
            (
                deployment_state(sim, "workflow", "pdf-recognizer"),
                hpa["spec"].clone(),
            )
        })
    };
    let untouched = state(&ours);
    for a in [&set, &bounds] {
        match executor.permitted(a).await {
            Permission::DryRun(said) => assert!(said.contains("server accepts"), "{said}"),
            other => panic!("{}: {other:?}", a.kind.name()),
        }
    }
    assert_eq!(state(&ours), untouched, "a dry run changed something");
    for a in [&set, &bounds] {
        executor
            .execute(a, tokio::sync::mpsc::channel(1).0)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", a.kind.name()));
    }
    // The same by hand on the other simulator, as the dialogs' commands say.
    tokio::task::block_in_place(|| {
        for cli in [set.cli(), bounds.cli()] {
            let status = std::process::Command::new("sh")
                .arg("-c")
                .arg(&cli)
                .env("KUBECONFIG", theirs.kubeconfig())
                .env("HOME", theirs.kubeconfig().parent().unwrap())
                .status()
                .expect("sh");
            assert!(status.success(), "{cli}");
        }
    });
    let (ours_now, theirs_now) = (state(&ours), state(&theirs));
    assert_ne!(ours_now, untouched);
    assert_eq!(ours_now, theirs_now);

    // RBAC: the review names what is refused.
    let denied = Sim::start(&["--deny", "patch:horizontalpodautoscalers:pos"]);
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(denied.cluster());
    match executor.permitted(&bounds).await {
        Permission::Denied(why) => assert!(why.contains("horizontalpodautoscalers"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_watches_the_hpas_and_reads_an_oom_kill_with_its_limit() {
    use opsdeck::domain::Report;
    use std::time::{Duration, Instant};
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _adapter =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut hpas, mut oom) = (None, None);
    let mut patched = false;
    while Instant::now() < deadline {
        let Ok(Some(report)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await
        else {
            break;
        };
        match report.report {
            Report::Hpas(list) if !list.is_empty() => {
                // The first list, then kubectl's patch seen by watch.
                if !patched {
                    assert_eq!(list.len(), 3, "{list:?}");
                    tokio::task::block_in_place(|| {
                        sim.ok(&[
                            "-n",
                            "pos",
                            "patch",
                            "hpa",
                            "pos-catalog",
                            "-p",
                            r#"{"spec":{"maxReplicas":42}}"#,
                        ])
                    });
                    patched = true;
                } else if list.iter().any(|h| h.name == "pos-catalog" && h.max == 42) {
                    hpas = Some(list);
                }
            }
            Report::PodsReset(pods) => {
                oom = pods
                    .iter()
                    .find(|p| p.status.as_ref() == "CrashLoopBackOff")
                    .and_then(|p| p.last_terminated.clone());
            }
            _ => {}
        }
        if hpas.is_some() && oom.is_some() {
            break;
        }
    }
    let hpas = hpas.expect("the HPAs, and kubectl's patch by watch");
    let catalog = hpas.iter().find(|h| h.name == "pos-catalog").unwrap();
    assert_eq!(catalog.target_name, "pos-catalog");
    assert_eq!(catalog.cpu_target_pct, Some(80));
    assert!(catalog.cpu_current_pct.is_some());
    assert_eq!(oom.as_deref(), Some("OOMKilled (limit 512Mi)"));
}
