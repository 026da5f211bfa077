//! Several simulated clusters at once (`opsdeck sim --clusters prod-eu,staging`, and the tests
//! of a cockpit watching several contexts): one world per name, each generated from its own
//! seed and served by `serve::spawn_secured` on its own port, with one kubeconfig naming them
//! all.
//!
//! Each cluster runs on a tokio runtime of its own, on a thread of its own, so that stopping
//! one is a real outage: the runtime is shut down, which drops its listener (connections are
//! refused) and every connection task with its socket (open watches end), while the others
//! keep serving.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::World;
use super::executor::SimCommand;
use super::http::RequestCounts;
use super::http::auth::Security;
use super::kubeapi::Policy;
use super::serve::KubeEntry;
use crate::config::DemoConfig;

/// How the clusters are served: the same for each.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// The first cluster's address; the i-th listens on its port + i (port 0: each on a free
    /// port).
    pub listen: SocketAddr,
    pub policy: Policy,
    /// Changes kept for watches that resume (`--journal`).
    pub journal: usize,
    /// TLS, authentication and limits (`Security::open()` for plain HTTP open to anyone).
    pub security: Security,
    /// Ticks between the world's polled-source reports (`feed::refresh_ticks`).
    pub refresh_ticks: u64,
}

impl ClusterOptions {
    /// Plain HTTP on free loopback ports, open to anyone, the demo's RBAC: for in-process
    /// tests.
    pub fn open() -> ClusterOptions {
        ClusterOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            policy: Policy::demo(),
            journal: super::kubeapi::JOURNAL_DEFAULT,
            security: Security::open(),
            refresh_ticks: 2,
        }
    }
}

/// One simulated cluster being served, until `stop` or drop.
pub struct ServedCluster {
    /// Its name: its kubeconfig context and cluster.
    pub name: String,
    pub addr: SocketAddr,
    /// The seed its world was generated from.
    pub seed: u64,
    /// What its clients asked of it (`GET /debug/requests` on its port).
    pub requests: Arc<RequestCounts>,
    /// Actions for its sources not served over HTTP (databases, backups).
    pub commands: mpsc::Sender<SimCommand>,
    /// Its CA's certificate (PEM), when it serves HTTPS.
    pub ca_pem: Option<String>,
    entry: KubeEntry,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// What it was started with, for `restart`.
    demo: DemoConfig,
    start: Start,
}

impl ServedCluster {
    /// Stops this cluster: it no longer accepts connections and the open ones are closed. The
    /// others are not touched. Returns once it is down (it blocks the calling thread while
    /// the cluster's runtime shuts down, milliseconds; it may be called from async code).
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.thread.is_none()
    }

    /// Stops it if it runs, and starts it again on the same address from the same seed: a
    /// fresh world, as a restarted `opsdeck sim` is (its resource versions start again, so a
    /// client's watch must list anew). Its credentials are the same; over TLS its CA is too
    /// only when `security.kubeconfig` keeps it, else `Clusters::kubeconfig` must be written
    /// again.
    pub fn restart(&mut self) -> std::io::Result<()> {
        self.stop();
        let start = Start {
            listen: self.addr,
            ..self.start.clone()
        };
        *self = spawn_cluster(&self.name, self.demo.clone(), start)?;
        Ok(())
    }
}

impl Drop for ServedCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The clusters of one `spawn_clusters`.
pub struct Clusters {
    /// In the order they were named; the first also serves the Alertmanager API.
    pub clusters: Vec<ServedCluster>,
}

impl Clusters {
    /// A kubeconfig with a context, a cluster and a user for each (a stopped one too, as a
    /// real kubeconfig keeps a cluster that is down); the current context is the first.
    pub fn kubeconfig(&self) -> String {
        let entries: Vec<(&str, &KubeEntry)> = self
            .clusters
            .iter()
            .map(|c| (c.name.as_str(), &c.entry))
            .collect();
        super::serve::kubeconfig_of(&entries)
    }

