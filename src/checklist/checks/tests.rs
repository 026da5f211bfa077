//! Each check kind against a passing, a warning and a failing estate, and the gate's cases.

use super::*;
use crate::checklist::def::{KpiName, LogWindow};
use crate::checklist::probe::ProbeError;
use crate::domain::pod::tests::pod;
use crate::domain::{
    Alert, BackupItem, BackupSet, PgInstance, PgRole, RedisInfo, Report, ServiceHealth,
    ServiceKpis, Severity, SourceId, SourceReport, Verification, Workload, WorkloadKind,
};

const NOW: UnixTime = UnixTime(1_000_000);

fn feed(estate: &mut Estate, kind: SourceKind, name: &str, report: Report) {
    estate.register_source(SourceId::new(kind, name), 30);
    estate.apply(SourceReport {
        source: SourceId::new(kind, name),
        at: NOW.plus(-1),
        report,
    });
}

fn check(estate: &Estate, check: Check) -> Outcome {
    evaluate(&check, &Facts { estate, now: NOW }, None)
}

fn workload(ns: &str, name: &str, ready: u32, desired: u32) -> Workload {
    Workload {
        kind: WorkloadKind::Deployment,
        namespace: ns.into(),
        name: name.into(),
        desired,
        ready,
        updated: desired,
        revision: 1,
        image: "i".into(),
        history: vec![],
        created: UnixTime(0),
    }
}

fn health(service: &str, up: bool) -> ServiceHealth {
    ServiceHealth {
        service: service.into(),
        url: format!("http://{service}/health"),
        up,
        status_code: Some(if up { 200 } else { 503 }),
        latency_ms: 3,
        last_error: (!up).then(|| "HTTP 503 Service Unavailable".into()),
        checked_at: NOW,
    }
}

#[test]
fn services_pass_warn_on_missing_replicas_and_fail_on_a_down_check() {
    let mut estate = Estate::default();
    let services = Check::Services { namespace: None };
    assert_eq!(check(&estate, services.clone()).status, Status::Skip);
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("pos", "pos-order", 3, 3)]),
    );
    feed(
        &mut estate,
        SourceKind::Health,
        "checks",
        Report::Health(vec![health("pos/pos-order", true)]),
    );
    let pass = check(&estate, services.clone());
    assert_eq!(pass.status, Status::Pass, "{pass:?}");
    assert_eq!(pass.evidence, ["1 workloads checked, 1 health checks"]);

    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("pos", "pos-order", 2, 3)]),
    );
    let warn = check(&estate, services.clone());
    assert_eq!(warn.status, Status::Warn);
    assert_eq!(warn.evidence[0], "`pos/pos-order` 2/3 ready");

    feed(
        &mut estate,
        SourceKind::Health,
        "checks",
        Report::Health(vec![health("pos/pos-order", false)]),
    );
    let fail = check(&estate, services.clone());
    assert_eq!(fail.status, Status::Fail);
    assert!(
        fail.evidence[0].starts_with("`pos/pos-order` health check down: HTTP 503"),
        "{fail:?}"
    );
    assert_eq!(fail.jump.unwrap().filter, "pos-order");
    let elsewhere = check(
        &estate,
        Check::Services {
            namespace: Some("workflow".into()),
        },
    );
    assert_eq!(
        elsewhere.status,
        Status::Pass,
        "another namespace is not judged: {elsewhere:?}"
    );
}

