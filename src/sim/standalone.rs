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
    if !args.clusters.is_empty() {
        let options = super::clusters::ClusterOptions {
            listen: args.listen,
            policy,
            journal: args.journal,
            security,
            refresh_ticks,
        };
        return run_clusters(&demo, args, &options).await;
    }
    let world = World::generate(&demo, refresh_ticks, super::clock::now());
    let (tx, reports) = mpsc::channel(1024);
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
        skew(),
        args.kubeconfig_out
            .as_ref()
            .map(|p| format!("; kubeconfig {}", p.display()))
            .unwrap_or_default()
    );
    // The requests counted, on SIGUSR1 and on the way out (the format: sim/http/requests.rs).
    until_interrupted(|| print!("{}", served.requests.render()), Some(reports)).await
}

/// `opsdeck sim --clusters`: one world per name, each on its own port (`sim/clusters.rs`), one
/// kubeconfig with them all.
async fn run_clusters(
    demo: &DemoConfig,
    args: &crate::cli::SimArgs,
    options: &super::clusters::ClusterOptions,
) -> color_eyre::Result<()> {
    let clusters = super::clusters::spawn_clusters(&args.clusters, demo, options)
        .map_err(|e| color_eyre::eyre::eyre!("cannot serve the clusters: {e}"))?;
    if let Some(path) = &args.kubeconfig_out {
        super::serve::write_kubeconfig(path, &clusters.kubeconfig()).map_err(|e| {
            color_eyre::eyre::eyre!("cannot write the kubeconfig {}: {e}", path.display())
        })?;
    }
    let security = &options.security;
    for (i, cluster) in clusters.clusters.iter().enumerate() {
        println!(
            "opsdeck sim: cluster {}: {} pods (seed {}) on {}://{} (auth {:?}{}) — Kubernetes API{}",
            cluster.name,
            demo.pods,
            cluster.seed,
            if security.tls { "https" } else { "http" },
            cluster.addr,
            security.auth,
            skew(),
            if i == 0 {
                " and Alertmanager API v2"
            } else {
                ""
            },
        );
    }
    if let Some(path) = &args.kubeconfig_out {
        println!(
            "opsdeck sim: kubeconfig {}, contexts {} (current {})",
            path.display(),
            args.clusters.join(", "),
            args.clusters[0]
        );
    }
    // Each cluster's requests under its name: a `cluster NAME` line, then its records.
    let print = || {
        for cluster in &clusters.clusters {
            print!("cluster\t{}\n{}", cluster.name, cluster.requests.render());
        }
    };
    until_interrupted(print, None).await
}

/// `, clock +N s` when the simulator's clock is skewed.
fn skew() -> String {
    match super::clock::skew() {
        0 => String::new(),
        skew => format!(", clock {skew:+} s"),
    }
}

/// Serves until Ctrl-C or SIGTERM (or until the world's `reports` end), calling `print` on
/// SIGUSR1 and on the way out.
async fn until_interrupted(
    print: impl Fn(),
    mut reports: Option<mpsc::Receiver<crate::domain::SourceReport>>,
) -> color_eyre::Result<()> {
    let mut usr1 = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1())?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    loop {
        let report = async {
            match reports.as_mut() {
                Some(reports) => reports.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
            _ = usr1.recv() => print(),
            // Databases and backups are not served over HTTP: their reports are dropped.
            report = report => if report.is_none() { break },
        }
    }
    print();
    Ok(())
}