    pub fn get(&self, name: &str) -> Option<&ServedCluster> {
        self.clusters.iter().find(|c| c.name == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut ServedCluster> {
        self.clusters.iter_mut().find(|c| c.name == name)
    }

    /// Where the estate's one Alertmanager API is: the first cluster's address (its world's
    /// alerts).
    pub fn alertmanager(&self) -> Option<SocketAddr> {
        self.clusters.first().map(|c| c.addr)
    }
}

/// Serves one world per name, the i-th generated from `demo.seed + i` (so their pods' names,
/// churn and troubles differ), each on its own port. The first serves the Alertmanager API
/// too, the others the Kubernetes API only. Fails if a port cannot be had (the clusters
/// already started are stopped).
pub fn spawn_clusters(
    names: &[String],
    demo: &DemoConfig,
    options: &ClusterOptions,
) -> std::io::Result<Clusters> {
    let named = |text: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, text);
    if names.is_empty() {
        return Err(named("no cluster named".into()));
    }
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(named(format!("cluster {name} is named twice")));
        }
    }
    let mut clusters = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let mut listen = options.listen;
        if listen.port() != 0 {
            let port = u16::try_from(usize::from(listen.port()) + i).map_err(|_| {
                std::io::Error::other(format!(
                    "cluster {name}: port {} + {i} is past 65535",
                    listen.port()
                ))
            })?;
            listen.set_port(port);
        }
        let mut security = options.security.clone();
        security.limits.without_alertmanager = i > 0;
        let demo = DemoConfig {
            seed: demo.seed.wrapping_add(i as u64),
            ..demo.clone()
        };
        let start = Start {
            listen,
            policy: options.policy.clone(),
            journal: options.journal,
            security,
            refresh_ticks: options.refresh_ticks,
        };
        let cluster = spawn_cluster(name, demo, start).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cluster {name} on {listen}: {e}"))
        })?;
        clusters.push(cluster);
    }
    Ok(Clusters { clusters })
}

/// What one cluster's thread needs to start serving.
#[derive(Clone)]
struct Start {
    listen: SocketAddr,
    policy: Policy,
    journal: usize,
    security: Security,
    refresh_ticks: u64,
}

type Ready = std::io::Result<super::serve::Served>;

fn spawn_cluster(name: &str, demo: DemoConfig, start: Start) -> std::io::Result<ServedCluster> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Ready>();
    let (stop_tx, stop_rx) = oneshot::channel();
    let seed = demo.seed;
    let kept = (demo.clone(), start.clone());
    let thread = std::thread::Builder::new()
        .name(format!("sim-{name}"))
        .spawn(move || serve_until_stopped(demo, start, ready_tx, stop_rx))?;
    let served = match ready_rx.recv() {
        Ok(ready) => ready?,
        Err(_) => return Err(std::io::Error::other("its thread ended before serving")),
    };
    Ok(ServedCluster {
        name: name.to_string(),
        addr: served.addr,
        seed,
        requests: served.requests,
        commands: served.commands,
        ca_pem: served.ca_pem,
        entry: served.entry.expect("spawn_secured describes its cluster"),
        stop: Some(stop_tx),
        thread: Some(thread),
        demo: kept.0,
        start: kept.1,
    })
}

/// The cluster's thread: its runtime serves the world until told to stop (or until its
/// `ServedCluster` is dropped), then is shut down with everything on it.
fn serve_until_stopped(
    demo: DemoConfig,
    start: Start,
    ready: std::sync::mpsc::Sender<Ready>,
    stop: oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let world = World::generate(&demo, start.refresh_ticks, super::clock::now());
        let (tx, mut reports) = mpsc::channel(1024);
        let spawned = super::serve::spawn_secured(
            world,
            demo,
            start.listen,
            start.policy,
            start.journal,
            tx,
            &start.security,
        );
        match spawned {
            Err((_, e)) => {
                let _ = ready.send(Err(e));
                return;
            }
            Ok(served) => {
                let _ = ready.send(Ok(served));
            }
        }
        let mut stop = stop;
        loop {
            tokio::select! {
                _ = &mut stop => break,
                // Databases and backups are not served over HTTP: their reports are dropped.
                report = reports.recv() => if report.is_none() { break },
            }
        }
    });
    // Not waiting for blocking tasks (a shell session's): the sockets close now.
    runtime.shutdown_background();
}
