//! An API server whose clock runs minutes ahead of the cockpit's (`opsdeck sim --clock-skew`):
//! exec tokens are judged by the server's clock, so each is refused (401) long before the
//! client's copy of its `expirationTimestamp` says to renew it; the adapter logs in again with
//! the data kept (relisting, never down) and the watch goes on. Objects the server stamps are
//! minutes in the cockpit's future: their ages are 0, not negative or absurd.

mod sim_process;

use std::time::{Duration, Instant};

use opsdeck::adapters::kube;
use opsdeck::domain::time::format_age;
use opsdeck::domain::{Report, SourceReport, UnixTime};
use sim_process::Sim;
use tokio::sync::mpsc;

/// The next report `pick` takes; an outage on the way fails the test with its reason.
async fn next_where<T>(
    rx: &mut mpsc::Receiver<SourceReport>,
    within: Duration,
    mut pick: impl FnMut(&Report) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the report in time")
            .expect("the adapter is running")
            .report;
        if let Report::Unreachable(why) = &report {
            panic!("the source was reported down: {why}");
        }
        if let Some(found) = pick(&report) {
            return found;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_clock_minutes_ahead_is_ridden_out() {
    // Three minutes ahead; tokens for 3 min 20 s by the plugin's (the client's) clock: the
    // server takes each for 20 s, while kube-rs renews one only in its last minute.
    let skew = 180;
    let sim = Sim::start(&[
        "--auth",
        "exec",
        "--token-ttl",
        "200s",
        "--clock-skew",
        "3m",
    ]);
    let pods = tokio::task::block_in_place(|| sim.json(&["get", "pods", "-n", "pos"]));
    let victim = pods["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let started = Instant::now();
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "sim".into(), Duration::from_secs(1), tx);
    next_where(&mut rx, Duration::from_secs(15), |r| {
        matches!(r, Report::PodsReset(p) if p.len() == 60 + opsdeck::sim::NODE_PODS).then_some(())
    })
    .await;
    // The first token is refused by the server's clock well before the client's says so.
    let why = next_where(&mut rx, Duration::from_secs(30), |r| match r {
        Report::Relisting(why) => Some(why.clone()),
        _ => None,
    })
    .await;
    let refused_after = started.elapsed();
    assert!(why.contains("logging in again"), "{why}");
    assert!(
        refused_after < Duration::from_secs(120),
        "refused after {refused_after:?}: the skew did not count"
    );
    // Listed again with a new token, and watching: a deletion and its replacement arrive (in
    // the watch, or in a list again if the next token ran out meanwhile).
    let listed: std::collections::HashSet<String> =
        next_where(&mut rx, Duration::from_secs(15), |r| match r {
            Report::PodsReset(p) if p.len() == 60 + opsdeck::sim::NODE_PODS => {
                Some(p.iter().map(|p| p.key.name.to_string()).collect())
            }
            _ => None,
        })
        .await;
    tokio::task::block_in_place(|| {
        sim.ok(&["-n", "pos", "delete", "pod", &victim, "--wait=false"])
    });
    let new = |p: &opsdeck::domain::Pod| !listed.contains(&*p.key.name);
    let replacement = next_where(&mut rx, Duration::from_secs(30), |r| match r {
        Report::PodUpsert(p) if new(p) => Some(p.clone()),
        Report::PodsReset(pods) => pods.iter().find(|p| new(p)).cloned(),
        _ => None,
    })
    .await;
    let now = UnixTime::now();
    // Stamped by the server's clock: minutes in our future.
    assert!(
        replacement.created.0 >= now.0 + skew - 30,
        "created {} at {}: not the server's clock",
        replacement.created.0,
        now.0
    );
    assert_eq!(
        replacement.created.age_at(now),
        0,
        "an age is never negative"
    );
    assert_eq!(format_age(replacement.created.age_at(now)), "0s");
    println!(
        "first token refused after {refused_after:?}; replacement {} seen after {:?}",
        replacement.key.name,
        started.elapsed()
    );
}
