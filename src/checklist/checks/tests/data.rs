//! Alerts, PostgreSQL, Redis and backups.

use super::*;
use crate::checklist::checks::Check;
use crate::checklist::outcome::Status;
use crate::domain::{
    Alert, BackupItem, BackupSet, PgInstance, PgRole, RedisInfo, Severity, Verification,
};
use crate::domain::{Estate, Report, SourceKind};

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
        state_change: None,
        query: String::new(),
        blocked_by: vec![],
        blocks: 0,
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
    let fail = check(&estate, all.clone());
    assert_eq!(fail.status, Status::Fail);
    // A failure names the threshold it crossed, not the warning's.
    assert_eq!(
        fail.evidence[0],
        "`b` 97/100 connections (97 %), critical at 95 %"
    );
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
            size_bytes: Some(10),
            complete: true,
            note: None,
        }],
        verification: verified.map(|ok| Verification {
            file: "x.dump".into(),
            at: NOW.plus(-3600),
            ok,
            detail: "gzip: incomplete deflate stream".into(),
        }),
        restore_to: None,
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
    // A newer backup than the one verified: not verified yet, however fine the older was.
    let mut newer = set("workflow hourly", 1, Some(true));
    let mut item = newer.items[0].clone();
    item.name = "y.dump".into();
    item.created = NOW.plus(-60);
    newer.items.insert(0, item);
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![newer]),
    );
    let unverified = check(
        &estate,
        Check::Backups {
            set: Some("workflow hourly".into()),
        },
    );
    assert_eq!(unverified.status, Status::Warn, "{unverified:?}");
    assert_eq!(
        unverified.evidence[0],
        "backup `workflow hourly`: the newest was never verified (the previous one verified 60 min ago)"
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
fn a_newest_backup_of_zero_bytes_warns_as_a_shrink() {
    let mut estate = Estate::default();
    let mut empty = set("positivity nightly", 1, Some(true));
    empty.items[0].size_bytes = Some(0);
    empty.items.push(BackupItem {
        name: "older.dump".into(),
        created: NOW.plus(-25 * 3600),
        size_bytes: Some(9_000_000_000),
        complete: true,
        note: None,
    });
    feed(
        &mut estate,
        SourceKind::Backups,
        "backups",
        Report::Backups(vec![empty]),
    );
    let outcome = check(&estate, Check::Backups { set: None });
    assert_eq!(outcome.status, Status::Warn);
    assert_eq!(
        outcome.evidence[0],
        "backup `positivity nightly`: the newest is less than half the size of the one before"
    );
}
