//! What one idle cockpit costs the API server at 10,000 pods, counted at the simulator
//! (`opsdeck sim`'s `GET /debug/requests`): after the first lists and watches, the real binary
//! in a pseudo-terminal showing its pods makes no request but its metrics polls over a 30 s
//! window; error counting at its default (it does not start by itself above
//! `[logs] error_auto_max_pods`) reads no log.

mod pty;
mod sim_process;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use pty::Cockpit;
use sim_process::Sim;

/// `(verb, resource, count)` of the simulator's `request` lines for opsdeck's user agent.
fn requests(sim: &Sim) -> Vec<(String, String, u64)> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port)).expect("the sim");
    stream
        .write_all(b"GET /debug/requests HTTP/1.0\r\nHost: sim\r\n\r\n")
        .expect("ask");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let (_, body) = answer.split_once("\r\n\r\n").expect("a body");
    let agent = format!("opsdeck/{}", env!("CARGO_PKG_VERSION"));
    body.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["request", verb, resource, who, n] if *who == agent => {
                    Some((verb.to_string(), resource.to_string(), n.parse().ok()?))
                }
                _ => None,
            }
        })
        .collect()
}

fn count(seen: &[(String, String, u64)], verb: &str, resource: &str) -> u64 {
    seen.iter()
        .filter(|(v, r, _)| v == verb && r == resource)
        .map(|r| r.2)
        .sum()
}

#[test]
fn an_idle_cockpit_at_10000_pods_asks_only_for_metrics() {
    // Plain HTTP, so that the counters can be read with a bare request; the cockpit's requests
    // are the same over HTTPS.
    let sim = Sim::start_with_pods(10_000, &["--insecure-http", "--auth", "none"]);
    let config = sim.dir.path().join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[kubernetes]\nkubeconfig = {:?}\n",
            sim.kubeconfig().to_str().unwrap()
        ),
    )
    .unwrap();
    let mut cockpit = Cockpit::start(200, 50, &["--config", config.to_str().unwrap()]);
    cockpit.keys(&["2"]);
    // Listed and watching: every watch open and the first metrics poll made.
    let watched = [
        "pods",
        "events",
        "deployments.apps",
        "replicasets.apps",
        "statefulsets.apps",
        "networkpolicies.networking.k8s.io",
        "namespaces",
        "nodes",
        "configmaps",
        "secrets",
    ];
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let seen = requests(&sim);
        if watched.iter().all(|r| count(&seen, "watch", r) >= 1)
            && count(&seen, "list", "pods.metrics.k8s.io") >= 2
        {
            break;
        }
        assert!(Instant::now() < deadline, "not watching yet: {seen:?}");
        cockpit.pump(Duration::from_millis(200));
    }
    let before = requests(&sim);
    eprintln!(
        "start at 10,000 pods: {} requests, {} of them list pages of pods",
        before.iter().map(|r| r.2).sum::<u64>(),
        count(&before, "list", "pods")
    );
    let window = Duration::from_secs(30);
    let started = Instant::now();
    while started.elapsed() < window {
        cockpit.pump(Duration::from_millis(200));
    }
    let after = requests(&sim);
    let made =
        |verb: &str, resource: &str| count(&after, verb, resource) - count(&before, verb, resource);
    let total: u64 =
        after.iter().map(|r| r.2).sum::<u64>() - before.iter().map(|r| r.2).sum::<u64>();
    let metrics = made("list", "pods.metrics.k8s.io");
    // Not in the window, nor at the start (while the first pages are on screen the cluster
    // looked small enough to count by itself).
    assert_eq!(
        count(&after, "get", "pods/log"),
        0,
        "no log read for error counts"
    );
    // Watches last their timeout (minutes) and lists are not repeated: beyond the metrics
    // polls, nothing in 30 s.
    assert_eq!(
        total - metrics,
        0,
        "requests besides metrics: {after:?} after {before:?}"
    );
    // Pod usage is polled every `[kubernetes] metrics_interval` (15 s by default) while the
    // Pods panel is shown: two or three in 30 s, whatever the timing of the first.
    eprintln!(
        "idle at 10,000 pods: {total} requests in {window:?}, {metrics} of them metrics polls"
    );
    assert!(
        metrics <= window.as_secs() / 15 + 1,
        "{metrics} metrics polls in {window:?}"
    );
}
