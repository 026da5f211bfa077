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
    /// The same, in parts, for a kubeconfig of several clusters (only from `spawn_secured`).
    pub entry: Option<KubeEntry>,
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
        Ok((calls, addr, entry, ca_pem, requests)) => {
            let listening = Listening {
                calls,
                addr,
                requests,
            };
            let mut served = run_world(world, demo, policy, journal, tx, listening);
            served.kubeconfig = Some(kubeconfig_text(&entry));
            served.entry = Some(entry);
            served.ca_pem = ca_pem;
            Ok(served)
        }
    }
}

type SecuredParts = (
    mpsc::Receiver<super::handle::WorldCall>,
    SocketAddr,
    KubeEntry,
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
    let entry = KubeEntry {
        server: format!("{scheme}://{addr}{ca}"),
        user: security.user.clone(),
        credentials: user,
    };
    let ca_pem = security.tls.then(|| authority.cert_pem.clone());
    Ok((calls, addr, entry, ca_pem, requests))
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
        entry: None,
        ca_pem: None,
    }
}

/// A kubeconfig with one context, `demo`, pointing at the simulator over plain HTTP with no
/// credentials (the open simulator of `spawn`).
pub fn kubeconfig(addr: SocketAddr) -> String {
    kubeconfig_text(&KubeEntry {
        server: format!("http://{addr}"),
        user: super::kubeapi::policy::USER.into(),
        credentials: "{}".into(),
    })
}

/// What a kubeconfig says of one simulated cluster: where it is and how to log in.
#[derive(Debug, Clone)]
pub struct KubeEntry {
    /// The URL, with any further cluster lines (the CA).
    pub server: String,
    /// The user the credentials name.
    pub user: String,
    /// The user's lines (`{}` when there are none).
    pub credentials: String,
}

/// The kubeconfig of one simulator: cluster `opsdeck-sim`, context `demo`.
fn kubeconfig_text(entry: &KubeEntry) -> String {
    let KubeEntry {
        server,
        user,
        credentials,
    } = entry;
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

/// A kubeconfig of several simulated clusters: for each `(name, entry)` a cluster and a
/// context called `name` and a user `USER@name`; the current context is the first.
pub fn kubeconfig_of(clusters: &[(&str, &KubeEntry)]) -> String {
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for (name, entry) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: {}\n",
            entry.server
        ));
    }
    text.push_str("contexts:\n");
    for (name, entry) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: {}@{name}\n    namespace: default\n",
            entry.user
        ));
    }
    if let Some((first, _)) = clusters.first() {
        text.push_str(&format!("current-context: {first}\n"));
    }
    text.push_str("users:\n");
    for (name, entry) in clusters {
        text.push_str(&format!(
            "- name: {}@{name}\n  user: {}\n",
            entry.user, entry.credentials
        ));
    }
    text
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
