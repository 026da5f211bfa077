//! The cluster the cockpit is looking at, switchable between the kubeconfig's contexts: the
//! watching task of the current context, and an executor that always acts on it.

use crate::domain::node::MetricsDemand;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{KubeExecutor, Reporter};
use crate::actions::Action;
use crate::actions::executor::{ActionError, ContextSwitch, Executor, LogStreams, Permission};
use crate::config::KubernetesConfig;
use crate::domain::{SourceId, SourceKind, SourceReport};

pub struct Cluster {
    base: KubernetesConfig,
    refresh: Duration,
    tx: mpsc::Sender<SourceReport>,
    task: Mutex<Option<JoinHandle<()>>>,
    executor: RwLock<Arc<KubeExecutor>>,
    /// One client per context, for the watches, the actions and the log reads alike.
    clients: super::Clients,
    /// The context switched to, once one has been.
    context: RwLock<Option<String>>,
    /// Whether a panel that shows pod usage is open (every context's watch reads it).
    metrics_wanted: tokio::sync::watch::Sender<MetricsDemand>,
}

impl Cluster {
    /// Starts watching the configured context, reporting as source `name`.
    pub fn start(
        base: KubernetesConfig,
        name: String,
        refresh: Duration,
        tx: mpsc::Sender<SourceReport>,
    ) -> Arc<Cluster> {
        let clients = super::Clients::default();
        let cluster = Arc::new(Cluster {
            executor: RwLock::new(Arc::new(KubeExecutor::shared(
                base.clone(),
                clients.clone(),
            ))),
            clients,
            base,
            refresh,
            tx,
            task: Mutex::new(None),
            context: RwLock::new(None),
            // The cockpit opens on the Overview, which shows no usage.
            metrics_wanted: tokio::sync::watch::channel(MetricsDemand::default()).0,
        });
        cluster.watch(cluster.base.clone(), name);
        cluster
    }

    fn watch(&self, cfg: KubernetesConfig, name: String) {
        let reporter = Reporter::new(SourceId::new(SourceKind::Kubernetes, name), self.tx.clone());
        let refresh = self.refresh;
        let task_reporter = reporter.clone();
        let wanted = self.metrics_wanted.subscribe();
        let clients = self.clients.clone();
        // Aborting the supervisor (on a context switch) stops the watching task too.
        let task = crate::adapters::supervise::supervise(
            reporter,
            move || {
                super::run(
                    cfg.clone(),
                    refresh,
                    task_reporter.clone(),
                    wanted.clone(),
                    clients.clone(),
                )
            },
            crate::adapters::supervise::unreachable,
        );
        if let Some(old) = self.task.lock().expect("not poisoned").replace(task) {
            // Its watches close with it; reports it already queued are dropped by the cockpit,
            // which only takes the current context's.
            old.abort();
        }
    }

    /// Looks at `context` from now on: a new watching task and a new client for actions.
    pub fn switch(&self, context: &str) {
        let cfg = KubernetesConfig {
            context: Some(context.to_string()),
            ..self.base.clone()
        };
        *self.executor.write().expect("not poisoned") =
            Arc::new(KubeExecutor::shared(cfg.clone(), self.clients.clone()));
        *self.context.write().expect("not poisoned") = Some(context.to_string());
        self.watch(cfg, context.to_string());
    }

    /// The configuration of the context being watched.
    fn config(&self) -> KubernetesConfig {
        match self.context.read().expect("not poisoned").clone() {
            Some(context) => KubernetesConfig {
                context: Some(context),
                ..self.base.clone()
            },
            None => self.base.clone(),
        }
    }

    fn current(&self) -> Arc<KubeExecutor> {
        self.executor.read().expect("not poisoned").clone()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(task) = self.task.lock().ok().and_then(|mut t| t.take()) {
            task.abort();
        }
    }
}

impl Executor for Cluster {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        let executor = self.current();
        Box::pin(async move { executor.permitted(action).await })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        let executor = self.current();
        Box::pin(async move { executor.execute(action, progress).await })
    }

    fn shell<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Result<String, ActionError>> {
        let executor = self.current();
        Box::pin(async move { executor.shell(action).await })
    }

    fn port_forward<'a>(
        &'a self,
        action: &'a Action,
    ) -> BoxFuture<'a, Result<crate::actions::forward::OpenForward, ActionError>> {
        let executor = self.current();
        Box::pin(async move { executor.port_forward(action).await })
    }
}

impl ContextSwitch for Cluster {
    fn switch_context(&self, context: &str) {
        self.switch(context);
    }

    fn want_metrics(&self, wanted: MetricsDemand) {
        self.metrics_wanted.send_if_modified(|now| {
            let changed = *now != wanted;
            *now = wanted;
            changed
        });
    }
}

impl LogStreams for Cluster {
    fn open(
        &self,
        _context: String,
        namespace: String,
        pod: String,
        options: crate::domain::LogOptions,
    ) -> BoxFuture<
        'static,
        Result<futures::stream::BoxStream<'static, Result<String, String>>, String>,
    > {
        let cfg = self.config();
        let clients = self.clients.clone();
        Box::pin(async move {
            let client = clients.get(&cfg).await?;
            super::logs::lines_with(client, &namespace, &pod, &options).await
        })
    }

    fn get_object(
        &self,
        object: crate::domain::kube_object::ObjectRef,
    ) -> BoxFuture<'static, Result<serde_json::Value, String>> {
        let cfg = self.config();
        let clients = self.clients.clone();
        Box::pin(async move {
            let client = clients.get(&cfg).await?;
            super::object::get_with(client, &object)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// The kubeconfig's context names, for the context picker; empty when there is none to read.
pub fn contexts(cfg: &KubernetesConfig) -> Vec<String> {
    let mut names: Vec<String> = super::client::read_kubeconfig(cfg)
        .map(|k| k.contexts.into_iter().map(|c| c.name).collect())
        .unwrap_or_default();
    names.sort();
    names
}
