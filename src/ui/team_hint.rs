//! The team actions' footer: on the bottom border of a panel that has `[[actions]]`, each one's
//! key and name (`P: Ping Redis`), after the drill key's hint, as many as fit before the
//! position on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::look::Look;
use crate::app::State;
use crate::config::Role;
use crate::ui::text::clean;

/// Room kept free for the table's position (`12 of 300`) on the right of the border.
const POSITION_ROOM: u16 = 16;

pub fn draw(frame: &mut Frame, table: Rect, after: u16, state: &State, look: Look) {
    if table.height < 3 {
        return;
    }
    let room = table
        .width
        .saturating_sub(2 + after)
        .saturating_sub(POSITION_ROOM);
    let mut text = String::new();
    for action in crate::app::team_actions::on_panel(state) {
        let part = format!(" {}: {} ", action.key, clean(&action.name));
        if (text.chars().count() + part.chars().count()) as u16 > room {
            break;
        }
        text.push_str(&part);
    }
    if text.is_empty() {
        return;
    }
    let width = text.chars().count() as u16;
    let area = Rect::new(table.x + 1 + after, table.bottom() - 1, width, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(text, look.style(Role::Muted))),
        area,
    );
}