#[test]
fn pods_fail_on_crash_loops_and_on_many_recent_restarts_only() {
    let mut estate = Estate::default();
    let mut restarted = pod("workflow", "validation-service-1", "Running");
    restarted.restarts = 7;
    restarted.last_restart = Some(NOW.plus(-3 * 86_400));
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodsReset(vec![
            pod("pos", "pos-order-1", "Running"),
            restarted.clone(),
        ]),
    );
    let pods = Check::Pods {
        namespace: None,
        max_restarts: 5,
    };
    assert_eq!(
        check(&estate, pods.clone()).status,
        Status::Pass,
        "restarts three days ago do not count"
    );

    restarted.last_restart = Some(NOW.plus(-600));
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodUpsert(restarted),
    );
    let fail = check(&estate, pods.clone());
    assert_eq!(fail.status, Status::Fail);
    assert_eq!(
        fail.evidence[0],
        "pod `workflow/validation-service-1` restarted 7 times, last 10 min ago"
    );

    let mut looping = pod("workflow", "pdf-recognizer-5d8f-x2x9q", "CrashLoopBackOff");
    looping.restarts = 57;
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodUpsert(looping),
    );
    let fail = check(&estate, pods);
    assert_eq!(
        fail.evidence.len(),
        3,
        "two findings and the summary: {fail:?}"
    );
    assert!(
        fail.evidence
            .iter()
            .any(|e| e == "pod `workflow/pdf-recognizer-5d8f-x2x9q` is crash-looping: CrashLoopBackOff, 57 restarts")
    );
    assert_eq!(fail.jump.unwrap().panel, crate::app::Panel::Pods);
    let pos_only = check(
        &estate,
        Check::Pods {
            namespace: Some("pos".into()),
            max_restarts: 5,
        },
    );
    assert_eq!(pos_only.status, Status::Pass);
}

fn alert(name: &str, severity: Severity, state: crate::domain::AlertState) -> Alert {
    Alert {
        fingerprint: name.into(),
        source: "am".into(),
        name: name.into(),
        severity,
        state,
        starts_at: NOW.plus(-720),
        summary: "p95 above 1 s".into(),
        description: String::new(),
        runbook: None,
        labels: vec![("namespace".into(), "pos".into())],
        silenced_by: vec![],
    }
}

#[test]
fn alerts_fail_on_critical_warn_on_warnings_and_ignore_silenced() {
    use crate::domain::AlertState::{Active, Silenced};
    let mut estate = Estate::default();
    feed(
        &mut estate,
        SourceKind::Alertmanager,
        "am",
        Report::Alerts(vec![alert("Old", Severity::Critical, Silenced)]),
    );
    assert_eq!(check(&estate, Check::Alerts).status, Status::Pass);
    feed(
        &mut estate,
        SourceKind::Alertmanager,
        "am",
        Report::Alerts(vec![alert("Slow", Severity::Warning, Active)]),
    );
    let warn = check(&estate, Check::Alerts);
    assert_eq!(warn.status, Status::Warn);
    assert_eq!(
        warn.evidence[0],
        "warning `Slow` (pos) firing for 12 min: p95 above 1 s"
    );
    feed(
        &mut estate,
        SourceKind::Alertmanager,
        "am",
        Report::Alerts(vec![
            alert("Slow", Severity::Warning, Active),
            alert("Down", Severity::Critical, Active),
        ]),
    );
    let fail = check(&estate, Check::Alerts);
    assert_eq!(fail.status, Status::Fail);
    assert!(
        fail.evidence[0].starts_with("critical `Down`"),
        "worst first: {fail:?}"
    );
    assert_eq!(fail.jump.unwrap().filter, "Down");
}

fn pg(name: &str, sessions: usize, max: u32) -> PgInstance {
    let session = crate::domain::PgSession {
        pid: 1,
        user: "u".into(),
        database: "d".into(),
        application: "a".into(),
        client: "c".into(),
        state: crate::domain::SessionState::Idle,
        wait_event: None,
        query_start: None,
        xact_start: None,
        query: String::new(),
        blocked_by: vec![],
    };
    PgInstance {
        name: name.into(),
        version: "15".into(),
        role: PgRole::Primary,
        max_connections: max,
        sessions: vec![session; sessions],
        size_bytes: 0,
        replication_lag_secs: None,
    }
}

