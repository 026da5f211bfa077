//! `opsdeck sim`: the simulated estate served on its own until interrupted, for kubectl, tests
//! and cockpits on other terminals; it prints where, and the requests counted.

use tokio::sync::mpsc;

use super::World;
use super::kubeapi::Policy;
use crate::config::DemoConfig;

/// `opsdeck sim`: serves a generated world until interrupted.
pub async fn run_standalone(
    mut demo: DemoConfig,
    refresh: std::time::Duration,
    args: &crate::cli::SimArgs,
) -> color_eyre::Result<()> {
    if let Some(rate) = args.log_rate {
        demo.log_rate = rate;
    }
    if let Some(skew) = args.clock_skew {
        super::clock::set_skew(skew);
    }
    let refresh_ticks = super::feed::refresh_ticks(refresh, demo.tick);
    let world = World::generate(&demo, refresh_ticks, super::clock::now());
    let mut policy = Policy::demo();
    policy.denials.extend(args.deny.iter().cloned());
    policy.allowed.extend(args.allow.iter().cloned());
    let security = super::http::auth::Security {
        tls: !args.insecure_http,
        auth: args.auth,
        user: args.user.clone(),
        token_ttl: args.token_ttl,
        kubeconfig: args.kubeconfig_out.clone(),
        limits: super::http::HttpOptions {
            max_inflight: args.max_inflight,
            page_size_limit: args.page_size_limit,
            ..Default::default()
        },
    };
    let (tx, mut reports) = mpsc::channel(1024);
    let served = super::serve::spawn_secured(
        world,
        demo.clone(),
        args.listen,
        policy,
        args.journal,
        tx,
        &security,
    )
    .map_err(|(_, e)| color_eyre::eyre::eyre!("cannot serve on {}: {e}", args.listen))?;
    if let (Some(path), Some(text)) = (&args.kubeconfig_out, &served.kubeconfig) {
        super::serve::write_kubeconfig(path, text).map_err(|e| {
            color_eyre::eyre::eyre!("cannot write the kubeconfig {}: {e}", path.display())
        })?;
    }
    println!(
        "opsdeck sim: {} pods (seed {}) on {}://{} (auth {:?}{}) — Kubernetes API and Alertmanager API v2{}",
        demo.pods,
        demo.seed,
        if security.tls { "https" } else { "http" },
        served.addr,
        security.auth,
        match super::clock::skew() {
            0 => String::new(),
            skew => format!(", clock {skew:+} s"),
        },
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
