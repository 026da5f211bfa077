//! Sorting from the keyboard: the sort key (`o`) marks each header with a letter and the next
//! key chooses that column (the sorted one again reverses it); `o` twice sorts by the next
//! column, `O` reverses. Whatever the order becomes, the selection goes to the first row.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Effect;
use super::shown_table::with_shown;
use super::state::State;
use super::table::{column_for, sort_letters};
use crate::config::Command;
use crate::domain::Level;

pub(super) fn open(state: &mut State) {
    with_shown(state, |view| {
        view.set_sort_letters(Some(sort_letters(view.columns())));
    });
}

pub(super) fn is_open(state: &State) -> bool {
    super::panel_spec::shown_view(state).is_some_and(|v| v.choosing_sort())
}

/// A key while the headers show their letters. `None` when the key is not the chooser's: the
/// chooser closes and the key does what it always does.
pub(super) fn on_key(
    state: &mut State,
    command: Option<Command>,
    key: KeyEvent,
) -> Option<Vec<Effect>> {
    state.dirty = true;
    with_shown(state, |view| view.set_sort_letters(None));
    match command {
        Some(Command::Sort | Command::SortNext) => {
            apply(state, Command::SortNext);
            return Some(Vec::new());
        }
        Some(Command::SortReverse) => {
            apply(state, Command::SortReverse);
            return Some(Vec::new());
        }
        // Esc only closes the chooser (it would clear the filter otherwise).
        Some(Command::ClearFilter) => return Some(Vec::new()),
        _ => {}
    }
    let KeyCode::Char(letter) = key.code else {
        return None;
    };
    // Only letters choose; a digit still shows a panel.
    if !letter.is_ascii_alphabetic()
        || key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    let mut chosen = false;
    with_shown(state, |view| {
        if let Some(column) = column_for(view.columns(), letter) {
            view.sort_by_column(column);
            view.select_first();
            chosen = true;
        }
    });
    if !chosen {
        state.notify(
            format!("{letter}: no column has this letter — o, then a letter shown in a header"),
            Level::Warn,
            3,
        );
        return Some(Vec::new());
    }
    announce(state);
    Some(Vec::new())
}

/// `sort_next` (the next column) or `sort_reverse`.
pub(super) fn apply(state: &mut State, command: Command) {
    with_shown(state, |view| {
        match command {
            Command::SortNext => view.cycle_sort(),
            _ => view.reverse_sort(),
        }
        view.select_first();
    });
    announce(state);
}

/// Says which column the rows are sorted by, which matters when it is too narrow to see or
/// hidden at this width.
fn announce(state: &mut State) {
    let mut text = None;
    with_shown(state, |view| {
        let order = if view.shows_descending() {
            "descending"
        } else {
            "ascending"
        };
        text = Some(format!(
            "sorted by {}, {order}",
            view.header(view.sort().column)
        ));
    });
    if let Some(text) = text {
        state.notify(text, Level::Ok, 3);
    }
}
