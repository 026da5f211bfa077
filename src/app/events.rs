//! The Events panel's own key: only Warnings, or every event.

use super::rows::EventRows;
use super::shown_table::sync_current;
use super::state::State;
use super::table::RowSet;
use crate::domain::Level;

pub(super) fn toggle_warnings(state: &mut State) {
    state.tables.warnings_only = !state.tables.warnings_only;
    let rows = EventRows {
        events: &state.estate.events,
        generation: state.estate.gens.events,
        warnings_only: state.tables.warnings_only,
    };
    let view = &mut state.tables.events;
    view.sync(&rows);
    // A Normal event under the selection would stay shown (as a silenced alert does); the
    // operator asked for Warnings only, so the selection goes to the first of them.
    if let Some(position) = view
        .visible()
        .iter()
        .position(|i| !rows.hidden(*i as usize))
    {
        view.select(&rows, position);
        view.sync(&rows);
    }
    let shown = if state.tables.warnings_only {
        "only Warning events shown"
    } else {
        "every event shown"
    };
    state.notify(shown, Level::Ok, 3);
    sync_current(state);
}
