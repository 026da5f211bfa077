//! Connecting to the cluster: which kubeconfig and context, or the pod's service account.

use std::time::Duration;

use kube::Client;

use crate::config::KubernetesConfig;

/// The source's name when running inside a pod with no kubeconfig.
pub const IN_CLUSTER: &str = "in-cluster";

/// The kubeconfig the configuration names (or KUBECONFIG / ~/.kube/config), if it can be read.
pub(super) fn read_kubeconfig(cfg: &KubernetesConfig) -> Option<kube::config::Kubeconfig> {
    if let Some(text) = &cfg.kubeconfig_text {
        return kube::config::Kubeconfig::from_yaml(text).ok();
    }
    match &cfg.kubeconfig {
        Some(path) => kube::config::Kubeconfig::read_from(path).ok(),
        None => kube::config::Kubeconfig::read().ok(),
    }
}

/// The context the adapter will use, for the header and the source's name: the configured
/// one, else the kubeconfig's current context, else in-cluster.
pub fn context_name(cfg: &KubernetesConfig) -> String {
    if let Some(context) = &cfg.context {
        return context.clone();
    }
    read_kubeconfig(cfg)
        .and_then(|k| k.current_context)
        .unwrap_or_else(|| IN_CLUSTER.into())
}

/// Whether a cluster is there to use without being asked, as kubectl finds one: `KUBECONFIG`
/// set (whatever it names: a file that cannot be read is shown as the source's problem), else
/// `~/.kube/config`, else a pod's service account.
pub fn kubeconfig_present() -> bool {
    let in_cluster = std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
        && std::path::Path::new("/var/run/secrets/kubernetes.io/serviceaccount/token").exists();
    kubeconfig_file_present() || in_cluster
}

/// `KUBECONFIG` names a file, or `~/.kube/config` exists: then it is what is used (as kubectl
/// does), and what is wrong with it is the reason shown, not "no kubeconfig found".
fn kubeconfig_file_present() -> bool {
    let listed = std::env::var_os("KUBECONFIG")
        .is_some_and(|v| std::env::split_paths(&v).any(|p| !p.as_os_str().is_empty()));
    let home = directories::BaseDirs::new()
        .map(|d| d.home_dir().join(".kube").join("config"))
        .is_some_and(|p| p.exists());
    listed || home
}

/// A client for the configured cluster. Errors are for the operator: which file, which context.
pub async fn client(cfg: &KubernetesConfig) -> Result<Client, String> {
    limited(config(cfg).await?, cfg)
}

/// A client whose 429s and 503s come back to the caller instead of being retried inside
/// kube's client: a drain must see a disruption budget's 429 to say it is blocked.
pub async fn client_without_retries(cfg: &KubernetesConfig) -> Result<Client, String> {
    let mut config = config(cfg).await?;
    config.default_retry = false;
    limited(config, cfg)
}

async fn config(cfg: &KubernetesConfig) -> Result<kube::Config, String> {
    let options = kube::config::KubeConfigOptions {
        context: cfg.context.clone(),
        ..Default::default()
    };
    if let Some(url) = &cfg.server_url {
        let uri = url
            .parse()
            .map_err(|e| format!("bad API server URL {url}: {e}"))?;
        return Ok(kube::Config::new(uri));
    }
    let mut config = match &cfg.kubeconfig {
        _ if cfg.kubeconfig_text.is_some() => {
            let text = cfg.kubeconfig_text.as_deref().unwrap_or_default();
            let kubeconfig = kube::config::Kubeconfig::from_yaml(text)
                .map_err(|e| format!("the simulator's kubeconfig: {e}"))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| format!("the simulator's kubeconfig: {e}"))?
        }
        Some(path) => {
            let kubeconfig = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        None if cfg.context.is_some() || kubeconfig_file_present() => {
            kube::Config::from_kubeconfig(&options)
                .await
                .map_err(|e| format!("kubeconfig: {e}"))?
        }
        None => kube::Config::infer()
            .await
            .map_err(|e| format!("no kubeconfig found and not inside a cluster: {e}"))?,
    };
    config.connect_timeout = Some(Duration::from_secs(5));
    Ok(config)
}

/// The client, with opsdeck's User-Agent (so an API server's audit log and the simulator's
/// counters name it) and the rate limit of `[kubernetes] qps` and `burst` (`ratelimit.rs`).
fn limited(mut config: kube::Config, cfg: &KubernetesConfig) -> Result<Client, String> {
    config.headers.push((
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    ));
    let limit = super::ratelimit::RateLimitLayer::new(
        cfg.qps.unwrap_or(super::DEFAULT_QPS),
        cfg.burst.unwrap_or(super::DEFAULT_BURST),
    );
    kube::client::ClientBuilder::try_from(config)
        .map(|builder| builder.with_layer(&limit).build())
        .map_err(|e| format!("cannot make a client: {e}"))
}

/// What opsdeck calls itself to the API server.
pub const USER_AGENT: &str = concat!("opsdeck/", env!("CARGO_PKG_VERSION"));
