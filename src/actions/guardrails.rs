//! Judging an action by the `[[guardrails]]` (`config/guardrails.rs`): the first rule that
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

/// What only the refusal of the two-person rule can say until the war room's approval flow
/// exists.
pub const TWO_PERSON_NOT_BUILT: &str = "two-person rule needs the war-room flow, not built yet";

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
    if rule.two_person {
        return Verdict::Denied {
            rule: at,
            why: TWO_PERSON_NOT_BUILT.into(),
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
        .find(|w| &w.namespace == namespace && &w.name == name)
        .map(|w| w.desired)
}

/// What the dialog knew, for the rules, when the operator confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardFacts {
    /// The reason the operator wrote (empty: none asked, none given).
    pub reason: Option<String>,
    /// The replicas a scale starts from.
    pub from_replicas: Option<u32>,
}

/// The rules once more, on the intent about to be executed: refused unless what the rule
/// demands was done. Returns the rule that applied.
pub fn enforce(
    rules: &[GuardrailRule],
    intent: &Intent,
    now: UnixTime,
) -> Result<Option<RuleRef>, String> {
    match judge_action(rules, &intent.action, intent.guard.from_replicas, now) {
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
            Ok(Some(rule))
        }
    }
}

/// `Intent::confirmed_by` when the target's name was typed.
pub const TYPED_NAME: &str = "typed name";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::guardrails::Window;

    fn rule(context: &str, namespace: &str, actions: &[&str]) -> GuardrailRule {
        GuardrailRule {
            context: context.into(),
            namespace: namespace.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            deny: None,
            typed: false,
            reason: false,
            max_scale_change: None,
            window: None,
            two_person: false,
            line: 0,
        }
    }

    fn scale(context: &str, to: u32) -> Action {
        Action {
            kind: ActionKind::Scale { replicas: to },
            target: Target::Workload {
                namespace: "pos".into(),
                kind: crate::actions::WorkloadKindName::Deployment,
                name: "pos-order".into(),
            },
            context: context.into(),
        }
    }

    /// Monday 2026-11-30 12:00 UTC, and the Saturday after.
    const MONDAY_NOON: UnixTime = UnixTime(1_795_996_800 + 12 * 3600);
    const SATURDAY_NOON: UnixTime = UnixTime(1_795_996_800 + 5 * 86_400 + 12 * 3600);

    #[test]
    fn every_action_kind_is_known_to_the_rules_by_its_audit_name() {
        let kinds = [
            ActionKind::Scale { replicas: 1 },
            ActionKind::RolloutRestart,
            ActionKind::Rollback { to_revision: 1 },
            ActionKind::Lockdown,
            ActionKind::LiftLockdown,
            ActionKind::RestartPod,
            ActionKind::Silence {
                matchers: Vec::new(),
                duration_secs: 1,
                comment: String::new(),
            },
            ActionKind::ExpireSilence {
                silence: String::new(),
            },
            ActionKind::ExtendSilence {
                silence: String::new(),
                duration_secs: 1,
                comment: String::new(),
            },
            ActionKind::CancelQuery,
            ActionKind::TerminateBackend,
            ActionKind::TakeBackup,
            ActionKind::VerifyBackup,
            ActionKind::TestRestore,
            ActionKind::Exec {
                container: None,
                command: Vec::new(),
                high_risk: false,
            },
            ActionKind::Shell {
                container: None,
                shells: Vec::new(),
                high_risk: false,
            },
            ActionKind::PortForward {
                local: 8080,
                remote: 8080,
                via: None,
            },
            ActionKind::Team {
                name: "Ping Redis".into(),
                place: crate::actions::team::Place::Local,
                argv: Vec::new(),
                risk: crate::actions::Risk::Low,
                readonly_ok: true,
            },
        ];
        let known = crate::config::guardrails::ACTION_KINDS;
        assert_eq!(kinds.len(), known.len());
        for kind in kinds {
            assert!(
                known.iter().any(|(name, _)| *name == kind.name()),
                "{} is missing from ACTION_KINDS",
                kind.name()
            );
        }
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let mut frozen = rule("prod-*", "pos", &["scale", "rollback"]);
        frozen.deny = Some("pos is frozen for the sale".into());
        frozen.line = 3;
        let mut typed = rule("prod-*", "*", &[]);
        typed.typed = true;
        typed.line = 9;
        let rules = [frozen, typed];
        assert_eq!(
            judge_action(&rules, &scale("prod-eu", 5), Some(3), MONDAY_NOON),
            Verdict::Denied {
                rule: RuleRef { number: 1, line: 3 },
                why: "pos is frozen for the sale".into()
            }
        );
        let v = judge(&rules, "prod-eu", Some("pos"), "restart-pod", MONDAY_NOON);
        assert_eq!(v.rule(), Some(RuleRef { number: 2, line: 9 }));
        assert!(v.demands().unwrap().typed);
        assert_eq!(
            judge(&rules, "staging", Some("pos"), "scale", MONDAY_NOON),
            Verdict::Free
        );
    }

    #[test]
    fn a_scale_beyond_the_limit_is_refused_and_within_it_allowed() {
        let mut half = rule("*", "*", &["scale"]);
        half.max_scale_change = Some(ScaleLimit::Percent(50));
        let rules = [half];
        assert!(matches!(
            judge_action(&rules, &scale("prod-eu", 6), Some(4), MONDAY_NOON),
            Verdict::Allowed { .. }
        ));
        match judge_action(&rules, &scale("prod-eu", 7), Some(4), MONDAY_NOON) {
            Verdict::Denied { why, .. } => {
                assert_eq!(why, "replicas 4 → 7 is more than ±50 %")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            judge_action(&rules, &scale("prod-eu", 6), None, MONDAY_NOON),
            Verdict::Denied { .. }
        ));
    }

    #[test]
    fn outside_the_window_a_reason_is_demanded() {
        let mut hours = rule("prod-*", "*", &[]);
        hours.window = Some(Window::parse("Mon-Fri 08:00-18:00 UTC").unwrap());
        let rules = [hours];
        let inside = judge(&rules, "prod-eu", Some("pos"), "scale", MONDAY_NOON);
        assert_eq!(inside.demands().unwrap().reason, None);
        let outside = judge(&rules, "prod-eu", Some("pos"), "scale", SATURDAY_NOON);
        assert_eq!(
            outside.demands().unwrap().reason.as_deref(),
            Some("outside Mon-Fri 08:00-18:00 UTC")
        );
    }

    #[test]
    fn two_person_refuses_until_the_war_room_flow_exists() {
        let mut two = rule("*", "*", &[]);
        two.two_person = true;
        match judge(&[two], "prod-eu", None, "terminate-backend", MONDAY_NOON) {
            Verdict::Denied { why, .. } => assert_eq!(why, TWO_PERSON_NOT_BUILT),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn enforcement_refuses_what_the_dialog_should_have_demanded() {
        let mut strict = rule("prod-*", "*", &[]);
        strict.typed = true;
        strict.reason = true;
        let rules = [strict];
        let mut intent = Intent {
            id: "1".into(),
            operator: "alice".into(),
            action: scale("prod-eu", 5),
            change: "replicas 3 → 5".into(),
            cli: String::new(),
            confirmed_by: "button".into(),
            guard: GuardFacts::default(),
        };
        let err = enforce(&rules, &intent, MONDAY_NOON).unwrap_err();
        assert!(err.contains("must be typed"), "{err}");
        intent.confirmed_by = TYPED_NAME.into();
        let err = enforce(&rules, &intent, MONDAY_NOON).unwrap_err();
        assert!(err.contains("a reason is required"), "{err}");
        intent.guard.reason = Some("   ".into());
        assert!(enforce(&rules, &intent, MONDAY_NOON).is_err(), "blank");
        intent.guard.reason = Some("INC-42: checkout latency".into());
        assert_eq!(
            enforce(&rules, &intent, MONDAY_NOON),
            Ok(Some(RuleRef { number: 1, line: 0 }))
        );
        intent.action.context = "staging".into();
        intent.guard = GuardFacts::default();
        intent.confirmed_by = "button".into();
        assert_eq!(enforce(&rules, &intent, MONDAY_NOON), Ok(None));
    }
}
