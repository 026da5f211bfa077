//! The quit question, asked on the status line over everything: it must be seen and answered
//! before anything else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::look::Look;
use crate::app::State;
use crate::domain::Level;

pub fn draw(frame: &mut Frame, status: Rect, state: &State, look: Look) {
    let Some(question) = &state.quit_prompt else {
        return;
    };
    let text = super::text::fit_words(question, (status.width as usize).saturating_sub(2), "…");
    frame.render_widget(Clear, status);
    frame.render_widget(
        Paragraph::new(Line::from(look.marked(Level::Warn, &text))),
        status,
    );
}
