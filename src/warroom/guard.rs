//! Leases around actions: taken before an action is carried out (refused, with who holds it,
//! when another cockpit acts on the same target), renewed while it runs, released after. With
//! the room configured but disconnected the action goes ahead on the local check alone (the
//! dialog says so).

use std::time::Duration;

use super::client::RoomClient;
use super::lease::Holder;
use super::task::RoomHandle;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::UnixTime;

/// "is being ___ by alice": what the action does to its target.
pub fn doing(kind: &ActionKind) -> &'static str {
    match kind {
        ActionKind::Scale { .. } => "scaled",
        ActionKind::RolloutRestart => "restarted",
        ActionKind::Rollback { .. } => "rolled back",
        ActionKind::Lockdown => "locked down",
        ActionKind::LiftLockdown => "unlocked",
        ActionKind::Cordon => "cordoned",
        ActionKind::Uncordon => "uncordoned",
        ActionKind::RestartPod => "restarted",
        ActionKind::Silence { .. } => "silenced",
        ActionKind::ExpireSilence { .. } => "unsilenced",
        ActionKind::ExtendSilence { .. } => "silenced longer",
        ActionKind::CancelQuery => "cancelled",
        ActionKind::TerminateBackend => "terminated",
        ActionKind::TakeBackup => "backed up",
        ActionKind::VerifyBackup => "verified",
        ActionKind::TestRestore => "test-restored",
        ActionKind::Exec { .. } | ActionKind::Shell { .. } | ActionKind::Team { .. } => "worked in",
        ActionKind::PortForward { .. } => "port-forwarded",
        ActionKind::HpaBounds { .. } => "autoscaled",
        ActionKind::SetResources { .. } => "resized",
        ActionKind::Drain => "drained",
        ActionKind::RunCronJob { .. } => "run",
        ActionKind::SuspendCronJob => "suspended",
        ActionKind::ResumeCronJob => "resumed",
        ActionKind::DeleteJob => "deleted",
        ActionKind::EditConfigMap { .. } => "edited",
    }
}

/// The target as people name it: `pos/pos-order`, `namespace pos`, `positivity-db pid 4242`.
pub fn shown(target: &Target) -> String {
    match target {
        Target::Workload {
            namespace, name, ..
        }
        | Target::Pod { namespace, name } => format!("{namespace}/{name}"),
        Target::Namespace { namespace } => format!("namespace {namespace}"),
        Target::PgBackend { instance, pid } => format!("{instance} pid {pid}"),
        Target::Alert { name, .. } => format!("alert {name}"),
        Target::BackupSet { name } => format!("backup set {name}"),
        Target::Node { name } => format!("node {name}"),
        Target::CronJob { namespace, name } => format!("cronjob {namespace}/{name}"),
        Target::Job { namespace, name } => format!("job {namespace}/{name}"),
        Target::ConfigMap { namespace, name } => format!("configmap {namespace}/{name}"),
    }
}

/// The lease's key: the context and the target, so two clusters' `pos/pos-order` differ.
fn lease_target(action: &Action) -> String {
    format!("{}/{}", action.context, action.target.key())
}

/// Who else holds the action's target now, as a sentence; `None` when free (or no room).
pub async fn held_by_other(room: &RoomHandle, action: &Action) -> Option<String> {
    let mut client = room.client()?;
    let holder = client.holder(&lease_target(action)).await.ok()??;
    Some(holder.describe(&shown(&action.target), UnixTime::now()))
}

/// A lease held while an action runs.
pub struct LeaseGuard {
    client: RoomClient,
    target: String,
    holder: Holder,
    renewer: tokio::task::JoinHandle<()>,
}

impl LeaseGuard {
    pub async fn release(mut self) {
        self.renewer.abort();
        if let Err(e) = self.client.release(&self.target, &self.holder).await {
            tracing::warn!(error = %e, target = %self.target, "could not release the lease; it expires by itself");
        }
    }
}

/// An action dropped before it released its lease (cancelled) stops renewing it; the lease then
/// expires by itself.
impl Drop for LeaseGuard {
    fn drop(&mut self) {
        self.renewer.abort();
    }
}

/// Takes the action's lease: `Ok(None)` without a connected room (local only), `Err` with who
/// holds it.
pub async fn take(
    room: &RoomHandle,
    action: &Action,
    operator: &str,
) -> Result<Option<LeaseGuard>, String> {
    let Some(mut client) = room.client() else {
        return Ok(None);
    };
    let ttl = room.config.lease_ttl;
    let holder = Holder {
        token: format!("{}:{}", room.me.id, fastrand::u64(..)),
        operator: operator.to_string(),
        doing: doing(&action.kind).to_string(),
        since: UnixTime::now().0,
    };
    let target = lease_target(action);
    match client.acquire(&target, &holder, ttl).await {
        Ok(Ok(())) => {}
        Ok(Err(other)) => return Err(other.describe(&shown(&action.target), UnixTime::now())),
        // Redis went away just now: go ahead locally, as when disconnected.
        Err(e) => {
            tracing::warn!(error = %e, "lease not taken; the room is unreachable");
            return Ok(None);
        }
    }
    let renewer = {
        let (mut client, target, holder) = (client.clone(), target.clone(), holder.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval((ttl / 3).max(Duration::from_millis(100)));
            tick.tick().await;
            loop {
                tick.tick().await;
                if !client.renew(&target, &holder, ttl).await.unwrap_or(false) {
                    tracing::warn!(%target, "the lease could not be renewed");
                }
            }
        })
    };
    Ok(Some(LeaseGuard {
        client,
        target,
        holder,
        renewer,
    }))
}
