//! The runner against stand-in backends: read-only, audit order, timeouts.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;

use super::*;
use crate::actions::audit::Phase;
use crate::actions::{ActionKind, Target};

/// Counts executions and answers as told; a unit-test stand-in for a backend.
struct Counting {
    calls: AtomicUsize,
    answer: Result<String, ActionError>,
    delay: Duration,
}

impl Executor for Counting {
    fn permitted<'a>(&'a self, _: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async { Permission::Allowed })
    }
    fn execute<'a>(
        &'a self,
        _: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let _ = progress.send("working".into()).await;
            tokio::time::sleep(self.delay).await;
            self.answer.clone()
        })
    }
}

fn intent() -> Intent {
    Intent {
        id: "1-1".into(),
        operator: "alice@bastion".into(),
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

fn runner(
    answer: Result<String, ActionError>,
    audit: Option<AuditLog>,
    readonly: bool,
) -> (Runner, Arc<Counting>, mpsc::Receiver<Msg>) {
    let executor = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        answer,
        delay: Duration::from_millis(10),
    });
    let (inbox, rx) = mpsc::channel(16);
    let runner = Runner {
        executor: executor.clone(),
        audit,
        readonly,
        guardrails: Default::default(),
        timeout: Duration::from_secs(5),
        inbox,
        cluster: None,
        logs: None,
        audit_table: None,
        room: None,
        prober: Default::default(),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    (runner, executor, rx)
}

#[tokio::test]
async fn read_only_is_refused_where_the_action_is_executed() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (runner, executor, _rx) = runner(Ok("done".into()), Some(audit.clone()), true);
    let result = runner.run(1, &intent()).await;
    assert_eq!(result, Err(ActionError::ReadOnly("cancel-query".into())));
    assert_eq!(executor.calls.load(Ordering::SeqCst), 0);
    assert!(audit.read().unwrap().0.is_empty());
}

/// A team action (`[[actions]]`) on a pod, with its `readonly_ok`.
fn team_intent(readonly_ok: bool) -> Intent {
    let mut intent = intent();
    intent.action = Action {
        kind: ActionKind::Team {
            name: "Flush the cache".into(),
            place: crate::actions::team::Place::Pod(Box::new(crate::actions::team::InPod {
                namespace: "data".into(),
                pod: "redis-0".into(),
                container: None,
            })),
            argv: vec!["redis-cli".into(), "FLUSHDB".into()],
            risk: crate::actions::Risk::High,
            readonly_ok,
        },
        target: Target::Pod {
            namespace: "data".into(),
            name: "redis-0".into(),
        },
        context: "demo".into(),
    };
    intent
}

#[tokio::test]
async fn a_team_action_without_readonly_ok_is_refused_where_it_is_executed() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (runner, executor, _rx) = runner(Ok("exit status 0".into()), Some(audit.clone()), true);
    // Straight to the runner, as if the dialog had been bypassed: still refused.
    let result = runner.run(1, &team_intent(false)).await;
    assert_eq!(result, Err(ActionError::ReadOnly("team".into())));
    assert_eq!(executor.calls.load(Ordering::SeqCst), 0);
    assert!(audit.read().unwrap().0.is_empty());
    // One that says it is harmless runs, audited as any action.
    let result = runner.run(2, &team_intent(true)).await;
    assert_eq!(result, Ok("exit status 0".into()));
    assert_eq!(executor.calls.load(Ordering::SeqCst), 1);
    let (records, _) = audit.read().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].action, "team");
    assert_eq!(records[0].risk, crate::actions::Risk::High);
}

#[tokio::test]
async fn a_failure_is_recorded_after_its_intent_and_progress_is_forwarded() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (runner, _, mut rx) = runner(
        Err(ActionError::Failed(
            "permission denied for pg_cancel_backend".into(),
        )),
        Some(audit.clone()),
        false,
    );
    let result = runner.run(7, &intent()).await;
    assert!(result.is_err());
    let (records, _) = audit.read().unwrap();
    assert_eq!(
        records.iter().map(|r| r.phase).collect::<Vec<_>>(),
        [Phase::Intent, Phase::Outcome]
    );
    assert_eq!(records[1].result.as_deref(), Some("error"));
    assert!(
        records[1]
            .message
            .as_deref()
            .unwrap()
            .contains("permission denied")
    );
    match rx.recv().await {
        Some(Msg::ActionProgress { seq: 7, line }) => assert_eq!(line, "working"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unwritable_audit_log_means_nothing_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, "").unwrap();
    let (runner, executor, _rx) = runner(
        Ok("done".into()),
        Some(AuditLog::new(file.join("audit.jsonl"))),
        false,
    );
    let result = runner.run(1, &intent()).await;
    assert!(matches!(result, Err(ActionError::Audit(_))), "{result:?}");
    assert_eq!(executor.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_hung_backend_times_out_and_the_timeout_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let executor = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        answer: Ok("late".into()),
        delay: Duration::from_secs(30),
    });
    let (inbox, _rx) = mpsc::channel(16);
    let runner = Runner {
        executor,
        audit: Some(audit.clone()),
        readonly: false,
        guardrails: Default::default(),
        timeout: Duration::from_millis(50),
        inbox,
        cluster: None,
        logs: None,
        audit_table: None,
        room: None,
        prober: Default::default(),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    assert_eq!(runner.run(1, &intent()).await, Err(ActionError::Timeout(0)));
    let (records, _) = audit.read().unwrap();
    assert!(
        records[1]
            .message
            .as_deref()
            .unwrap()
            .contains("no response")
    );
}

