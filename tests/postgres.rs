//! The PostgreSQL adapter against a real PostgreSQL 15: every figure checked against what the
//! server reports, under load (pgbench, a long pg_sleep, a lock held by one session blocking
//! another); cancel and terminate end the target session and nothing else.

mod servers;

use std::time::{Duration, Instant};

use opsdeck::actions::executor::{Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::postgres;
use opsdeck::config::PostgresConfig;
use opsdeck::domain::{PgInstance, Report, SessionState, SourceReport};
use servers::{
    ADAPTER_PASSWORD, ADAPTER_USER, APP_PASSWORD, APP_USER, NOBODY_PASSWORD, NOBODY_USER, Postgres,
};
use tokio::sync::mpsc;
use tokio_postgres::{Client, NoTls};

async fn session(pg: &Postgres, db: &str, application: &str) -> Client {
    let dsn = format!(
        "{} application_name={application}",
        pg.dsn(APP_USER, APP_PASSWORD, db)
    );
    let (client, connection) = tokio_postgres::connect(&dsn, NoTls)
        .await
        .expect("connect as app");
    tokio::spawn(connection);
    client
}

fn config(pg: &Postgres, name: &str, user: &str, password: &str, db: &str) -> PostgresConfig {
    PostgresConfig {
        name: name.into(),
        dsn: pg.dsn(user, password, db),
        statement_timeout: Duration::from_secs(5),
    }
}

/// Waits for a report of the instance for which `ready` holds.
async fn instance_where(
    rx: &mut mpsc::Receiver<SourceReport>,
    ready: impl Fn(&PgInstance) -> bool,
) -> PgInstance {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let report = tokio::time::timeout(left, rx.recv())
            .await
            .expect("a report in time")
            .expect("adapter alive");
        match report.report {
            Report::Postgres(instance) if ready(&instance) => return instance,
            Report::Postgres(_) => {}
            Report::Unreachable(reason) => panic!("unreachable: {reason}"),
            other => panic!("unexpected report {other:?}"),
        }
    }
}

fn pid_of(instance: &PgInstance, application: &str) -> Option<i32> {
    instance
        .sessions
        .iter()
        .find(|s| s.application == application)
        .map(|s| s.pid)
}

