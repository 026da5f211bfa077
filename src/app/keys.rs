//! Which command a key means: the dialog's keys while a dialog is open, the filter line's while
//! one is typed (typed text otherwise), else the help's, the pane's or the shown panel's and
//! the table's, then the global ones.

use crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};

use super::msg::Effect;
use super::panel::Panel;
use super::state::State;
use super::update::{apply_typed_filter, quit, run};
use crate::config::{Command, KeyChord, Mode};

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let chord = KeyChord::from_event(&key);
    let keymap = &state.settings.keymap;
    // The quit question takes the next key, over whatever is open.
    if state.quit_prompt.is_some() {
        return super::quit::on_key(state, chord);
    }
    if state.dialog.is_some() {
        return match typing_command(keymap, Mode::Dialog, chord) {
            Some(Command::Quit) => quit(state),
            command => super::dialog_keys::on_dialog_key(state, command, key),
        };
    }
    // Following another cockpit is read-only: a key leaves (Ctrl-C still quits).
    if state.follow.is_some() {
        if keymap.command(&[Mode::Global], chord) == Some(Command::Quit)
            && chord.modifiers.contains(KeyModifiers::CONTROL)
        {
            return quit(state);
        }
        return super::room::stop_following(state);
    }
    if state.config_editor.is_some() {
        return match typing_command(keymap, Mode::Editor, chord) {
            Some(Command::Quit) => quit(state),
            command => super::config_edit::on_editor_key(state, command, key),
        };
    }
    if state.update_editor.is_some() {
        // Ctrl-C quits here too, as everywhere.
        return match typing_command(keymap, Mode::Editor, chord) {
            Some(Command::Quit) => quit(state),
            command => super::incident_update::on_editor_key(state, command, key),
        };
    }
    if state.note_input.is_some() {
        return match typing_command(keymap, Mode::Filter, chord) {
            Some(Command::Quit) => quit(state),
            command => super::room::on_note_key(state, command, key),
        };
    }
    if state.checklist.note.is_some() {
        match typing_command(keymap, Mode::Filter, chord) {
            Some(Command::Quit) => return quit(state),
            command => super::checklist::on_note_key(state, command, key),
        }
        return Vec::new();
    }
    if state.command_line.is_some() {
        return match typing_command(keymap, Mode::Filter, chord) {
            Some(Command::Quit) => quit(state),
            command => super::command_line::on_key(state, command, key),
        };
    }
    if state.filter_input.is_some() {
        return match typing_command(keymap, Mode::Filter, chord) {
            Some(command) => run(state, command),
            None => {
                if let Some(input) = state.filter_input.as_mut() {
                    input.input(key);
                }
                apply_typed_filter(state);
                Vec::new()
            }
        };
    }
    if state.help.is_none() && state.pane.is_none() && super::sort_choice::is_open(state) {
        let command = keymap.command(&[Mode::Table, Mode::Global], chord);
        if let Some(effects) = super::sort_choice::on_key(state, command, key) {
            return effects;
        }
    }
    let keymap = &state.settings.keymap;
    let mut modes = Vec::with_capacity(3);
    if state.help.is_some() {
        modes.push(Mode::Help);
    } else if state.pane.is_some() {
        modes.push(Mode::Pane);
    } else if state.panel == Panel::Overview {
        modes.push(Mode::Overview);
    } else if state.panel.has_table() || state.panel == Panel::Checklist {
        // The Checklist panel moves between its rows with the tables' keys.
        modes.extend(panel_mode(state.panel));
        modes.push(Mode::Table);
    }
    modes.push(Mode::Global);
    match keymap.command(&modes, chord) {
        Some(command) => run(state, command),
        // The team's own actions (`[[actions]]`) take keys no built-in one of the panel has.
        None if state.help.is_none() && state.pane.is_none() => {
            match super::team_actions::on_key(state, chord) {
                Some(effects) => effects,
                None => {
                    not_a_key(state, chord);
                    Vec::new()
                }
            }
        }
        None => {
            not_a_key(state, chord);
            Vec::new()
        }
    }
}

/// A key bound to nothing here says so for a moment, instead of being silently ignored. Esc
/// is pressed by reflex to get out of things, so it stays quiet.
fn not_a_key(state: &mut State, chord: KeyChord) {
    if chord.code == crossterm::event::KeyCode::Esc {
        return;
    }
    let place = if state.help.is_some() {
        "the help"
    } else if let Some(pane) = &state.pane {
        super::pane::place(&pane.kind)
    } else {
        state.panel.title()
    };
    let help = state
        .settings
        .keymap
        .first_key(Mode::Global, Command::Help)
        .map(|k| format!(" — {k} for help"))
        .unwrap_or_default();
    state.notify(
        format!("{chord}: not a key in {place}{help}"),
        // Not a success: a mild warning that the key did nothing.
        crate::domain::Level::Warn,
        3,
    );
}

/// While typing (a dialog field, a note, a filter): the mode's command, else a global one pressed
/// with Ctrl or Alt.
fn typing_command(keymap: &crate::config::Keymap, mode: Mode, chord: KeyChord) -> Option<Command> {
    keymap
        .command(&[mode], chord)
        .or_else(|| global_with_modifier(keymap, chord))
}

/// While typing (a filter, a dialog field), global commands count only with Ctrl or Alt, so
/// that typing "q" types a q.
fn global_with_modifier(keymap: &crate::config::Keymap, chord: KeyChord) -> Option<Command> {
    let modified = chord
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    keymap.command(&[Mode::Global], chord).filter(|_| modified)
}

/// The keymap section of a panel's own actions.
fn panel_mode(panel: Panel) -> Option<Mode> {
    panel.spec().mode
}
