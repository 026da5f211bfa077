//! Two-person requests as the cockpit sees them. Confirming an action a `two_person` guardrail
//! covers asks the war room instead of running it (`ask`); the room's pending requests are the
//! Requests list (`:requests`), where another operator opens one in the same confirmation
//! dialog to approve it (`approve`) or rejects it with a reason; the requester's cockpit runs
//! the action when the approval comes back (`on_decided`), with both names on it.

use std::collections::BTreeMap;

use super::dialog::Dialog;
use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use super::timeline::{Entry, Status};
use crate::actions::audit::{AuditRecord, Intent, Phase};
use crate::actions::guardrails::Approval;
use crate::config::Command;
use crate::domain::{Level, UnixTime};
use crate::warroom::requests::{Decided, Decision, Request, Verdict};

#[derive(Debug, Clone, Default)]
pub struct Requests {
    /// The room's pending requests (every cockpit's), as last read.
    pub pending: Vec<Request>,
    /// This cockpit's actions waiting for a second operator, by dialog number.
    pub waiting: BTreeMap<u64, Waiting>,
}

#[derive(Debug, Clone)]
pub struct Waiting {
    /// What runs once approved.
    pub intent: Intent,
    /// The room's number for the request, once posted.
    pub request: Option<u64>,
}

/// The action's line in the timeline.
fn entry_mut(state: &mut State, seq: u64) -> Option<&mut Entry> {
    state.timeline.iter_mut().find(|e| e.seq == seq)
}

/// Confirmed, but a two-person rule covers it: posted to the room, and waiting.
pub(super) fn ask(state: &mut State, seq: u64, intent: Intent) -> Vec<Effect> {
    let key = intent.action.target.key();
    let title = intent.action.title();
    state.running.insert(intent.action.running_key(), seq);
    state.timeline.push(Entry {
        seq,
        started: state.now,
        finished: None,
        operator: intent.operator.clone(),
        title: title.clone(),
        target: key,
        status: Status::Running {
            progress: Some("asking the war room for a second operator...".into()),
        },
        output: Vec::new(),
    });
    state.show_timeline = true;
    let text = format!("{title}: a two-person rule: asking a second operator in the war room");
    state.notify(text, Level::Ok, 6);
    let waiting = Waiting {
        intent: intent.clone(),
        request: None,
    };
    state.requests.waiting.insert(seq, waiting);
    vec![Effect::RequestApproval {
        seq,
        intent: Box::new(intent),
    }]
}

pub(super) fn on_posted(state: &mut State, seq: u64, request: &Request) {
    let Some(waiting) = state.requests.waiting.get_mut(&seq) else {
        return;
    };
    waiting.request = Some(request.id);
    let until = UnixTime(request.expires).clock_utc();
    // Short in the timeline, where the line is shared with the title at 80 columns.
    if let Some(entry) = entry_mut(state, seq) {
        entry.status = Status::Running {
            progress: Some(format!(
                "request {}: waiting for approval until {until}",
                request.id
            )),
        };
    }
    let text = format!(
        "waiting for a second operator: request {}, expires {until} UTC",
        request.id
    );
    state.notify(text, Level::Ok, 8);
}

pub(super) fn on_not_posted(state: &mut State, seq: u64, why: String) {
    if state.requests.waiting.remove(&seq).is_some() {
        super::actions::on_finished(state, seq, Err(format!("not asked of the room: {why}")));
    }
}

/// The room decided this cockpit's request: approved, the action runs now, through the runner
/// (which checks the approval with the room again); rejected or expired, nothing runs.
pub(super) fn on_decided(state: &mut State, seq: u64, request: &Request) -> Vec<Effect> {
    let Some(waiting) = state.requests.waiting.remove(&seq) else {
        return Vec::new();
    };
    let Some(decision) = &request.decision else {
        return Vec::new();
    };
    let n = request.id;
    match decision.kind {
        Verdict::Approved => {
            let mut intent = waiting.intent;
            intent.guard.approval = Some(Approval {
                by: decision.by.clone(),
                request: n,
            });
            let by = crate::ui::text::clean(&decision.by).into_owned();
            if let Some(entry) = entry_mut(state, seq) {
                entry.operator = format!("{}, approved by {by}", intent.operator);
                entry.status = Status::Running {
                    progress: Some(format!("approved by {by} (request {n}): running...")),
                };
            }
            let title = intent.action.title();
            state.notify(
                format!("{title}: approved by {by} (request {n}); running it"),
                Level::Ok,
                6,
            );
            super::actions::started(state, seq, &intent);
            vec![Effect::Execute {
                seq,
                intent: Box::new(intent),
            }]
        }
        Verdict::Rejected => {
            let why = decision.reason.as_deref().unwrap_or("no reason given");
            let error = format!("rejected by {} (request {n}): {why}", decision.by);
            super::actions::on_finished(state, seq, Err(error));
            Vec::new()
        }
        Verdict::Expired => {
            let error = format!("request {n} expired: nobody approved it");
            super::actions::on_finished(state, seq, Err(error));
            Vec::new()
        }
    }
}

