//! What each kind of action is called (its verb, its button, its name in the audit and the
//! rules), how much damage a mistake can do, and whether a read-only cockpit may run it.

use super::{ActionKind, Risk};

impl ActionKind {
    /// The verb, for the dialog title and the toast.
    pub fn verb(&self) -> &'static str {
        match self {
            ActionKind::Scale { .. } => "Scale",
            ActionKind::RolloutRestart => "Restart rollout of",
            ActionKind::Rollback { .. } => "Roll back",
            ActionKind::Lockdown => "Lock down",
            ActionKind::LiftLockdown => "Lift lockdown of",
            ActionKind::Cordon => "Cordon",
            ActionKind::Uncordon => "Uncordon",
            ActionKind::RestartPod => "Restart pod",
            ActionKind::Silence { .. } => "Silence",
            ActionKind::ExpireSilence { .. } => "Expire silence of",
            ActionKind::ExtendSilence { .. } => "Extend silence of",
            ActionKind::CancelQuery => "Cancel query of",
            ActionKind::TerminateBackend => "Terminate backend",
            ActionKind::TakeBackup => "Take backup of",
            ActionKind::VerifyBackup => "Verify backup of",
            ActionKind::TestRestore => "Test-restore backup of",
            ActionKind::Exec { .. } => "Run a command in",
            ActionKind::Shell { .. } => "Open a shell in",
            ActionKind::PortForward { .. } => "Forward a port of",
            ActionKind::Team { .. } => "Run",
            ActionKind::HpaBounds { .. } => "Change the autoscaler of",
            ActionKind::SetResources { .. } => "Set resources of",
            ActionKind::Drain => "Drain",
            ActionKind::RunCronJob { .. } => "Run now",
            ActionKind::SuspendCronJob => "Suspend",
            ActionKind::ResumeCronJob => "Resume",
            ActionKind::DeleteJob => "Delete",
            ActionKind::EditConfigMap { .. } => "Edit",
        }
    }

    /// The confirm button's label.
    pub fn button(&self) -> &'static str {
        match self {
            ActionKind::Scale { .. } => "Scale",
            ActionKind::RolloutRestart => "Restart",
            ActionKind::Rollback { .. } => "Roll back",
            ActionKind::Lockdown => "Lock down",
            ActionKind::LiftLockdown => "Lift lockdown",
            ActionKind::Cordon => "Cordon",
            ActionKind::Uncordon => "Uncordon",
            ActionKind::RestartPod => "Restart pod",
            ActionKind::Silence { .. } => "Silence",
            ActionKind::ExpireSilence { .. } => "Expire",
            ActionKind::ExtendSilence { .. } => "Extend",
            ActionKind::CancelQuery => "Cancel query",
            ActionKind::TerminateBackend => "Terminate",
            ActionKind::TakeBackup => "Back up now",
            ActionKind::VerifyBackup => "Verify",
            ActionKind::TestRestore => "Test-restore",
            ActionKind::Exec { .. } => "Run",
            ActionKind::Shell { .. } => "Open shell",
            ActionKind::PortForward { .. } => "Forward",
            ActionKind::Team { .. } => "Run",
            ActionKind::HpaBounds { .. } => "Set bounds",
            ActionKind::SetResources { .. } => "Set resources",
            ActionKind::Drain => "Drain",
            ActionKind::RunCronJob { .. } => "Run now",
            ActionKind::SuspendCronJob => "Suspend",
            ActionKind::ResumeCronJob => "Resume",
            ActionKind::DeleteJob => "Delete Job",
            ActionKind::EditConfigMap { .. } => "Patch",
        }
    }

    /// A short name for records and `opsdeck audit`.
    pub fn name(&self) -> &'static str {
        match self {
            ActionKind::Scale { .. } => "scale",
            ActionKind::RolloutRestart => "rollout-restart",
            ActionKind::Rollback { .. } => "rollback",
            ActionKind::Lockdown => "lockdown",
            ActionKind::LiftLockdown => "lift-lockdown",
            ActionKind::Cordon => "cordon",
            ActionKind::Uncordon => "uncordon",
            ActionKind::RestartPod => "restart-pod",
            ActionKind::Silence { .. } => "silence",
            ActionKind::ExpireSilence { .. } => "expire-silence",
            ActionKind::ExtendSilence { .. } => "extend-silence",
            ActionKind::CancelQuery => "cancel-query",
            ActionKind::TerminateBackend => "terminate-backend",
            ActionKind::TakeBackup => "take-backup",
            ActionKind::VerifyBackup => "verify-backup",
            ActionKind::TestRestore => "test-restore",
            ActionKind::Exec { .. } => "exec",
            ActionKind::Shell { .. } => "shell",
            ActionKind::PortForward { .. } => "port-forward",
            ActionKind::Team { .. } => "team",
            ActionKind::HpaBounds { .. } => "hpa-bounds",
            ActionKind::SetResources { .. } => "set-resources",
            ActionKind::Drain => "drain",
            ActionKind::RunCronJob { .. } => "cronjob-run",
            ActionKind::SuspendCronJob => "cronjob-suspend",
            ActionKind::ResumeCronJob => "cronjob-resume",
            ActionKind::DeleteJob => "job-delete",
            ActionKind::EditConfigMap { .. } => "edit-configmap",
        }
    }

    pub fn risk(&self) -> Risk {
        match self {
            ActionKind::Exec {
                high_risk: true, ..
            }
            | ActionKind::Shell {
                high_risk: true, ..
            } => Risk::High,
            ActionKind::Scale { replicas: 0 } => Risk::High,
            // Running pods stay where they are; only new ones go elsewhere.
            ActionKind::Scale { .. }
            | ActionKind::RolloutRestart
            | ActionKind::RestartPod
            | ActionKind::Cordon
            | ActionKind::Uncordon
            | ActionKind::HpaBounds { .. }
            | ActionKind::SetResources { .. } => Risk::Medium,
            ActionKind::EditConfigMap { .. } => Risk::Medium,
            ActionKind::Rollback { .. } | ActionKind::Lockdown | ActionKind::LiftLockdown => {
                Risk::High
            }
            ActionKind::CancelQuery
            | ActionKind::TestRestore
            | ActionKind::Exec { .. }
            | ActionKind::Shell { .. } => Risk::Medium,
            ActionKind::TerminateBackend => Risk::High,
            // Every pod on the node is stopped and started elsewhere.
            ActionKind::Drain => Risk::High,
            ActionKind::Silence { .. }
            | ActionKind::ExpireSilence { .. }
            | ActionKind::ExtendSilence { .. }
            | ActionKind::TakeBackup
            | ActionKind::VerifyBackup
            | ActionKind::PortForward { .. } => Risk::Low,
            ActionKind::Team { risk, .. } => *risk,
            // A run does what the schedule would; suspending stops the runs to come.
            ActionKind::RunCronJob { .. }
            | ActionKind::SuspendCronJob
            | ActionKind::ResumeCronJob
            | ActionKind::DeleteJob => Risk::Medium,
        }
    }

    /// Whether a read-only cockpit may do it: only a team action that says so.
    pub fn readonly_ok(&self) -> bool {
        matches!(
            self,
            ActionKind::Team {
                readonly_ok: true,
                ..
            }
        )
    }

    /// Verbs that destroy or cut off something, drawn in the critical style.
    pub fn destructive(&self) -> bool {
        matches!(
            self,
            ActionKind::Scale { replicas: 0 }
                | ActionKind::Lockdown
                | ActionKind::RestartPod
                | ActionKind::TerminateBackend
                | ActionKind::Rollback { .. }
                | ActionKind::Drain
                | ActionKind::DeleteJob
        )
    }
}
