//! `/` in the logs pane: the search is typed in the filter line, matches are highlighted, and
//! `n` / `N` jump to the next older / newer match, which is brought to the middle of the pane.

use super::super::pane::PaneKind;
use super::super::state::State;
use super::LogPane;

/// The typed search changed: jump to the nearest match at or above the bottom line shown.
pub fn set_search(state: &mut State, text: &str) -> bool {
    let rows = crate::ui::logs::text_size(state.size).1;
    let Some(PaneKind::Logs(pane)) = state.pane.as_mut().map(|p| &mut p.kind) else {
        return false;
    };
    if pane.search != text {
        pane.search = text.to_string();
        pane.match_at = None;
        if !text.is_empty() {
            jump(pane, true, rows);
        }
    }
    state.dirty = true;
    true
}

/// Moves to the next match, older or newer than the current one; false when there is none.
pub(super) fn jump(pane: &mut LogPane, older: bool, rows: usize) -> bool {
    let shown = pane.shown();
    if shown == 0 {
        return false;
    }
    // Positions count from the oldest shown line. With no match jumped to yet, the search
    // starts at the bottom line shown (which may itself match, going older).
    let bottom = shown - 1 - pane.from_bottom.min(shown - 1);
    let from = match (pane.match_at, older) {
        (Some(m), _) => shown - 1 - m.min(shown - 1),
        (None, true) => bottom + 1,
        (None, false) => bottom,
    };
    let Some(found) = pane.buffer.find(pane.min_level, &pane.search, from, older) else {
        return false;
    };
    let at = shown - 1 - found;
    pane.match_at = Some(at);
    // The match in the middle of the pane, with what led to it above and what followed below.
    pane.from_bottom = at.saturating_sub(rows / 2);
    pane.follow = false;
    true
}
