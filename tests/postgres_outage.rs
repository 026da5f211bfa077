//! The PostgreSQL adapter when things go wrong: a wrong password and an unreachable host give a
//! clear message for that instance, not a crash; stopping the server marks it unreachable with
//! the reason, and starting it again recovers by itself. Its own server, since it is stopped.

mod servers;

use std::time::{Duration, Instant};

use opsdeck::adapters::postgres;
use opsdeck::config::PostgresConfig;
use opsdeck::domain::{Report, SourceReport};
use servers::{ADAPTER_PASSWORD, ADAPTER_USER, Postgres};
use tokio::sync::mpsc;

fn config(dsn: String) -> PostgresConfig {
    PostgresConfig {
        name: "outage-db".into(),
        dsn,
        statement_timeout: Duration::from_secs(5),
    }
}

async fn next(rx: &mut mpsc::Receiver<SourceReport>, wait: Duration) -> Report {
    tokio::time::timeout(wait, rx.recv())
        .await
        .expect("a report in time")
        .expect("adapter alive")
        .report
}

/// The next report that is not the same kind as `skip` describes.
async fn until(rx: &mut mpsc::Receiver<SourceReport>, want_data: bool) -> Report {
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let report = next(rx, deadline.saturating_duration_since(Instant::now())).await;
        if matches!(report, Report::Postgres(_)) == want_data {
            return report;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_credentials_dead_hosts_and_a_restart() {
    let Some(pg) = Postgres::start() else { return };

    // A wrong password: the server's words, not the password.
    let (tx, mut rx) = mpsc::channel(16);
    let _wrong = postgres::spawn(
        config(pg.dsn(ADAPTER_USER, "not-the-password", "postgres")),
        Duration::from_millis(300),
        tx,
    );
    match next(&mut rx, Duration::from_secs(10)).await {
        Report::Unreachable(reason) => {
            assert!(
                reason.contains("password authentication failed"),
                "{reason}"
            );
            assert!(
                !reason.contains("not-the-password"),
                "the password leaked: {reason}"
            );
        }
        other => panic!("{other:?}"),
    }

    // Nothing listening.
    let (tx, mut rx) = mpsc::channel(16);
    let dead = format!(
        "host=127.0.0.1 port={} user=x password=y dbname=z sslmode=disable",
        servers::free_port()
    );
    let _dead = postgres::spawn(config(dead), Duration::from_millis(300), tx);
    match next(&mut rx, Duration::from_secs(10)).await {
        Report::Unreachable(reason) => assert!(
            reason.contains("Connection refused") || reason.contains("connect"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }

    // A DSN that does not parse says so, without echoing the DSN.
    let (tx, mut rx) = mpsc::channel(16);
    let _bad = postgres::spawn(
        config("host=127.0.0.1 password=sekrit port=notaport".into()),
        Duration::from_millis(300),
        tx,
    );
    match next(&mut rx, Duration::from_secs(10)).await {
        Report::Unreachable(reason) => {
            assert!(reason.contains("DSN is not valid"), "{reason}");
            assert!(!reason.contains("sekrit"), "the password leaked: {reason}");
        }
        other => panic!("{other:?}"),
    }

    // Live, then stopped, then back by itself.
    let (tx, mut rx) = mpsc::channel(64);
    let _live = postgres::spawn(
        config(pg.dsn(ADAPTER_USER, ADAPTER_PASSWORD, "postgres")),
        Duration::from_millis(300),
        tx,
    );
    assert!(matches!(until(&mut rx, true).await, Report::Postgres(_)));
    pg.stop();
    match until(&mut rx, false).await {
        Report::Unreachable(reason) => assert!(!reason.is_empty(), "a reason is given"),
        other => panic!("{other:?}"),
    }
    pg.start_again();
    let started = Instant::now();
    match until(&mut rx, true).await {
        Report::Postgres(instance) => assert_eq!(instance.name, "outage-db"),
        other => panic!("{other:?}"),
    }
    eprintln!(
        "recovered {:?} after the server came back",
        started.elapsed()
    );
}

/// A hung server (every process stopped with SIGSTOP: it accepts connections and answers
/// nothing) is unreachable within the adapter's deadline, not stale for as long as it hangs; a
/// permission check meanwhile says it got no answer (not "denied"); when the server answers
/// again the adapter reconnects and the check is allowed.
#[tokio::test(flavor = "multi_thread")]
async fn a_hung_server_is_unreachable_within_its_deadline_then_reconnects() {
    use opsdeck::actions::executor::{Executor, Permission};
    use opsdeck::actions::{Action, ActionKind, Target};

    /// Lets the server go on however the test ends, so that it can be stopped.
    struct Thaw<'a>(&'a Postgres);
    impl Drop for Thaw<'_> {
        fn drop(&mut self) {
            self.0.freeze(false);
        }
    }

    let Some(pg) = Postgres::start() else { return };
    let mut cfg = config(pg.dsn(ADAPTER_USER, ADAPTER_PASSWORD, "postgres"));
    cfg.statement_timeout = Duration::from_secs(1);
    let deadline = postgres::request_deadline(&cfg);
    let (tx, mut rx) = mpsc::channel(64);
    let executor = postgres::spawn(cfg, Duration::from_millis(300), tx);
    let instance = match until(&mut rx, true).await {
        Report::Postgres(instance) => instance,
        other => panic!("{other:?}"),
    };
    let pid = instance.sessions.first().map_or(1, |s| s.pid);
    let cancel = Action {
        kind: ActionKind::CancelQuery,
        target: Target::PgBackend {
            instance: "outage-db".into(),
            pid,
        },
        context: "outage-db".into(),
    };

    pg.freeze(true);
    let thaw = Thaw(&pg);
    let frozen = Instant::now();
    let reason = servers::next_unreachable(&mut rx, deadline + Duration::from_secs(3)).await;
    eprintln!(
        "unreachable {:?} after the server hung: {reason}",
        frozen.elapsed()
    );
    assert!(reason.contains("did not answer"), "{reason}");
    let permission = tokio::time::timeout(deadline * 2, executor.permitted(&cancel))
        .await
        .expect("the permission check ends within the deadline");
    assert!(
        matches!(&permission, Permission::NoAnswer(why) if !why.is_empty()),
        "{permission:?}"
    );

    drop(thaw);
    match until(&mut rx, true).await {
        Report::Postgres(instance) => assert_eq!(instance.name, "outage-db"),
        other => panic!("{other:?}"),
    }
    assert_eq!(executor.permitted(&cancel).await, Permission::Allowed);
}
