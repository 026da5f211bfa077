//! PostgreSQL: one task per configured instance, one connection each (application_name
//! `opsdeck`, a statement timeout on our queries), polled every refresh. It reports the
//! instance or why it cannot reach it, reconnects by itself, and carries out cancel and
//! terminate for the sessions it shows. The password comes from the DSN, PGPASSWORD or
//! ~/.pgpass; it is never put into a message.

mod connect;
pub mod pgpass;
pub mod query;
mod tls;

use connect::{CONNECT_DEADLINE, no_answer};
pub use connect::{connect, describe};

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::Client;

use super::next_backoff;
use crate::actions::executor::{ActionError, Executor, Permission, ask};
use crate::actions::{Action, ActionKind, Target};
use crate::config::PostgresConfig;
use crate::domain::{Report, SourceId, SourceKind, SourceReport};

/// The application name our sessions carry, so DBAs can see us and actions skip us.
pub use crate::actions::preflight::OWN_APPLICATION_NAME;

/// What the executor asks the instance's task to do.
pub enum PgCommand {
    Permitted {
        pid: i32,
        reply: oneshot::Sender<Permission>,
    },
    Signal {
        terminate: bool,
        pid: i32,
        reply: oneshot::Sender<Result<String, ActionError>>,
    },
}

impl PgCommand {
    /// Answers a command that arrives while there is no connection.
    fn refuse(self, why: &str) {
        match self {
            PgCommand::Permitted { reply, .. } => {
                let _ = reply.send(Permission::NoAnswer(format!("not connected: {why}")));
            }
            PgCommand::Signal { reply, .. } => {
                let _ = reply.send(Err(ActionError::Failed(format!("not connected: {why}"))));
            }
        }
    }
}

/// How long one request (a poll's query, a permission check, a signal) may take before the
/// server counts as not answering: the server's own statement timeout plus a grace for the
/// network. A hung server is then unreachable within this, and reconnected.
pub fn request_deadline(cfg: &PostgresConfig) -> Duration {
    cfg.statement_timeout + REQUEST_GRACE
}

const REQUEST_GRACE: Duration = Duration::from_secs(2);

/// Starts the instance's task; returns the executor that routes actions to it.
pub fn spawn(
    cfg: PostgresConfig,
    refresh: Duration,
    reports: mpsc::Sender<SourceReport>,
) -> PgExecutor {
    let (commands, inbox) = mpsc::channel(8);
    // The inbox outlives a panicked run: the next run takes it over, queued commands included.
    let inbox = Arc::new(tokio::sync::Mutex::new(inbox));
    let reporter = super::Reporter::new(
        SourceId::new(SourceKind::Postgres, &cfg.name),
        reports.clone(),
    );
    super::supervise::supervise(
        reporter,
        move || {
            let (cfg, reports, inbox) = (cfg.clone(), reports.clone(), inbox.clone());
            async move { run(cfg, refresh, reports, inbox.lock_owned().await).await }
        },
        super::supervise::unreachable,
    );
    PgExecutor { commands }
}

async fn run(
    cfg: PostgresConfig,
    refresh: Duration,
    reports: mpsc::Sender<SourceReport>,
    mut commands: tokio::sync::OwnedMutexGuard<mpsc::Receiver<PgCommand>>,
) {
    let reporter = super::Reporter::new(SourceId::new(SourceKind::Postgres, &cfg.name), reports);
    let deadline = request_deadline(&cfg);
    let mut backoff = Duration::from_secs(1);
    loop {
        // Commands that arrive while connecting are answered at once: nobody waits on a server
        // that may hang.
        let connecting = tokio::time::timeout(CONNECT_DEADLINE, connect_and_identify(&cfg));
        tokio::pin!(connecting);
        let connected = loop {
            tokio::select! {
                result = &mut connecting => break result.unwrap_or_else(|_| {
                    Err(no_answer("the connection", CONNECT_DEADLINE))
                }),
                command = commands.recv() => match command {
                    Some(c) => c.refuse("connecting"),
                    None => return,
                },
            }
        };
        let (client, mut connection, own_pid) = match connected {
            Ok(connected) => connected,
            Err(reason) => {
                // Each attempt at debug level: the source log writes the outage once.
                tracing::debug!(instance = %cfg.name, %reason, "cannot connect to PostgreSQL");
                if !reporter.send(Report::Unreachable(reason.clone())).await {
                    return;
                }
                let wait = tokio::time::sleep(backoff);
                tokio::pin!(wait);
                loop {
                    tokio::select! {
                        _ = &mut wait => break,
                        command = commands.recv() => match command {
                            Some(c) => c.refuse(&reason),
                            None => return,
                        },
                    }
                }
                backoff = next_backoff(backoff);
                continue;
            }
        };
        backoff = Duration::from_secs(1);
        tracing::info!(instance = %cfg.name, "connected to PostgreSQL");
        let mut ticker = tokio::time::interval(refresh);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    let polled = tokio::time::timeout(deadline, query::poll(&client, &cfg.name)).await;
                    match polled {
                        Ok(Ok(instance)) => {
                            if !reporter.send(Report::Postgres(instance)).await {
                                return;
                            }
                        }
                        Ok(Err(e)) => {
                            let _ = reporter.send(Report::Unreachable(describe(&e))).await;
                            break;
                        }
                        // A hung server: drop the connection and connect anew.
                        Err(_) => {
                            let reason = no_answer("the poll", deadline);
                            let _ = reporter.send(Report::Unreachable(reason)).await;
                            break;
                        }
                    }
                }
                command = commands.recv() => match command {
                    Some(command) => {
                        if !handle(&client, own_pid, command, deadline).await {
                            let reason = no_answer("a command", deadline);
                            let _ = reporter.send(Report::Unreachable(reason)).await;
                            break;
                        }
                    }
                    None => return,
                },
                _ = &mut connection => {
                    let _ = reporter.send(Report::Unreachable("the server closed the connection".into())).await;
                    break;
                }
            }
        }
        connection.abort();
    }
}