/// Replaces the audit file with a directory while the action runs: the intent was written,
/// the outcome cannot be.
struct BreaksTheAudit {
    path: std::path::PathBuf,
}

impl Executor for BreaksTheAudit {
    fn permitted<'a>(&'a self, _: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async { Permission::Allowed })
    }
    fn execute<'a>(
        &'a self,
        _: &'a Action,
        _: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            std::fs::remove_file(&self.path).unwrap();
            std::fs::create_dir(&self.path).unwrap();
            Ok("query cancelled".into())
        })
    }
}

#[tokio::test]
async fn an_outcome_that_cannot_be_written_is_not_reported_as_a_plain_success() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let (mut runner, _, _rx) = runner(Ok("unused".into()), Some(AuditLog::new(&path)), false);
    runner.executor = Arc::new(BreaksTheAudit { path: path.clone() });
    let result = runner.run(1, &intent()).await;
    match result {
        Err(ActionError::Unaudited { done, error }) => {
            assert_eq!(done, "query cancelled");
            assert!(error.contains("audit.jsonl"), "{error}");
        }
        other => panic!("expected Unaudited, got {other:?}"),
    }
    let shown = runner.run(2, &intent()).await.unwrap_err().to_string();
    assert!(shown.starts_with("cannot write the audit log"), "{shown}");
}

#[tokio::test]
async fn actions_running_when_the_cockpit_stops_are_recorded_as_abandoned() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let executor = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        answer: Ok("late".into()),
        delay: Duration::from_secs(30),
    });
    let (mut runner, _, mut rx) = runner(Ok("unused".into()), Some(audit.clone()), false);
    runner.executor = executor;
    let task = {
        let runner = runner.clone();
        tokio::spawn(async move { runner.run(3, &intent()).await })
    };
    // The progress line says it is under way (its intent on disk).
    match rx.recv().await {
        Some(Msg::ActionProgress { seq: 3, line }) => assert_eq!(line, "working"),
        other => panic!("{other:?}"),
    }
    assert_eq!(runner.abandon_running().await, 1);
    task.abort();
    let (records, _) = audit.read().unwrap();
    assert_eq!(
        records.iter().map(|r| r.phase).collect::<Vec<_>>(),
        [Phase::Intent, Phase::Outcome]
    );
    assert_eq!(records[1].id, records[0].id);
    assert_eq!(records[1].result.as_deref(), Some("abandoned"));
    let message = records[1].message.as_deref().unwrap();
    assert!(
        message.starts_with("opsdeck quit while it ran (after 0s)")
            && message.ends_with("; last progress: working"),
        "{message}"
    );
    assert_eq!(runner.abandon_running().await, 0, "recorded once");
}

/// The rules as a config file gives them.
fn rules(toml: &str) -> Arc<crate::config::Guardrails> {
    let config = crate::config::Config::parse(std::path::Path::new("/etc/opsdeck.toml"), toml)
        .expect("config");
    Arc::new(crate::config::Guardrails {
        rules: config.guardrails,
        path: None,
    })
}

#[tokio::test]
async fn a_guardrail_refuses_where_the_action_is_executed_whatever_the_dialog_did() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (mut runner, executor, _rx) = runner(Ok("done".into()), Some(audit.clone()), false);
    runner.guardrails = rules(
        "[[guardrails]]\ncontext = \"positivity-*\"\nactions = [\"cancel-query\"]\n\
         deny = \"the database is being migrated\"\n",
    );
    let result = runner.run(1, &intent()).await;
    assert_eq!(
        result,
        Err(ActionError::Guardrail(
            "guardrail 1 (line 1): the database is being migrated".into()
        ))
    );
    assert_eq!(executor.calls.load(Ordering::SeqCst), 0, "nothing ran");
    assert!(audit.read().unwrap().0.is_empty(), "nothing to record");
}

