//! The cluster found as kubectl finds it, with no flag and no `[kubernetes]` section:
//! `KUBECONFIG` listing several files, merged as kubectl merges them; else `~/.kube/config`;
//! `[kubernetes] enabled =
//! false` turning that off; a kubeconfig that cannot be read shown in the Sources tile with
//! its reason, not fatal; and the demo's simulator served over HTTPS with a CA and a token.

mod sim_process;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use sim_process::Sim;

/// `opsdeck snapshot ARGS` with `KUBECONFIG` set to `kubeconfig` and a home of its own.
fn snapshot(kubeconfig: &std::ffi::OsStr, home: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .arg("snapshot")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .output()
        .unwrap()
}

/// The simulator's kubeconfig split as teams keep theirs: the cluster and the user in one
/// file, the context and `current-context` in another; and the list of both, with a file
/// that does not exist between them (kubectl skips it).
fn split_kubeconfig(sim: &Sim, dir: &Path) -> std::ffi::OsString {
    let whole = std::fs::read_to_string(sim.kubeconfig()).unwrap();
    // The lines of a top-level key, up to the next one (a line starting with a letter).
    let section = |name: &str| -> String {
        let mut inside = false;
        let mut out = String::new();
        for line in whole.lines() {
            if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
                inside = line.starts_with(&format!("{name}:"));
            }
            if inside {
                out.push_str(line);
                out.push('\n');
            }
        }
        assert!(!out.is_empty(), "{name} in {whole}");
        out
    };
    let header = "apiVersion: v1\nkind: Config\n";
    let creds = dir.join("creds.yaml");
    std::fs::write(
        &creds,
        format!("{header}{}{}", section("clusters"), section("users")),
    )
    .unwrap();
    let contexts = dir.join("contexts.yaml");
    std::fs::write(
        &contexts,
        format!("{header}{}current-context: demo\n", section("contexts")),
    )
    .unwrap();
    std::env::join_paths([contexts, dir.join("missing.yaml"), creds]).unwrap()
}

#[test]
fn kubeconfig_listing_several_files_is_merged_as_kubectl_merges_it() {
    let sim = Sim::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let listed = split_kubeconfig(&sim, home.path());
    // kubectl takes the merged list.
    let kubectl = std::process::Command::new("kubectl")
        .args(["get", "pods", "-n", "pos", "-o", "name"])
        .env("KUBECONFIG", &listed)
        .env("HOME", home.path())
        .output()
        .expect("kubectl is installed");
    let names = String::from_utf8_lossy(&kubectl.stdout);
    assert!(
        kubectl.status.success(),
        "{}",
        String::from_utf8_lossy(&kubectl.stderr)
    );
    let first = names
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("pod/"))
        .expect("a pod in pos")
        .to_string();
    // So does opsdeck, with nothing else set.
    let out = snapshot(
        &listed,
        home.path(),
        &["--panel", "pods", "--size", "160x40", "--filter", &first],
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(screen.contains(&first), "{first} not in:\n{screen}");
}

#[test]
fn with_no_kubeconfig_variable_the_homes_kube_config_is_used() {
    let sim = Sim::start(&[]);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".kube")).unwrap();
    std::fs::copy(sim.kubeconfig(), home.path().join(".kube/config")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["snapshot", "--panel", "pods", "--size", "160x40"])
        .env_remove("KUBECONFIG")
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
    assert!(screen.contains("Pods 73"), "{screen}");
}

#[test]
fn enabled_false_turns_the_kubeconfig_found_off() {
    let sim = Sim::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    std::fs::write(&config, "[kubernetes]\nenabled = false\n").unwrap();
    let out = snapshot(
        sim.kubeconfig().as_os_str(),
        home.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--panel",
            "overview",
            "--size",
            "160x40",
            "--wait",
            "2s",
        ],
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        screen.contains("No sources are configured yet"),
        "no cluster, though KUBECONFIG names one:\n{screen}"
    );
    assert!(!screen.contains("k8s"), "{screen}");
}

#[test]
fn a_kubeconfig_that_cannot_be_read_is_the_reason_in_the_sources_tile() {
    let home = tempfile::tempdir().unwrap();
    let broken = home.path().join("broken");
    std::fs::write(&broken, "clusters: [ {name: prod, cluster: \n").unwrap();
    let out = snapshot(
        broken.as_os_str(),
        home.path(),
        &["--panel", "overview", "--size", "300x40", "--wait", "3s"],
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    let line = screen
        .lines()
        .find(|l| l.contains("unreachable"))
        .unwrap_or_else(|| panic!("the cluster is shown unreachable, not fatal:\n{screen}"));
    assert!(line.contains("kubeconfig"), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_simulator_is_served_over_https_with_a_token() {
    use opsdeck::config::{DemoConfig, KubernetesConfig};
    use opsdeck::domain::{Report, UnixTime};
    use opsdeck::sim::{self, World};
    let demo = DemoConfig {
        pods: 40,
        freeze: true,
        ..DemoConfig::default()
    };
    let world = World::generate(&demo, 2, UnixTime::now());
    let (tx, mut drain) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move { while drain.recv().await.is_some() {} });
    // What `opsdeck --demo` serves (`startup/sources.rs`).
    let served = sim::serve::spawn_secured(
        world,
        demo,
        ([127, 0, 0, 1], 0).into(),
        sim::kubeapi::Policy::demo(),
        1000,
        tx,
        &sim::http::auth::Security::demo(),
    )
    .map_err(|(_, e)| e)
    .expect("served");
    let kubeconfig = served.kubeconfig.clone().expect("a kubeconfig");
    assert!(
        kubeconfig.contains(&format!("server: https://{}", served.addr))
            && kubeconfig.contains("certificate-authority-data:")
            && kubeconfig.contains("token: "),
        "{kubeconfig}"
    );
    // Plain HTTP is not answered as HTTP.
    let plain = tokio::task::block_in_place(|| {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(served.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(b"GET /api/v1/pods HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    });
    assert!(!plain.contains("PodList"), "{plain}");
    let cluster = KubernetesConfig {
        kubeconfig_text: Some(kubeconfig),
        ..KubernetesConfig::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(cluster, "demo".into(), Duration::from_secs(1), tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the pods in time")
            .expect("the adapter runs");
        match report.report {
            Report::PodsReset(pods) if pods.len() == 40 + opsdeck::sim::NODE_PODS => break,
            Report::Unreachable(why) => panic!("{why}"),
            _ => {}
        }
    }
}
