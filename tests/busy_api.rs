//! A busy API server, counted at the simulator (`GET /debug/requests`'s counters): the kube
//! adapter's requests go through one connection pool (log reads open no connection of their
//! own), its first lists come in pages the server may cut shorter (`--page-size-limit`), and a
//! storm of 429s (`--max-inflight 1`) is ridden out with Retry-After honoured: the pods arrive,
//! the source is never reported down, and the retries stay bounded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use opsdeck::actions::executor::LogStreams;
use opsdeck::adapters::kube::Cluster;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{LogOptions, Pod, Report, SourceReport, UnixTime};
use opsdeck::sim::http::{HttpOptions, RequestCounts};
use opsdeck::sim::{self, World};
use tokio::sync::mpsc;

struct Served {
    addr: std::net::SocketAddr,
    pods: Vec<Pod>,
    requests: Arc<RequestCounts>,
    cluster: Arc<Cluster>,
    reports: mpsc::Receiver<SourceReport>,
}

/// A frozen world of `pods` pods served in-process with `options`, and the kube adapter
/// watching it.
fn serve(pods: usize, options: HttpOptions) -> Served {
    serve_to(pods, options, KubernetesConfig::default())
}

/// `serve`, the adapter configured as `cfg` (its server's URL set here).
fn serve_to(pods: usize, options: HttpOptions, cfg: KubernetesConfig) -> Served {
    let demo = DemoConfig {
        pods,
        freeze: true,
        ..DemoConfig::default()
    };
    let world = World::generate(&demo, 2, UnixTime::now());
    let listed = world
        .initial_reports()
        .into_iter()
        .find_map(|r| match r.report {
            Report::PodsReset(pods) => Some(pods),
            _ => None,
        })
        .expect("pods");
    let (sim_reports, mut drain) = mpsc::channel(1024);
    tokio::spawn(async move { while drain.recv().await.is_some() {} });
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
        ..cfg
    };
    let (tx, reports) = mpsc::channel(4096);
    let cluster = Cluster::start(cfg, "demo".into(), Duration::from_secs(1), tx);
    Served {
        addr: served.addr,
        pods: listed,
        requests: served.requests,
        cluster,
        reports,
    }
}

/// The pods of the adapter's first whole report (`all` of them: the reports before, while the
/// list goes on, hold part); panics on an outage report or at the deadline.
async fn first_pods(
    reports: &mut mpsc::Receiver<SourceReport>,
    all: usize,
    within: Duration,
) -> Vec<Pod> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let report = tokio::time::timeout_at(deadline, reports.recv())
            .await
            .expect("the pods within the deadline")
            .expect("the adapter runs");
        match report.report {
            Report::PodsReset(pods) if pods.len() == all => return pods,
            Report::Unreachable(why) => panic!("reported unreachable: {why}"),
            _ => {}
        }
    }
}

