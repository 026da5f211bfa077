//! What an action is done to: a workload, a namespace, a pod, an alert, a PostgreSQL backend,
//! a backup set; one key per target for the audit and for "one action at a time per target".

use serde::{Deserialize, Serialize};

use crate::domain::WorkloadKind;

/// What an action is aimed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Target {
    Workload {
        namespace: String,
        kind: WorkloadKindName,
        name: String,
    },
    Namespace {
        namespace: String,
    },
    Pod {
        namespace: String,
        name: String,
    },
    Alert {
        source: String,
        fingerprint: String,
        name: String,
    },
    PgBackend {
        instance: String,
        pid: i32,
    },
    BackupSet {
        name: String,
    },
    /// A Kubernetes node (cluster-wide: no namespace).
    Node {
        name: String,
    },
    CronJob {
        namespace: String,
        name: String,
    },
    Job {
        namespace: String,
        name: String,
    },
    ConfigMap {
        namespace: String,
        name: String,
    },
}

/// `WorkloadKind` as it is written in records and commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKindName {
    Deployment,
    StatefulSet,
}

impl From<WorkloadKind> for WorkloadKindName {
    fn from(kind: WorkloadKind) -> Self {
        match kind {
            WorkloadKind::Deployment => WorkloadKindName::Deployment,
            WorkloadKind::StatefulSet => WorkloadKindName::StatefulSet,
        }
    }
}

impl WorkloadKindName {
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKindName::Deployment => "deployment",
            WorkloadKindName::StatefulSet => "statefulset",
        }
    }
}

impl Target {
    /// `pos/deployment/pos-order`, `namespace/pos`, `positivity-db/pid/4242`: one string per
    /// target, for the audit record and for "one action at a time per target".
    pub fn key(&self) -> String {
        match self {
            Target::Workload {
                namespace,
                kind,
                name,
            } => format!("{namespace}/{}/{name}", kind.resource()),
            Target::Namespace { namespace } => format!("namespace/{namespace}"),
            Target::Pod { namespace, name } => format!("{namespace}/pod/{name}"),
            Target::Alert { source, name, .. } => format!("{source}/alert/{name}"),
            Target::PgBackend { instance, pid } => format!("{instance}/pid/{pid}"),
            Target::BackupSet { name } => format!("backup/{name}"),
            Target::Node { name } => format!("node/{name}"),
            Target::CronJob { namespace, name } => format!("{namespace}/cronjob/{name}"),
            Target::Job { namespace, name } => format!("{namespace}/job/{name}"),
            Target::ConfigMap { namespace, name } => format!("{namespace}/configmap/{name}"),
        }
    }

    /// What a high-risk action asks the operator to type: the name they would say out loud.
    pub fn name(&self) -> String {
        match self {
            Target::Workload { name, .. }
            | Target::Pod { name, .. }
            | Target::Alert { name, .. } => name.clone(),
            Target::Namespace { namespace } => namespace.clone(),
            Target::PgBackend { pid, .. } => pid.to_string(),
            Target::BackupSet { name } | Target::Node { name } => name.clone(),
            Target::CronJob { name, .. } | Target::Job { name, .. } => name.clone(),
            Target::ConfigMap { name, .. } => name.clone(),
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        match self {
            Target::Workload { namespace, .. }
            | Target::Namespace { namespace }
            | Target::Pod { namespace, .. }
            | Target::CronJob { namespace, .. }
            | Target::Job { namespace, .. }
            | Target::ConfigMap { namespace, .. } => Some(namespace),
            _ => None,
        }
    }
}