#[tokio::test(flavor = "multi_thread")]
async fn figures_match_what_the_server_reports_under_load() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("figures");
    pg.psql(
        &["-d", &db],
        &format!("CREATE TABLE locked (id int); ALTER TABLE locked OWNER TO {APP_USER};"),
    );
    let init = pg
        .pgbench(&db, &["-i", "-s", "1", "-q"])
        .wait_with_output()
        .expect("pgbench -i");
    assert!(init.status.success());
    let mut bench = pg.pgbench(&db, &["-c", "4", "-T", "8", "-n"]);

    let sleeper = session(pg, &db, "sleeper").await;
    let sleeping = tokio::spawn(async move { sleeper.simple_query("SELECT pg_sleep(20)").await });
    let lock_holder = session(pg, &db, "locker").await;
    lock_holder
        .batch_execute("BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE;")
        .await
        .unwrap();
    let blocked = session(pg, &db, "blocked").await;
    let _waiting =
        tokio::spawn(async move { blocked.simple_query("SELECT count(*) FROM locked").await });
    let mut idle = Vec::new();
    for i in 0..3 {
        idle.push(session(pg, &db, &format!("idle-{i}")).await);
    }

    let (tx, mut rx) = mpsc::channel(64);
    let _executor = postgres::spawn(
        config(pg, "figures-db", ADAPTER_USER, ADAPTER_PASSWORD, &db),
        Duration::from_millis(300),
        tx,
    );
    let now = || opsdeck::domain::UnixTime::now();
    let instance = instance_where(&mut rx, |i| {
        pid_of(i, "blocked").is_some_and(|pid| {
            i.sessions
                .iter()
                .any(|s| s.pid == pid && s.state == SessionState::Waiting)
        }) && i
            .sessions
            .iter()
            .any(|s| s.application == "pgbench" && s.state == SessionState::Active)
            && i.sessions
                .iter()
                .any(|s| s.application == "sleeper" && s.running_secs(now()).unwrap_or(0) >= 1)
    })
    .await;

    assert_eq!(
        instance.max_connections.to_string(),
        pg.psql_as_superuser("SHOW max_connections")
    );
    assert_eq!(
        instance.version,
        pg.psql_as_superuser("SHOW server_version")
    );
    let size: u64 = pg
        .psql_as_superuser(&format!("SELECT pg_database_size('{db}')"))
        .parse()
        .unwrap();
    let diff = (instance.size_bytes as f64 - size as f64).abs() / size as f64;
    assert!(diff < 0.05, "size {} vs server {size}", instance.size_bytes);
    assert_eq!(instance.role, opsdeck::domain::PgRole::Primary);
    assert_eq!(
        instance.replication_lag_secs, None,
        "a primary without replicas has no lag"
    );

    let by_app = |app: &str| {
        instance
            .sessions
            .iter()
            .find(|s| s.application == app)
            .unwrap_or_else(|| panic!("no {app} session"))
    };
    let sleeper = by_app("sleeper");
    assert_eq!(sleeper.state, SessionState::Active);
    assert_eq!(sleeper.query, "SELECT pg_sleep(20)");
    assert_eq!(sleeper.user, APP_USER);
    assert_eq!(sleeper.database, db);
    assert_eq!(sleeper.client, "127.0.0.1");
    let server_start: i64 = pg
        .psql_as_superuser(&format!("SELECT extract(epoch FROM query_start)::float8::bigint FROM pg_stat_activity WHERE pid = {}", sleeper.pid))
        .parse()
        .unwrap();
    assert_eq!(sleeper.query_start.map(|t| t.0), Some(server_start));
    let locker = by_app("locker");
    assert_eq!(locker.state, SessionState::IdleInTransaction);
    assert!(locker.xact_start.is_some());
    let blocked = by_app("blocked");
    assert_eq!(blocked.state, SessionState::Waiting);
    assert_eq!(blocked.blocked_by, vec![locker.pid], "pg_blocking_pids");
    assert_eq!(blocked.wait_event.as_deref(), Some("Lock: relation"));
    assert_eq!(by_app("idle-0").state, SessionState::Idle);
    assert_eq!(
        by_app(postgres::OWN_APPLICATION_NAME).user,
        ADAPTER_USER,
        "our own session is visible as opsdeck"
    );

    // The connection count against the server's, at a moment when it is not moving.
    let count_sql = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'";
    let mut matched = false;
    for _ in 0..30 {
        let before = pg.psql_as_superuser(count_sql);
        let latest = instance_where(&mut rx, |_| true).await;
        let after = pg.psql_as_superuser(count_sql);
        // psql's own session is counted in both queries.
        if before == after {
            let server: usize = before.parse::<usize>().unwrap() - 1;
            if latest.sessions.len() == server {
                matched = true;
                break;
            }
        }
    }
    assert!(matched, "the session count never agreed with the server's");
    let _ = bench.kill();
    let _ = bench.wait();
    lock_holder.batch_execute("ROLLBACK").await.unwrap();
    sleeping.abort();
}

