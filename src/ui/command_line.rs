//! The `:` command line, typed on the status line; what Tab found, or why Enter was refused,
//! on the line above it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::layout::Screen;
use super::look::Look;
use super::text::{clean, fit_words};
use super::wrap::wrap_words;
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
    if let Some((hint, level)) = &line.hint {
        // At most three lines, above the command line, so that a refusal's list shows whole
        // on a small screen.
        let width = screen.body.width as usize;
        let mut lines = wrap_words(&clean(hint), width.max(1));
        if lines.len() > 3 {
            lines.truncate(3);
            lines[2] = fit_words(&format!("{} …", lines[2]), width, look.sym.ellipsis);
        }
        let height = (lines.len() as u16).min(screen.body.height);
        let area = Rect::new(
            screen.body.x,
            screen.body.bottom() - height,
            screen.body.width,
            height,
        );
        let lines: Vec<Line> = lines
            .iter()
            .map(|l| Line::from(look.level_span(*level, l)))
            .collect();
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines), area);
    }
}
