//! The shown panel's table: moving its selection, its filter (typed, set, cleared), showing a
//! followed cockpit's view, and keeping it in step with the estate before each frame.

use super::panel::Panel;
use super::state::State;
use crate::config::Command;

pub(super) use super::panel_spec::with_shown;

pub(super) fn navigate(state: &mut State, command: Command) {
    if scroll_details(state, command) {
        return;
    }
    // Another row, other details: they start at the top.
    state.details_view.scroll = 0;
    let page = crate::ui::layout::table_body_height(state).max(1) as isize;
    with_shown(state, |view| {
        view.sync();
        match command {
            Command::Up => view.move_by(-1),
            Command::Down => view.move_by(1),
            Command::PageUp => view.move_by(-page),
            Command::PageDown => view.move_by(page),
            Command::Top => view.select(0),
            Command::Bottom => view.select(usize::MAX),
            _ => {}
        }
        view.scroll_into_view(page as usize);
    });
}

/// The selection on the first row, scrolled to the top (after a drill-down).
pub(super) fn select_top(state: &mut State) {
    with_shown(state, |view| view.select_first());
}

pub(super) fn current_filter(state: &State) -> String {
    super::panel_spec::shown_view(state)
        .map(|v| v.filter().to_string())
        .unwrap_or_default()
}

pub(super) fn set_filter(state: &mut State, filter: &str) {
    with_shown(state, |view| {
        view.set_filter(filter);
        view.sync();
    });
}

pub(super) fn apply_typed_filter(state: &mut State) {
    let text = state
        .filter_input
        .as_ref()
        .map(|i| i.lines().join(" "))
        .unwrap_or_default();
    // With the logs pane open, what is typed searches its lines.
    if super::logs::set_search(state, &text) || super::yaml_pane::set_search(state, &text) {
        return;
    }
    set_filter(state, &text);
    state.dirty = true;
}

/// Shows what a followed cockpit shows: its panel, filter, sort, selected position, details.
pub(super) fn apply_view(state: &mut State, view: &crate::warroom::View) {
    let Some(panel) = Panel::ALL.into_iter().find(|p| p.title() == view.panel) else {
        return;
    };
    state.panel = panel;
    state.details = view.details;
    let sort = super::table::Sort {
        column: view.sort_column,
        descending: view.sort_descending,
    };
    with_shown(state, |table| {
        table.set_filter(&view.filter);
        table.set_sort(sort);
        table.sync();
        table.select(view.selected);
    });
    sync_current(state);
    state.dirty = true;
}

/// Brings the shown panel's table up to date with the estate and keeps its selection in view.
/// The runtime calls this once before each frame; cheap when nothing changed.
pub fn sync_current(state: &mut State) {
    let height = crate::ui::layout::table_body_height(state);
    with_shown(state, |view| {
        view.sync();
        view.scroll_into_view(height);
    });
}

/// With details open, PgUp/PgDn scroll them (and over the whole panel, every movement key
/// does, the table being hidden). Whether the command was the details'.
fn scroll_details(state: &mut State, command: Command) -> bool {
    let Some(area) = state
        .details
        .then(|| crate::ui::layout::details_area(state))
        .flatten()
    else {
        return false;
    };
    let full = state.details_view.full;
    let page = area.height.saturating_sub(3).max(1);
    let limit = crate::ui::details::scroll_limit(state, area);
    let scroll = state.details_view.scroll.min(limit);
    state.details_view.scroll = match command {
        Command::PageDown => scroll.saturating_add(page).min(limit),
        Command::PageUp => scroll.saturating_sub(page),
        Command::Down if full => scroll.saturating_add(1).min(limit),
        Command::Up if full => scroll.saturating_sub(1),
        Command::Top if full => 0,
        Command::Bottom if full => limit,
        _ => return false,
    };
    true
}
