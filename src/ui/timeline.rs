//! The timeline pane: this session's actions with time, operator, target and result.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::app::timeline::Status;
use crate::config::Role;
use crate::domain::Level;

/// Rows the pane takes at the bottom of the panel area.
pub fn height(state: &State, body: Rect) -> u16 {
    (state.timeline.len() as u16 + 2)
        .clamp(3, 12)
        .min(body.height / 2)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = state
        .timeline
        .iter()
        .rev()
        .take(rows)
        .rev()
        .map(|e| {
            let result = match &e.status {
                Status::Running { progress } => Span::styled(
                    format!(
                        "{} {}",
                        look.sym.connecting,
                        clean(progress.as_deref().unwrap_or("running..."))
                    ),
                    look.style(Role::Accent),
                ),
                Status::Succeeded(m) => look.marked(Level::Ok, &clean(m)),
                Status::Failed(m) => look.marked(Level::Crit, &format!("failed: {}", clean(m))),
            };
            Line::from(vec![
                Span::styled(
                    format!("{} ", e.started.clock_utc()),
                    look.style(Role::Muted),
                ),
                Span::styled(format!("{} ", clean(&e.operator)), look.style(Role::Muted)),
                Span::raw(format!("{}  ", clean(&e.title))),
                result,
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No actions yet in this session.",
            look.style(Role::Muted),
        )));
    }
    let block = look
        .block(false)
        .title(Span::styled(" Timeline ", look.style(Role::Title)));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
