//! Pod usage (metrics.k8s.io) is asked for only while a panel shows it: the kube adapter
//! against the simulator's API, with a proxy in between that counts the metrics requests
//! crossing it (what an API server's access log would show).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use opsdeck::adapters::kube;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::node::MetricsDemand;
use opsdeck::domain::{Report, SourceReport, UnixTime};
use opsdeck::sim::{self, World};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

const METRICS_PATH: &[u8] = b"/apis/metrics.k8s.io/v1beta1/";

/// A frozen simulated cluster served on loopback.
fn serve_sim() -> SocketAddr {
    let demo = DemoConfig {
        pods: 60,
        freeze: true,
        ..DemoConfig::default()
    };
    let world = World::generate(&demo, 7, UnixTime::now());
    let (tx, mut rx) = mpsc::channel(1024);
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let policy = sim::kubeapi::Policy::default();
    sim::serve::spawn(
        world,
        demo,
        ([127, 0, 0, 1], 0).into(),
        policy,
        sim::kubeapi::JOURNAL_DEFAULT,
        tx,
    )
    .map_err(|(_, e)| e)
    .expect("serve the simulator")
    .addr
}

/// A TCP proxy to `upstream` that counts the metrics requests sent through it.
async fn counting_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(upstream).await.expect("the simulator");
            tokio::spawn(relay(client, server, counted.clone()));
        }
    });
    (addr, count)
}

async fn relay(client: TcpStream, server: TcpStream, count: Arc<AtomicUsize>) {
    let (mut from_client, mut to_server) = (client.into_split(), server.into_split());
    let upstream = async {
        // Requests are plain HTTP/1.1 here; a path split between two reads is found by
        // keeping the tail of the previous one.
        let mut seen: Vec<u8> = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match from_client.0.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            seen.extend_from_slice(&buf[..n]);
            let hits = seen
                .windows(METRICS_PATH.len())
                .filter(|w| *w == METRICS_PATH)
                .count();
            count.fetch_add(hits, Ordering::SeqCst);
            let keep = seen.len().min(METRICS_PATH.len() - 1);
            seen.drain(..seen.len() - keep);
            if to_server.1.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = to_server.1.shutdown().await;
    };
    let downstream = async {
        let _ = tokio::io::copy(&mut to_server.0, &mut from_client.1).await;
        let _ = from_client.1.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}

/// The next report `pick` takes, within `within`.
async fn next_where<T>(
    rx: &mut mpsc::Receiver<SourceReport>,
    within: Duration,
    pick: impl Fn(&Report) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the report in time")
            .expect("the adapter is running")
            .report;
        if let Some(found) = pick(&report) {
            return found;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_is_polled_only_while_wanted_and_not_again_within_the_interval() {
    let (proxy, metrics_requests) = counting_proxy(serve_sim()).await;
    let cluster = KubernetesConfig {
        server_url: Some(format!("http://{proxy}")),
        ..KubernetesConfig::default()
    };
    let pods_panel = MetricsDemand {
        pods: true,
        nodes: false,
    };
    let nodes_panel = MetricsDemand {
        pods: false,
        nodes: true,
    };
    let (want, wanted) = watch::channel(MetricsDemand::default());
    let (tx, mut rx) = mpsc::channel(10_000);
    let _executor =
        kube::spawn_with_demand(cluster, "demo".into(), Duration::from_secs(1), tx, wanted);

    // On the Overview: the first sight of the cluster comes without asking for usage.
    let pods = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::PodsReset(p) => Some(p.clone()),
        _ => None,
    })
    .await;
    assert_eq!(pods.len(), 60 + opsdeck::sim::NODE_PODS);
    for _ in 0..2 {
        next_where(&mut rx, Duration::from_secs(5), |r| {
            matches!(r, Report::Alive).then_some(())
        })
        .await;
    }
    assert_eq!(
        metrics_requests.load(Ordering::SeqCst),
        0,
        "no metrics request while no panel shows usage"
    );
    assert!(pods.iter().all(|p| p.cpu_millis.is_none()));

    // The Pods panel opens: usage is read at once.
    want.send(pods_panel).expect("the adapter listens");
    let usage = next_where(&mut rx, Duration::from_secs(5), |r| match r {
        Report::PodUsage(rows) => Some(rows.len()),
        _ => None,
    })
    .await;
    assert!(usage > 50, "usage of the running pods: {usage}");
    assert_eq!(metrics_requests.load(Ordering::SeqCst), 1);

    // Closed and opened again within the interval (15 s): the usage read is fresh enough.
    want.send(MetricsDemand::default())
        .expect("the adapter listens");
    want.send(pods_panel).expect("the adapter listens");
    for _ in 0..2 {
        next_where(&mut rx, Duration::from_secs(5), |r| match r {
            Report::PodUsage(_) => panic!("usage polled again within the interval"),
            Report::Alive => Some(()),
            _ => None,
        })
        .await;
    }
    assert_eq!(metrics_requests.load(Ordering::SeqCst), 1);

    // The Nodes panel opens within the interval: the nodes' usage, which the last poll did
    // not read, is read at once, and only it (one request more, no pod usage).
    want.send(nodes_panel).expect("the adapter listens");
    let nodes = next_where(&mut rx, Duration::from_secs(5), |r| match r {
        Report::NodeUsage(rows) => Some(rows.len()),
        Report::PodUsage(_) => panic!("pod usage read for the Nodes panel"),
        _ => None,
    })
    .await;
    assert_eq!(nodes, 12, "every node's usage");
    assert_eq!(metrics_requests.load(Ordering::SeqCst), 2);
}
