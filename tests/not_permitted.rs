//! Kinds this user may not read at all, against `opsdeck sim` with RBAC rules: events,
//! network policies and pod metrics denied to alice. kubectl is refused them; the adapter
//! watches the rest, and the cockpit, fed its reports, says "not permitted" where the data
//! would be (the Pods panel's CPU and MEMORY, the Services panel's LOCKDOWN, the Events
//! panel's body) while the pods themselves show.

mod common;
mod sim_process;

use std::time::Duration;

use opsdeck::adapters::kube;
use opsdeck::app::{Msg, Panel, State, update};
use opsdeck::domain::kube_access::{EVENTS, METRICS, NETWORK_POLICIES};
use opsdeck::domain::{Report, SourceId, SourceKind, UnixTime};
use opsdeck::snapshot::{render, to_text};
use sim_process::Sim;
use tokio::sync::mpsc;

fn refused(sim: &Sim, args: &[&str]) -> String {
    let out = sim.kubectl(args);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "kubectl {args:?} was allowed");
    assert!(said.contains("forbidden"), "kubectl {args:?}: {said}");
    said
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kinds_not_permitted_say_so_where_their_data_would_be() {
    let sim = Sim::start(&[
        "--user",
        "alice",
        "--deny",
        "list,watch:events:*:alice",
        "--deny",
        "list,watch:networkpolicies:*:alice",
        "--deny",
        "list:pods.metrics.k8s.io:*:alice",
    ]);
    tokio::task::block_in_place(|| {
        refused(&sim, &["get", "events", "-A"]);
        refused(&sim, &["get", "networkpolicies", "-A"]);
        // The pods' usage is denied, the pods are not: the rule names the metrics group.
        refused(&sim, &["get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods"]);
        let pods = sim.json(&["get", "pods", "-A"]);
        assert_eq!(
            pods["items"].as_array().map(Vec::len),
            Some(60 + opsdeck::sim::NODE_PODS)
        );
    });

    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let mut state = State::new(
        common::settings("default", "default", false),
        UnixTime::now(),
        (160, 48),
    );
    state
        .estate
        .register_source(SourceId::new(SourceKind::Kubernetes, "demo"), 10);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let Ok(report) = tokio::time::timeout_at(deadline, rx.recv()).await else {
            panic!(
                "not every refusal in time: {:?}, {} pods, {} workloads",
                state.estate.kube_access,
                state.estate.pods.len(),
                state.estate.workloads.len()
            );
        };
        let report = report.expect("the adapter runs");
        if let Report::Unreachable(why) = &report.report {
            panic!("a kind not permitted broke the rest: {why}");
        }
        update(&mut state, Msg::Report(report));
        let access = &state.estate.kube_access;
        if [EVENTS, NETWORK_POLICIES, METRICS]
            .iter()
            .all(|k| access.denies(k))
            && state.estate.pods.len() == 60 + opsdeck::sim::NODE_PODS
            && !state.estate.workloads.is_empty()
        {
            break;
        }
    }
    update(&mut state, Msg::Tick(UnixTime::now()));

    state.panel = Panel::Pods;
    let pods = to_text(&render(&mut state));
    let first = state
        .estate
        .pods
        .iter()
        .next()
        .unwrap()
        .key
        .name
        .to_string();
    let row = pods
        .lines()
        .find(|l| l.contains(&first))
        .unwrap_or_else(|| panic!("{first} is shown:\n{pods}"));
    assert_eq!(
        row.matches("not permitted").count(),
        2,
        "CPU and MEMORY say it: {row}"
    );
    assert!(!row.contains("n/a"), "{row}");

    state.panel = Panel::Services;
    let services = to_text(&render(&mut state));
    let workload = state.estate.workloads[0].name.to_string();
    let row = services
        .lines()
        .find(|l| l.contains(&workload))
        .unwrap_or_else(|| panic!("{workload} is shown:\n{services}"));
    // LOCKDOWN is the last column but for HPA (`-` or the autoscaler's figures) where shown.
    let row_end = row.trim_end_matches('│').trim_end();
    let hpa_shown = services.lines().any(|l| l.contains(" HPA"));
    let lockdown = match hpa_shown {
        true => row_end.rsplit_once(" not permitted ").is_some(),
        false => row_end.ends_with("not permitted"),
    };
    assert!(lockdown, "LOCKDOWN: {row}");

    state.panel = Panel::Events;
    let events = to_text(&render(&mut state));
    assert!(
        events.contains("not permitted: this user may not list and watch events"),
        "{events}"
    );

    // At 80 columns the status bar says it whole (shorter if need be), beside the source.
    update(&mut state, Msg::Resize(80, 24));
    state.panel = Panel::Pods;
    let narrow = to_text(&render(&mut state));
    let bar = narrow.lines().last().unwrap();
    assert!(bar.contains("events") || bar.contains("3 denied"), "{bar}");
    assert!(bar.contains("k8s") && !bar.contains('…'), "{bar}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_neither_pods_nor_namespaces_listable_it_says_to_configure_namespaces() {
    let sim = Sim::start(&[
        "--user",
        "alice",
        "--deny",
        "list,watch:pods:*:alice",
        "--deny",
        "list:namespaces:*:alice",
    ]);
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor = kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let why = loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("a reason in time")
            .expect("the adapter runs");
        if let Report::Unreachable(why) = report.report {
            break why;
        }
    };
    assert!(
        why.contains("no cluster-wide access") && why.contains("[kubernetes] namespaces"),
        "{why}"
    );
}
