//! The `:` command line, typed on the status line; what Tab found, or why Enter was refused,
//! on the line above it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::layout::Screen;
use super::look::Look;
use super::text::{clean, fit_words};
use crate::app::command_line::CommandLine;
use crate::config::Role;

pub fn draw(frame: &mut Frame, screen: &Screen, line: &CommandLine, look: Look) {
    let [prompt, field] =
        Layout::horizontal([Constraint::Length(1), Constraint::Min(0)]).areas(screen.status);
    frame.render_widget(Clear, screen.status);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(":", look.style(Role::Accent)))),
        prompt,
    );
    frame.render_widget(&line.input, field);
    if let Some((hint, level)) = &line.hint
        && screen.body.height > 0
    {
        let row = Rect::new(
            screen.body.x,
            screen.body.bottom() - 1,
            screen.body.width,
            1,
        );
        let text = fit_words(&clean(hint), row.width as usize, look.sym.ellipsis);
        frame.render_widget(Clear, row);
        frame.render_widget(
            Paragraph::new(Line::from(look.level_span(*level, &text))),
            row,
        );
    }
}
