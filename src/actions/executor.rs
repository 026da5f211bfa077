//! The executor: what carries an action out against a backend. Each backend (Kubernetes,
//! Alertmanager, PostgreSQL, the backup sets, and the simulated estate) implements it; the
//! runtime runs one per action in its own task, with a timeout.

use futures::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use super::Action;

/// Whether the backend lets the operator do this (RBAC, grants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permission {
    Allowed,
    /// Allowed, and the backend accepted a dry run of the change: what it said it would do.
    DryRun(String),
    Denied(String),
    /// The backend did not answer (a deadline passed, or it is not connected): not a refusal.
    /// Asked again when the backend is live again.
    NoAnswer(String),
    /// Permitted, but another operator's action holds the target (the war room's lease): who
    /// and since when. Asked again until it is free.
    Held(String),
}

impl Permission {
    pub fn allowed(&self) -> bool {
        !matches!(
            self,
            Permission::Denied(_) | Permission::NoAnswer(_) | Permission::Held(_)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("read-only cockpit: {0} refused")]
    ReadOnly(String),
    /// A `[[guardrails]]` rule refused it, or what it demands was not done: which rule, why.
    #[error("refused by {0}")]
    Guardrail(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("not permitted: {0}")]
    NotPermitted(String),
    #[error("no response after {0} s; the action may still complete, check the target")]
    Timeout(u64),
    #[error("cannot write the audit log ({0}); nothing was done")]
    Audit(String),
    #[error("no backend can carry out {0} here")]
    Unavailable(String),
    #[error("{0}")]
    Failed(String),
    /// The operator ended it before it finished: a one-off command's stream is closed, a
    /// drain asks no more evictions (said the same for both: the execution was dropped).
    #[error("cancelled by the operator; its execution was stopped")]
    Cancelled,
    /// The action was done but its outcome record could not be written: said so, never ✔.
    #[error("done ({done}), but its outcome could not be written to the audit log ({error})")]
    Unaudited { done: String, error: String },
}

pub trait Executor: Send + Sync {
    /// Asks the backend whether the operator may do this.
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission>;

    /// Carries the action out, sending progress lines; returns what happened, in a sentence.
    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>>;

    /// An interactive shell (`ActionKind::Shell`) on the operator's terminal, which the caller
    /// has handed over; its exit status in a sentence. Only the cluster has one.
    fn shell<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move { Err(ActionError::Unavailable(action.kind.name().to_string())) })
    }

    /// Opens a port-forward (`ActionKind::PortForward`) to the pod, on 127.0.0.1; it stays
    /// open until the returned value is dropped. Only the cluster has one.
    fn port_forward<'a>(
        &'a self,
        action: &'a Action,
    ) -> BoxFuture<'a, Result<super::forward::OpenForward, ActionError>> {
        Box::pin(async move { Err(ActionError::Unavailable(action.kind.name().to_string())) })
    }
}

/// A backend that can be pointed at another place while running (the cluster at another
/// kubeconfig context).
pub trait ContextSwitch: Send + Sync {
    fn switch_context(&self, context: &str);
    /// Whether a panel that shows pods' or nodes' usage is open: metrics.k8s.io is polled
    /// only then, and only for what is shown.
    fn want_metrics(&self, _wanted: crate::domain::node::MetricsDemand) {}
}

/// Where pods' logs come from: the cluster being watched; and single objects, by GET, from
/// the same cluster (the YAML view, the details).
pub trait LogStreams: Send + Sync {
    /// The object as the API server returns it, prepared for showing
    /// (`domain::kube_object::prepare`), or why not, in a sentence.
    fn get_object(
        &self,
        object: crate::domain::kube_object::ObjectRef,
    ) -> BoxFuture<'static, Result<serde_json::Value, String>> {
        let _ = object;
        Box::pin(async { Err("no Kubernetes cluster is configured".to_string()) })
    }

    /// The pod's log lines (following if asked), or why not; `context` names the cluster
    /// when several are watched (empty: the one watched).
    fn open(
        &self,
        context: String,
        namespace: String,
        pod: String,
        options: crate::domain::LogOptions,
    ) -> BoxFuture<
        'static,
        Result<futures::stream::BoxStream<'static, Result<String, String>>, String>,
    >;
}

