//! The breadcrumb above a drilled-down table: where it came from and what is shown, and the key
//! that goes back up.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use super::text::{clean, fit};
use crate::app::State;
use crate::config::{Command, Mode, Role};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let Some(parts) = state.view.breadcrumb() else {
        return;
    };
    let keymap = &state.settings.keymap;
    let back = keymap
        .first_key(Mode::Table, Command::DrillBack)
        .map(|k| format!("  {k} back"))
        .unwrap_or_default();
    let separator = if state.settings.ascii { " > " } else { " › " };
    let text: Vec<String> = parts.iter().map(|p| clean(p).into_owned()).collect();
    let width = area.width as usize;
    let room = width.saturating_sub(back.chars().count() + 1);
    let trail = fit(&text.join(separator), room, look.sym.ellipsis);
    let line = Line::from(vec![
        Span::styled(format!(" {trail}"), look.style(Role::Title)),
        Span::styled(back, look.style(Role::Muted)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
