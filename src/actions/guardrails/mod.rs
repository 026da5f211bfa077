//! Judging an action by the `[[guardrails]]` (`config/guardrails/`): the first rule that
//! matches its context, namespace and kind decides whether it is refused and what it demands.
//! Pure; the dialog asks it as the operator edits, and the runner asks it again with the
//! confirmed intent just before executing, so a rule holds even if the dialog is bypassed.

use super::audit::Intent;
use super::{Action, ActionKind, Target};
use crate::config::guardrails::{GuardrailRule, ScaleLimit};
use crate::domain::{Estate, UnixTime};

/// Which rule: its place in the file (1-based) and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRef {
    pub number: usize,
    pub line: usize,
}

impl std::fmt::Display for RuleRef {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "guardrail {} (line {})", self.number, self.line)
    }
}

/// What an allowing rule asks for before the action may run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demands {
    /// The target's name typed, whatever the risk.
    pub typed: bool,
    /// A reason must be written, and why: "the rule asks for one", "outside Mon-Fri ...".
    pub reason: Option<String>,
    /// The most a scale may change the replicas.
    pub scale_limit: Option<ScaleLimit>,
    /// The rule's window, and whether now is inside it.
    pub window: Option<(String, bool)>,
    /// A second operator must approve it through the war room before it runs.
    pub two_person: bool,
}

impl Demands {
    /// In a line: "typed name, a reason (outside Mon-Fri 08:00-18:00 UTC)".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.typed {
            parts.push("the target's name typed".to_string());
        }
        if let Some(why) = &self.reason {
            parts.push(format!("a reason ({why}), written to the audit log"));
        }
        if let Some(limit) = self.scale_limit {
            parts.push(format!("a scale change of at most {limit}"));
        }
        if let Some((window, true)) = &self.window {
            parts.push(format!("inside {window} now"));
        }
        if self.two_person {
            parts.push("a second operator's approval in the war room".into());
        }
        if parts.is_empty() {
            "nothing more".into()
        } else {
            parts.join("; ")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No rule is about this action.
    Free,
    Allowed {
        rule: RuleRef,
        demands: Demands,
    },
    Denied {
        rule: RuleRef,
        why: String,
    },
}

impl Verdict {
    pub fn demands(&self) -> Option<&Demands> {
        match self {
            Verdict::Allowed { demands, .. } => Some(demands),
            _ => None,
        }
    }

    pub fn rule(&self) -> Option<RuleRef> {
        match self {
            Verdict::Free => None,
            Verdict::Allowed { rule, .. } | Verdict::Denied { rule, .. } => Some(*rule),
        }
    }
}

/// Why a two-person rule refuses in a cockpit without a war room.
pub const TWO_PERSON_NO_ROOM: &str =
    "two-person rule: needs a war room ([warroom] in the config) for a second operator to approve";

/// The rule that applies to an action of `kind` in `context` and `namespace`, and what it says,
/// at `now`. The scale limit is returned as a demand; `judge_action` checks it.
pub fn judge(
    rules: &[GuardrailRule],
    context: &str,
    namespace: Option<&str>,
    kind: &str,
    now: UnixTime,
) -> Verdict {
    let Some((i, rule)) = rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.matches(context, namespace, kind))
    else {
        return Verdict::Free;
    };
    let at = RuleRef {
        number: i + 1,
        line: rule.line,
    };
    if let Some(why) = &rule.deny {
        return Verdict::Denied {
            rule: at,
            why: why.clone(),
        };
    }
    let window = rule
        .window
        .as_ref()
        .map(|w| (w.text.clone(), w.contains(now.0)));
    let mut why = Vec::new();
    if rule.reason {
        why.push("the rule asks for one".to_string());
    }
    if let Some((text, false)) = &window {
        why.push(format!("outside {text}"));
    }
    Verdict::Allowed {
        rule: at,
        demands: Demands {
            typed: rule.typed,
            reason: (!why.is_empty()).then(|| why.join("; ")),
            scale_limit: rule.max_scale_change.filter(|_| kind == "scale"),
            window,
            two_person: rule.two_person,
        },
    }
}

