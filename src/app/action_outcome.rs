//! What a running action reports back: its progress lines (to the output pane, the timeline
//! and the status bar), its cancelling, and how it ended.

use super::msg::Effect;
use super::state::State;
use super::timeline::Status;
use crate::actions::executor::ActionError;
use crate::domain::Level;

/// A command's output goes to the output pane, and to the status bar while the pane shows
/// something else; the timeline keeps only its outcome. Other progress goes to the timeline
/// and, so that it is seen with the timeline closed, to the status bar.
pub fn on_progress(state: &mut State, seq: u64, line: String) {
    if super::output::on_line(state, seq, &line) {
        if super::output::shown(state).is_none_or(|r| r.seq != seq)
            && let Some(entry) = state.timeline.iter().find(|e| e.seq == seq)
        {
            let text = super::output::plain_of(&line).unwrap_or_default();
            state.notify(format!("{}: {text}", entry.title), Level::Ok, 3);
        }
        return;
    }
    let Some(entry) = state.timeline.iter_mut().find(|e| e.seq == seq) else {
        return;
    };
    entry.status = Status::Running {
        progress: Some(line.clone()),
    };
    entry.add_output(line.clone());
    let title = entry.title.clone();
    state.notify(format!("{title}: {line}"), Level::Ok, 3);
}

/// The cancel key: ends the newest one-off command still running.
pub(super) fn cancel_command(state: &mut State) -> Vec<Effect> {
    let Some(seq) = state.exec_running.last().copied() else {
        state.notify("no one-off command is running", Level::Warn, 3);
        return Vec::new();
    };
    cancel(state, seq)
}

/// Ends the running command `seq`, saying so.
pub(super) fn cancel(state: &mut State, seq: u64) -> Vec<Effect> {
    if let Some(entry) = state.timeline.iter().find(|e| e.seq == seq) {
        let text = format!("{}: cancelling", entry.title);
        state.notify(text, Level::Warn, 4);
    }
    vec![Effect::CancelAction(seq)]
}

pub fn on_finished(state: &mut State, seq: u64, result: Result<String, String>) {
    state.running.retain(|_, s| *s != seq);
    super::forwards::on_finished(state, seq, result.is_ok());
    let edited = result.is_ok();
    state.exec_running.retain(|s| *s != seq);
    super::output::on_finished(state, seq, &result);
    state.dirty = true;
    let Some(entry) = state.timeline.iter_mut().find(|e| e.seq == seq) else {
        return;
    };
    entry.finished = Some(state.now);
    let title = entry.title.clone();
    match result {
        Ok(message) => {
            entry.status = Status::Succeeded(message.clone());
            state.notify_outcome(&format!("{title}: "), &message, Level::Ok, 8);
        }
        Err(error) if error == ActionError::Cancelled.to_string() => {
            entry.status = Status::Failed("cancelled".into());
            state.notify_outcome(&format!("{title}: "), "cancelled", Level::Warn, 8);
        }
        Err(error) => {
            entry.status = Status::Failed(error.clone());
            state.notify_outcome(
                &format!("{title} "),
                &format!("FAILED: {error}"),
                Level::Crit,
                15,
            );
        }
    }
    super::config_edit::on_finished(state, seq, edited);
}
