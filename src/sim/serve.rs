//! Starting the simulator as a server: the world in its feed task, served over HTTP (Kubernetes
//! and Alertmanager APIs) so the real adapters and `kubectl` read and change it. Used by
//! `opsdeck --demo`, `opsdeck sim` and the tests.

use std::net::SocketAddr;
use std::path::Path;

use tokio::sync::mpsc;

use super::executor::SimCommand;
use super::handle::WorldHandle;
use super::kubeapi::Policy;
use super::{CONTEXT, World};
use crate::config::DemoConfig;
use crate::domain::{SourceKind, SourceReport};

/// A running simulator.
pub struct Served {
    pub addr: SocketAddr,
    /// Actions for sources not served over HTTP (databases, backups).
    pub commands: mpsc::Sender<SimCommand>,
    /// What the clients asked of the server, counted (`GET /debug/requests`).
    pub requests: std::sync::Arc<super::http::RequestCounts>,
}

/// Serves `world` on `listen` and runs it; reports of the sources not served over HTTP go to
/// `tx`. If the address cannot be had, the world is handed back with the reason.
pub fn spawn(
    world: World,
    demo: DemoConfig,
    listen: SocketAddr,
    policy: Policy,
    journal: usize,
    tx: mpsc::Sender<SourceReport>,
) -> Result<Served, (Box<World>, std::io::Error)> {
    let options = super::http::HttpOptions::default();
    spawn_with(world, demo, listen, policy, journal, tx, options)
}

/// `spawn`, with the server's limits (`--max-inflight`, `--page-size-limit`).
pub fn spawn_with(
    mut world: World,
    demo: DemoConfig,
    listen: SocketAddr,
    policy: Policy,
    journal: usize,
    tx: mpsc::Sender<SourceReport>,
    options: super::http::HttpOptions,
) -> Result<Served, (Box<World>, std::io::Error)> {
    let (handle, calls) = WorldHandle::new();
    let (addr, requests) = match super::http::serve_with(handle, listen, options) {
        Ok(served) => served,
        Err(e) => return Err((Box::new(world), e)),
    };
    world.serve_kubernetes(policy, journal);
    let (commands_tx, commands) = mpsc::channel(16);
    let inputs = super::feed::FeedInputs {
        commands,
        calls,
        served: vec![SourceKind::Kubernetes, SourceKind::Alertmanager],
    };
    tokio::spawn(super::feed::run(world, demo, tx, inputs));
    Ok(Served {
        addr,
        commands: commands_tx,
        requests,
    })
}

/// A kubeconfig with one context, `demo`, pointing at the simulator.
pub fn kubeconfig(addr: SocketAddr) -> String {
    format!(
        "apiVersion: v1\n\
         kind: Config\n\
         clusters:\n\
         - name: opsdeck-sim\n  cluster:\n    server: http://{addr}\n\
         contexts:\n\
         - name: {CONTEXT}\n  context:\n    cluster: opsdeck-sim\n    user: {user}\n    namespace: default\n\
         current-context: {CONTEXT}\n\
         users:\n\
         - name: {user}\n  user: {{}}\n",
        user = super::kubeapi::policy::USER,
    )
}

/// Writes the kubeconfig atomically (a reader never sees half of it).
pub fn write_kubeconfig(path: &Path, addr: SocketAddr) -> std::io::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, kubeconfig(addr))?;
    std::fs::rename(&partial, path)
}

/// `opsdeck sim`: serves a generated world until interrupted.
pub async fn run_standalone(
    mut demo: DemoConfig,
    refresh: std::time::Duration,
    args: &crate::cli::SimArgs,
) -> color_eyre::Result<()> {
    if let Some(rate) = args.log_rate {
        demo.log_rate = rate;
    }
    let refresh_ticks = super::feed::refresh_ticks(refresh, demo.tick);
    let world = World::generate(&demo, refresh_ticks, crate::domain::UnixTime::now());
    let mut policy = Policy::demo();
    policy.denials.extend(args.deny.iter().cloned());
    let (tx, mut reports) = mpsc::channel(1024);
    let options = super::http::HttpOptions {
        max_inflight: args.max_inflight,
        page_size_limit: args.page_size_limit,
        ..Default::default()
    };
    let served = spawn_with(
        world,
        demo.clone(),
        args.listen,
        policy,
        args.journal,
        tx,
        options,
    )
    .map_err(|(_, e)| color_eyre::eyre::eyre!("cannot listen on {}: {e}", args.listen))?;
    if let Some(path) = &args.kubeconfig_out {
        write_kubeconfig(path, served.addr).map_err(|e| {
            color_eyre::eyre::eyre!("cannot write the kubeconfig {}: {e}", path.display())
        })?;
    }
    println!(
        "opsdeck sim: {} pods (seed {}) on http://{} — Kubernetes API and Alertmanager API v2{}",
        demo.pods,
        demo.seed,
        served.addr,
        args.kubeconfig_out
            .as_ref()
            .map(|p| format!("; kubeconfig {}", p.display()))
            .unwrap_or_default()
    );
    // The requests counted, on SIGUSR1 and on the way out (the format: sim/http/requests.rs).
    let mut usr1 = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1())?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let print = || print!("{}", served.requests.render());
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
            _ = usr1.recv() => print(),
            // Databases and backups are not served over HTTP: their reports are dropped.
            report = reports.recv() => if report.is_none() { break },
        }
    }
    print();
    Ok(())
}
