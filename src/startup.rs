//! From command line and config file to a ready state and running sources. Shared by the
//! cockpit and `opsdeck snapshot`, so both see the same estate.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::actions::audit::AuditLog;
use crate::actions::executor::{Executor, NoExecutor, Router};
use crate::adapters;
use crate::app::checklist::ChecklistSettings;
use crate::app::runner::Runner;
use crate::app::runtime::Inputs;
use crate::app::{Settings, State};
use crate::cli::CommonArgs;
use crate::config::{
    AlertmanagerConfig, ColorDepth, Config, ConfigError, DemoConfig, Keymap, KubernetesConfig,
    Theme, paths,
};
use crate::domain::runbook::RunbookFile;
use crate::domain::{Level, SourceId, SourceKind, UnixTime};
use crate::sim::executor::SimExecutor;
use crate::sim::handle::WorldHandle;
use crate::sim::{self, World};

/// Capacity of the channel from sources to the cockpit; a full channel slows the sources, never
/// the UI.
const REPORT_CHANNEL: usize = 8_192;
/// Capacity of the channel from running actions to the cockpit.
const INBOX_CHANNEL: usize = 256;

pub struct Startup {
    pub config: Config,
    /// Where actions are recorded; `None` only when no state directory can be found.
    pub audit: Option<AuditLog>,
    pub settings: Arc<Settings>,
    /// Problems in the user's theme or keymap files that did not stop the start.
    pub warnings: Vec<String>,
    pub demo: Option<DemoConfig>,
    /// The cluster to watch, and the context name it goes by.
    pub kubernetes: Option<(KubernetesConfig, String)>,
}

const NO_SOURCES_HINT: &str = "No sources are configured yet.\n\n\
    Run `opsdeck --demo` to see the cockpit on a simulated estate, or add sources to\n\
    ~/.config/opsdeck/config.toml (see the README).";

/// Reads the config and the look; any error here is the operator's to fix (exit code 2).
pub fn prepare(args: &CommonArgs) -> Result<Startup, ConfigError> {
    let (config, config_path) = Config::load(args.config.as_deref())?;
    let depth = args
        .color
        .or(config.ui.color)
        .unwrap_or_else(|| ColorDepth::detect(|k| std::env::var(k).ok()));
    let user_dir = paths::config_dir();
    let theme_name = args.theme.clone().unwrap_or_else(|| config.theme.clone());
    let theme = Theme::load(
        &theme_name,
        user_dir.as_ref().map(|d| d.join("themes")).as_deref(),
        depth,
    )?;
    let keymap_name = args.keymap.clone().unwrap_or_else(|| config.keymap.clone());
    let (keymap, mut warnings) = Keymap::load(
        &keymap_name,
        user_dir.as_ref().map(|d| d.join("keymaps")).as_deref(),
    )?;
    let demo = args.demo.then(|| demo_config(&config, args));
    let base = config_path.as_deref().and_then(std::path::Path::parent);
    let (mut runbooks, runbook_warnings) = crate::config::runbooks::load(&config.runbooks, base);
    warnings.extend(runbook_warnings);
    if demo.is_some() {
        let (path, text) = crate::config::runbooks::DEMO_RUNBOOK;
        runbooks.push(RunbookFile {
            path: path.into(),
            text: text.into(),
        });
    }
    let checklists = checklist_settings(&config, base);
    warnings.extend(
        checklists
            .catalog
            .problems
            .iter()
            .map(|p| format!("checklist skipped: {p}")),
    );
    let kubernetes = match demo {
        Some(_) => None,
        None => kubernetes_config(&config, args).map(|k| {
            let name = adapters::kube::context_name(&k);
            (k, name)
        }),
    };
    let namespaces = match &kubernetes {
        Some((k, _)) if !k.namespaces.is_empty() => k.namespaces.join(","),
        _ => "all".into(),
    };
    let settings = Settings {
        keymap,
        theme,
        ascii: args.ascii || config.ui.ascii,
        readonly: args.readonly,
        context: match (&demo, &kubernetes) {
            (Some(_), _) => sim::CONTEXT.into(),
            (None, Some((_, name))) => name.clone(),
            (None, None) => "-".into(),
        },
        namespaces,
        contexts: match (&demo, &kubernetes) {
            (Some(_), _) => vec![sim::CONTEXT.to_string()],
            (None, Some((k, _))) => adapters::kube::switch::contexts(k),
            (None, None) => Vec::new(),
        },
        state_dir: paths::state_dir(),
        operator: args
            .operator
            .clone()
            .or_else(|| config.operator.clone())
            .unwrap_or_else(default_operator),
        empty_hint: Some(NO_SOURCES_HINT.into()),
        runbooks,
        logs: config.logs.clone(),
        checklists,
    };
    let audit = args
        .audit_file
        .clone()
        .or_else(|| config.audit.file.clone())
        .or_else(paths::default_audit_file)
        .map(AuditLog::new);
    Ok(Startup {
        config,
        audit,
        settings: Arc::new(settings),
        warnings,
        demo,
        kubernetes,
    })
}

