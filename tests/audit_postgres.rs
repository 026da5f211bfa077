//! The shared audit table against a real PostgreSQL: an action's intent and outcome land in
//! `opsdeck_audit` (created on first use) as well as in the local file, and a table that cannot
//! be reached does not stop the action.

mod common;
mod servers;

use std::sync::Arc;
use std::time::Duration;

use opsdeck::actions::audit::{AuditLog, Intent};
use opsdeck::actions::audit_table::AuditTable;
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::app::Msg;
use opsdeck::app::runner::Runner;
use servers::{APP_PASSWORD, APP_USER, Postgres};
use tokio::sync::mpsc;

fn runner(audit: AuditLog, table: AuditTable) -> (Runner, mpsc::Receiver<Msg>) {
    let (inbox, rx) = mpsc::channel(16);
    let runner = Runner {
        executor: Arc::new(common::Answers {
            after: Duration::ZERO,
            answer: "query cancelled",
        }),
        audit: Some(audit),
        audit_table: Some(Arc::new(table)),
        readonly: false,
        guardrails: Default::default(),
        timeout: Duration::from_secs(10),
        inbox,
        cluster: None,
        logs: None,
        room: None,
        prober: Default::default(),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    (runner, rx)
}

fn intent() -> Intent {
    Intent {
        id: "1-7".into(),
        operator: "alice@bastion-1".into(),
        action: Action {
            kind: ActionKind::CancelQuery,
            target: Target::PgBackend {
                instance: "positivity-db".into(),
                pid: 4242,
            },
            context: "positivity-db".into(),
        },
        change: "cancel the query of pid 4242".into(),
        cli: "SELECT pg_cancel_backend(4242);".into(),
        confirmed_by: "button".into(),
        guard: Default::default(),
    }
}

#[tokio::test]
async fn intent_and_outcome_land_in_the_shared_table_and_the_local_file() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("audit_shared");
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let table = AuditTable::new(&pg.dsn(APP_USER, APP_PASSWORD, &db));
    let (runner, _rx) = runner(audit.clone(), table);
    assert_eq!(runner.run(7, &intent()).await, Ok("query cancelled".into()));
    let rows = pg.psql(
        &["-d", &db],
        "SELECT action_id, phase, operator, action, target, coalesce(change, ''), coalesce(result, ''), \
                coalesce(record->>'cli', '') FROM opsdeck_audit ORDER BY seq",
    );
    assert_eq!(
        rows,
        "1-7|intent|alice@bastion-1|cancel-query|positivity-db/pid/4242|cancel the query of pid 4242||SELECT pg_cancel_backend(4242);\n\
         1-7|outcome|alice@bastion-1|cancel-query|positivity-db/pid/4242||ok|"
    );
    assert_eq!(
        audit.read().unwrap().0.len(),
        2,
        "the local file is still written"
    );
    let all = pg.psql(&["-d", &db], "SELECT record::text FROM opsdeck_audit");
    assert!(!all.contains(APP_PASSWORD), "no password in the table");
}

#[tokio::test]
async fn an_unreachable_table_does_not_stop_the_action() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let table = AuditTable::new(&format!(
        "host=127.0.0.1 port={port} user=nobody dbname=ops sslmode=disable"
    ));
    let (runner, mut rx) = runner(audit.clone(), table);
    assert_eq!(runner.run(3, &intent()).await, Ok("query cancelled".into()));
    assert_eq!(audit.read().unwrap().0.len(), 2);
    match rx.recv().await {
        Some(Msg::ActionProgress { seq: 3, line }) => {
            assert!(
                line.starts_with("shared audit table not written: "),
                "{line}"
            )
        }
        other => panic!("{other:?}"),
    }
}
