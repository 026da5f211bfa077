//! The logs pane's streams end to end in one process: the runner opens a workload's followed
//! logs from the simulator's API through the kube adapter, each pod's lines arrive in the inbox
//! marked with their pod, their tails merged by time, and closing the pane closes every HTTP
//! stream on the server's side. And the error counts: a pass over pods' logs tallies exactly
//! the ERROR lines the simulator wrote, few for a healthy workload, many for a troubled one.

use std::sync::Arc;
use std::time::Duration;

use opsdeck::actions::executor::{LogStreams, NoExecutor};
use opsdeck::adapters::kube::Cluster;
use opsdeck::app::Msg;
use opsdeck::app::runner::Runner;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{LogErrorCounts, LogOptions, Pod, Report, UnixTime};
use opsdeck::sim::logs::{LogQuery, LogSource};
use opsdeck::sim::{self, World};
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workloads_followed_logs_stream_per_pod_and_closing_closes_every_server_stream() {
    let demo = DemoConfig {
        pods: 40,
        freeze: true,
        log_rate: 50.0,
        ..DemoConfig::default()
    };
    let (all_pods, runner, mut messages) = serve(&demo);
    let pods: Vec<&Pod> = running_pos_order(&all_pods).into_iter().take(3).collect();
    assert_eq!(pods.len(), 3, "running pos-order pods");
    let namespace = pods[0].key.namespace.to_string();
    let options = LogOptions {
        tail_lines: Some(5),
        follow: true,
        ..LogOptions::default()
    };
    let names = pods.iter().map(|p| p.key.name.to_string()).collect();
    runner.open_logs(7, String::new(), namespace, names, options);
    let mut received = [0; 3];
    while received.iter().any(|r| *r < 10) {
        match tokio::time::timeout(Duration::from_secs(3), messages.recv()).await {
            Ok(Some(Msg::LogLines {
                stream: 7,
                source,
                lines,
            })) => received[usize::from(source)] += lines.len(),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        sim::http::kube_logs::following(),
        3,
        "one followed log served per pod"
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workloads_tails_arrive_merged_by_time() {
    let demo = DemoConfig {
        pods: 40,
        freeze: true,
        log_rate: 2.0,
        ..DemoConfig::default()
    };
    let (all_pods, runner, mut messages) = serve(&demo);
    // pos-order is rolling out: its new pods are minutes old, its old ones days. Their tails
    // of 2,000 lines (1,000 s) reach back to different times.
    let mut pods = running_pos_order(&all_pods);
    pods.sort_by_key(|p| p.last_restart.unwrap_or(p.created));
    let (oldest, youngest) = (pods[0], pods[pods.len() - 1]);
    let start = |p: &Pod| p.last_restart.unwrap_or(p.created);
    assert!(
        start(youngest).0 - start(oldest).0 > 300,
        "pods of different ages"
    );
    // Not followed: the other test counts the followed logs the server serves.
    let options = LogOptions {
        tail_lines: Some(2000),
        timestamps: true,
        ..LogOptions::default()
    };
    let names = vec![youngest.key.name.to_string(), oldest.key.name.to_string()];
    runner.open_logs(9, String::new(), "pos".into(), names, options);
    let mut received: Vec<(u16, String)> = Vec::new();
    while received.len() < 600 {
        match tokio::time::timeout(Duration::from_secs(5), messages.recv()).await {
            Ok(Some(Msg::LogLines {
                stream: 9,
                source,
                lines,
            })) => received.extend(lines.into_iter().map(|l| (source, l))),
            other => panic!("{other:?}"),
        }
    }
    runner.close_logs(9);
    let times: Vec<Duration> = received
        .iter()
        .map(|(_, l)| {
            opsdeck::domain::logs::split_stamp(l)
                .expect("a timestamp")
                .0
        })
        .collect();
    let first_out_of_order = times.windows(2).position(|w| w[0] > w[1]);
    assert_eq!(
        first_out_of_order,
        None,
        "the tails in time order: {:?}",
        first_out_of_order.map(|i| &received[i..i + 2])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_workloads_log_errors_rarely_and_a_troubled_one_visibly_more() {
    let demo = DemoConfig {
        pods: 300,
        freeze: true,
        log_rate: 2.0,
        ..DemoConfig::default()
    };
    let (all_pods, runner, mut messages) = serve(&demo);
    let of = |owner: &str| -> Vec<&Pod> {
        all_pods
            .iter()
            .filter(|p| p.owner.as_deref() == Some(owner) && &*p.status == "Running")
            .collect()
    };
    let (healthy, troubled) = (of("Deployment/core-agent"), of("Deployment/pdf-recognizer"));
    let mut counts = LogErrorCounts::default();
    let now = UnixTime::now();
    // 2,000 lines at 2 a second reach back past the 15 minutes.
    let scans = counts.plan(healthy.iter().chain(&troubled).copied(), now, 2000);
    runner.read_log_errors(scans);
    loop {
        match tokio::time::timeout(Duration::from_secs(20), messages.recv()).await {
            Ok(Some(Msg::LogErrorsRead { scan, result })) => {
                counts.record(&scan, &result.expect("a readable log"), now)
            }
            Ok(Some(Msg::LogErrorsPassDone)) => break,
            other => panic!("{other:?}"),
        }
    }
    let quarter = |owner: &str| {
        counts
            .for_workload("", "agents", owner)
            .map(|e| e.counts[0])
    };
    let core = quarter("Deployment/core-agent").expect("counted");
    let pdf = counts
        .for_workload("", "workflow", "Deployment/pdf-recognizer")
        .expect("counted")
        .counts[0];
    // About one ERROR line a pod in 15 minutes for a healthy service, dozens for a troubled one.
    assert!(
        core <= 3 * healthy.len() as u32,
        "core-agent, {} pods: {core}",
        healthy.len()
    );
    assert!(
        pdf >= 5 * troubled.len() as u32 && pdf >= 10 * core.max(1),
        "pdf-recognizer, {} pods: {pdf}; core-agent {core}",
        troubled.len()
    );
}

/// The generated world's pods, served by the simulator in-process; a runner reading its logs
/// through the kube adapter, and the runner's inbox.
fn serve(demo: &DemoConfig) -> (Vec<Pod>, Runner, mpsc::Receiver<Msg>) {
    let world = World::generate(demo, 2, UnixTime::now());
    let pods = world
        .initial_reports()
        .into_iter()
        .find_map(|r| match r.report {
            Report::PodsReset(pods) => Some(pods),
            _ => None,
        })
        .expect("pods");
    let (reports, mut drain) = mpsc::channel(1024);
    tokio::spawn(async move { while drain.recv().await.is_some() {} });
    let served = sim::serve::spawn(
        world,
        demo.clone(),
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
    let (inbox, messages) = mpsc::channel(64);
    let runner = Runner {
        executor: Arc::new(NoExecutor),
        audit: None,
        readonly: false,
        guardrails: Default::default(),
        timeout: Duration::from_secs(5),
        inbox,
        cluster: None,
        logs: Some(cluster as Arc<dyn LogStreams>),
        audit_table: None,
        room: None,
        prober: Default::default(),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    (pods, runner, messages)
}

/// The running pods of the pos-order deployment.
fn running_pos_order(pods: &[Pod]) -> Vec<&Pod> {
    pods.iter()
        .filter(|p| p.owner.as_deref() == Some("Deployment/pos-order") && &*p.status == "Running")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_count_pass_tallies_the_error_lines_the_simulator_wrote() {
    let demo = DemoConfig {
        pods: 100,
        freeze: true,
        log_rate: 5.0,
        ..DemoConfig::default()
    };
    let (all_pods, runner, mut messages) = serve(&demo);
    // The troubled workload's running pods, read back at most 2,000 lines each.
    let pods: Vec<&Pod> = all_pods
        .iter()
        .filter(|p| {
            p.owner.as_deref() == Some("Deployment/pdf-recognizer") && &*p.status == "Running"
        })
        .collect();
    assert!(pods.len() >= 2, "pdf-recognizer has running pods");
    let mut counts = LogErrorCounts::default();
    let now = UnixTime::now();
    let scans = counts.plan(pods.iter().copied(), now, 2000);
    assert_eq!(scans.len(), pods.len());
    runner.read_log_errors(scans);
    let mut expected_total = 0;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), messages.recv())
            .await
            .expect("the pass answers")
            .expect("open inbox");
        let (scan, result) = match msg {
            Msg::LogErrorsRead { scan, result } => (scan, result.expect("a readable log")),
            Msg::LogErrorsPassDone => break,
            other => panic!("{other:?}"),
        };
        assert_eq!(result.lines, 2000, "the tail bound");
        // The simulator's own lines for the same span, counted here by their text.
        let pod = pods
            .iter()
            .find(|p| p.key == scan.key)
            .expect("a scanned pod");
        let error_rate = sim::logs::error_rate_of(pod);
        let source =
            LogSource::for_query(pod, &LogQuery::default(), demo.log_rate, error_rate).unwrap();
        let (oldest, newest) = (result.oldest.unwrap(), result.newest.unwrap());
        let in_span = |n: &u64| {
            let at = source.at_ms(*n) as u128;
            at >= oldest.as_millis() && at <= newest.as_millis()
        };
        let written: Vec<String> = (0..source.count_at(newest.as_millis() as i64 + 1))
            .filter(in_span)
            .map(|n| source.line(n, false))
            .collect();
        assert_eq!(written.len(), 2000, "the same 2,000 lines");
        let errors = written
            .iter()
            .filter(|l| l.starts_with("ERROR") || l.contains("\"level\":\"error\""))
            .count();
        assert!(errors > 0, "some errors among 2,000 lines");
        assert_eq!(result.errors.values().sum::<u32>() as usize, errors);
        expected_total += errors as u32;
        counts.record(&scan, &result, now);
    }
    let got = counts
        .for_workload("", "workflow", "Deployment/pdf-recognizer")
        .expect("counted");
    assert_eq!(
        got.counts[1], expected_total,
        "the day's count sums the pods'"
    );
    assert!(!got.complete[1], "2,000 lines do not reach back a day");
}
