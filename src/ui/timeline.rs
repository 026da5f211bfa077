//! The timeline pane: this session's actions with time, operator, target and result.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

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
                        crate::warroom::EventKind::Request => "(asks)",
                        crate::warroom::EventKind::Decision => "(decided)",
                    },
                    look.style(Role::Muted),
                ),
            };
            let time = format!("{} ", e.started.clock_utc());
            let operator = format!("{} ", clean(&e.operator));
            // The result is what the line is for: on a narrow screen the title gives way to
            // it (down to a few columns), then the operator, rather than the result being cut.
            let room = usize::from(area.width.saturating_sub(2));
            let result_width = result.width();
            let title = clean(&e.title);
            let mut over = (time.len() + operator.width() + title.width() + 2 + result_width)
                .saturating_sub(room);
            let title_room = title
                .width()
                .saturating_sub(over)
                .max(12.min(title.width()));
            over = over.saturating_sub(title.width() - title_room);
            let title = super::text::fit(&title, title_room, look.sym.ellipsis);
            let operator = match over {
                0 => operator,
                _ => String::new(),
            };
            let mut lines = vec![Line::from(vec![
                Span::styled(time, look.style(Role::Muted)),
                Span::styled(operator, look.style(Role::Muted)),
                Span::raw(format!("{title}  ")),
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
    // While a one-off command runs, the key that ends it.
    let cancel = state
        .settings
        .keymap
        .first_key(
            crate::config::Mode::Global,
            crate::config::Command::CancelCommand,
        )
        .filter(|_| !state.exec_running.is_empty())
        .map_or(String::new(), |k| {
            format!("{} {k} cancels the command ", look.sym.separator)
        });
    let block = look.block(false).title(Span::styled(
        format!(" Timeline {cancel}"),
        look.style(Role::Title),
    ));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
