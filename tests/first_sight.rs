//! First sight of a big cluster, against the simulator in-process: while the first list of the
//! pods goes on, each progress report carries only the pods listed since the one before (the
//! first part as a reset), so the cockpit receives each pod once, not the growing list at every
//! report; the whole list then replaces the parts, and the cockpit shows each part at once,
//! with how far the list has come on the Pods panel's border.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use opsdeck::adapters::kube::Cluster;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{Estate, Pod, PodKey, Report, SourceId, SourceKind, SourceReport, UnixTime};
use opsdeck::sim::http::HttpOptions;
use opsdeck::sim::{self, World};
use tokio::sync::mpsc;

use common::{demo_state_with, settings};
use opsdeck::app::Panel;
use opsdeck::domain::ListProgress;
use opsdeck::snapshot::{render, to_text};

const PODS: usize = 10_000;

/// The pods a report hands the cockpit.
fn carried(report: &Report) -> Option<usize> {
    match report {
        Report::PodsReset(pods) | Report::PodsListed(pods) => Some(pods.len()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_list_of_10000_pods_hands_each_pod_over_once_while_it_goes_on() {
    let demo = DemoConfig {
        pods: PODS,
        freeze: true,
        ..DemoConfig::default()
    };
    let world = World::generate(&demo, 2, UnixTime::now());
    let served_pods: BTreeSet<PodKey> = world
        .initial_reports()
        .into_iter()
        .find_map(|r| match r.report {
            Report::PodsReset(pods) => Some(pods.into_iter().map(|p| p.key).collect()),
            _ => None,
        })
        .expect("pods");
    // The demo's DaemonSet pods, one a node, and its bare pod come with every estate.
    let all_pods = PODS + opsdeck::sim::NODE_PODS;
    assert_eq!(served_pods.len(), all_pods);
    let (sim_reports, mut drain) = mpsc::channel(1024);
    tokio::spawn(async move { while drain.recv().await.is_some() {} });
    // Pages of 500 and the client held to 10 requests a second: the 20 pages take two
    // seconds or more, a progress report every 100 ms.
    let options = HttpOptions {
        page_size_limit: Some(500),
        ..HttpOptions::default()
    };
    let served = sim::serve::spawn_with(
        world,
        demo,
        ([127, 0, 0, 1], 0).into(),
        sim::kubeapi::Policy::default(),
        1000,
        sim_reports,
        options,
    )
    .map_err(|(_, e)| e)
    .expect("serve the simulator");
    let cfg = KubernetesConfig {
        server_url: Some(format!("http://{}", served.addr)),
        qps: Some(10.0),
        burst: Some(1),
        ..KubernetesConfig::default()
    };
    let (tx, mut reports) = mpsc::channel(4096);
    let _cluster = Cluster::start(cfg, "demo".into(), Duration::from_secs(1), tx);

    // The cockpit's state, holding a pod of an earlier list (a cluster before a new login):
    // the first part replaces it.
    let mut estate = Estate::default();
    let stale = stale_pod();
    estate.apply(SourceReport {
        source: SourceId::new(SourceKind::Kubernetes, "demo"),
        at: UnixTime::now(),
        report: Report::PodsReset(vec![stale.clone()]),
    });

    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut parts = Vec::new();
    let mut progress = Vec::new();
    loop {
        let report = tokio::time::timeout_at(deadline, reports.recv())
            .await
            .expect("the list completes within 120 s")
            .expect("the adapter runs");
        if let Report::Unreachable(why) = &report.report {
            panic!("{why}");
        }
        parts.extend(carried(&report.report));
        let listing = match &report.report {
            Report::PodsListing(p) => Some(*p),
            _ => None,
        };
        let first_part = parts.len() == 1 && carried(&report.report).is_some();
        estate.apply(report);
        if first_part {
            assert!(
                estate.pods.get(&stale.key).is_none(),
                "the first part replaces what the cockpit held"
            );
        }
        match listing {
            // Each progress line comes with every pod it counts on screen.
            Some(Some(p)) => {
                assert_eq!(estate.pods.len(), p.listed, "{p:?}");
                progress.push(p);
            }
            Some(None) => break,
            None => {}
        }
    }
    let (whole, during) = parts.split_last().expect("pods");
    assert!(
        progress.len() >= 3,
        "{} progress reports: the list was too quick to show the point",
        progress.len()
    );
    let sent: usize = during.iter().sum();
    // Before, each report carried every pod listed so far: ~95,000 pods for these 10,000.
    assert!(
        sent <= all_pods,
        "{sent} pods handed over in {} progress reports for a list of {all_pods}: {during:?}",
        during.len()
    );
    assert_eq!(*whole, all_pods, "then the whole list");
    // The estate names each pod's cluster; the simulator's own keys name none.
    let shown: BTreeSet<PodKey> = estate
        .pods
        .iter()
        .map(|p| PodKey::new(p.key.namespace.clone(), p.key.name.clone()))
        .collect();
    assert_eq!(
        shown, served_pods,
        "the cockpit holds exactly the listed pods"
    );
    assert_eq!(estate.pods_listing, None);
}

/// A pod the simulator does not have.
fn stale_pod() -> Pod {
    Pod {
        key: PodKey::new("gone", "stale-1"),
        phase: opsdeck::domain::PodPhase::Running,
        status: "Running".into(),
        ready_containers: 1,
        total_containers: 1,
        containers: Box::default(),
        restarts: 0,
        last_restart: None,
        node: "worker-01".into(),
        owner: None,
        created: UnixTime(0),
        image: "img:1".into(),
        cpu_millis: None,
        memory_bytes: None,
        ip: None,
        last_terminated: None,
    }
}

#[test]
fn the_progress_line_is_whole_on_the_pods_border_at_80_and_200_columns() {
    // The drill key's hint (`right: its owner`) was drawn over it: `right: its owner 000 of
    // ~100,000`.
    for size in [(80, 24), (200, 60)] {
        let mut state = demo_state_with(settings("default", "default", false), size, 300, 3);
        state.panel = Panel::Pods;
        state.estate.pods_listing = Some(ListProgress {
            listed: 2000,
            estimate: Some(100_000),
        });
        let text = to_text(&render(&mut state));
        assert!(
            text.contains("listing pods: 2,000 of ~100,000"),
            "{size:?}:\n{text}"
        );
        // Once the list is complete, the hint is back.
        state.estate.pods_listing = None;
        let text = to_text(&render(&mut state));
        assert!(text.contains("right: its owner"), "{size:?}:\n{text}");
    }
}