#[test]
fn postgres_judges_connections_per_instance_and_an_unreachable_one_fails() {
    let mut estate = Estate::default();
    let all = Check::Postgres { instance: None };
    feed(
        &mut estate,
        SourceKind::Postgres,
        "a",
        Report::Postgres(pg("a", 50, 100)),
    );
    assert_eq!(check(&estate, all.clone()).status, Status::Pass);
    feed(
        &mut estate,
        SourceKind::Postgres,
        "b",
        Report::Postgres(pg("b", 84, 100)),
    );
    let warn = check(&estate, all.clone());
    assert_eq!(warn.status, Status::Warn);
    assert_eq!(
        warn.evidence[0],
        "`b` 84/100 connections (84 %), warning at 80 %"
    );
    feed(
        &mut estate,
        SourceKind::Postgres,
        "b",
        Report::Postgres(pg("b", 97, 100)),
    );
    assert_eq!(check(&estate, all.clone()).status, Status::Fail);
    assert_eq!(
        check(
            &estate,
            Check::Postgres {
                instance: Some("a".into())
            }
        )
        .status,
        Status::Pass
    );
    feed(
        &mut estate,
        SourceKind::Postgres,
        "a",
        Report::Unreachable("connection refused".into()),
    );
    let only_a = check(
        &estate,
        Check::Postgres {
            instance: Some("a".into()),
        },
    );
    assert_eq!(only_a.status, Status::Fail);
    assert!(
        only_a.evidence[0].contains("`a` unreachable: connection refused"),
        "{only_a:?}"
    );
    let missing = check(
        &estate,
        Check::Postgres {
            instance: Some("c".into()),
        },
    );
    assert_eq!(missing.status, Status::Skip);
    assert!(missing.evidence[0].contains("no PostgreSQL named `c` is configured"));
}

fn redis(used: u64) -> RedisInfo {
    RedisInfo {
        name: "cache".into(),
        role: "master".into(),
        used_memory: used,
        maxmemory: 100 << 20,
        connected_clients: 1,
        blocked_clients: 0,
        ops_per_sec: 0,
        keyspace_hits: 0,
        keyspace_misses: 0,
        evicted_keys: 0,
        expired_keys: 0,
        ping_ms: 0.4,
        uptime_secs: 1,
        repl_offset: 0,
        slowlog: vec![],
    }
}

#[test]
fn redis_passes_with_pong_warns_on_memory_and_fails_unreachable() {
    let mut estate = Estate::default();
    let r = Check::Redis { instance: None };
    feed(
        &mut estate,
        SourceKind::Redis,
        "cache",
        Report::Redis(redis(50 << 20)),
    );
    let pass = check(&estate, r.clone());
    assert_eq!(pass.status, Status::Pass);
    assert!(
        pass.evidence[0].starts_with("`cache` PONG in 0.4 ms, memory 50.0MiB of 100.0MiB (50 %)"),
        "{pass:?}"
    );
    feed(
        &mut estate,
        SourceKind::Redis,
        "cache",
        Report::Redis(redis(85 << 20)),
    );
    assert_eq!(check(&estate, r.clone()).status, Status::Warn);
    feed(
        &mut estate,
        SourceKind::Redis,
        "cache",
        Report::Redis(redis(95 << 20)),
    );
    assert_eq!(check(&estate, r.clone()).status, Status::Fail);
    feed(
        &mut estate,
        SourceKind::Redis,
        "cache",
        Report::Unreachable("PING: connection refused".into()),
    );
    let down = check(&estate, r);
    assert_eq!(down.status, Status::Fail);
    assert!(down.evidence[0].contains("unreachable: PING: connection refused"));
}

fn set(name: &str, age_h: i64, verified: Option<bool>) -> BackupSet {
    BackupSet {
        name: name.into(),
        kind: "directory".into(),
        location: "/b".into(),
        rpo_secs: 24 * 3600,
        retention_days: 7,
        items: vec![BackupItem {
            name: "x.dump".into(),
            created: NOW.plus(-age_h * 3600),
            size_bytes: 10,
            complete: true,
            note: None,
        }],
        verification: verified.map(|ok| Verification {
            at: NOW.plus(-3600),
            ok,
            detail: "gzip: incomplete deflate stream".into(),
        }),
        problem: None,
    }
}

