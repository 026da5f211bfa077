//! A centred, scrollable popup: the help, the silences list and runbook sections all use it.
//! Long lines wrap; the scroll stops at the end; a hint says when there is more below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::look::Look;
use crate::config::{KeyChord, Role};

pub struct Scrolled<'a> {
    pub title: String,
    pub lines: Vec<Line<'a>>,
    pub scroll: u16,
    /// The key that scrolls down, for the "more below" hint.
    pub down_key: Option<KeyChord>,
    pub max_width: u16,
}

pub fn draw(frame: &mut Frame, area: Rect, look: Look, popup: Scrolled<'_>) {
    let width = area.width.saturating_sub(4).min(popup.max_width);
    let height = area.height.saturating_sub(2);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let paragraph = Paragraph::new(popup.lines)
        .wrap(Wrap { trim: false })
        .style(look.style(Role::Text));
    let rows = paragraph.line_count(width.saturating_sub(2));
    let inner = height.saturating_sub(2) as usize;
    let max_scroll = rows.saturating_sub(inner).min(u16::MAX as usize) as u16;
    let scroll = popup.scroll.min(max_scroll);
    let mut block = look
        .block(true)
        .title(Span::styled(popup.title, look.style(Role::Title)));
    if scroll < max_scroll {
        let key = popup
            .down_key
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        let hint = Span::styled(format!(" more below{key} "), look.style(Role::Muted));
        block = block.title_bottom(Line::from(hint).right_aligned());
    }
    clear_beneath(frame, area, rect);
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), rect);
}

/// Clears the rows an overlay at `rect` covers across the whole of `area`: the strip of the
/// panel left beside it would read as stray letters (`│✖ w│`).
pub fn clear_beneath(frame: &mut Frame, area: Rect, rect: Rect) {
    frame.render_widget(Clear, Rect::new(area.x, rect.y, area.width, rect.height));
}
