//! Spawning what the config names: the simulated estate for `--demo`, every adapter, the war
//! room; the initial state with the sources registered; the runner that carries out actions.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;

use super::Startup;
use crate::actions::executor::{Executor, NoExecutor, Router};
use crate::adapters;
use crate::app::State;
use crate::app::runner::Runner;
use crate::app::runtime::Inputs;
use crate::config::{AlertmanagerConfig, KubernetesConfig};
use crate::domain::{Level, SourceId, SourceKind, UnixTime};
use crate::sim::executor::SimExecutor;
use crate::sim::handle::WorldHandle;
use crate::sim::{self, World};

/// Capacity of the channel from sources to the cockpit; a full channel slows the sources, never
/// the UI.
const REPORT_CHANNEL: usize = 8_192;
/// Capacity of the channel from running actions to the cockpit.
const INBOX_CHANNEL: usize = 256;

/// The initial state, with the sources registered so they show as connecting; what the loop
/// listens to; and the runner that carries out actions. Sources are spawned on the current tokio
/// runtime.
pub fn start(startup: &Startup, size: (u16, u16)) -> (State, Inputs, Runner) {
    let now = UnixTime::now();
    let mut state = State::new(startup.settings.clone(), now, size);
    state.estate.alert_memory.keep_secs = startup.config.alerts.keep_resolved.as_secs();
    for warning in &startup.warnings {
        state.notify(warning.clone(), Level::Warn, 15);
    }
    if let Some(text) = startup.audit.as_ref().and_then(interrupted_actions) {
        state.notify(text, Level::Warn, 30);
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
    let mut simulated = Vec::new();
    if let Some(demo) = &startup.demo {
        let refresh = sim::feed::refresh_ticks(startup.config.refresh, demo.tick);
        let world = World::generate(demo, refresh, now);
        simulated = world.sources();
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
        // Over HTTPS with a bearer token, as a real cluster is served.
        let security = sim::http::auth::Security::demo();
        let spawned = sim::serve::spawn_secured(
            world,
            demo.clone(),
            listen,
            policy,
            journal,
            tx.clone(),
            &security,
        );
        match spawned {
            Ok(served) => {
                default = Arc::new(SimExecutor::new(served.commands));
                alertmanagers.push(AlertmanagerConfig {
                    name: sim::CONTEXT.into(),
                    url: format!("https://{}", served.addr),
                    ca_pem: served.ca_pem.clone(),
                    ..AlertmanagerConfig::default()
                });
                let cluster = KubernetesConfig {
                    kubeconfig_text: served.kubeconfig.clone(),
                    events_max: startup
                        .config
                        .kubernetes
                        .as_ref()
                        .and_then(|k| k.events_max),
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
        let logs = &startup.config.logs;
        if let Some(query) = logs.errors_query.clone().filter(|_| logs.error_counts) {
            let interval = logs.error_interval;
            adapters::prometheus_errors::spawn(prometheus.url.clone(), query, interval, tx.clone());
        }
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
    let watched = match (&startup.fleet, kubernetes) {
        (fleet, _) if !fleet.is_empty() => fleet.clone(),
        (_, Some(one)) => vec![one],
        (_, None) => Vec::new(),
    };
    if let Some((k, _)) = watched.first() {
        state.estate.events.set_max(k.events_max());
    }
    for (_, name) in &watched {
        let source = SourceId::new(SourceKind::Kubernetes, name);
        state.estate.register_source(source, stale_after(refresh));
    }
    if !watched.is_empty() {
        cluster = Some(adapters::kube::Fleet::start(watched, refresh, tx.clone()));
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
            view: Default::default(),
        };
        state.room = Some(crate::app::room::RoomState::new(&cfg.room, &me.id));
        state.follow = startup.follow.clone().map(|operator| (operator, None));
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
        audit_table: startup
            .config
            .audit
            .postgres
            .as_deref()
            .map(|dsn| Arc::new(crate::actions::audit_table::AuditTable::new(dsn))),
        readonly: startup.settings.readonly,
        guardrails: startup.settings.guardrails.clone(),
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
            simulated,
        }),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    (state, Inputs { reports, inbox }, runner)
}

/// Actions of an earlier session whose intent is in the audit log with no outcome (opsdeck
/// was killed while they ran): said at start, in a sentence for the status bar.
fn interrupted_actions(audit: &crate::actions::audit::AuditLog) -> Option<String> {
    let (records, _) = audit.read().ok()?;
    let open = crate::actions::audit::without_outcome(&records);
    let last = open.last()?;
    for record in &open {
        tracing::warn!(id = %record.id, action = %record.action, target = %record.target, time = %record.time, "an earlier action has no outcome in the audit log");
    }
    // Short enough for 80 columns; the time and the rest are in `opsdeck audit` and the log.
    let what = format!("{} {}", last.action, last.target);
    Some(match open.len() {
        1 => format!("outcome unknown: {what} (see opsdeck audit)"),
        n => format!("outcome unknown of {n} actions, the last {what} (see opsdeck audit)"),
    })
}
