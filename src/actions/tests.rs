//! Tests of `actions`.

use super::*;

fn workload(kind: ActionKind) -> Action {
    Action {
        kind,
        target: Target::Workload {
            namespace: "pos".into(),
            kind: WorkloadKindName::Deployment,
            name: "pos-order".into(),
        },
        context: "demo".into(),
    }
}

#[test]
fn cli_equivalents_are_the_commands_the_runbooks_use() {
    assert_eq!(
        workload(ActionKind::Scale { replicas: 5 }).cli(),
        "kubectl -n pos scale deployment/pos-order --replicas=5"
    );
    assert_eq!(
        workload(ActionKind::Rollback { to_revision: 13 }).cli(),
        "kubectl -n pos rollout undo deployment/pos-order --to-revision=13"
    );
    let cancel = Action {
        kind: ActionKind::CancelQuery,
        target: Target::PgBackend {
            instance: "positivity-db".into(),
            pid: 4711,
        },
        context: "positivity-db".into(),
    };
    assert_eq!(cancel.cli(), "SELECT pg_cancel_backend(4711);");
    let lift = Action {
        kind: ActionKind::LiftLockdown,
        target: Target::Namespace {
            namespace: "pos".into(),
        },
        context: "demo".into(),
    };
    assert_eq!(
        lift.cli(),
        "kubectl -n pos delete networkpolicy opsdeck-lockdown"
    );
    // The one silence being expired, not every silence on the alert's name.
    let expire = Action {
        kind: ActionKind::ExpireSilence {
            silence: "0d8bf890-9ec8-4464-80de-a9d43701dcb4".into(),
        },
        target: Target::Alert {
            source: "eu".into(),
            fingerprint: "f1".into(),
            name: "HighLatencyP95".into(),
        },
        context: "eu".into(),
    };
    assert_eq!(
        expire.cli(),
        "amtool silence expire 0d8bf890-9ec8-4464-80de-a9d43701dcb4"
    );
}

#[test]
fn an_exec_names_pod_container_and_each_argument_as_kubectl_takes_it() {
    let exec = Action {
        kind: ActionKind::Exec {
            container: Some("redis".into()),
            command: vec!["sh".into(), "-c".into(), "echo it's $HOME".into()],
            high_risk: false,
        },
        target: Target::Pod {
            namespace: "data".into(),
            name: "redis-0".into(),
        },
        context: "demo".into(),
    };
    assert_eq!(
        exec.cli(),
        r#"kubectl -n data exec redis-0 -c redis -- sh -c 'echo it'\''s $HOME'"#
    );
    assert_eq!(exec.title(), "Run a command in data/redis-0");
    assert_eq!(exec.risk(), Risk::Medium);
    let high = ActionKind::Exec {
        container: None,
        command: vec!["ls".into()],
        high_risk: true,
    };
    assert_eq!(high.risk(), Risk::High);
}

#[test]
fn a_port_forward_is_the_kubectl_command_with_local_and_remote_ports() {
    let forward = Action {
        kind: ActionKind::PortForward {
            local: 3000,
            remote: 8080,
            via: Some("deployment/grafana".into()),
        },
        target: Target::Pod {
            namespace: "monitoring".into(),
            name: "grafana-7d9f".into(),
        },
        context: "demo".into(),
    };
    assert_eq!(
        forward.cli(),
        "kubectl -n monitoring port-forward pod/grafana-7d9f 3000:8080"
    );
    assert_eq!(forward.title(), "Forward a port of monitoring/grafana-7d9f");
    assert_eq!(forward.risk(), Risk::Low);
}

#[test]
fn scaling_to_zero_is_high_risk_and_destructive() {
    assert_eq!(
        workload(ActionKind::Scale { replicas: 3 }).risk(),
        Risk::Medium
    );
    assert_eq!(
        workload(ActionKind::Scale { replicas: 0 }).risk(),
        Risk::High
    );
    assert!(ActionKind::Scale { replicas: 0 }.destructive());
    assert!(!ActionKind::Scale { replicas: 2 }.destructive());
}

#[test]
fn titles_name_verb_and_target() {
    assert_eq!(
        workload(ActionKind::Scale { replicas: 5 }).title(),
        "Scale deployment pos/pos-order"
    );
    assert_eq!(
        workload(ActionKind::RolloutRestart).target.key(),
        "pos/deployment/pos-order"
    );
}
