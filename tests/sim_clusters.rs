//! Several simulated clusters behind one kubeconfig (`sim::clusters`, `opsdeck sim --clusters`),
//! as kubectl sees them: every context listed, each answering from its own world; one cluster
//! stopped is refused and its open watch closed while the others still answer (and restarted,
//! answers again from the same world); the first alone
//! serves the Alertmanager API; the CLI writes a kubeconfig kubectl uses for each cluster, and
//! prints each cluster's requests under its name.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use opsdeck::config::DemoConfig;
use opsdeck::sim::clusters::{ClusterOptions, spawn_clusters};

mod sim_process;

fn kubectl(kubeconfig: &Path, args: &[&str]) -> Output {
    Command::new("kubectl")
        .args(args)
        .arg("--request-timeout=10s")
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", kubeconfig.parent().expect("a directory"))
        .output()
        .expect("kubectl is installed (scripts/test installs kubernetes-client)")
}

fn ok(kubeconfig: &Path, args: &[&str]) -> String {
    let out = kubectl(kubeconfig, args);
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pods' names in `context`, as `kubectl get pods -A -o name` lists them.
fn pods(kubeconfig: &Path, context: &str) -> BTreeSet<String> {
    let names: BTreeSet<String> = ok(
        kubeconfig,
        &["--context", context, "get", "pods", "-A", "-o", "name"],
    )
    .lines()
    .map(str::to_string)
    .collect();
    assert!(names.len() > 60, "{context}: {names:?}");
    names
}

/// A plain HTTP request; the status code.
fn status_of(addr: SocketAddr, path: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer: {text}"))
}

fn frozen(pods: usize, seed: u64) -> DemoConfig {
    DemoConfig {
        pods,
        seed,
        freeze: true,
        ..DemoConfig::default()
    }
}

#[test]
fn each_context_reaches_its_own_world_and_a_stopped_cluster_is_unreachable() {
    let names: Vec<String> = ["prod-eu", "prod-us", "staging"].map(String::from).into();
    let mut clusters =
        spawn_clusters(&names, &frozen(60, 7), &ClusterOptions::open()).expect("served");
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, clusters.kubeconfig()).expect("kubeconfig written");

    let contexts: Vec<String> = ok(&kubeconfig, &["config", "get-contexts", "-o", "name"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(contexts, names);
    assert_eq!(
        ok(&kubeconfig, &["config", "current-context"]).trim(),
        "prod-eu"
    );
    let seeds: Vec<u64> = clusters.clusters.iter().map(|c| c.seed).collect();
    assert_eq!(seeds, [7, 8, 9]);

    // Three worlds: the same workloads, other pods (their names are drawn from the seed).
    let eu = pods(&kubeconfig, "prod-eu");
    let us = pods(&kubeconfig, "prod-us");
    let staging = pods(&kubeconfig, "staging");
    assert_ne!(eu, staging);
    assert_ne!(eu, us);
    assert_ne!(us, staging);
    assert!(
        eu.iter().any(|p| p.starts_with("pod/pos-catalog-")),
        "{eu:?}"
    );
    assert!(
        staging.iter().any(|p| p.starts_with("pod/pos-catalog-")),
        "{staging:?}"
    );

    // One Alertmanager, the first cluster's; the others serve the Kubernetes API only.
    let addr = |name: &str| clusters.get(name).expect(name).addr;
    assert_eq!(status_of(addr("prod-eu"), "/api/v2/alerts"), 200);
    assert_eq!(status_of(addr("prod-us"), "/api/v2/alerts"), 404);
    assert_eq!(status_of(addr("prod-us"), "/api/v1/namespaces"), 200);

    // A watch open on prod-us when it stops: its connection is closed, not left hanging.
    let us_addr = addr("prod-us");
    let mut watch = TcpStream::connect(us_addr).expect("connect");
    write!(
        watch,
        "GET /api/v1/namespaces/pos/pods?watch=true HTTP/1.1\r\nHost: {us_addr}\r\n\r\n"
    )
    .expect("send");
    let mut head = [0u8; 12];
    watch.read_exact(&mut head).expect("the watch answers");
    assert_eq!(&head, b"HTTP/1.1 200", "{}", String::from_utf8_lossy(&head));

    let stopping = Instant::now();
    clusters.get_mut("prod-us").expect("prod-us").stop();
    assert!(clusters.get("prod-us").expect("prod-us").is_stopped());
    watch
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut rest = Vec::new();
    match watch.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) => assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the watch stayed open after the stop: {e}"
        ),
    }
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "{:?}",
        stopping.elapsed()
    );

    let refused = kubectl(&kubeconfig, &["--context", "prod-us", "get", "pods", "-A"]);
    assert!(!refused.status.success(), "a stopped cluster answered");
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("refused"), "{why}");
    assert!(
        TcpStream::connect(us_addr).is_err(),
        "the stopped cluster still accepts"
    );
    // The others keep serving, the same worlds as before.
    assert_eq!(pods(&kubeconfig, "prod-eu"), eu);
    assert_eq!(pods(&kubeconfig, "staging"), staging);
    // And the kubeconfig still names the stopped one, as a real one names a cluster that is down.
    assert!(clusters.kubeconfig().contains("- name: prod-us\n"));

    // Started again: the same address, the same world from the same seed.
    let us_cluster = clusters.get_mut("prod-us").expect("prod-us");
    us_cluster.restart().expect("restarted");
    assert!(!us_cluster.is_stopped());
    assert_eq!(us_cluster.addr, us_addr);
    assert_eq!(pods(&kubeconfig, "prod-us"), us);
}