#[test]
fn backups_fail_beyond_rpo_or_failed_verification_and_warn_when_never_verified() {
    let mut estate = Estate::default();
    let all = Check::Backups { set: None };
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![set("workflow hourly", 1, Some(true))]),
    );
    let pass = check(&estate, all.clone());
    assert_eq!(pass.status, Status::Pass);
    assert_eq!(
        pass.evidence,
        ["`workflow hourly` 60 min old (RPO 24 h), verified 60 min ago"]
    );
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![set("weaviate", 2, None)]),
    );
    assert_eq!(check(&estate, all.clone()).status, Status::Warn);
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![set("positivity nightly", 26, Some(true))]),
    );
    let stale = check(&estate, all.clone());
    assert_eq!(stale.status, Status::Fail);
    assert_eq!(
        stale.evidence[0],
        "backup `positivity nightly` is 26 h old, RPO 24 h"
    );
    assert_eq!(stale.jump.as_ref().unwrap().filter, "positivity nightly");
    let one = check(
        &estate,
        Check::Backups {
            set: Some("workflow hourly".into()),
        },
    );
    assert_eq!(one.status, Status::Pass);
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![set("workflow hourly", 1, Some(false))]),
    );
    let broken = check(
        &estate,
        Check::Backups {
            set: Some("workflow hourly".into()),
        },
    );
    assert!(
        broken.evidence[0].contains("last verification failed 60 min ago: gzip"),
        "{broken:?}"
    );
    let unknown = check(
        &estate,
        Check::Backups {
            set: Some("tape".into()),
        },
    );
    assert_eq!(unknown.status, Status::Fail);
}

#[test]
fn kpis_are_judged_against_their_bounds() {
    let mut estate = Estate::default();
    let kpi = |max| Check::Kpi {
        service: "pos-payment".into(),
        kpi: KpiName::P95Ms,
        min: None,
        max: Some(max),
    };
    assert_eq!(
        check(&estate, kpi(1000.0)).status,
        Status::Skip,
        "no Prometheus"
    );
    let mut k = ServiceKpis::new("pos/pos-payment");
    k.p95_ms = Some(1300.0);
    feed(
        &mut estate,
        SourceKind::Prometheus,
        "prometheus",
        Report::Kpis(vec![k]),
    );
    let fail = check(&estate, kpi(1000.0));
    assert_eq!(fail.status, Status::Fail);
    assert_eq!(
        fail.evidence[0],
        "`pos/pos-payment` p95 (ms) = 1300, at most 1000 allowed"
    );
    assert_eq!(check(&estate, kpi(1500.0)).status, Status::Pass);
    let rate = Check::Kpi {
        service: "pos/pos-payment".into(),
        kpi: KpiName::ErrorRate,
        min: None,
        max: Some(0.01),
    };
    assert!(check(&estate, rate).evidence[0].contains("returned nothing"));
    let absent = Check::Kpi {
        service: "ghost".into(),
        kpi: KpiName::P95Ms,
        min: None,
        max: Some(1.0),
    };
    assert!(check(&estate, absent).evidence[0].contains("[[prometheus.kpis]]"));
}

