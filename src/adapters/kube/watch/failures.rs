//! What a failed or refused watch means: a new login (401), a kind not permitted (403) and the
//! rest watched without it, and how the cockpit is told what this user may not read.

use kube::runtime::watcher;

use super::{Update, Watch};
use crate::domain::Report;

/// A failed watch as an update: 401 asks for a new login.
pub(super) fn failure(e: &watcher::Error) -> Update {
    let code = match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => s.code,
        watcher::Error::WatchError(status) => status.code,
        _ => 0,
    };
    match code {
        401 => Update::Unauthorized(describe(e)),
        _ => Update::Failed(describe(e)),
    }
}

/// A watch or list refused with 403 Forbidden.
pub(super) fn forbidden(e: &watcher::Error) -> bool {
    match e {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => super::super::access::is_forbidden(e),
        watcher::Error::WatchError(status) => status.code == 403,
        _ => false,
    }
}

/// What an operator calls a kind they may not read.
pub(super) fn kind_words(plural: &str) -> String {
    match plural {
        "networkpolicies" => crate::domain::kube_access::NETWORK_POLICIES.into(),
        "replicasets" => "replica sets".into(),
        "statefulsets" => "stateful sets".into(),
        other => other.into(),
    }
}

fn describe(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(e) | watcher::Error::WatchStartFailed(e) => {
            super::super::actions::describe(e)
        }
        watcher::Error::WatchFailed(e) => super::super::actions::describe(e),
        other => other.to_string(),
    }
}

impl Watch {
    /// Notes a kind this user may not read; a reflector's stream is no longer waited for.
    pub(super) fn not_permitted(&mut self, kind: String, stream: Option<(usize, usize)>) {
        if kind == crate::domain::kube_access::METRICS {
            self.metrics_missing = true;
        }
        if let Some((group, stream)) = stream {
            self.pending[group].remove(&stream);
        }
        if !self.access.not_permitted.contains(&kind) {
            tracing::info!("not permitted to read {kind}: the rest is watched without it");
            self.access.not_permitted.push(kind);
            self.access.not_permitted.sort();
        }
    }

    /// Tells the cockpit what may not be read, once the first report has gone (a report marks
    /// the source live, and that should be its pods) and whenever it changes. False when the
    /// cockpit has gone.
    pub(super) async fn send_access(&mut self) -> bool {
        if !self.synced || self.access_sent.as_ref() == Some(&self.access) {
            return true;
        }
        self.access_sent = Some(self.access.clone());
        self.reporter
            .send(Report::KubeAccess(self.access.clone()))
            .await
    }
}
