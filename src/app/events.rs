//! The Events panel's own key: only Warnings, or every event.

use super::shown_table::sync_current;
use super::state::State;
use crate::domain::Level;

pub(super) fn toggle_warnings(state: &mut State) {
    state.tables.warnings_only = !state.tables.warnings_only;
    let shown = if state.tables.warnings_only {
        "only Warning events shown"
    } else {
        "every event shown"
    };
    state.notify(shown, Level::Ok, 3);
    sync_current(state);
}
