//! Two-person actions at the runner: the request posted to the war room, an operator's decision
//! sent, and, before an approved action runs, its approval checked against the room's own record
//! of the request (approved, by that operator, of exactly this action, asked by this operator),
//! so an intent that merely claims an approval does not run.

use super::Runner;
use crate::actions::audit::Intent;
use crate::actions::executor::ActionError;
use crate::warroom::requests::{Request, Verdict};

impl Runner {
    /// Asks the room for a second operator's approval of action `seq`; the answer comes back
    /// as `Msg::Room`.
    pub fn request_approval(&self, seq: u64, intent: &Intent) {
        let Some(room) = &self.room else {
            return;
        };
        room.request(
            seq,
            Request {
                id: 0,
                operator: intent.operator.clone(),
                member: room.me.id.clone(),
                action: intent.action.clone(),
                change: intent.change.clone(),
                cli: intent.cli.clone(),
                reason: intent.guard.reason.clone(),
                created: 0,
                expires: 0,
                decision: None,
            },
        );
    }

    /// This operator approves or rejects request `id`.
    /// Appends records made by the app (a decision on a two-person request), off the UI loop.
    pub fn audit_records(&self, records: Vec<crate::actions::audit::AuditRecord>) {
        let Some(audit) = self.audit.clone() else {
            return;
        };
        tokio::task::spawn_blocking(move || {
            for record in &records {
                if let Err(e) = audit.append(record) {
                    tracing::error!(error = %e, id = %record.id, "the decision could not be audited");
                }
            }
        });
    }

    pub fn decide_request(&self, id: u64, approve: bool, reason: String) {
        if let Some(room) = &self.room {
            room.decide(id, approve, reason);
        }
    }

    /// An intent carrying an approval runs only if the room says so.
    pub(super) async fn verify_approval(&self, intent: &Intent) -> Result<(), ActionError> {
        let Some(approval) = &intent.guard.approval else {
            return Ok(());
        };
        let refuse = |why: String| Err(ActionError::Guardrail(format!("two-person rule: {why}")));
        let Some(mut client) = self.room.as_ref().and_then(|r| r.client()) else {
            return refuse(
                "the war room is disconnected, so the approval cannot be checked".into(),
            );
        };
        let n = approval.request;
        let request = match client.request(n).await {
            Ok(Some(request)) => request,
            Ok(None) => return refuse(format!("request {n} is not in the war room")),
            Err(e) => return refuse(format!("request {n} could not be read ({e})")),
        };
        let approved_by = request
            .decision
            .as_ref()
            .filter(|d| d.kind == Verdict::Approved)
            .map(|d| d.by.as_str());
        if approved_by != Some(approval.by.as_str()) {
            return refuse(format!("request {n} was not approved by {}", approval.by));
        }
        if request.action != intent.action || request.operator != intent.operator {
            return refuse(format!(
                "request {n} approved another action or operator than this one"
            ));
        }
        Ok(())
    }
}