/// For a cockpit with no backend able to act: every action is unavailable.
pub struct NoExecutor;

impl Executor for NoExecutor {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async move {
            Permission::Denied(format!("no backend configured for {}", action.kind.name()))
        })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        _: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move { Err(ActionError::Unavailable(action.kind.name().to_string())) })
    }
}

/// Sends each action to the executor of its backend: PostgreSQL actions to their instance's
/// adapter, alert actions to their Alertmanager's, workload, namespace and pod actions to the
/// cluster's, everything else to `default` (the simulated estate, or nothing).
pub struct Router {
    pub postgres: std::collections::HashMap<String, std::sync::Arc<dyn Executor>>,
    pub alertmanager: std::collections::HashMap<String, std::sync::Arc<dyn Executor>>,
    /// The cluster's, for workload, namespace and pod actions.
    pub kubernetes: Option<std::sync::Arc<dyn Executor>>,
    /// The backup sets', for verify, test-restore and take.
    pub backups: Option<std::sync::Arc<dyn Executor>>,
    pub default: std::sync::Arc<dyn Executor>,
}

impl Router {
    fn route(&self, action: &Action) -> &dyn Executor {
        match &action.target {
            super::Target::PgBackend { instance, .. } => self
                .postgres
                .get(instance)
                .map_or(self.default.as_ref(), |e| e.as_ref()),
            super::Target::Alert { source, .. } => self
                .alertmanager
                .get(source)
                .map_or(self.default.as_ref(), |e| e.as_ref()),
            super::Target::Workload { .. }
            | super::Target::Namespace { .. }
            | super::Target::Pod { .. }
            | super::Target::Node { .. }
            | super::Target::CronJob { .. }
            | super::Target::Job { .. }
            | super::Target::ConfigMap { .. } => {
                self.kubernetes.as_deref().unwrap_or(self.default.as_ref())
            }
            super::Target::BackupSet { .. } => {
                self.backups.as_deref().unwrap_or(self.default.as_ref())
            }
        }
    }
}

impl Router {
    /// The cluster's executor, for a team action in a pod (run as the exec it is).
    fn cluster(&self) -> &dyn Executor {
        self.kubernetes.as_deref().unwrap_or(self.default.as_ref())
    }
}

impl Executor for Router {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        // A team action is an exec in a pod (the cluster's), or a command on this machine.
        if let Some(exec) = super::team::as_exec(action) {
            let cluster = self.cluster();
            return Box::pin(async move { cluster.permitted(&exec).await });
        }
        if let Some(argv) = super::team::local_argv(action) {
            let answer = super::team::local_permitted(argv);
            return Box::pin(async move { answer });
        }
        self.route(action).permitted(action)
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        if let Some(exec) = super::team::as_exec(action) {
            let cluster = self.cluster();
            return Box::pin(async move { cluster.execute(&exec, progress).await });
        }
        if let Some(argv) = super::team::local_argv(action) {
            return Box::pin(super::team::run_local(argv, progress));
        }
        self.route(action).execute(action, progress)
    }

    fn shell<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Result<String, ActionError>> {
        self.route(action).shell(action)
    }

    fn port_forward<'a>(
        &'a self,
        action: &'a Action,
    ) -> BoxFuture<'a, Result<super::forward::OpenForward, ActionError>> {
        self.route(action).port_forward(action)
    }
}

/// Asks the task that owns a backend's connection: sends the command `make` builds around a
/// reply channel and waits for the answer. A task that has stopped (its channel closed, or the
/// reply dropped) answers `stopped()`.
pub async fn ask<C, T>(
    commands: &mpsc::Sender<C>,
    make: impl FnOnce(oneshot::Sender<T>) -> C,
    stopped: impl Fn() -> T,
) -> T {
    let (reply, answer) = oneshot::channel();
    if commands.send(make(reply)).await.is_err() {
        return stopped();
    }
    answer.await.unwrap_or_else(|_| stopped())
}
