//! The drill key's footer: on the bottom border of a table whose rows lead somewhere, which key
//! goes where (`→ pods`), left of the position.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::look::Look;
use crate::app::State;
use crate::config::{Command, Mode, Role};

/// Draws the hint; returns the columns it took (0 when it drew nothing).
pub fn draw(frame: &mut Frame, table: Rect, state: &State, look: Look) -> u16 {
    let Some(what) = state.panel.spec().drill_hint else {
        return 0;
    };
    let Some(key) = state.settings.keymap.first_key(Mode::Table, Command::Drill) else {
        return 0;
    };
    let text = format!(" {key}: {what} ");
    let width = text.chars().count() as u16;
    // Beside the corner, and only where the position on the right keeps its room.
    if table.height < 3 || table.width < width + 16 {
        return 0;
    }
    let area = Rect::new(table.x + 1, table.bottom() - 1, width, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(text, look.style(Role::Muted))),
        area,
    );
    width
}
