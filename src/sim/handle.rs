//! A handle on the world owned by the feed task: the simulator's HTTP APIs run their requests
//! as closures on the world, in that task, so the world has one owner and no locks.

use tokio::sync::{mpsc, oneshot};

use super::World;

/// A request to run on the world.
pub type WorldCall = Box<dyn FnOnce(&mut World) + Send>;

#[derive(Clone)]
pub struct WorldHandle {
    calls: mpsc::Sender<WorldCall>,
}

impl WorldHandle {
    /// A handle and the receiving end that the feed task listens on.
    pub fn new() -> (WorldHandle, mpsc::Receiver<WorldCall>) {
        let (calls, inbox) = mpsc::channel(64);
        (WorldHandle { calls }, inbox)
    }

    /// Runs `f` on the world and returns its result; `None` once the world has stopped.
    pub async fn call<R, F>(&self, f: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut World) -> R + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let call: WorldCall = Box::new(move |world| {
            let _ = reply.send(f(world));
        });
        self.calls.send(call).await.ok()?;
        answer.await.ok()
    }
}
