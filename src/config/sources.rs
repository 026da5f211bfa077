//! The config file's sections for the real sources, one per adapter: `[[postgres]]`,
//! `[[redis]]`, `[[services]]` (HTTP health checks), `[[alertmanager]]`, `[prometheus]` and
//! `[kubernetes]`.

use std::time::Duration;

use serde::Deserialize;

use super::duration::{at_least, optional_at_least, optional_within};

/// The cluster: a kubeconfig (KUBECONFIG, else ~/.kube/config) or, inside a pod, the service
/// account. `--context` on the command line wins over `context` here.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KubernetesConfig {
    /// `false` turns the cluster off even when a kubeconfig exists; default: on when a
    /// kubeconfig (KUBECONFIG, ~/.kube/config) or a pod's service account is there.
    pub enabled: Option<bool>,
    /// A kubeconfig file other than KUBECONFIG / ~/.kube/config.
    pub kubeconfig: Option<std::path::PathBuf>,
    /// The context to use; default: the kubeconfig's current context.
    pub context: Option<String>,
    /// Several contexts watched at once, each its own cluster (`["prod-eu", "staging"]`);
    /// instead of `context`. Empty: one cluster, `context`.
    pub contexts: Vec<String>,
    /// Namespaces to watch; default (empty): all.
    pub namespaces: Vec<String>,
    /// How often pod usage is asked of metrics.k8s.io while the Pods panel shows it, 15 s to
    /// 1 min (the metrics pipeline refreshes no faster); default 15 s.
    #[serde(default, deserialize_with = "optional_within::<_, 15_000, 60_000>")]
    pub metrics_interval: Option<Duration>,
    /// How many of the cluster's events the cockpit keeps (the newest); default 1000.
    pub events_max: Option<usize>,
    /// An API server to talk to directly, without credentials (the demo's simulator); not
    /// settable in the file.
    #[serde(skip)]
    pub server_url: Option<String>,
    /// Requests a second to the API server, after `burst` at once; default 50 and 100
    /// (client-go's controller figures; why: adapters/kube/ratelimit.rs).
    pub qps: Option<f64>,
    pub burst: Option<u32>,
    /// A kubeconfig's text, used instead of any file (the demo's simulator, over HTTPS with a
    /// token); not settable in the file.
    #[serde(skip)]
    pub kubeconfig_text: Option<String>,
    /// `[[kubernetes.context_styles]]`: labels and colours that name contexts (`PROD`).
    pub context_styles: Vec<super::ContextStyle>,
    /// `s`: the shells tried in order, the first the container has; default `["bash", "sh"]`.
    #[serde(deserialize_with = "super::exec::shells")]
    pub shell: Option<Vec<String>>,
    /// Namespaces (globs) where `s` and `x` are high risk: the target's name typed to confirm;
    /// default none.
    pub exec_high_risk_namespaces: Vec<super::exec::NamespaceGlob>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusConfig {
    pub url: String,
    /// `[[prometheus.kpis]]`: one per service.
    #[serde(default)]
    pub kpis: Vec<KpiConfig>,
    /// How far back the p95 sparkline in the details pane reaches (60 points).
    #[serde(
        default = "default_history",
        deserialize_with = "at_least::<_, 60_000>"
    )]
    pub history: Duration,
}

impl KubernetesConfig {
    pub fn events_max(&self) -> usize {
        self.events_max
            .unwrap_or(crate::domain::events::EVENTS_MAX_DEFAULT)
            .max(1)
    }
}

fn default_history() -> Duration {
    Duration::from_secs(3600)
}

/// A service's KPI queries (PromQL, each giving one number) and their thresholds; the defaults
/// are the reference runbooks' (p95 over 1 s warn, over 2 s crit; errors over 1 % warn, 5 % crit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiConfig {
    /// The workload: `namespace/name` or `name`.
    pub service: String,
    /// p95 latency in milliseconds.
    pub p95_ms: Option<String>,
    /// Failing requests as a fraction (0.05 is 5 %).
    pub error_rate: Option<String>,
    pub requests_per_s: Option<String>,
    #[serde(default = "default_p95_warn")]
    pub p95_warn_ms: f64,
    #[serde(default = "default_p95_crit")]
    pub p95_crit_ms: f64,
    #[serde(default = "default_error_warn")]
    pub error_warn: f64,
    #[serde(default = "default_error_crit")]
    pub error_crit: f64,
}

fn default_p95_warn() -> f64 {
    1000.0
}
fn default_p95_crit() -> f64 {
    2000.0
}
fn default_error_warn() -> f64 {
    0.01
}
fn default_error_crit() -> f64 {
    0.05
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerConfig {
    pub name: String,
    /// e.g. `http://alertmanager.monitoring:9093`
    pub url: String,
    /// Basic auth user; the password comes from `password_env`.
    pub username: Option<String>,
    pub password_env: Option<String>,
    /// An environment variable holding a bearer token.
    pub bearer_token_env: Option<String>,
    /// A CA certificate (PEM) to trust besides the system's: the demo simulator's; not
    /// settable in the file.
    #[serde(skip)]
    pub ca_pem: Option<String>,
}

/// An HTTP health check, like the runbooks' `curl -f .../health` loop.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCheckConfig {
    /// The workload it belongs to: `name` or `namespace/name`.
    pub name: String,
    pub url: String,
    /// The status expected; default: any 2xx.
    pub expect_status: Option<u16>,
    /// A substring the body must contain.
    pub expect_body: Option<String>,
    #[serde(
        default = "default_check_timeout",
        deserialize_with = "at_least::<_, 10>"
    )]
    pub timeout: Duration,
    /// How often; default: the global `refresh`.
    #[serde(default, deserialize_with = "optional_at_least::<_, 100>")]
    pub interval: Option<Duration>,
}

fn default_check_timeout() -> Duration {
    Duration::from_secs(5)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresConfig {
    pub name: String,
    /// libpq-style `key=value` or a `postgresql://` URL. The password comes from here,
    /// PGPASSWORD or ~/.pgpass, and is never shown.
    pub dsn: String,
    /// Applied to opsdeck's own queries.
    #[serde(
        default = "default_statement_timeout",
        deserialize_with = "at_least::<_, 100>"
    )]
    pub statement_timeout: Duration,
}

fn default_statement_timeout() -> Duration {
    Duration::from_secs(5)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisConfig {
    pub name: String,
    /// `redis://[:password@]host:port[/db]`
    pub url: String,
    /// An environment variable holding the password, when it is not in the URL.
    pub password_env: Option<String>,
}
