//! The `[[guardrails]]` in the confirmation dialog: the verdict on the action as it is being
//! edited, the reason a rule asks for, and what a rule blocks, said with the rule's number and
//! line so the operator knows which one to read.

use super::dialog::{Dialog, FieldKind};
use crate::actions::guardrails::{self, GuardFacts, Verdict};
use crate::config::GuardrailRule;
use crate::domain::{Estate, UnixTime};

impl Dialog {
    /// Judges the action as its fields now make it, against the estate as it is now.
    pub fn judge_guardrails(&mut self, rules: &[GuardrailRule], estate: &Estate, now: UnixTime) {
        self.from_replicas = guardrails::from_replicas(&self.action, estate);
        self.guard = guardrails::judge_action(rules, &self.action, self.from_replicas, now);
    }

    pub fn guard_typed(&self) -> bool {
        self.guard.demands().is_some_and(|d| d.typed)
    }

    /// Why a reason must be written, when a rule asks for one.
    pub fn reason_demanded(&self) -> Option<&str> {
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
        }
    }
}