fn on(instance: &str, pid: i32, kind: ActionKind) -> Action {
    Action {
        kind,
        target: Target::PgBackend {
            instance: instance.into(),
            pid,
        },
        context: instance.into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_and_terminate_end_the_target_session_and_nothing_else() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("signals");
    let victim = session(pg, &db, "victim").await;
    let doomed = session(pg, &db, "doomed").await;
    let bystander = session(pg, &db, "bystander").await;
    let victim_pid: i32 = victim
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let doomed_pid: i32 = doomed
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let victim = std::sync::Arc::new(victim);
    let running = {
        let victim = victim.clone();
        tokio::spawn(async move { victim.simple_query("SELECT pg_sleep(30)").await })
    };
    let doomed_running =
        tokio::spawn(async move { doomed.simple_query("SELECT pg_sleep(30)").await });

    let (tx, mut rx) = mpsc::channel(64);
    let executor = postgres::spawn(
        config(pg, "signals-db", ADAPTER_USER, ADAPTER_PASSWORD, &db),
        Duration::from_millis(300),
        tx,
    );
    instance_where(&mut rx, |i| {
        i.sessions
            .iter()
            .any(|s| s.pid == victim_pid && s.state == SessionState::Active)
    })
    .await;

    let cancel = on("signals-db", victim_pid, ActionKind::CancelQuery);
    assert_eq!(
        executor.permitted(&cancel).await,
        Permission::Allowed,
        "pg_signal_backend may signal app's sessions"
    );
    let (progress, _) = mpsc::channel(4);
    let message = executor
        .execute(&cancel, progress.clone())
        .await
        .expect("cancel");
    assert_eq!(
        message,
        format!("pg_cancel_backend({victim_pid}) returned true")
    );
    let err = running.await.unwrap().expect_err("the query was cancelled");
    assert!(
        err.as_db_error().is_some_and(|e| e
            .message()
            .contains("canceling statement due to user request")),
        "{err}"
    );
    // Cancel ends the query, not the session.
    assert_eq!(
        victim
            .query_one("SELECT 1", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        1
    );
    assert!(!doomed_running.is_finished(), "the other query still runs");

    let terminate = on("signals-db", doomed_pid, ActionKind::TerminateBackend);
    executor
        .execute(&terminate, progress.clone())
        .await
        .expect("terminate");
    let err = doomed_running
        .await
        .unwrap()
        .expect_err("the backend was terminated");
    let terminated = err.as_db_error().is_some_and(|e| {
        e.message()
            .contains("terminating connection due to administrator command")
    });
    assert!(terminated || err.is_closed(), "{err:?}");
    assert_eq!(
        bystander
            .query_one("SELECT 2", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        2,
        "the bystander is untouched"
    );
    assert_eq!(
        victim
            .query_one("SELECT 3", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        3
    );
    let gone = instance_where(&mut rx, |i| !i.sessions.iter().any(|s| s.pid == doomed_pid)).await;
    assert!(
        gone.sessions.iter().any(|s| s.pid == victim_pid),
        "the cancelled session is still there"
    );

    // A terminated pid is gone: a second signal says so instead of pretending.
    let again = executor
        .execute(&terminate, progress)
        .await
        .expect_err("nothing to terminate");
    assert!(again.to_string().contains("returned false"), "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_without_the_right_is_told_so_before_anything_happens() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("rights");
    let target = session(pg, &db, "someone-elses").await;
    let pid: i32 = target
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let (tx, mut rx) = mpsc::channel(64);
    let executor = postgres::spawn(
        config(pg, "rights-db", NOBODY_USER, NOBODY_PASSWORD, &db),
        Duration::from_millis(300),
        tx,
    );
    let instance = instance_where(&mut rx, |_| true).await;
    assert!(instance.sessions.iter().any(|s| s.pid == pid));
    match executor
        .permitted(&on("rights-db", pid, ActionKind::TerminateBackend))
        .await
    {
        Permission::Denied(why) => assert!(why.contains("pg_signal_backend"), "{why}"),
        other => panic!("a role without rights was allowed: {other:?}"),
    }
    assert_eq!(
        target
            .query_one("SELECT 1", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cockpit_shows_a_configured_instance() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("panel");
    let sleeper = session(pg, &db, "panel-sleeper").await;
    let _sleeping = tokio::spawn(async move { sleeper.simple_query("SELECT pg_sleep(20)").await });
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    let dsn = format!(
        "host=127.0.0.1 port={} user={ADAPTER_USER} dbname={db} sslmode=disable",
        pg.port
    );
    std::fs::write(
        &config,
        format!("refresh = \"500ms\"\n[[postgres]]\nname = \"panel-db\"\ndsn = \"{dsn}\"\n"),
    )
    .unwrap();
    // The password comes from ~/.pgpass, as on a bastion.
    let pgpass = home.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "127.0.0.1:{}:*:{ADAPTER_USER}:{ADAPTER_PASSWORD}\n",
            pg.port
        ),
    )
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args([
            "snapshot",
            "--panel",
            "databases",
            "--size",
            "160x30",
            "--config",
            config.to_str().unwrap(),
        ])
        .env("HOME", home.path())
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("panel-db") && text.contains("conns"),
        "{text}"
    );
    assert!(text.contains("SELECT pg_sleep(20)"), "{text}");
    assert!(
        !text.contains(ADAPTER_PASSWORD),
        "the password is never drawn"
    );
}

/// The cockpit speaks TLS to PostgreSQL through its own connector on the one rustls: with the
/// server's certificate trusted (SSL_CERT_FILE), `sslmode=require channel_binding=require`
/// connects — SCRAM-SHA-256-PLUS, bound to the certificate's hash — and the instance's figures
/// show; without it the certificate is refused and the instance shown unreachable.
#[test]
fn tls_with_channel_binding_to_a_real_server() {
    let Some(pg) = Postgres::shared() else { return };
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    let dsn = format!(
        "host=localhost port={} user={ADAPTER_USER} dbname=postgres sslmode=require channel_binding=require",
        pg.port
    );
    std::fs::write(
        &config,
        format!("[[postgres]]\nname = \"tls-db\"\ndsn = \"{dsn}\"\n"),
    )
    .unwrap();
    let snapshot = |trust: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"));
        cmd.args([
            "snapshot",
            "--panel",
            "databases",
            "--size",
            "160x20",
            "--wait",
            "10s",
        ])
        .arg("--config")
        .arg(&config)
        .env("HOME", home.path())
        .env("PGPASSWORD", ADAPTER_PASSWORD);
        if trust {
            cmd.env("SSL_CERT_FILE", pg.dir.join("ca.crt"));
        } else {
            cmd.env("SSL_CERT_FILE", "/nonexistent");
        }
        cmd.arg("--log-file").arg(home.path().join("opsdeck.log"));
        let out = cmd.output().expect("run opsdeck snapshot");
        let log = std::fs::read_to_string(home.path().join("opsdeck.log")).unwrap_or_default();
        format!("{}\n{log}", String::from_utf8_lossy(&out.stdout))
    };
    let trusted = snapshot(true);
    let row = trusted
        .lines()
        .find(|l| l.contains("tls-db") && l.contains("conns"))
        .unwrap_or_else(|| panic!("tls-db connected with its connections shown:\n{trusted}"));
    assert!(!row.contains("unreachable"), "{row}");
    let untrusted = snapshot(false);
    assert!(
        !untrusted
            .lines()
            .any(|l| l.contains("tls-db") && l.contains("conns")),
        "an untrusted certificate must not connect:\n{untrusted}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_transaction_holding_a_lock_is_the_blocker_timed_from_its_state_change() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("blockers");
    pg.psql(
        &["-d", &db],
        &format!(
            "CREATE TABLE stock (sku int primary key, qty int); INSERT INTO stock VALUES (1, 10);
             ALTER TABLE stock OWNER TO {APP_USER};"
        ),
    );
    // Takes a row lock, then goes idle with the transaction open: its state changed when the
    // statements finished, well after the transaction and its query started.
    let holder = session(pg, &db, "holder").await;
    holder
        .batch_execute("BEGIN; SELECT pg_sleep(1.5); UPDATE stock SET qty = qty - 1 WHERE sku = 1;")
        .await
        .unwrap();
    let waiter = session(pg, &db, "waiter").await;
    let waiting = tokio::spawn(async move {
        waiter
            .simple_query("UPDATE stock SET qty = qty - 2 WHERE sku = 1")
            .await
    });

    let (tx, mut rx) = mpsc::channel(64);
    let _executor = postgres::spawn(
        config(pg, "blockers-db", ADAPTER_USER, ADAPTER_PASSWORD, &db),
        Duration::from_millis(300),
        tx,
    );
    let instance = instance_where(&mut rx, |i| {
        i.sessions
            .iter()
            .any(|s| s.application == "waiter" && !s.blocked_by.is_empty())
    })
    .await;
    let by_app = |app: &str| {
        instance
            .sessions
            .iter()
            .find(|s| s.application == app)
            .unwrap_or_else(|| panic!("no {app} session"))
    };
    let holder_row = by_app("holder");
    let waiter_row = by_app("waiter");
    assert_eq!(holder_row.state, SessionState::IdleInTransaction);
    assert_eq!(holder_row.blocks, 1, "it blocks the waiter");
    assert_eq!(waiter_row.state, SessionState::Waiting);
    assert_eq!(waiter_row.blocked_by, vec![holder_row.pid]);
    assert_eq!(waiter_row.blocks, 0);
    assert_eq!(
        instance.blocker_of(waiter_row.pid).map(|s| s.pid),
        Some(holder_row.pid)
    );

    // Timed from state_change, as the server has it: not from the transaction's start.
    let epoch = |column: &str, pid: i32| -> i64 {
        pg.psql_as_superuser(&format!(
            "SELECT extract(epoch FROM {column})::float8::bigint FROM pg_stat_activity WHERE pid = {pid}"
        ))
        .parse()
        .unwrap()
    };
    let changed = holder_row.state_change.expect("state_change");
    assert_eq!(changed.0, epoch("state_change", holder_row.pid));
    let began = holder_row.xact_start.expect("xact_start");
    assert!(
        changed > began,
        "idle since {changed:?}, open since {began:?}"
    );
    let now = opsdeck::domain::UnixTime::now();
    assert_eq!(holder_row.in_state_secs(now), Some(changed.age_at(now)));
    assert_eq!(holder_row.running_secs(now), None, "no query runs");
    assert!(
        holder_row
            .headline(now)
            .starts_with(&format!("pid {} idle in transaction ", holder_row.pid))
            && holder_row.headline(now).ends_with(", blocks 1"),
        "{}",
        holder_row.headline(now)
    );
    // Other tests share the server: judge among this database's sessions only.
    let mut own = instance.clone();
    own.sessions.retain(|s| s.database == db);
    assert_eq!(
        own.worst_session(now).map(|s| s.pid),
        Some(holder_row.pid),
        "the blocker is the one to look at among {:?}",
        own.sessions
    );

    holder.batch_execute("ROLLBACK").await.unwrap();
    waiting
        .await
        .unwrap()
        .expect("the waiter goes on once the lock is gone");
}
