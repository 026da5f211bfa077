//! Quitting never loses work by surprise: with a checklist run in progress or an action running,
//! `q` and Ctrl-C ask first (`Quit? A checklist run will be lost and 1 running action abandoned
//! — y / N`, No the default). Ctrl-C pressed again while asked quits at once: a way out that
//! always works, whatever is pending.

use crossterm::event::KeyModifiers;

use super::msg::Effect;
use super::state::State;
use crate::config::{Command, KeyChord, Mode};
use crate::domain::Level;

/// A quit key was pressed (anywhere): quits, or asks when something would be lost.
pub(super) fn request(state: &mut State) -> Vec<Effect> {
    match pending(state) {
        Some(what) => {
            state.quit_prompt = Some(format!("Quit? {what} — y / N"));
            state.dirty = true;
            Vec::new()
        }
        None => now(state),
    }
}

/// The answer to the question: `y` quits, Ctrl-C (again) quits, anything else stays.
pub(super) fn on_key(state: &mut State, chord: KeyChord) -> Vec<Effect> {
    let keymap = &state.settings.keymap;
    let ctrl_quit = chord.modifiers.contains(KeyModifiers::CONTROL)
        && keymap.command(&[Mode::Global], chord) == Some(Command::Quit);
    let yes = keymap.command(&[Mode::Quit], chord) == Some(Command::QuitYes);
    state.quit_prompt = None;
    state.dirty = true;
    if yes || ctrl_quit {
        return now(state);
    }
    state.notify("not quitting", Level::Ok, 3);
    Vec::new()
}

fn now(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

/// What quitting now would lose, in a sentence starting with a capital; `None` when nothing.
pub fn pending(state: &State) -> Option<String> {
    let run = state.checklist.run.is_some();
    let actions = state.running.len();
    let actions_text = match actions {
        0 => None,
        1 => Some("1 running action".to_string()),
        n => Some(format!("{n} running actions")),
    };
    let text = match (run, actions_text) {
        (false, None) => return None,
        (true, None) => "A checklist run will be lost".to_string(),
        (false, Some(a)) => format!("{a} will be abandoned"),
        (true, Some(a)) => format!("A checklist run will be lost and {a} abandoned"),
    };
    Some(text)
}