/// What this operator's decision came to, said in the status bar (and, when made, in this
/// cockpit's timeline: the room's copy of it is this cockpit's own, not shown twice).
pub(super) fn on_decide_answer(
    state: &mut State,
    id: u64,
    result: Result<Decided, String>,
) -> Vec<Effect> {
    let request = state.requests.pending.iter().find(|r| r.id == id).cloned();
    let mut effects = Vec::new();
    let (text, level) = match result {
        Ok(Decided::Now(decision)) => {
            if let Some(r) = &request {
                effects.push(Effect::Audit(decision_records(state, r, &decision)));
            }
            let line = match &request {
                Some(r) => crate::warroom::decision_text(r, &decision),
                None => format!("decided request {id}"),
            };
            state.timeline.push(Entry {
                seq: 0,
                started: state.now,
                finished: None,
                operator: state.settings.operator.clone(),
                title: line.clone(),
                target: String::new(),
                status: Status::Note,
                output: Vec::new(),
            });
            state.requests.pending.retain(|r| r.id != id);
            (line, Level::Ok)
        }
        Ok(Decided::Already(d)) => {
            let how = match d.kind {
                Verdict::Approved => format!("approved by {}", d.by),
                Verdict::Rejected => format!("rejected by {}", d.by),
                Verdict::Expired => "expired".into(),
            };
            state.requests.pending.retain(|r| r.id != id);
            (
                format!("request {id} was already decided: {how}"),
                Level::Warn,
            )
        }
        Ok(Decided::SelfApproval) => (self_refusal(id), Level::Warn),
        Ok(Decided::Missing) => (
            format!("request {id} is no longer in the war room"),
            Level::Warn,
        ),
        Ok(Decided::Pending) => return effects,
        Err(e) => (format!("request {id} not decided: {e}"), Level::Crit),
    };
    // The notice's level draws its own mark: the line's ✔ or ✘ is not repeated.
    let text = text.trim_start_matches(['✔', '✘', ' ']).to_string();
    state.notify(text, level, 8);
    effects
}

/// The approver's own audit of a decision made: an intent (what was decided on, the reason
/// given) and its outcome, as `approve-request` or `reject-request` on the request's target
/// in its context, so each operator's trail has what they did.
fn decision_records(state: &State, request: &Request, decision: &Decision) -> Vec<AuditRecord> {
    let approved = decision.kind == Verdict::Approved;
    let action = &request.action;
    let intent = AuditRecord {
        time: state.now.rfc3339(),
        id: format!("{}-request-{}", state.now.0, request.id),
        phase: Phase::Intent,
        operator: state.settings.operator.clone(),
        context: action.context.clone(),
        action: if approved {
            "approve-request"
        } else {
            "reject-request"
        }
        .into(),
        target: action.target.key(),
        risk: action.risk(),
        params: Some(action.kind.clone()),
        change: Some(format!(
            "request {} of {}: {}",
            request.id, request.operator, request.change
        )),
        cli: Some(request.cli.clone()),
        confirmed_by: Some("button".into()),
        reason: decision.reason.clone(),
        guardrail: None,
        approved_by: None,
        request: Some(request.id),
        result: None,
        message: None,
        duration_ms: None,
    }
    .redacted();
    let outcome = AuditRecord {
        phase: Phase::Outcome,
        params: None,
        change: None,
        cli: None,
        confirmed_by: None,
        reason: None,
        result: Some("ok".into()),
        message: Some(if approved { "approved" } else { "rejected" }.into()),
        duration_ms: Some(0),
        ..intent.clone()
    };
    vec![intent, outcome]
}

