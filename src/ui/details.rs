//! The details pane of the selected row: beside or below the table, or over the whole panel
//! (`z`), scrolled with PgUp/PgDn when it is longer than its room.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::look::Look;
use super::panels;
use crate::app::State;
use crate::config::Role;

/// The selected row's details: first each of the panel's sources that is not live, with its
/// whole reason, then the panel's own lines.
pub fn lines(state: &State, look: Look) -> Vec<Line<'static>> {
    let mut lines = panels::source_states(state, look, state.panel);
    lines.extend((panels::view_of(state.panel).details)(state, look));
    lines
}

/// Screen lines `lines` take wrapped at `width` (a line wraps at least where its width runs out;
/// word wrapping can take a line more, so the last line may need one more scroll step).
fn wrapped_height(lines: &[Line<'_>], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum()
}

/// The furthest the details can scroll in `area`: their last line at the bottom.
pub fn scroll_limit(state: &State, area: Rect) -> u16 {
    let inner = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let total = wrapped_height(&lines(state, Look::of(state)), inner.0);
    total
        .saturating_sub(usize::from(inner.1))
        .min(usize::from(u16::MAX)) as u16
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let lines = lines(state, look);
    let inner = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let total = wrapped_height(&lines, inner.0);
    let limit = total.saturating_sub(usize::from(inner.1)) as u16;
    let scroll = state.details_view.scroll.min(limit);
    let mut title = vec![Span::styled(" Details ", look.style(Role::Title))];
    if limit > 0 {
        // Where the view is and how to see the rest, since nothing else shows there is more.
        let last = (usize::from(scroll) + usize::from(inner.1)).min(total);
        title.push(Span::styled(
            format!("{}-{last} of {total} · PgUp/PgDn ", scroll + 1),
            look.style(Role::Muted),
        ));
    }
    let block = look.block(false).title(Line::from(title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
