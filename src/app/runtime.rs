//! The runtime loop: the only place that waits. It feeds terminal events, source reports and
//! clock ticks to `update`, drains whatever else is already queued, and then draws once if
//! anything changed, never faster than the frame-rate cap. It never awaits I/O of its own: the
//! sources run in their own tasks.

use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::msg::{Effect, Msg};
use super::runner::Runner;
use super::state::State;
use super::update::{prepare_frame, update};
use crate::domain::{SourceReport, UnixTime};

/// How many queued reports are applied before the loop looks at the keyboard again, so that a
/// flood of updates cannot starve a key press.
const DRAIN_LIMIT: usize = 20_000;

/// The clock is checked this often; a redraw happens only when the shown second changes.
const TICK: Duration = Duration::from_millis(200);

/// What the loop listens to besides the terminal and the clock.
pub struct Inputs {
    pub reports: mpsc::Receiver<SourceReport>,
    /// Messages from running actions and permission checks.
    pub inbox: mpsc::Receiver<Msg>,
}

pub async fn run(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    inputs: Inputs,
    runner: &Runner,
    max_fps: u32,
    started: Instant,
) -> color_eyre::Result<()> {
    let Inputs {
        mut reports,
        mut inbox,
    } = inputs;
    let mut first_full_frame_logged = false;
    let mut first_pods_logged = false;
    let frame_interval = Duration::from_secs(1) / max_fps.max(1);
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Every signal that ends the cockpit is caught, so the terminal is restored on the way out
    // (Ctrl-C in raw mode is a key; SIGINT comes from `kill -INT` or a supervisor).
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut last_draw: Option<Instant> = None;
    let mut reports_open = true;
    let mut source_log = super::source_log::SourceLog::default();
    let mut screen = crate::screen::Screen::default();
    let mut carried: Vec<Effect> = Vec::new();

    loop {
        // When a frame is due but the cap holds it back, wake up when it may be drawn.
        let draw_due = state
            .dirty
            .then(|| last_draw.map_or(Instant::now(), |t| t + frame_interval));
        // What an action finished inline (the shell) asked for, carried out with the next.
        let mut effects = std::mem::take(&mut carried);
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    if matches!(event, Event::Resize(..)) {
                        // The next draw clears the screen for the new size (ratatui's
                        // autoresize): with the pen's background, unless it is reset first.
                        screen.reset_pen(terminal)?;
                    }
                    if let Some(msg) = terminal_msg(event) {
                        effects.extend(update(state, msg));
                    }
                }
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            report = reports.recv(), if reports_open => match report {
                Some(report) => {
                    effects.extend(update(state, Msg::Report(report)));
                    for _ in 0..DRAIN_LIMIT {
                        match reports.try_recv() {
                            Ok(report) => effects.extend(update(state, Msg::Report(report))),
                            Err(_) => break,
                        }
                    }
                }
                None => reports_open = false,
            },
            Some(msg) = inbox.recv() => effects.extend(update(state, msg)),
            _ = ticker.tick() => effects.extend(update(state, Msg::Tick(UnixTime::now()))),
            _ = sleep_until(draw_due) => {}
            _ = hangup.recv() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
            _ = interrupt.recv() => return Ok(()),
            _ = quit.recv() => return Ok(()),
        }
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::Repaint => {
                    screen.clear(terminal)?;
                    state.dirty = true;
                    last_draw = None;
                }
                Effect::Copy(text) => {
                    use std::io::Write;
                    let backend = terminal.backend_mut();
                    backend.write_all(crate::terminal::osc52(&text).as_bytes())?;
                    backend.flush()?;
                }
                Effect::SwitchContext(context) => runner.switch_context(&context),
                Effect::OpenLogs {
                    stream,
                    context,
                    namespace,
                    pods,
                    options,
                } => runner.open_logs(stream, context, namespace, pods, options),
                Effect::ReadLogErrors(scans) => runner.read_log_errors(scans),
                Effect::CloseLogs(stream) => runner.close_logs(stream),
                Effect::FetchObject { seq, object } => runner.fetch_object(seq, object),
                Effect::WriteFile { path, contents } => runner.write_file(path, contents),
                Effect::RunProbes { run, probes } => runner.run_probes(run, probes),
                Effect::PublishNote(text) => runner.publish_note(text),
                Effect::SetIncident(incident, note) => {
                    if let Some(room) = &runner.room {
                        room.set_incident(incident, note);
                    }
                }
                Effect::Follow(member) => {
                    if let Some(room) = &runner.room {
                        room.follow(member);
                    }
                }
                Effect::WriteReport { record, dirs } => runner.write_report(*record, dirs),
                Effect::CheckPermission { seq, action } => runner.check_permission(seq, action),
                Effect::CloseForward(seq) => runner.close_forward(seq),
                Effect::Execute { seq, intent }
                    if matches!(intent.action.kind, crate::actions::ActionKind::Shell { .. }) =>
                {
                    // The shell gets the terminal: no key is read and nothing drawn until it
                    // exits (the key reader stops first, so no key is taken from it).
                    drop(events);
                    crate::terminal::suspend()?;
                    let result = runner.run_shell(seq, &intent).await;
                    crate::terminal::resume()?;
                    events = EventStream::new();
                    // The alternate screen comes back blank; a blank frame makes the next one
                    // draw every cell (`clear` would ask the terminal where its cursor is).
                    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
                    screen.forget();
                    state.dirty = true;
                    last_draw = None;
                    carried.extend(update(state, Msg::ActionFinished { seq, result }));
                }
                Effect::Execute { seq, intent } => runner.execute(seq, *intent),
                Effect::CancelAction(seq) => runner.cancel(seq),
                Effect::Audit(records) => runner.audit_records(records),
                Effect::RequestApproval { seq, intent } => runner.request_approval(seq, &intent),
                Effect::DecideRequest {
                    id,
                    approve,
                    reason,
                } => runner.decide_request(id, approve, reason),
            }
        }
        if state.quit {
            return Ok(());
        }
        source_log.write(state);
        runner.want_metrics(super::metrics_demand::wanted(state));
        // A view changes only with something visible; a follower's view is someone else's and
        // is not announced again.
        if let Some(room) = runner
            .room
            .as_ref()
            .filter(|_| state.dirty && state.follow.is_none())
        {
            room.set_view(super::room::current_view(state));
        }
        let may_draw = last_draw.is_none_or(|t| t.elapsed() >= frame_interval);
        if state.dirty && may_draw {
            prepare_frame(state);
            // A frame with no changed cell writes nothing (`screen/mod.rs`).
            screen.draw(terminal, |frame| crate::ui::view(frame, state))?;
            state.dirty = false;
            last_draw = Some(Instant::now());
            if !first_pods_logged && !state.estate.pods.is_empty() {
                // Against the adapter's `first page of pods arrived`: how long the first rows
                // took to reach the screen once the API server's answer was in.
                first_pods_logged = true;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                tracing::info!(ms, panel = ?state.panel, "first pod rows drawn");
            }
            // Whole: every source has answered and the pods' first list is complete (the
            // first page already makes the cluster's source live, with the progress line).
            if !first_full_frame_logged
                && state.estate.pods_listing.is_none()
                && state.estate.sources.values().all(|f| f.last_ok.is_some())
            {
                first_full_frame_logged = true;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                tracing::info!(ms, "first frame with every source's data drawn");
                release_freed_memory();
            }
        }
    }
}

/// Hands the free pages malloc holds back to the system, once first sight's copies are freed
/// (the list's pages, the metrics answer, the list on its way to the store): glibc keeps a
/// freed peak in its arenas, and RSS stayed there (README, Performance).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives malloc's own free memory back; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

fn terminal_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}
