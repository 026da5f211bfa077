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
    /// A kubeconfig for it, with the CA and the credentials (only from `spawn_secured`).
    pub kubeconfig: Option<String>,
    /// Its CA's certificate (PEM), when it serves HTTPS.
    pub ca_pem: Option<String>,
}

/// Serves `world` on `listen` over plain HTTP, open to anyone, and runs it; reports of the
/// sources not served over HTTP go to `tx`. If the address cannot be had, the world is handed
/// back with the reason.
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
    world: World,
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
    let listening = Listening {
        calls,
        addr,
        requests,
    };
    Ok(run_world(world, demo, policy, journal, tx, listening))
}

/// `spawn`, served as `security` says (HTTPS, authentication); the kubeconfig it returns
/// carries the CA and the credentials. With `security.kubeconfig`, the CA and the token secret
/// are kept beside it and used again by the next run (the same cluster to its clients), and
/// the exec plugin is written there.
pub fn spawn_secured(
    world: World,
    demo: DemoConfig,
    listen: SocketAddr,
    policy: Policy,
    journal: usize,
    tx: mpsc::Sender<SourceReport>,
    security: &super::http::auth::Security,
) -> Result<Served, (Box<World>, std::io::Error)> {
    match secured(&security.clone(), policy.clone(), listen) {
        Err(e) => Err((Box::new(world), e)),
        Ok((calls, addr, kubeconfig, ca_pem, requests)) => {
            let listening = Listening {
                calls,
                addr,
                requests,
            };
            let mut served = run_world(world, demo, policy, journal, tx, listening);
            served.kubeconfig = Some(kubeconfig);
            served.ca_pem = ca_pem;
            Ok(served)
        }
    }
}

type SecuredParts = (
    mpsc::Receiver<super::handle::WorldCall>,
    SocketAddr,
    String,
    Option<String>,
    std::sync::Arc<super::http::RequestCounts>,
);

fn secured(
    security: &super::http::auth::Security,
    policy: Policy,
    listen: SocketAddr,
) -> std::io::Result<SecuredParts> {
    use super::http::{auth, tls};
    let kept = security
        .identity_file()
        .as_deref()
        .and_then(tls::load_identity);
    let (authority, secret) = match &kept {
        Some(identity) => (tls::Authority::restore(identity), identity.secret.clone()),
        None => (tls::Authority::generate(), random_secret()),
    };
    let authority = authority.map_err(std::io::Error::other)?;
    if let (None, Some(path)) = (&kept, security.identity_file()) {
        let identity = tls::Identity {
            ca_cert: authority.cert_pem.clone(),
            ca_key: authority.key_pem(),
            secret: secret.clone(),
        };
        tls::save_identity(&path, &identity)?;
    }
    let gate = std::sync::Arc::new(auth::Gate {
        mode: security.auth,
        user: security.user.clone(),
        secret,
        policy,
    });
    let config = match security.tls {
        true => Some(
            authority
                .server_config(listen.ip(), security.auth == auth::AuthMode::Cert)
                .map_err(std::io::Error::other)?,
        ),
        false => None,
    };
    let user = match security.auth {
        // Anyone is let in; a name, so that kubectl does not ask for one over HTTPS.
        auth::AuthMode::None => "\n    username: anonymous".to_string(),
        auth::AuthMode::Token => format!("\n    token: {}", gate.token()),
        auth::AuthMode::Cert => {
            let (cert, key) = authority
                .client_cert(&security.user, "opsdeck-sim-operators")
                .map_err(std::io::Error::other)?;
            format!(
                "\n    client-certificate-data: {}\n    client-key-data: {}",
                b64(&cert),
                b64(&key)
            )
        }
        auth::AuthMode::Exec => {
            let Some(plugin) = security.plugin_file() else {
                return Err(std::io::Error::other(
                    "--auth exec needs --kubeconfig-out: the plugin is written beside it",
                ));
            };
            auth::write_plugin(&plugin, &gate.secret, security.token_ttl)?;
            format!(
                "\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never",
                plugin.display()
            )
        }
    };
    let (handle, calls) = WorldHandle::new();
    let (addr, requests) =
        super::http::serve_secured(handle, listen, Some(gate), config, security.limits)?;
    let (scheme, ca) = match security.tls {
        true => (
            "https",
            format!(
                "\n    certificate-authority-data: {}",
                b64(&authority.cert_pem)
            ),
        ),
        false => ("http", String::new()),
    };
    let kubeconfig = kubeconfig_text(&format!("{scheme}://{addr}{ca}"), &security.user, &user);
    let ca_pem = security.tls.then(|| authority.cert_pem.clone());
    Ok((calls, addr, kubeconfig, ca_pem, requests))
}

fn b64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// 32 random bytes, hex: the secret the simulator's tokens carry.
fn random_secret() -> String {
    (0..32)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

/// A server bound and answering: the world's calls from it, its address, its counters.
struct Listening {
    calls: mpsc::Receiver<super::handle::WorldCall>,
    addr: SocketAddr,
    requests: std::sync::Arc<super::http::RequestCounts>,
}

fn run_world(
    mut world: World,
    demo: DemoConfig,
    policy: Policy,
    journal: usize,
    tx: mpsc::Sender<SourceReport>,
    listening: Listening,
) -> Served {
    let Listening {
        calls,
        addr,
        requests,
    } = listening;
    world.serve_kubernetes(policy, journal);
    let (commands_tx, commands) = mpsc::channel(16);
    let inputs = super::feed::FeedInputs {
        commands,
        calls,
        served: vec![SourceKind::Kubernetes, SourceKind::Alertmanager],
    };
    tokio::spawn(super::feed::run(world, demo, tx, inputs));
    Served {
        addr,
        commands: commands_tx,
        requests,
        kubeconfig: None,
        ca_pem: None,
    }
}

/// A kubeconfig with one context, `demo`, pointing at the simulator over plain HTTP with no
/// credentials (the open simulator of `spawn`).
pub fn kubeconfig(addr: SocketAddr) -> String {
    kubeconfig_text(
        &format!("http://{addr}"),
        super::kubeapi::policy::USER,
        "{}",
    )
}

/// `server` is the URL with any further cluster lines; `credentials` the user's lines.
fn kubeconfig_text(server: &str, user: &str, credentials: &str) -> String {
    format!(
        "apiVersion: v1\n\
         kind: Config\n\
         clusters:\n\
         - name: opsdeck-sim\n  cluster:\n    server: {server}\n\
         contexts:\n\
         - name: {CONTEXT}\n  context:\n    cluster: opsdeck-sim\n    user: {user}\n    namespace: default\n\
         current-context: {CONTEXT}\n\
         users:\n\
         - name: {user}\n  user: {credentials}\n",
    )
}

/// Writes the kubeconfig atomically (a reader never sees half of it), readable by its owner
/// only: it may carry a token or a key.
pub fn write_kubeconfig(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)?;
    file.write_all(text.as_bytes())?;
    drop(file);
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
    let served = spawn_secured(
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
        write_kubeconfig(path, text).map_err(|e| {
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
