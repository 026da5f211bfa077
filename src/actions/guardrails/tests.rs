//! Judging by the rules: first match, each demand, the scale limit, enforcement on an intent.

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
        ActionKind::Cordon,
        ActionKind::Uncordon,
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
        ActionKind::HpaBounds {
            hpa: "h".into(),
            min: 1,
            max: 2,
        },
        ActionKind::SetResources {
            container: "c".into(),
            requests_cpu: None,
            requests_memory: None,
            limits_cpu: None,
            limits_memory: Some("1Gi".into()),
        },
        ActionKind::Drain,
        ActionKind::RunCronJob { job: String::new() },
        ActionKind::SuspendCronJob,
        ActionKind::ResumeCronJob,
        ActionKind::DeleteJob,
        ActionKind::EditConfigMap {
            key: "cache.enabled".into(),
            resource_version: "1".into(),
            old_size: 4,
            new_size: 5,
            old: "true".into(),
            value: "false".into(),
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
fn two_person_is_a_demand_and_without_a_room_a_refusal() {
    let mut two = rule("*", "*", &[]);
    two.two_person = true;
    two.typed = true;
    let verdict = judge(&[two], "prod-eu", None, "terminate-backend", MONDAY_NOON);
    let demands = verdict.demands().expect("allowed, with demands");
    assert!(demands.two_person && demands.typed, "{demands:?}");
    assert!(demands.describe().contains("a second operator's approval"));
    match without_room(verdict) {
        Verdict::Denied { why, .. } => assert_eq!(why, TWO_PERSON_NO_ROOM),
        other => panic!("{other:?}"),
    }
}

#[test]
fn enforcement_lets_a_two_person_action_through_only_approved_by_another_operator() {
    let mut two = rule("prod-*", "*", &[]);
    two.two_person = true;
    let rules = [two];
    let mut intent = Intent {
        id: "1".into(),
        operator: "alice".into(),
        action: scale("prod-eu", 5),
        change: "replicas 3 → 5".into(),
        cli: String::new(),
        confirmed_by: "button".into(),
        guard: GuardFacts::default(),
    };
    let err = enforce(&rules, &intent, MONDAY_NOON, true).unwrap_err();
    assert!(err.contains("a second operator must approve"), "{err}");
    intent.guard.approval = Some(Approval {
        by: "alice".into(),
        request: 7,
    });
    let err = enforce(&rules, &intent, MONDAY_NOON, true).unwrap_err();
    assert!(err.contains("another operator must approve"), "{err}");
    intent.guard.approval = Some(Approval {
        by: "bob".into(),
        request: 7,
    });
    assert!(enforce(&rules, &intent, MONDAY_NOON, true).is_ok());
    let err = enforce(&rules, &intent, MONDAY_NOON, false).unwrap_err();
    assert!(err.ends_with(TWO_PERSON_NO_ROOM), "{err}");
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
    let err = enforce(&rules, &intent, MONDAY_NOON, false).unwrap_err();
    assert!(err.contains("must be typed"), "{err}");
    intent.confirmed_by = TYPED_NAME.into();
    let err = enforce(&rules, &intent, MONDAY_NOON, false).unwrap_err();
    assert!(err.contains("a reason is required"), "{err}");
    intent.guard.reason = Some("   ".into());
    assert!(
        enforce(&rules, &intent, MONDAY_NOON, false).is_err(),
        "blank"
    );
    intent.guard.reason = Some("INC-42: checkout latency".into());
    assert_eq!(
        enforce(&rules, &intent, MONDAY_NOON, false),
        Ok(Some(RuleRef { number: 1, line: 0 }))
    );
    intent.action.context = "staging".into();
    intent.guard = GuardFacts::default();
    intent.confirmed_by = "button".into();
    assert_eq!(enforce(&rules, &intent, MONDAY_NOON, false), Ok(None));
}
