//! The simulated estate as a source and a backend: a task that owns the world, sends its
//! reports into the cockpit's channel every tick, carries out the actions it is sent, and stops
//! when the cockpit goes away.

use std::time::Duration;

use tokio::sync::mpsc;

use super::World;
use super::actions::{Applied, Job};
use super::executor::SimCommand;
use super::handle::WorldCall;
use crate::config::DemoConfig;
use crate::domain::{SourceKind, SourceReport};

/// A backup job in progress, with where its progress and result go.
struct Running {
    job: Job,
    command: SimCommand,
}

/// Runs the world until the receiver is dropped. With `config.freeze`, the world does not change
/// by itself (only heartbeats are sent), but actions still apply.
/// What the feed listens to besides its clock.
pub struct FeedInputs {
    /// Actions from the simulator's executor.
    pub commands: mpsc::Receiver<SimCommand>,
    /// Requests from the simulator's HTTP APIs.
    pub calls: mpsc::Receiver<WorldCall>,
    /// Source kinds whose reports are left to a real adapter reading the simulator over HTTP.
    pub served: Vec<SourceKind>,
}

pub async fn run(
    mut world: World,
    config: DemoConfig,
    tx: mpsc::Sender<SourceReport>,
    inputs: FeedInputs,
) {
    let FeedInputs {
        mut commands,
        mut calls,
        served,
    } = inputs;
    let own = |report: &SourceReport| !served.contains(&report.source.kind);
    for report in world.initial_reports().into_iter().filter(own) {
        if tx.send(report).await.is_err() {
            return;
        }
    }
    let mut ticker = tokio::time::interval(config.tick.max(Duration::from_millis(50)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    let mut jobs: Vec<Running> = Vec::new();
    loop {
        let reports = tokio::select! {
            _ = ticker.tick() => {
                let now = super::clock::now();
                let mut reports = if config.freeze { world.heartbeats(now) } else { world.step(now) };
                if config.freeze {
                    reports.extend(world.run_started_jobs(now));
                }
                world.now = now;
                reports.extend(advance_jobs(&mut world, &mut jobs).await);
                world.absorb_kubernetes(&reports);
                reports
            }
            Some(command) = commands.recv() => {
                world.now = super::clock::now();
                match world.apply(&command.action) {
                    Ok(Applied::Done(message, reports)) => {
                        world.absorb_kubernetes(&reports);
                        let _ = command.reply.send(Ok(message));
                        reports
                    }
                    Ok(Applied::Job(job)) => {
                        jobs.push(Running { job, command });
                        Vec::new()
                    }
                    Err(error) => {
                        let _ = command.reply.send(Err(error));
                        Vec::new()
                    }
                }
            }
            Some(call) = calls.recv() => {
                world.now = super::clock::now();
                call(&mut world);
                // Writes through the APIs have updated the API's view already.
                std::mem::take(&mut world.outbox)
            }
        };
        for report in reports.into_iter().filter(own) {
            if tx.send(report).await.is_err() {
                return;
            }
        }
    }
}

/// One tick of every running job: progress, and the result of those that finish.
async fn advance_jobs(world: &mut World, jobs: &mut Vec<Running>) -> Vec<SourceReport> {
    let mut reports = Vec::new();
    let mut still = Vec::new();
    for mut running in jobs.drain(..) {
        let line = running.job.progress();
        let _ = running.command.progress.send(line).await;
        if running.job.ticks_left > 0 {
            still.push(running);
            continue;
        }
        match world.finish_job(&running.job) {
            Ok((message, more)) => {
                reports.extend(more);
                let _ = running.command.reply.send(Ok(message));
            }
            Err(error) => {
                let _ = running.command.reply.send(Err(error));
            }
        }
    }
    *jobs = still;
    reports
}

/// How many ticks make one refresh of the polled sources.
pub fn refresh_ticks(refresh: Duration, tick: Duration) -> u64 {
    (refresh.as_millis() / tick.as_millis().max(1)).max(1) as u64
}
