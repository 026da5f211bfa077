//! Real clusters' demands, against `opsdeck sim` run as a process: HTTPS with its own CA, and
//! logging in by bearer token, client certificate, exec plugin (whose token expires during the
//! test) or not at all; kubectl and opsdeck's adapter in each mode; a server certificate that
//! is not trusted; limited rights (cluster-wide pods and events denied, two namespaces
//! allowed); and the kubeconfig used with nothing but KUBECONFIG set.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use opsdeck::adapters::kube;
use opsdeck::domain::{Report, SourceReport};
use sim_process::Sim;
use tokio::sync::mpsc;

mod sim_process;

/// The next report for which `pick` gives something; an outage on the way fails the test
/// with its reason.
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
        if let Report::Unreachable(why) = &report {
            panic!("the adapter says unreachable: {why}");
        }
    }
}

fn pods_of(report: &Report) -> Option<Vec<(String, String)>> {
    match report {
        Report::PodsReset(pods) => Some(
            pods.iter()
                .map(|p| (p.key.namespace.to_string(), p.key.name.to_string()))
                .collect(),
        ),
        _ => None,
    }
}

/// `(namespace, name)` of every pod kubectl sees in `namespaces` (all when empty).
fn kubectl_pods(sim: &Sim, namespaces: &[&str]) -> BTreeSet<(String, String)> {
    let lists = match namespaces {
        [] => vec![sim.json(&["get", "pods", "-A"])],
        some => some
            .iter()
            .map(|ns| sim.json(&["get", "pods", "-n", ns]))
            .collect(),
    };
    lists
        .iter()
        .flat_map(|l| l["items"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            let text = |k: &str| p["metadata"][k].as_str().unwrap().to_string();
            (text("namespace"), text("name"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_and_the_adapter_log_in_over_https_in_every_mode() {
    for mode in ["token", "cert", "exec", "none"] {
        let sim = Sim::start(&["--auth", mode, "--user", "alice"]);
        let kubeconfig = std::fs::read_to_string(sim.kubeconfig()).unwrap();
        assert!(
            kubeconfig.contains("server: https://")
                && kubeconfig.contains("certificate-authority-data:"),
            "{mode}: {kubeconfig}"
        );
        let whoami = tokio::task::block_in_place(|| sim.json(&["auth", "whoami"]));
        assert_eq!(whoami["status"]["userInfo"]["username"], "alice", "{mode}");
        let theirs = tokio::task::block_in_place(|| kubectl_pods(&sim, &[]));
        assert_eq!(theirs.len(), 60 + opsdeck::sim::NODE_PODS, "{mode}");
        if mode != "none" && mode != "cert" {
            // A wrong credential is refused as kube-apiserver refuses it.
            let refused = tokio::task::block_in_place(|| {
                sim.kubectl(&["--token", "not-ours", "get", "pods", "-A"])
            });
            let said = String::from_utf8_lossy(&refused.stderr);
            assert!(
                !refused.status.success() && said.contains("Unauthorized"),
                "{mode}: {said}"
            );
        }
        let (tx, mut rx) = mpsc::channel(10_000);
        let _executor = kube::spawn(sim.cluster(), "sim".into(), Duration::from_secs(1), tx);
        // The whole list: a busy machine may show the pods listed so far first.
        let ours: BTreeSet<_> = next_where(&mut rx, Duration::from_secs(10), |r| {
            pods_of(r).filter(|p| p.len() >= theirs.len())
        })
        .await
        .into_iter()
        .collect();
        assert_eq!(ours, theirs, "{mode}: the adapter's pods are kubectl's");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exec_token_that_expires_mid_watch_is_renewed_and_the_watch_goes_on() {
    // The simulator ends a watch when the token that opened it expires: going on needs a
    // token the plugin makes afresh.
    let ttl = Duration::from_secs(12);
    let sim = Sim::start(&["--auth", "exec", "--token-ttl", "12s"]);
    let started = Instant::now();
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "sim".into(), Duration::from_secs(1), tx);
    let pods = next_where(&mut rx, Duration::from_secs(10), pods_of).await;
    // Past the first token's expiry (the adapter says it is alive every second meanwhile).
    while started.elapsed() < ttl + Duration::from_secs(3) {
        next_where(&mut rx, Duration::from_secs(5), |r| {
            matches!(r, Report::Alive).then_some(())
        })
        .await;
    }
    let (ns, victim) = pods.iter().find(|(ns, _)| ns == "pos").unwrap().clone();
    tokio::task::block_in_place(|| sim.ok(&["-n", &ns, "delete", "pod", &victim, "--wait=false"]));
    let seen = Instant::now();
    next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::PodDelete(k) if *k.name == *victim => Some(()),
        _ => None,
    })
    .await;
    println!(
        "deletion seen {:?} after, {:?} into a {ttl:?} token's life",
        seen.elapsed(),
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_not_trusted_is_a_clear_error_at_once() {
    let sim = Sim::start(&[]);
    // The same kubeconfig without the cluster's CA: the system's roots do not know it.
    let kubeconfig = std::fs::read_to_string(sim.kubeconfig()).unwrap();
    let untrusted: String = kubeconfig
        .lines()
        .filter(|l| !l.contains("certificate-authority-data"))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = sim.dir.path().join("untrusted");
    std::fs::write(&path, untrusted).unwrap();
    let cluster = opsdeck::config::KubernetesConfig {
        kubeconfig: Some(path),
        ..Default::default()
    };
    let (tx, mut rx) = mpsc::channel(100);
    let started = Instant::now();
    let _executor = kube::spawn(cluster, "sim".into(), Duration::from_secs(1), tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let reason = loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("an answer within 5 s, not a hang")
            .expect("the adapter is running");
        match report.report {
            Report::Unreachable(why) => break why,
            Report::PodsReset(_) => panic!("listed pods from a server it should not trust"),
            _ => {}
        }
    };
    assert!(
        reason.contains("not trusted") && reason.contains("certificate-authority"),
        "{reason}"
    );
    println!("after {:?}: {reason}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_cluster_wide_pods_denied_the_namespaces_allowed_are_watched_and_said() {
    let sim = Sim::start(&[
        "--user",
        "alice",
        "--deny",
        "list,watch:pods:*:alice",
        "--allow",
        "list,watch:pods:pos:alice",
        "--allow",
        "list,watch:pods:data:alice",
        "--deny",
        "list,watch:events:*:alice",
    ]);
    let refused = tokio::task::block_in_place(|| sim.kubectl(&["get", "pods", "-A"]));
    assert!(!refused.status.success(), "cluster-wide pods are denied");
    let theirs = tokio::task::block_in_place(|| kubectl_pods(&sim, &["pos", "data"]));
    assert!(theirs.iter().any(|(ns, _)| ns == "pos") && theirs.iter().any(|(ns, _)| ns == "data"));
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "sim".into(), Duration::from_secs(1), tx);
    // Each namespace's pods come as upserts (a reset would wipe the other's); what may be
    // read is said once they are all in.
    enum Seen {
        Pod(String, String),
        Access(opsdeck::domain::report::KubeAccess),
    }
    let mut ours = BTreeSet::new();
    let access = loop {
        let seen = next_where(&mut rx, Duration::from_secs(10), |r| match r {
            Report::PodUpsert(p) => Some(Seen::Pod(
                p.key.namespace.to_string(),
                p.key.name.to_string(),
            )),
            Report::PodsReset(_) => panic!("a reset would wipe the other namespace's pods"),
            Report::KubeAccess(a) => Some(Seen::Access(a.clone())),
            _ => None,
        })
        .await;
        match seen {
            Seen::Pod(ns, name) => {
                ours.insert((ns, name));
            }
            Seen::Access(access) => break access,
        }
    };
    assert_eq!(ours, theirs, "both namespaces' pods, and only theirs");
    assert_eq!(
        access.summary().as_deref(),
        Some("pods: 2 namespaces (no cluster-wide access); not permitted: events")
    );
}

#[test]
fn a_snapshot_with_only_kubeconfig_set_shows_the_clusters_pods() {
    let sim = Sim::start(&[]);
    let theirs = kubectl_pods(&sim, &["pos"]);
    let (_, first) = theirs.iter().next().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["snapshot", "--panel", "pods", "--size", "160x40"])
        .args(["--filter", first])
        .env("KUBECONFIG", sim.kubeconfig())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(screen.contains(first.as_str()), "{first} not in:\n{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_refused_with_401_makes_the_adapter_log_in_again() {
    let mut sim = Sim::start(&[]);
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "sim".into(), Duration::from_secs(1), tx);
    next_where(&mut rx, Duration::from_secs(10), pods_of).await;
    // The cluster's tokens are rotated: the same CA, a new secret, a new kubeconfig.
    tokio::task::block_in_place(|| sim.kill());
    let kept = sim.kubeconfig().with_file_name("kubeconfig.sim-identity");
    let mut identity: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kept).unwrap()).unwrap();
    identity["secret"] = "rotated".into();
    std::fs::write(&kept, identity.to_string()).unwrap();
    tokio::task::block_in_place(|| sim.restart());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut said_relogin = false;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("listed again with the new token in time")
            .expect("the adapter is running")
            .report;
        match report {
            // The watches had been serving: the data stays, shown relisting, not down.
            Report::Relisting(why) if why.contains("logging in again") => said_relogin = true,
            Report::PodsReset(pods) if said_relogin => {
                assert_eq!(pods.len(), 60 + opsdeck::sim::NODE_PODS);
                break;
            }
            _ => {}
        }
    }
}

#[test]
fn a_kubeconfig_without_a_current_context_is_the_reason_shown_not_no_kubeconfig() {
    let home = tempfile::tempdir().unwrap();
    let empty = home.path().join("empty");
    std::fs::write(
        &empty,
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args([
            "snapshot", "--panel", "overview", "--size", "300x40", "--wait", "3s",
        ])
        .env("KUBECONFIG", &empty)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    let line = screen
        .lines()
        .find(|l| l.contains("unreachable"))
        .unwrap_or_else(|| panic!("the cluster is shown unreachable, not fatal:\n{screen}"));
    assert!(
        line.contains("kubeconfig:") && !line.contains("no kubeconfig found"),
        "{line}"
    );
}