/// The verdict on an action, its scale change checked against the rule's limit from
/// `from_replicas` (the count the dialog showed).
pub fn judge_action(
    rules: &[GuardrailRule],
    action: &Action,
    from_replicas: Option<u32>,
    now: UnixTime,
) -> Verdict {
    let verdict = judge(
        rules,
        &action.context,
        action.target.namespace(),
        action.kind.name(),
        now,
    );
    let (Verdict::Allowed { rule, demands }, ActionKind::Scale { replicas }) =
        (&verdict, &action.kind)
    else {
        return verdict;
    };
    let Some(limit) = demands.scale_limit else {
        return verdict;
    };
    match from_replicas {
        Some(from) if limit.allows(from, *replicas) => verdict,
        Some(from) => Verdict::Denied {
            rule: *rule,
            why: format!("replicas {from} → {replicas} is more than {limit}"),
        },
        None => Verdict::Denied {
            rule: *rule,
            why: format!("the current replica count is not known, so {limit} cannot be checked"),
        },
    }
}

/// The replicas a scale starts from, as the estate has them.
pub fn from_replicas(action: &Action, estate: &Estate) -> Option<u32> {
    let (
        ActionKind::Scale { .. },
        Target::Workload {
            namespace, name, ..
        },
    ) = (&action.kind, &action.target)
    else {
        return None;
    };
    estate
        .workloads
        .iter()
        .find(|w| *w.context == *action.context && &w.namespace == namespace && &w.name == name)
        .map(|w| w.desired)
}

/// What the dialog knew, for the rules, when the operator confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardFacts {
    /// The reason the operator wrote (empty: none asked, none given).
    pub reason: Option<String>,
    /// The replicas a scale starts from.
    pub from_replicas: Option<u32>,
    /// A second operator's approval, for a two-person rule.
    pub approval: Option<Approval>,
}

/// Who approved a two-person action, and the war room's request it was asked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    pub request: u64,
}

/// A two-person rule's verdict in a cockpit without a war room: refused, saying why.
pub fn without_room(verdict: Verdict) -> Verdict {
    match verdict {
        Verdict::Allowed { rule, demands } if demands.two_person => Verdict::Denied {
            rule,
            why: TWO_PERSON_NO_ROOM.into(),
        },
        verdict => verdict,
    }
}

/// The rules once more, on the intent about to be executed: refused unless what the rule
/// demands was done (a two-person rule: an approval by another operator, and a war room to
/// have asked in). Returns the rule that applied.
pub fn enforce(
    rules: &[GuardrailRule],
    intent: &Intent,
    now: UnixTime,
    room: bool,
) -> Result<Option<RuleRef>, String> {
    let verdict = judge_action(rules, &intent.action, intent.guard.from_replicas, now);
    let verdict = if room { verdict } else { without_room(verdict) };
    match verdict {
        Verdict::Free => Ok(None),
        Verdict::Denied { rule, why } => Err(format!("{rule}: {why}")),
        Verdict::Allowed { rule, demands } => {
            if demands.typed && intent.confirmed_by != TYPED_NAME {
                return Err(format!(
                    "{rule}: the target's name must be typed to confirm"
                ));
            }
            let given = intent
                .guard
                .reason
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
            if let Some(why) = demands.reason.filter(|_| !given) {
                return Err(format!("{rule}: a reason is required ({why})"));
            }
            if demands.two_person {
                match &intent.guard.approval {
                    None => {
                        return Err(format!(
                            "{rule}: two-person rule: a second operator must approve it in the war room first"
                        ));
                    }
                    Some(a) if a.by == intent.operator => {
                        return Err(format!(
                            "{rule}: two-person rule: approved by {} who asked for it; another operator must approve",
                            a.by
                        ));
                    }
                    Some(_) => {}
                }
            }
            Ok(Some(rule))
        }
    }
}

/// `Intent::confirmed_by` when the target's name was typed.
pub const TYPED_NAME: &str = "typed name";

#[cfg(test)]
mod tests;
