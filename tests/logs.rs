//! The logs pane's stream end to end in one process: the runner opens a followed log from the
//! simulator's API through the kube adapter, lines arrive in the inbox, and closing it closes the
//! HTTP stream on the server's side.

use std::sync::Arc;
use std::time::Duration;

use opsdeck::actions::executor::{LogStreams, NoExecutor};
use opsdeck::adapters::kube::Cluster;
use opsdeck::app::Msg;
use opsdeck::app::runner::Runner;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{LogOptions, UnixTime};
use opsdeck::sim::{self, World};
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_log_streams_lines_and_closing_it_closes_the_server_stream() {
    let demo = DemoConfig {
        pods: 40,
        freeze: true,
        log_rate: 50.0,
        ..DemoConfig::default()
    };
    let world = World::generate(&demo, 2, UnixTime::now());
    let pod = world_pod(&world);
    let (reports, mut drain) = mpsc::channel(1024);
    tokio::spawn(async move { while drain.recv().await.is_some() {} });
    let served = sim::serve::spawn(
        world,
        demo,
        ([127, 0, 0, 1], 0).into(),
        sim::kubeapi::Policy::default(),
        1000,
        reports.clone(),
    )
    .map_err(|(_, e)| e)
    .expect("serve the simulator");
    let cluster = KubernetesConfig {
        server_url: Some(format!("http://{}", served.addr)),
        ..KubernetesConfig::default()
    };
    let cluster = Cluster::start(cluster, "demo".into(), Duration::from_secs(1), reports);
    let (inbox, mut messages) = mpsc::channel(64);
    let runner = Runner {
        executor: Arc::new(NoExecutor),
        audit: None,
        readonly: false,
        timeout: Duration::from_secs(5),
        inbox,
        cluster: None,
        logs: Some(cluster as Arc<dyn LogStreams>),
        log_tasks: Default::default(),
    };
    let options = LogOptions {
        tail_lines: Some(5),
        follow: true,
        ..LogOptions::default()
    };
    runner.open_logs(7, pod.0.clone(), pod.1.clone(), options);
    let mut received = 0;
    while received < 20 {
        match tokio::time::timeout(Duration::from_secs(3), messages.recv()).await {
            Ok(Some(Msg::LogLines { stream: 7, lines })) => received += lines.len(),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        sim::http::kube_logs::following(),
        1,
        "one followed log served"
    );
    runner.close_logs(7);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while sim::http::kube_logs::following() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server still streams after close"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A running pod of the generated world: (namespace, name).
fn world_pod(world: &World) -> (String, String) {
    let reports = world.initial_reports();
    reports
        .into_iter()
        .find_map(|r| match r.report {
            opsdeck::domain::Report::PodsReset(pods) => pods
                .into_iter()
                .find(|p| &*p.key.namespace == "pos" && &*p.status == "Running")
                .map(|p| (p.key.namespace.to_string(), p.key.name.to_string())),
            _ => None,
        })
        .expect("a running pod in pos")
}
