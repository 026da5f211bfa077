//! What 50 cockpits cost one API server, measured: 50 kube adapters (each its own client and
//! connection pool, pod usage wanted as on the Pods panel) in this process against one
//! `opsdeck sim` process, counted at the simulator's request counters. Prints the start's
//! requests and the idle ones over a window (60 s; `OPSDECK_COCKPITS_WINDOW=300` for one that
//! sees the watches renewed), and bounds the idle requests per minute per cockpit.

mod sim_process;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use opsdeck::adapters::kube;
use opsdeck::domain::Report;
use sim_process::Sim;
use tokio::sync::mpsc;

const COCKPITS: usize = 50;
const PODS: usize = 1000;

/// `(verb, resource, count)` of every `request` line of the simulator's counters, and its
/// accepted connections.
fn counters(port: u16) -> (Vec<(String, String, u64)>, u64) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the sim");
    stream
        .write_all(b"GET /debug/requests HTTP/1.0\r\nHost: sim\r\n\r\n")
        .expect("ask");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let (_, body) = answer.split_once("\r\n\r\n").expect("a body");
    let mut connections = 0;
    let mut requests = Vec::new();
    for line in body.lines() {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            ["connections", n] => connections = n.parse().unwrap_or(0),
            ["request", verb, resource, _, n] => requests.push((
                verb.to_string(),
                resource.to_string(),
                n.parse().unwrap_or(0),
            )),
            _ => {}
        }
    }
    (requests, connections)
}

fn count(seen: &[(String, String, u64)], verb: &str, resource: &str) -> u64 {
    seen.iter()
        .filter(|(v, r, _)| (verb == "*" || v == verb) && (resource == "*" || r == resource))
        .map(|r| r.2)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_idle_cockpits_cost_the_api_server_a_few_requests_a_minute_each() {
    let window = std::env::var("OPSDECK_COCKPITS_WINDOW")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(60), Duration::from_secs);
    // Plain HTTP so that the counters can be read with a bare request; the cockpits'
    // requests are the same over HTTPS.
    let sim = Sim::start_with_pods(PODS, &["--insecure-http", "--auth", "none"]);
    let started = Instant::now();
    let (tx, mut rx) = mpsc::channel(100_000);
    let executors: Vec<_> = (0..COCKPITS)
        .map(|i| {
            kube::spawn(
                sim.cluster(),
                format!("cockpit-{i}"),
                Duration::from_secs(1),
                tx.clone(),
            )
        })
        .collect();
    drop(tx);
    // Every cockpit has its pods, and is watching.
    let mut synced = HashSet::new();
    let mut start_failures = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    while synced.len() < COCKPITS {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("{} of {COCKPITS} cockpits listed in time", synced.len()))
            .expect("the adapters run");
        match report.report {
            Report::PodsReset(pods) if pods.len() == PODS + opsdeck::sim::NODE_PODS => {
                synced.insert(report.source.name.clone());
            }
            // Fifty connecting at once to a server on a busy machine: a connection may time
            // out, and is tried again, as the cockpit would.
            Report::Unreachable(why) => {
                start_failures += 1;
                eprintln!("at the start, {}: {why}", report.source.name);
            }
            _ => {}
        }
    }
    let listed_in = started.elapsed();
    // The reports go on (Alive, usage); nothing reads them but this drain, which keeps what
    // said a cockpit's source was down.
    let down = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = down.clone();
    let drain = tokio::spawn(async move {
        while let Some(report) = rx.recv().await {
            if let Report::Unreachable(why) = report.report {
                noted
                    .lock()
                    .unwrap()
                    .push(format!("{}: {why}", report.source.name));
            }
        }
    });
    // Each one's first usage poll made and its eight watches open: the start is over.
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
    let settle = Instant::now() + Duration::from_secs(60);
    let before = loop {
        let (seen, _) = tokio::task::block_in_place(|| counters(sim.port));
        let every = |verb, r| count(&seen, verb, r) >= COCKPITS as u64;
        if watched.iter().all(|r| every("watch", r)) && every("list", "pods.metrics.k8s.io") {
            break seen;
        }
        assert!(Instant::now() < settle, "not all watching yet: {seen:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (_, connections_before) = tokio::task::block_in_place(|| counters(sim.port));
    let start_total = count(&before, "*", "*");
    let measured = Instant::now();
    tokio::time::sleep(window).await;
    let (after, connections) = tokio::task::block_in_place(|| counters(sim.port));
    let took = measured.elapsed();
    let made = |verb, r| count(&after, verb, r) - count(&before, verb, r);
    let idle = made("*", "*");
    let metrics = made("list", "pods.metrics.k8s.io");
    let watches = made("watch", "*");
    let pod_lists = made("list", "pods");
    let minutes = took.as_secs_f64() / 60.0;
    let per_cockpit_minute = idle as f64 / COCKPITS as f64 / minutes;
    println!(
        "{COCKPITS} cockpits, {PODS} pods: listed in {listed_in:.1?}; start {start_total} requests \
         ({:.1} each), {connections_before} connections, {start_failures} failed connections retried",
        start_total as f64 / COCKPITS as f64
    );
    println!(
        "idle {took:.0?}: {idle} requests ({metrics} metrics polls, {watches} watches renewed, \
         {pod_lists} pod lists), {:.0} a minute in all, {per_cockpit_minute:.2} per cockpit a \
         minute; {} new connections",
        idle as f64 / minutes,
        connections - connections_before
    );
    for (verb, resource, n) in &after {
        let d = n - count(&before, verb, resource);
        if d > 0 {
            println!("  {verb}\t{resource}\t+{d}");
        }
    }
    // Before the simulator goes: then every cockpit would say so.
    let down = down.lock().unwrap().clone();
    drain.abort();
    drop(executors);
    assert!(down.is_empty(), "sources reported down: {down:?}");
    // Idle, a cockpit's only requests are its usage polls (every 15 s: 4 a minute, 5 in a
    // window that starts just before one) and its eight watches renewed every 290 s (about
    // 1.7 a minute); nothing is listed again.
    assert!(
        per_cockpit_minute <= 6.5,
        "{per_cockpit_minute:.2} requests per cockpit a minute"
    );
    assert_eq!(pod_lists, 0, "no cockpit listed its pods again");
}
