//! The simulated estate as an action executor: actions go to the task that owns the world, as
//! commands to a backend would. The demo operator may do anything except in `monitoring`, so
//! that a refusal by "RBAC" can be seen too.

use futures::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::actions::Action;
use crate::actions::executor::{ActionError, Executor, Permission, ask};

/// The namespace the demo operator has no rights in.
pub const FORBIDDEN_NAMESPACE: &str = "monitoring";

/// An action for the feed task, with where to send progress and the result.
pub struct SimCommand {
    pub action: Action,
    pub progress: mpsc::Sender<String>,
    pub reply: oneshot::Sender<Result<String, ActionError>>,
}

pub struct SimExecutor {
    commands: mpsc::Sender<SimCommand>,
}

impl SimExecutor {
    pub fn new(commands: mpsc::Sender<SimCommand>) -> Self {
        SimExecutor { commands }
    }
}

impl Executor for SimExecutor {
    fn permitted<'a>(&'a self, action: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async move {
            match action.target.namespace() {
                Some(FORBIDDEN_NAMESPACE) => Permission::Denied(format!(
                    "RBAC: the demo operator may not {} in namespace {FORBIDDEN_NAMESPACE}",
                    action.kind.name()
                )),
                _ => Permission::Allowed,
            }
        })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        progress: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            if let Some(FORBIDDEN_NAMESPACE) = action.target.namespace() {
                return Err(ActionError::NotPermitted(format!(
                    "namespace {FORBIDDEN_NAMESPACE}"
                )));
            }
            let make = |reply| SimCommand {
                action: action.clone(),
                progress,
                reply,
            };
            ask(&self.commands, make, || {
                Err(ActionError::Unavailable(
                    "the simulated estate has stopped".into(),
                ))
            })
            .await
        })
    }
}