#[tokio::test]
async fn a_demanded_reason_is_checked_at_execution_and_written_to_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (mut runner, executor, _rx) = runner(Ok("done".into()), Some(audit.clone()), false);
    runner.guardrails = rules("\n[[guardrails]]\nreason = true\n");
    // An intent without the reason (a dialog bypassed, an old cockpit): refused.
    let err = runner.run(1, &intent()).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("refused by guardrail 1 (line 2): a reason is required"),
        "{err}"
    );
    assert_eq!(executor.calls.load(Ordering::SeqCst), 0);
    let mut with_reason = intent();
    with_reason.guard.reason = Some("INC-42: the report query blocks checkout".into());
    assert_eq!(runner.run(2, &with_reason).await, Ok("done".into()));
    let (records, _) = audit.read().unwrap();
    assert_eq!(records[0].phase, Phase::Intent);
    assert_eq!(
        records[0].reason.as_deref(),
        Some("INC-42: the report query blocks checkout")
    );
    assert_eq!(
        records[0].guardrail.as_deref(),
        Some("guardrail 1 (line 2)")
    );
}

#[tokio::test]
async fn a_cancelled_action_is_ended_at_once_and_audited_as_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (mut runner, _, mut rx) = runner(Ok("done".into()), Some(audit.clone()), false);
    // A command that would run for a minute.
    runner.executor = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        answer: Ok("exit status 0".into()),
        delay: Duration::from_secs(60),
    });
    let started = Instant::now();
    let task = {
        let runner = runner.clone();
        tokio::spawn(async move { runner.run(9, &intent()).await })
    };
    // Once it runs (its first progress line), the operator cancels it.
    match rx.recv().await {
        Some(Msg::ActionProgress { seq: 9, .. }) => {}
        other => panic!("{other:?}"),
    }
    runner.cancel(9);
    let result = task.await.unwrap();
    assert_eq!(result, Err(ActionError::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(30));
    let (records, _) = audit.read().unwrap();
    assert_eq!(
        records.iter().map(|r| r.phase).collect::<Vec<_>>(),
        [Phase::Intent, Phase::Outcome]
    );
    assert_eq!(records[1].result.as_deref(), Some("cancelled"));
    // Nothing is left to cancel, and asking again is harmless.
    runner.cancel(9);
    assert!(runner.in_flight.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_cancel_that_comes_before_the_action_has_started_ends_it_when_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (mut runner, _, _rx) = runner(Ok("done".into()), Some(audit.clone()), false);
    let slow = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        answer: Ok("exit status 0".into()),
        delay: Duration::from_secs(60),
    });
    runner.executor = slow;
    // The key came while the intent was still being written (a slow disk, a busy machine).
    runner.cancel(4);
    let result = tokio::time::timeout(Duration::from_secs(20), runner.run(4, &intent()))
        .await
        .expect("ended at once, not after the command's minute");
    assert_eq!(result, Err(ActionError::Cancelled));
    let (records, _) = audit.read().unwrap();
    assert_eq!(records[1].result.as_deref(), Some("cancelled"));
    assert!(runner.in_flight.1.lock().unwrap().is_empty());
}

/// Prints a line of output, then runs until it is stopped.
struct Prints;

impl Executor for Prints {
    fn permitted<'a>(&'a self, _: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async { Permission::Allowed })
    }
    fn execute<'a>(
        &'a self,
        _: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let line = crate::actions::output::line(
                crate::actions::output::Stream::Stdout,
                "token=hunter2",
            );
            let _ = progress.send(line).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok("exit status 0".into())
        })
    }
}

#[tokio::test]
async fn a_commands_output_is_not_audited_even_when_it_is_abandoned() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::new(dir.path().join("audit.jsonl"));
    let (mut runner, _, mut rx) = runner(Ok("unused".into()), Some(audit.clone()), false);
    runner.executor = Arc::new(Prints);
    let task = {
        let runner = runner.clone();
        tokio::spawn(async move { runner.run(4, &intent()).await })
    };
    // The output reaches the cockpit...
    match rx.recv().await {
        Some(Msg::ActionProgress { seq: 4, line }) => assert!(line.contains("hunter2")),
        other => panic!("{other:?}"),
    }
    assert_eq!(runner.abandon_running().await, 1);
    task.abort();
    // ...and not the audit log, whose abandonment record says only what the runner knows.
    let text = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("abandoned"), "{text}");
}