fn self_refusal(id: u64) -> String {
    format!(
        "request {id} is yours: another operator must approve it (the same name in another cockpit is still you)"
    )
}

/// `:requests`: the room's pending requests.
pub(super) fn open(state: &mut State) {
    if state.room.is_none() {
        return state.notify(
            "no war room ([warroom] in the config): there are no requests to approve",
            Level::Warn,
            5,
        );
    }
    state.pane = Some(Pane::new(PaneKind::Requests { selected: 0 }));
}

/// Keys in the Requests list.
pub(super) fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let Some(Pane {
        kind: PaneKind::Requests { selected },
        ..
    }) = state.pane.as_mut()
    else {
        return None;
    };
    let last = state.requests.pending.len().saturating_sub(1);
    let chosen = state.requests.pending.get((*selected).min(last)).cloned();
    match command {
        Command::Up => *selected = selected.saturating_sub(1),
        Command::Down => *selected = (*selected + 1).min(last),
        Command::Activate => return Some(open_approval(state, chosen)),
        Command::RejectRequest => open_rejection(state, chosen),
        _ => return None,
    }
    Some(Vec::new())
}

/// Whether this operator may decide it at all: not their own, not expired.
fn refused(state: &State, request: &Request) -> Option<String> {
    if request.operator == state.settings.operator {
        return Some(self_refusal(request.id));
    }
    (request.expires <= state.now.0).then(|| {
        format!(
            "request {} expired at {} UTC",
            request.id,
            UnixTime(request.expires).clock_utc()
        )
    })
}

/// Enter on a request: the same dialog the requester confirmed, to approve it.
fn open_approval(state: &mut State, request: Option<Request>) -> Vec<Effect> {
    let Some(request) = request else {
        state.notify("no request to approve", Level::Ok, 3);
        return Vec::new();
    };
    if let Some(why) = refused(state, &request) {
        state.notify(why, Level::Warn, 6);
        return Vec::new();
    }
    state.next_seq += 1;
    let mut dialog = Dialog::new(state.next_seq, request.action.clone(), Vec::new());
    // The change and CLI are the requester's, word for word; the warnings (an HPA that will
    // undo a scale, say) are judged on this cockpit's view of the same estate.
    let none = std::collections::BTreeSet::new();
    let local = crate::actions::preflight::preflight(
        &request.action,
        &state.estate,
        state.now,
        false,
        &none,
    );
    dialog.preview = Ok(crate::actions::preflight::Preview {
        change: request.change.clone(),
        warnings: local.map(|p| p.warnings).unwrap_or_default(),
        cli: request.cli.clone(),
    });
    // The requester's cockpit checks its permission and runs it; the approver only decides.
    dialog.permission = Some(crate::actions::executor::Permission::Allowed);
    dialog.approving = Some(Box::new(request));
    let rules = &state.settings.guardrails.rules;
    dialog.judge_guardrails(rules, &state.estate, state.now, true);
    dialog.focus = dialog.first_focus();
    state.pane = None;
    state.dialog = Some(dialog);
    Vec::new()
}

/// Confirm in an approving dialog.
pub(super) fn approve(state: &mut State, request: Request) -> Vec<Effect> {
    if let Some(why) = refused(state, &request) {
        state.notify(why, Level::Warn, 6);
        return Vec::new();
    }
    state.notify(format!("approving request {}...", request.id), Level::Ok, 4);
    vec![Effect::DecideRequest {
        id: request.id,
        approve: true,
        reason: String::new(),
    }]
}

/// The reject key: a reason is typed first.
fn open_rejection(state: &mut State, request: Option<Request>) {
    let Some(request) = request else {
        return state.notify("no request to reject", Level::Ok, 3);
    };
    let mut input = ratatui_textarea::TextArea::default();
    input.set_placeholder_text(format!(
        "why request {} of {} is rejected (they see it)",
        request.id, request.operator
    ));
    state.note_input = Some(input);
    state.note_purpose = super::room::InputPurpose::Reject(request.id);
}

/// The rejection's reason typed: sent.
pub(super) fn rejected(state: &mut State, id: u64, reason: String) -> Vec<Effect> {
    state.notify(format!("rejecting request {id}..."), Level::Ok, 4);
    vec![Effect::DecideRequest {
        id,
        approve: false,
        reason,
    }]
}