/// The checklists: shipped, and the team's from `[checklists] dir` (default: `checklists/`
/// beside the config file, else in the config directory); relative paths from the config's
/// directory.
fn checklist_settings(config: &Config, base: Option<&std::path::Path>) -> ChecklistSettings {
    let resolve = |p: &std::path::PathBuf| match base {
        Some(base) if p.is_relative() => base.join(p),
        _ => p.clone(),
    };
    let dir = match &config.checklists.dir {
        Some(dir) => Some(resolve(dir)),
        None => base
            .map(std::path::Path::to_path_buf)
            .or_else(paths::config_dir)
            .map(|d| d.join("checklists")),
    };
    ChecklistSettings {
        catalog: crate::checklist::Catalog::load(dir.as_deref()),
        reports: config.checklists.reports.as_ref().map(resolve),
    }
}

/// The `[kubernetes]` section with the command line's overrides; `None` when neither asks for
/// a cluster.
fn kubernetes_config(config: &Config, args: &CommonArgs) -> Option<KubernetesConfig> {
    let asked = config.kubernetes.is_some()
        || args.context.is_some()
        || args.kubeconfig.is_some()
        || !args.namespace.is_empty();
    if !asked {
        return None;
    }
    let mut k = config.kubernetes.clone().unwrap_or_default();
    if let Some(context) = &args.context {
        k.context = Some(context.clone());
    }
    if let Some(path) = &args.kubeconfig {
        k.kubeconfig = Some(path.clone());
    }
    if !args.namespace.is_empty() {
        k.namespaces = args.namespace.clone();
    }
    Some(k)
}

/// The simulated estate's settings: the config's `[demo]` with the command line's overrides.
pub fn demo_config(config: &Config, args: &CommonArgs) -> DemoConfig {
    let mut demo = config.demo.clone();
    if let Some(seed) = args.seed {
        demo.seed = seed;
    }
    if let Some(pods) = args.pods {
        demo.pods = pods as usize;
    }
    if let Some(churn) = args.churn {
        demo.churn = churn;
    }
    demo.freeze |= args.freeze;
    demo
}

/// `user@host`, for the audit trail: the login name from the environment, else the name of
/// this process's uid in /etc/passwd.
fn default_operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(user_from_passwd)
        .unwrap_or_else(|| "unknown".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!("{user}@{host}")
}

fn user_from_passwd() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}

