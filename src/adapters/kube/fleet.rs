//! The clusters the cockpit watches: one, switchable between the kubeconfig's contexts, or
//! several at once (`[kubernetes] contexts`), each its own `Cluster` (its own watching task,
//! client and credentials, so each is its own failure domain). An action, a log read or a GET
//! goes to the cluster its row came from, named by the action's context, never to a "current"
//! one.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::mpsc;

use super::switch::Cluster;
use crate::actions::Action;
use crate::actions::executor::{ActionError, ContextSwitch, Executor, LogStreams, Permission};
use crate::config::KubernetesConfig;
use crate::domain::SourceReport;
use crate::domain::node::MetricsDemand;

pub struct Fleet {
    /// Each context's cluster, in the configured order.
    clusters: Vec<(String, Arc<Cluster>)>,
}

impl Fleet {
    /// Starts watching each `(config, context name)`; with one, it can be switched later.
    pub fn start(
        clusters: Vec<(KubernetesConfig, String)>,
        refresh: Duration,
        tx: mpsc::Sender<SourceReport>,
    ) -> Arc<Fleet> {
        let clusters = clusters
            .into_iter()
            .map(|(cfg, name)| {
                let cluster = Cluster::start(cfg, name.clone(), refresh, tx.clone());
                (name, cluster)
            })
            .collect();
        Arc::new(Fleet { clusters })
    }

    /// The cluster of `context`; with one cluster watched, that one whatever its name (it may
    /// have been switched since it started).
    fn of(&self, context: &str) -> Result<&Arc<Cluster>, String> {
        if let [(_, only)] = self.clusters.as_slice() {
            return Ok(only);
        }
        self.clusters
            .iter()
            .find(|(name, _)| name == context)
            .map(|(_, c)| c)
            .ok_or_else(|| {
                let names: Vec<&str> = self.clusters.iter().map(|(n, _)| n.as_str()).collect();
                format!(
                    "context `{context}` is not watched (watched: {})",
                    names.join(", ")
                )
            })
    }
}

impl Executor for Fleet {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        match self.of(&action.context) {
            Ok(cluster) => cluster.permitted(action),
            Err(why) => Box::pin(async move { Permission::Denied(why) }),
        }
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        match self.of(&action.context) {
            Ok(cluster) => cluster.execute(action, progress),
            Err(why) => Box::pin(async move { Err(ActionError::Unavailable(why)) }),
        }
    }

    fn shell<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Result<String, ActionError>> {
        match self.of(&action.context) {
            Ok(cluster) => cluster.shell(action),
            Err(why) => Box::pin(async move { Err(ActionError::Unavailable(why)) }),
        }
    }

    fn port_forward<'a>(
        &'a self,
        action: &'a Action,
    ) -> BoxFuture<'a, Result<crate::actions::forward::OpenForward, ActionError>> {
        match self.of(&action.context) {
            Ok(cluster) => cluster.port_forward(action),
            Err(why) => Box::pin(async move { Err(ActionError::Unavailable(why)) }),
        }
    }
}

impl ContextSwitch for Fleet {
    /// Only a single watched cluster switches; with several, `:ctx` chooses what is shown.
    fn switch_context(&self, context: &str) {
        if let [(_, only)] = self.clusters.as_slice() {
            only.switch(context);
        }
    }

    fn want_metrics(&self, wanted: MetricsDemand) {
        for (_, cluster) in &self.clusters {
            cluster.want_metrics(wanted);
        }
    }
}

impl LogStreams for Fleet {
    fn open(
        &self,
        context: String,
        namespace: String,
        pod: String,
        options: crate::domain::LogOptions,
    ) -> BoxFuture<
        'static,
        Result<futures::stream::BoxStream<'static, Result<String, String>>, String>,
    > {
        match self.of(&context) {
            Ok(cluster) => cluster.open(context, namespace, pod, options),
            Err(why) => Box::pin(async move { Err(why) }),
        }
    }

    fn get_object(
        &self,
        object: crate::domain::kube_object::ObjectRef,
    ) -> BoxFuture<'static, Result<serde_json::Value, String>> {
        match self.of(&object.context) {
            Ok(cluster) => cluster.get_object(object),
            Err(why) => Box::pin(async move { Err(why) }),
        }
    }
}