#[test]
fn probed_values_wait_for_their_answer_then_meet_their_bounds() {
    let estate = Estate::default();
    let sql = Check::Sql {
        postgres: "workflow-db".into(),
        query: "SELECT 1".into(),
        min: None,
        max: Some(10.0),
    };
    let facts = Facts {
        estate: &estate,
        now: NOW,
    };
    assert_eq!(evaluate(&sql, &facts, None).status, Status::Pending);
    let answer = |result| ProbeAnswer {
        result,
        at: NOW,
        took_ms: 12,
    };
    let ok = evaluate(&sql, &facts, Some(&answer(Ok(Some(3.0)))));
    assert_eq!(
        (ok.status, ok.evidence[0].as_str()),
        (Status::Pass, "value = 3, at most 10")
    );
    let over = evaluate(&sql, &facts, Some(&answer(Ok(Some(12.0)))));
    assert_eq!(
        (over.status, over.evidence[0].as_str()),
        (Status::Fail, "value = 12, at most 10 allowed")
    );
    let at_least = Check::Promql {
        query: "up".into(),
        min: Some(0.95),
        max: None,
    };
    assert_eq!(
        evaluate(&at_least, &facts, Some(&answer(Ok(Some(0.9))))).status,
        Status::Fail
    );
    assert_eq!(
        evaluate(&sql, &facts, Some(&answer(Ok(None)))).status,
        Status::Fail
    );
    let missing = ProbeError {
        message: "no [[postgres]] named `workflow-db` is configured".into(),
        not_configured: true,
    };
    assert_eq!(
        evaluate(&sql, &facts, Some(&answer(Err(missing)))).status,
        Status::Skip
    );
    let failed = ProbeError {
        message: "ERROR: relation \"workflow_states\" does not exist".into(),
        not_configured: false,
    };
    let failed = evaluate(&sql, &facts, Some(&answer(Err(failed))));
    assert_eq!(failed.status, Status::Fail);
    assert!(failed.evidence[0].starts_with("the query failed: ERROR: relation"));
}

#[test]
fn log_errors_wait_for_a_read_then_fail_above_the_bound() {
    use crate::domain::{LogScan, ScanResult};
    let mut estate = Estate::default();
    let mut p = pod("workflow", "pdf-recognizer-1", "Running");
    p.owner = Some("Deployment/pdf-recognizer".into());
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodsReset(vec![p.clone()]),
    );
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("workflow", "pdf-recognizer", 1, 1)]),
    );
    let errors = |max| Check::LogErrors {
        workload: None,
        window: LogWindow::Hours24,
        max,
    };
    assert_eq!(check(&estate, errors(100)).status, Status::Pending);
    let scans = estate.log_errors.plan(estate.pods.iter(), NOW, 2000);
    let scan: LogScan = scans.into_iter().next().unwrap();
    let lines: Vec<String> = (0..150)
        .map(|i| format!("{} ERROR render failed", NOW.plus(-60 - i).rfc3339()))
        .collect();
    let result = ScanResult::tally(lines.iter().map(String::as_str), None);
    estate.log_errors.record(&scan, &result, NOW);
    let fail = check(&estate, errors(100));
    assert_eq!(fail.status, Status::Fail, "{fail:?}");
    assert!(
        fail.evidence[0].starts_with("`workflow/pdf-recognizer` 150 ERROR lines in 24 h"),
        "{fail:?}"
    );
    assert_eq!(check(&estate, errors(200)).status, Status::Pass);
    let ghost = Check::LogErrors {
        workload: Some("ghost".into()),
        window: LogWindow::Minutes15,
        max: 1,
    };
    assert!(check(&estate, ghost).evidence[0].contains("no workload `ghost`"));
}

#[test]
fn sources_not_heard_from_are_pending_and_stale_data_cannot_pass() {
    let mut estate = Estate::default();
    estate.register_source(SourceId::new(SourceKind::Alertmanager, "am"), 30);
    let waiting = check(&estate, Check::Alerts);
    assert_eq!(waiting.status, Status::Pending);
    assert!(waiting.evidence[0].contains("waiting for Alertmanager `am`"));
    estate.apply(SourceReport {
        source: SourceId::new(SourceKind::Alertmanager, "am"),
        at: NOW.plus(-600),
        report: Report::Alerts(vec![]),
    });
    let stale = check(&estate, Check::Alerts);
    assert_eq!(stale.status, Status::Warn);
    assert_eq!(stale.evidence[0], "the data is 10 min old (source stale)");
}