/// The initial state, with the sources registered so they show as connecting; what the loop
/// listens to; and the runner that carries out actions. Sources are spawned on the current tokio
/// runtime.
pub fn start(startup: &Startup, size: (u16, u16)) -> (State, Inputs, Runner) {
    let now = UnixTime::now();
    let mut state = State::new(startup.settings.clone(), now, size);
    for warning in &startup.warnings {
        state.notify(warning.clone(), Level::Warn, 15);
    }
    let settings = &startup.settings;
    state
        .checklist
        .load_last_runs(&settings.checklists.catalog, settings.state_dir.as_deref());
    let (tx, reports) = mpsc::channel(REPORT_CHANNEL);
    let (inbox_tx, inbox) = mpsc::channel(INBOX_CHANNEL);
    let mut default: Arc<dyn Executor> = Arc::new(NoExecutor);
    let stale_after = |interval: std::time::Duration| (interval.as_secs() * 3).max(5);
    let mut alertmanagers = startup.config.alertmanager.clone();
    let mut kubernetes = startup.kubernetes.clone();
    if let Some(demo) = &startup.demo {
        let refresh = sim::feed::refresh_ticks(startup.config.refresh, demo.tick);
        let world = World::generate(demo, refresh, now);
        for source in world.sources() {
            state
                .estate
                .register_source(source, stale_after(startup.config.refresh.max(demo.tick)));
        }
        // The demo's cluster and alerts come through the real kube and Alertmanager adapters,
        // from the simulator's APIs; if no port can be had, the world reports them directly.
        let listen = ([127, 0, 0, 1], 0).into();
        let journal = sim::kubeapi::JOURNAL_DEFAULT;
        let policy = sim::kubeapi::Policy::demo();
        match sim::serve::spawn(world, demo.clone(), listen, policy, journal, tx.clone()) {
            Ok(served) => {
                default = Arc::new(SimExecutor::new(served.commands));
                alertmanagers.push(AlertmanagerConfig {
                    name: sim::CONTEXT.into(),
                    url: format!("http://{}", served.addr),
                    ..AlertmanagerConfig::default()
                });
                let cluster = KubernetesConfig {
                    server_url: Some(format!("http://{}", served.addr)),
                    ..KubernetesConfig::default()
                };
                kubernetes = Some((cluster, sim::CONTEXT.into()));
            }
            Err((world, e)) => {
                state.notify(
                    format!("simulator API not served ({e}); the demo runs in-process"),
                    Level::Warn,
                    15,
                );
                let (commands_tx, commands) = mpsc::channel(16);
                default = Arc::new(SimExecutor::new(commands_tx));
                let (_handle, calls) = WorldHandle::new();
                let inputs = sim::feed::FeedInputs {
                    commands,
                    calls,
                    served: Vec::new(),
                };
                tokio::spawn(sim::feed::run(*world, demo.clone(), tx.clone(), inputs));
            }
        }
    }
    let refresh = startup.config.refresh;
    let mut postgres: HashMap<String, Arc<dyn Executor>> = HashMap::new();
    for pg in &startup.config.postgres {
        state.estate.register_source(
            SourceId::new(SourceKind::Postgres, &pg.name),
            stale_after(refresh),
        );
        let executor = adapters::postgres::spawn(pg.clone(), refresh, tx.clone());
        postgres.insert(pg.name.clone(), Arc::new(executor));
    }
    for redis in &startup.config.redis {
        state.estate.register_source(
            SourceId::new(SourceKind::Redis, &redis.name),
            stale_after(refresh),
        );
        adapters::redis::spawn(redis.clone(), refresh, tx.clone());
    }
    if !startup.config.services.is_empty() {
        let interval = startup
            .config
            .services
            .iter()
            .filter_map(|s| s.interval)
            .max()
            .unwrap_or(refresh)
            .max(refresh);
        let source = SourceId::new(SourceKind::Health, adapters::health::SOURCE_NAME);
        state.estate.register_source(source, stale_after(interval));
        adapters::health::spawn(startup.config.services.clone(), refresh, tx.clone());
    }
    if let Some(prometheus) = &startup.config.prometheus {
        let source = SourceId::new(SourceKind::Prometheus, adapters::prometheus::SOURCE_NAME);
        state.estate.register_source(source, stale_after(refresh));
        adapters::prometheus::spawn(prometheus.clone(), refresh, tx.clone());
    }
    let mut alertmanager: HashMap<String, Arc<dyn Executor>> = HashMap::new();
    for am in &alertmanagers {
        state.estate.register_source(
            SourceId::new(SourceKind::Alertmanager, &am.name),
            stale_after(refresh),
        );
        let operator = startup.settings.operator.clone();
        let executor = adapters::alertmanager::spawn(am.clone(), refresh, operator, tx.clone());
        alertmanager.insert(am.name.clone(), Arc::new(executor));
    }
    let mut cluster = None;
    if let Some((k, name)) = kubernetes {
        let source = SourceId::new(SourceKind::Kubernetes, &name);
        state.estate.register_source(source, stale_after(refresh));
        cluster = Some(adapters::kube::Cluster::start(k, name, refresh, tx.clone()));
    }
    let mut backups: Option<Arc<dyn Executor>> = None;
    if !startup.config.backups.is_empty() {
        let source = SourceId::new(SourceKind::Backups, adapters::backups::SOURCE_NAME);
        let interval = startup
            .config
            .backups
            .iter()
            .filter_map(|b| b.interval)
            .min()
            .unwrap_or(refresh)
            .max(std::time::Duration::from_secs(10));
        state.estate.register_source(source, stale_after(interval));
        let store = startup
            .settings
            .state_dir
            .as_ref()
            .map(|d| d.join("backups").join("verifications.json"));
        let shared = adapters::backups::Backups::new(
            startup.config.backups.clone(),
            startup.config.postgres.clone(),
            startup.kubernetes.as_ref().map(|(k, _)| k.clone()),
            adapters::backups::Verifications::open(store),
        );
        adapters::backups::spawn(shared.clone(), interval, tx.clone());
        backups = Some(Arc::new(adapters::backups::BackupExecutor {
            backups: shared,
        }));
    }
    let room = startup.config.warroom.clone().map(|cfg| {
        let settings = &startup.settings;
        let me = crate::warroom::Member {
            id: format!(
                "{}#{}-{:04x}",
                settings.operator,
                std::process::id(),
                fastrand::u16(..)
            ),
            operator: settings.operator.clone(),
            host: std::fs::read_to_string("/etc/hostname")
                .map(|h| h.trim().to_string())
                .unwrap_or_else(|_| "localhost".into()),
            panel: state.panel.title().into(),
            readonly: settings.readonly,
            joined: now.0,
        };
        state.room = Some(crate::app::room::RoomState::new(&cfg.room, &me.id));
        crate::warroom::task::spawn(cfg, me, inbox_tx.clone())
    });
    let executor: Arc<dyn Executor> = Arc::new(Router {
        postgres,
        alertmanager,
        kubernetes: cluster.clone().map(|c| c as Arc<dyn Executor>),
        backups,
        default,
    });
    let runner = Runner {
        executor,
        audit: startup.audit.clone(),
        readonly: startup.settings.readonly,
        timeout: startup.config.actions.timeout,
        inbox: inbox_tx,
        cluster: cluster
            .clone()
            .map(|c| c as Arc<dyn crate::actions::executor::ContextSwitch>),
        logs: cluster.map(|c| c as Arc<dyn crate::actions::executor::LogStreams>),
        room,
        prober: Arc::new(crate::checklist::Prober {
            postgres: startup.config.postgres.clone(),
            prometheus: startup.config.prometheus.clone(),
        }),
        log_tasks: Default::default(),
    };
    (state, Inputs { reports, inbox }, runner)
}