/// Connects and asks for our own backend's pid (which actions never signal).
async fn connect_and_identify(
    cfg: &PostgresConfig,
) -> Result<(Client, JoinHandle<()>, i32), String> {
    let (client, connection) = connect(cfg).await?;
    match client.query_one("SELECT pg_backend_pid()", &[]).await {
        Ok(row) => Ok((client, connection, row.get(0))),
        Err(e) => {
            connection.abort();
            Err(describe(&e))
        }
    }
}

const PERMITTED_SQL: &str = "\
    SELECT r.rolsuper OR pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') \
           OR coalesce((SELECT usename = current_user FROM pg_stat_activity WHERE pid = $1), false) \
    FROM pg_roles r WHERE r.rolname = current_user";

/// Carries out one command within `deadline`; false when the server did not answer in time
/// (the command is answered so, and the connection should be dropped).
async fn handle(client: &Client, own_pid: i32, command: PgCommand, deadline: Duration) -> bool {
    match command {
        PgCommand::Permitted { pid, reply } => {
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&pid];
            let asked = tokio::time::timeout(deadline, client.query_one(PERMITTED_SQL, &params));
            let Ok(answer) = asked.await else {
                let _ = reply.send(Permission::NoAnswer(no_answer(
                    "the permission check",
                    deadline,
                )));
                return false;
            };
            let permission = match answer {
                Ok(row) if row.get::<_, bool>(0) => Permission::Allowed,
                Ok(_) => Permission::Denied(format!(
                    "our role may not signal pid {pid}: it needs superuser, pg_signal_backend or the session's own role"
                )),
                Err(e) => Permission::Denied(describe(&e)),
            };
            let _ = reply.send(permission);
            true
        }
        PgCommand::Signal {
            terminate,
            pid,
            reply,
        } => {
            let function = if terminate {
                "pg_terminate_backend"
            } else {
                "pg_cancel_backend"
            };
            if pid == own_pid {
                let _ = reply.send(Err(ActionError::Failed(format!(
                    "pid {pid} is opsdeck's own connection"
                ))));
                return true;
            }
            let sql = format!("SELECT {function}($1)");
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&pid];
            let asked = tokio::time::timeout(deadline, client.query_one(&sql, &params));
            let Ok(answer) = asked.await else {
                let _ = reply.send(Err(ActionError::Failed(format!(
                    "{}; the signal may still arrive, check the session",
                    no_answer(function, deadline)
                ))));
                return false;
            };
            let result = {
                match answer {
                    Ok(row) if row.get::<_, bool>(0) => {
                        Ok(format!("{function}({pid}) returned true"))
                    }
                    Ok(_) => Err(ActionError::Failed(format!(
                        "{function}({pid}) returned false: the backend is gone or may not be signalled"
                    ))),
                    Err(e) => Err(ActionError::Failed(describe(&e))),
                }
            };
            let _ = reply.send(result);
            true
        }
    }
}

const STOPPED: &str = "the PostgreSQL adapter has stopped";

/// Carries out cancel and terminate on its instance, through the instance's task.
#[derive(Clone)]
pub struct PgExecutor {
    commands: mpsc::Sender<PgCommand>,
}

fn target_pid(action: &Action) -> Option<i32> {
    match action.target {
        Target::PgBackend { pid, .. } => Some(pid),
        _ => None,
    }
}

impl Executor for PgExecutor {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async move {
            let Some(pid) = target_pid(action) else {
                return Permission::Denied(format!(
                    "{} is not a PostgreSQL action",
                    action.kind.name()
                ));
            };
            let make = |reply| PgCommand::Permitted { pid, reply };
            ask(&self.commands, make, || Permission::Denied(STOPPED.into())).await
        })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        _progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let terminate = match action.kind {
                ActionKind::CancelQuery => false,
                ActionKind::TerminateBackend => true,
                _ => return Err(ActionError::Unavailable(action.kind.name().into())),
            };
            let pid =
                target_pid(action).ok_or_else(|| ActionError::NotFound(action.target.key()))?;
            let make = |reply| PgCommand::Signal {
                terminate,
                pid,
                reply,
            };
            ask(&self.commands, make, || {
                Err(ActionError::Unavailable(STOPPED.into()))
            })
            .await
        })
    }
}