/// The count of `verb` requests on `resource`, whoever made them.
fn counted(requests: &RequestCounts, verb: &str, resource: &str) -> u64 {
    requests
        .requests()
        .iter()
        .filter(|(v, r, _, _)| v == verb && r == resource)
        .map(|r| r.3)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_reads_go_through_the_clusters_one_connection_pool() {
    let mut served = serve(60, HttpOptions::default());
    first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(10),
    )
    .await;
    let running: Vec<&Pod> = served
        .pods
        .iter()
        .filter(|p| &*p.status == "Running" && p.total_containers == 1)
        .take(20)
        .collect();
    assert_eq!(running.len(), 20, "running pods to read");
    let options = LogOptions {
        tail_lines: Some(50),
        ..LogOptions::default()
    };
    let before = served.requests.connections();
    for pod in &running {
        let mut lines = served
            .cluster
            .open(
                String::new(),
                pod.key.namespace.to_string(),
                pod.key.name.to_string(),
                options.clone(),
            )
            .await
            .expect("a readable log");
        use futures::StreamExt;
        while let Some(line) = lines.next().await {
            line.expect("a line");
        }
    }
    assert_eq!(counted(&served.requests, "get", "pods/log"), 20);
    // Each read done hands its connection back to the pool for the next: a new one only when
    // a metrics poll holds the idle one at that moment (the watches hold theirs). A client per
    // read made twenty.
    let opened = served.requests.connections() - before;
    assert!(opened <= 3, "{opened} connections opened for 20 log reads");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_lists_come_in_pages_as_short_as_the_server_cuts_them() {
    let options = HttpOptions {
        page_size_limit: Some(40),
        ..HttpOptions::default()
    };
    let mut served = serve(300, options);
    let pods = first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(pods.len(), served.pods.len(), "every pod, over the pages");
    // 300 pods in pages of at most 40: eight list requests, none with everything; the
    // one-pod list that asks for the estimate of the whole; and the one-pod list that finds
    // whether the cluster-wide list is permitted (`adapters/kube/access.rs`).
    assert_eq!(counted(&served.requests, "list", "pods"), 8 + 1 + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_is_ridden_out_with_retry_after_honoured() {
    // One request at a time and short pages: the adapter's eight first lists and their pages
    // collide at once, and most answers are 429 with Retry-After: 1.
    let options = HttpOptions {
        max_inflight: Some(1),
        page_size_limit: Some(50),
        ..HttpOptions::default()
    };
    let started = Instant::now();
    let mut served = serve(300, options);
    let pods = first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(60),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(pods.len(), served.pods.len());
    let throttled = served
        .requests
        .render()
        .lines()
        .find_map(|l| {
            l.strip_prefix("throttled\t")
                .map(|n| n.parse::<u64>().unwrap())
        })
        .unwrap();
    eprintln!("{throttled} requests refused in {took:?}");
    assert!(throttled > 0, "the storm happened");
    // Retry-After honoured: each of the (at most a dozen) requests waiting at a time comes
    // back once a second, not at the retry layer's 5 ms first backoff.
    let bound = 12 * (took.as_secs() + 1);
    assert!(
        throttled <= bound,
        "{throttled} requests refused in {took:?} (bound {bound})"
    );
    // Live afterwards: a report beyond the first arrives, and none says unreachable.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let next = tokio::time::timeout_at(deadline, served.reports.recv())
        .await
        .expect("the source keeps reporting")
        .expect("the adapter runs");
    assert!(
        !matches!(next.report, Report::Unreachable(_)),
        "{:?}",
        next.report
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_names_itself_to_the_api_server() {
    let mut served = serve(20, HttpOptions::default());
    first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(10),
    )
    .await;
    let agents: Vec<String> = served
        .requests
        .requests()
        .into_iter()
        .filter(|(v, r, _, _)| v == "list" && r == "pods")
        .map(|r| r.2)
        .collect();
    assert_eq!(
        agents,
        [format!("opsdeck/{}", env!("CARGO_PKG_VERSION"))],
        "one user agent for the pods' list"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_pages_pods_are_shown_while_the_rest_are_listed() {
    // 1,000 pods in pages of 100, and the client held to 6 requests a second: a page at most
    // every 167 ms, so a first sight with one page's pods came before the second page.
    let options = HttpOptions {
        page_size_limit: Some(100),
        ..HttpOptions::default()
    };
    let cfg = KubernetesConfig {
        qps: Some(6.0),
        burst: Some(1),
        ..KubernetesConfig::default()
    };
    let mut served = serve_to(1000, options, cfg);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut resets = Vec::new();
    let mut progress = Vec::new();
    loop {
        let report = tokio::time::timeout_at(deadline, served.reports.recv())
            .await
            .expect("the list completes")
            .expect("the adapter runs");
        match report.report {
            Report::PodsReset(pods) => resets.push(pods.len()),
            Report::PodsListing(Some(p)) => progress.push(p),
            Report::PodsListing(None) => break,
            Report::Unreachable(why) => panic!("{why}"),
            _ => {}
        }
    }
    assert_eq!(resets.first(), Some(&100), "one page first: {resets:?}");
    // The 1000 workloads' pods and the 13 node pods.
    let all = 1000 + opsdeck::sim::NODE_PODS;
    assert_eq!(resets.last(), Some(&all), "then the whole list: {resets:?}");
    assert!(resets.windows(2).all(|w| w[0] <= w[1]), "{resets:?}");
    // The progress beside each part, against the server's estimate of the whole.
    // (The estimate's own small request may answer after the first page.)
    assert_eq!(
        progress.first().map(|p| p.listed),
        Some(100),
        "{progress:?}"
    );
    let last = progress.last().expect("progress");
    assert!(
        last.listed >= 900 && last.estimate == Some(all),
        "{progress:?}"
    );
    assert!(
        progress
            .iter()
            .all(|p| p.listed <= all && p.estimate.is_none_or(|e| e == all)),
        "{progress:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_watches_resume_from_their_last_version_without_listing_again() {
    // Every watch cut after a second, as a load balancer would: each resumes where it was
    // (a watch from its last resource version), and nothing is listed a second time.
    let options = HttpOptions {
        watch_timeout: Some(Duration::from_secs(1)),
        ..HttpOptions::default()
    };
    let mut served = serve(60, options);
    first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(10),
    )
    .await;
    let lists = |r: &RequestCounts| {
        r.requests()
            .iter()
            .filter(|(v, res, _, _)| v == "list" && !res.starts_with("pods.metrics"))
            .map(|x| x.3)
            .sum::<u64>()
    };
    let listed = lists(&served.requests);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while counted(&served.requests, "watch", "pods") < 4 {
        match tokio::time::timeout_at(deadline, served.reports.recv()).await {
            Ok(Some(r)) => match r.report {
                Report::Unreachable(why) | Report::Relisting(why) => panic!("{why}"),
                Report::PodsReset(_) => panic!("listed again"),
                _ => {}
            },
            Ok(None) => panic!("the adapter stopped"),
            Err(_) => panic!("the pod watch was not resumed three times"),
        }
    }
    assert_eq!(lists(&served.requests), listed, "a cut watch made a list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn velero_polls_go_through_one_connection() {
    use opsdeck::adapters::backups::{Backups, Verifications};
    use opsdeck::config::{BackupConfig, BackupKind};
    let mut served = serve(20, HttpOptions::default());
    // The watches' connections made first, out of the count.
    first_pods(
        &mut served.reports,
        served.pods.len(),
        Duration::from_secs(10),
    )
    .await;
    let set = BackupConfig {
        name: "cluster daily".into(),
        kind: BackupKind::Velero,
        path: None,
        pattern: "*".into(),
        command: None,
        rpo: Duration::from_secs(24 * 3600),
        retention: Duration::from_secs(14 * 86_400),
        take: None,
        restore_to: None,
        pg_restore: "pg_restore".into(),
        psql: "psql".into(),
        namespace: "velero".into(),
        schedule: Some("daily-cluster".into()),
        interval: None,
    };
    let cluster = KubernetesConfig {
        server_url: Some(format!("http://{}", served.addr)),
        ..KubernetesConfig::default()
    };
    let backups = Backups::new(
        vec![set],
        Vec::new(),
        Some(cluster),
        Verifications::open(None),
    );
    let before = served.requests.connections();
    for _ in 0..10 {
        let sets = backups.read_all().await;
        assert!(sets[0].problem.is_none(), "{:?}", sets[0].problem);
        assert!(!sets[0].items.is_empty());
    }
    assert_eq!(counted(&served.requests, "list", "backups.velero.io"), 10);
    let opened = served.requests.connections() - before;
    // As for the log reads: a metrics poll may hold the idle one; a client per poll made ten.
    assert!(opened <= 3, "{opened} connections for 10 polls");
}
