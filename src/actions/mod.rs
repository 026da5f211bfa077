//! Actions: what an operator can do to the estate, as values. One `Action` feeds the
//! confirmation dialog (title, risk, change, CLI equivalent), the executor and the audit log, so
//! what is shown is what is done and what is recorded.

pub mod audit;
pub mod audit_table;
pub mod children;
mod cli;
pub mod drain;
pub mod executor;
pub mod forward;
pub mod guardrails;
mod kind;
pub mod output;
pub mod preflight;
pub mod preflight_config;
mod preflight_drain;
mod preflight_extend;
mod preflight_forward;
mod preflight_hpa;
mod preflight_job;
mod preflight_node;
mod preflight_pod;
mod preflight_resources;
mod preflight_team;
mod preflight_workload;
mod target;
pub mod team;

pub use preflight_drain::{Plan as DrainPlan, plan as drain_plan};
pub use target::{Target, WorkloadKindName};

use serde::{Deserialize, Serialize};

/// How much damage a mistake can do; decides how the action must be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    /// The target's name must be typed to confirm.
    High,
}

impl Risk {
    pub fn word(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// What to do, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionKind {
    Scale {
        replicas: u32,
    },
    RolloutRestart,
    Rollback {
        to_revision: u64,
    },
    Lockdown,
    LiftLockdown,
    /// Marks a node unschedulable (`spec.unschedulable`): no new pods go there.
    Cordon,
    /// Makes a cordoned node schedulable again.
    Uncordon,
    RestartPod,
    Silence {
        matchers: Vec<(String, String)>,
        duration_secs: u64,
        comment: String,
    },
    /// Ends one silence, by its id: the one the dialog names, even when others also match.
    ExpireSilence {
        silence: String,
    },
    /// Makes one silence, by its id, last until `duration_secs` from now (`S` on a silenced
    /// alert): Alertmanager updates it in place, same matchers, same start.
    ExtendSilence {
        silence: String,
        duration_secs: u64,
        comment: String,
    },
    CancelQuery,
    TerminateBackend,
    TakeBackup,
    VerifyBackup,
    TestRestore,
    /// A one-off command in the pod's container (`x`), its arguments as given: no shell.
    Exec {
        /// `None`: the pod's only (or default) container.
        container: Option<String>,
        command: Vec<String>,
        /// In a namespace of `[kubernetes] exec_high_risk_namespaces`: the name is typed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        high_risk: bool,
    },
    /// An interactive shell in the pod's container (`s`): the first of `shells` the image has,
    /// on the operator's own terminal.
    Shell {
        container: Option<String>,
        shells: Vec<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        high_risk: bool,
    },
    /// A port of the pod on 127.0.0.1 (`F`): `local` when it is free, else the next free one.
    /// It changes nothing in the cluster, but opens a port on this host.
    PortForward {
        local: u16,
        remote: u16,
        /// The workload it was asked for (`deployment/pos-order`), when `F` was pressed on one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        via: Option<String>,
    },
    /// One of the team's own `[[actions]]` (`config::team_actions`): its argv, placeholders
    /// already filled from the selected row, run where `place` says.
    Team {
        /// The entry's `name`, as the help and the footer show it.
        name: String,
        place: team::Place,
        argv: Vec<String>,
        /// The entry's `risk`.
        risk: Risk,
        /// The entry's `readonly_ok`: may run in a read-only cockpit.
        readonly_ok: bool,
    },
    /// The bounds of the HorizontalPodAutoscaler `hpa` that scales the target workload (`A`):
    /// `spec.minReplicas` and `spec.maxReplicas`, as `kubectl patch hpa` sets them.
    HpaBounds {
        hpa: String,
        min: u32,
        max: u32,
    },
    /// A container's requests and limits (`R`), as `kubectl set resources` sets them: only the
    /// quantities given change; the template changes, so the pods are replaced.
    SetResources {
        container: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requests_cpu: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requests_memory: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limits_cpu: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limits_memory: Option<String>,
    },
    /// Cordons the node, then evicts its pods through the Eviction API (DaemonSet and mirror
    /// pods stay), as `kubectl drain NODE --ignore-daemonsets --delete-emptydir-data`.
    Drain,
    /// A Job made now from a CronJob's template (`kubectl create job JOB --from=cronjob/NAME`),
    /// named when the dialog opens.
    RunCronJob {
        job: String,
    },
    /// `spec.suspend: true`: the CronJob schedules no new Job.
    SuspendCronJob,
    ResumeCronJob,
    /// A finished Job deleted with its pods (background propagation).
    DeleteJob,
    /// One key of a ConfigMap set to a new value (`e` on the Config panel): a merge patch of
    /// `data` carrying the resourceVersion the value was read at, so that a change made by
    /// someone else since is refused. The values are not recorded: the audit keeps the key
    /// and the sizes (`value` and `old` are not serialized).
    EditConfigMap {
        key: String,
        resource_version: String,
        old_size: usize,
        new_size: usize,
        #[serde(skip)]
        old: String,
        #[serde(skip)]
        value: String,
    },
}

/// An action on a target, ready to be confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub kind: ActionKind,
    pub target: Target,
    /// Where it happens: the Kubernetes context, or the source's name.
    pub context: String,
}

impl Action {
    /// What a running action is known by, so that a second one on the same target is refused:
    /// the target in its cluster (two clusters' `pos/pos-catalog` are two targets).
    pub fn running_key(&self) -> String {
        format!("{} {}", self.context, self.target.key())
    }

    pub fn title(&self) -> String {
        let target = match &self.target {
            Target::Workload {
                namespace,
                kind,
                name,
            } => format!("{} {namespace}/{name}", kind.resource()),
            Target::Namespace { namespace } => format!("namespace {namespace}"),
            Target::Pod { namespace, name } => format!("{namespace}/{name}"),
            Target::Alert { name, .. } => format!("alert {name}"),
            Target::PgBackend { instance, pid } => format!("pid {pid} on {instance}"),
            Target::BackupSet { name } => format!("\"{name}\""),
            Target::Node { name } => format!("node {name}"),
            Target::CronJob { namespace, name } => format!("cronjob {namespace}/{name}"),
            Target::Job { namespace, name } => format!("job {namespace}/{name}"),
            Target::ConfigMap { namespace, name } => format!("configmap {namespace}/{name}"),
        };
        match &self.kind {
            ActionKind::Team { name, .. } => format!("{name} on {target}"),
            ActionKind::EditConfigMap { key, .. } => format!("Edit {key} of {target}"),
            kind => format!("{} {target}", kind.verb()),
        }
    }

    pub fn risk(&self) -> Risk {
        self.kind.risk()
    }

    /// The command as the audit records it, where it differs from [`Action::cli`]: a
    /// ConfigMap edit's value replaced by its size (the audit keeps key names and sizes).
    pub fn audited_cli(&self) -> Option<String> {
        match (&self.kind, &self.target) {
            (
                ActionKind::EditConfigMap { key, new_size, .. },
                Target::ConfigMap { namespace, name },
            ) => {
                let patch =
                    serde_json::json!({"data": {key: format!("<{new_size} bytes>")}}).to_string();
                Some(format!(
                    "kubectl -n {namespace} patch configmap {name} --type merge -p {}",
                    quoted(&patch)
                ))
            }
            _ => None,
        }
    }
}

/// A word as a POSIX shell reads it back: as it is when it is plain, else in single quotes.
pub fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The NetworkPolicy a lockdown creates; lifting deletes this one and nothing else.
pub const LOCKDOWN_POLICY: &str = "opsdeck-lockdown";

#[cfg(test)]
mod tests;
