//! The `[[guardrails]]` in the confirmation dialog: the verdict on the action as it is being
//! edited, the reason a rule asks for, and what a rule blocks, said with the rule's number and
//! line so the operator knows which one to read.

use super::dialog::{Dialog, FieldKind};
use crate::actions::guardrails::{self, GuardFacts, Verdict};
use crate::config::GuardrailRule;
use crate::domain::{Estate, UnixTime};

impl Dialog {
    /// Judges the action as its fields now make it, against the estate as it is now; without
    /// a war room (`room` false) a two-person rule refuses.
    pub fn judge_guardrails(
        &mut self,
        rules: &[GuardrailRule],
        estate: &Estate,
        now: UnixTime,
        room: bool,
    ) {
        self.from_replicas = guardrails::from_replicas(&self.action, estate);
        let verdict = guardrails::judge_action(rules, &self.action, self.from_replicas, now);
        self.guard = match room {
            true => verdict,
            false => guardrails::without_room(verdict),
        };
    }

    /// Whether confirming asks a second operator (a two-person rule) instead of acting.
    pub fn asks_second_operator(&self) -> bool {
        self.approving.is_none() && self.guard.demands().is_some_and(|d| d.two_person)
    }

    pub fn guard_typed(&self) -> bool {
        self.guard.demands().is_some_and(|d| d.typed)
    }

    /// Why a reason must be written, when a rule asks for one (the requester's, when approving).
    pub fn reason_demanded(&self) -> Option<&str> {
        if self.approving.is_some() {
            return None;
        }
        self.guard.demands().and_then(|d| d.reason.as_deref())
    }

    /// The reason written, when one is asked for and not blank.
    pub fn reason(&self) -> Option<String> {
        self.reason_demanded()?;
        let text = self
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Reason)?
            .value();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// The refusal of the rule that applies, naming it.
    pub fn guard_denies(&self) -> Option<String> {
        match &self.guard {
            Verdict::Denied { rule, why } => Some(format!("refused by {rule}: {why}")),
            _ => None,
        }
    }

    /// What a rule still keeps Confirm disabled for: its refusal, or the reason not written.
    pub fn guard_blocks(&self) -> Option<String> {
        if let Some(denied) = self.guard_denies() {
            return Some(denied);
        }
        let why = self.reason_demanded()?;
        let rule = self.guard.rule()?;
        self.reason().is_none().then(|| {
            format!(
                "write a reason to enable {} ({rule}: {why})",
                self.action.kind.verb()
            )
        })
    }

    /// What the runner judges the confirmed intent on.
    pub fn guard_facts(&self) -> GuardFacts {
        GuardFacts {
            reason: self.reason(),
            from_replicas: self.from_replicas,
            approval: None,
        }
    }
}
