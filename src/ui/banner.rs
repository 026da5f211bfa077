//! The incident banner: severity, title, a running clock and who opened it, across the top of
//! every cockpit in the room while the incident is open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::domain::Level;
use crate::warroom::Incident;

/// `01:02:03` since the incident opened.
fn clock(secs: u64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, incident: &Incident, look: Look) {
    let level = match incident.severity.as_str() {
        "P0" | "P1" => Level::Crit,
        _ => Level::Warn,
    };
    let style = look
        .level_style(level)
        .add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let secs = state.now.0.saturating_sub(incident.opened_at).max(0) as u64;
    let text = format!(
        " {} {} INCIDENT  {}  {}  opened by {} ",
        look.sym.level(level),
        clean(&incident.severity),
        clean(&incident.title),
        clock(secs),
        clean(&incident.opened_by)
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(text, style))).style(style),
        area,
    );
}