#[test]
fn names_given_twice_or_none_are_refused() {
    let twice: Vec<String> = ["a", "b", "a"].map(String::from).into();
    let refused = spawn_clusters(&twice, &frozen(10, 1), &ClusterOptions::open())
        .err()
        .expect("refused");
    assert_eq!(refused.to_string(), "cluster a is named twice");
    assert!(spawn_clusters(&[], &frozen(10, 1), &ClusterOptions::open()).is_err());
}

#[test]
fn the_cli_writes_one_kubeconfig_kubectl_uses_for_each_cluster() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("kc.yaml");
    let port = sim_process::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["sim", "--freeze", "--pods", "60", "--seed", "7"])
        .args([
            "--clusters",
            "a,b",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("--kubeconfig-out")
        .arg(&kubeconfig)
        .env("HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start opsdeck sim --clusters");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !kubeconfig.exists() || TcpStream::connect(("127.0.0.1", port + 1)).is_err() {
        assert!(
            Instant::now() < deadline,
            "opsdeck sim --clusters did not start"
        );
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("opsdeck sim --clusters ended: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    let text = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    assert!(
        text.contains(&format!("https://127.0.0.1:{port}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("https://127.0.0.1:{}\n", port + 1)),
        "{text}"
    );
    assert!(text.contains("token: "), "the default --auth token: {text}");
    let contexts = ok(&kubeconfig, &["config", "get-contexts", "-o", "name"]);
    assert_eq!(contexts, "a\nb\n");
    let a = pods(&kubeconfig, "a");
    let b = pods(&kubeconfig, "b");
    assert_ne!(a, b);
    assert_eq!(
        ok(
            &kubeconfig,
            &[
                "--context",
                "b",
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}"
            ]
        ),
        "opsdeck-sim-operator"
    );

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let out = child.wait_with_output().expect("opsdeck sim ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "opsdeck sim: cluster a: 60 pods (seed 7) on https://127.0.0.1:{port} (auth Token)"
        )) && lines[0].ends_with("— Kubernetes API and Alertmanager API v2"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "opsdeck sim: cluster b: 60 pods (seed 8) on https://127.0.0.1:{}",
            port + 1
        )) && lines[1].ends_with("— Kubernetes API"),
        "{stdout}"
    );
    assert_eq!(
        lines[2],
        format!(
            "opsdeck sim: kubeconfig {}, contexts a, b (current a)",
            kubeconfig.display()
        )
    );
    // On exit, each cluster's requests under its name: one pod list each, whoami on b only.
    let section = |name: &str| -> Vec<&str> {
        let start = lines
            .iter()
            .position(|l| *l == format!("cluster\t{name}"))
            .unwrap_or_else(|| panic!("cluster {name}'s requests: {stdout}"));
        lines[start + 1..]
            .iter()
            .take_while(|l| !l.starts_with("cluster\t"))
            .copied()
            .collect()
    };
    for (name, whoami) in [("a", 0), ("b", 1)] {
        let records = section(name);
        let count = |verb: &str, resource: &str| -> u64 {
            records
                .iter()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split('\t').collect();
                    (f.len() == 5 && f[1] == verb && f[2] == resource)
                        .then(|| f[4].parse::<u64>().expect("a count"))
                })
                .sum()
        };
        assert_eq!(count("list", "pods"), 1, "{name}: {records:?}");
        assert_eq!(
            count("create", "selfsubjectreviews.authentication.k8s.io"),
            whoami,
            "{name}: {records:?}"
        );
    }
}

#[test]
fn a_cluster_name_that_cannot_be_a_context_is_refused_before_serving() {
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["sim", "--clusters", "prod-eu,Prod_US"])
        .output()
        .expect("opsdeck sim");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains(
            "\"Prod_US\" is not a cluster name: use lowercase letters, digits, '-' and '.'"
        ),
        "{why}"
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn over_https_with_client_certificates_each_context_carries_its_clusters_ca_and_credential() {
    use opsdeck::sim::http::auth::{AuthMode, Security};
    let options = ClusterOptions {
        security: Security {
            auth: AuthMode::Cert,
            ..Security::demo()
        },
        ..ClusterOptions::open()
    };
    let names: Vec<String> = ["east", "west"].map(String::from).into();
    let clusters = spawn_clusters(&names, &frozen(20, 3), &options).expect("served");
    // Without a kubeconfig to keep it beside, each cluster makes a CA of its own.
    let cas: Vec<&str> = clusters
        .clusters
        .iter()
        .map(|c| c.ca_pem.as_deref().expect("a CA"))
        .collect();
    assert_ne!(cas[0], cas[1]);
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, clusters.kubeconfig()).expect("kubeconfig written");
    for name in ["east", "west"] {
        let whoami = ok(
            &kubeconfig,
            &[
                "--context",
                name,
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
        );
        assert_eq!(whoami, "opsdeck-sim-operator", "{name}");
        assert!(
            ok(
                &kubeconfig,
                &["--context", name, "get", "pods", "-n", "pos"]
            )
            .contains("Running")
        );
    }
}
