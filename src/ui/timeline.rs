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

/// Output lines shown under the newest action that has some.
const OUTPUT_SHOWN: usize = 6;

/// The newest action with output, and how many of its lines are shown.
fn shown_output(state: &State) -> Option<(u64, usize)> {
    let entry = state.timeline.iter().rev().find(|e| !e.output.is_empty())?;
    Some((entry.seq, entry.output.len().min(OUTPUT_SHOWN)))
}

/// Rows the pane takes at the bottom of the panel area.
pub fn height(state: &State, body: Rect) -> u16 {
    let output = shown_output(state).map_or(0, |(_, n)| n);
    ((state.timeline.len() + output) as u16 + 2)
        .clamp(3, 12 + OUTPUT_SHOWN as u16)
        .min(body.height / 2)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = area.height.saturating_sub(2) as usize;
    let output = shown_output(state);
    let mut lines: Vec<Line> = state
        .timeline
        .iter()
        .flat_map(|e| {
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
                Status::Note => Span::styled("(note)", look.style(Role::Accent)),
                Status::Remote(kind) => Span::styled(
                    match kind {
                        crate::warroom::EventKind::Intent => "(starting)",
                        crate::warroom::EventKind::Outcome => "(done)",
                        crate::warroom::EventKind::Note => "(note)",
                    },
                    look.style(Role::Muted),
                ),
            };
            let mut lines = vec![Line::from(vec![
                Span::styled(
                    format!("{} ", e.started.clock_utc()),
                    look.style(Role::Muted),
                ),
                Span::styled(format!("{} ", clean(&e.operator)), look.style(Role::Muted)),
                Span::raw(format!("{}  ", clean(&e.title))),
                result,
            ])];
            // The newest output (a backup command's, say) streams in under its action.
            if let Some((seq, n)) = output
                && seq == e.seq
            {
                lines.extend(e.output[e.output.len() - n..].iter().map(|l| {
                    Line::from(Span::styled(
                        format!("    {}", clean(l)),
                        look.style(Role::Muted),
                    ))
                }));
            }
            lines
        })
        .collect();
    // The newest rows that fit.
    let lines_len = lines.len();
    let mut lines: Vec<Line> = lines.split_off(lines_len.saturating_sub(rows));
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
