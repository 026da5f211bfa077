//! A finished run: the headline, what changed, what failed, where the report went.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{badge, key, level};
use crate::app::State;
use crate::app::checklist::Finished;
use crate::checklist::Status;
use crate::config::{Command, Mode, Role};
use crate::domain::Level;
use crate::ui::look::Look;
use crate::ui::panels::{field, heading};
use crate::ui::text::clean;

pub(super) fn draw(frame: &mut Frame, area: Rect, state: &State, finished: &Finished, look: Look) {
    let record = &finished.record;
    let result_style: Style = look.level_style(level(record.result));
    let mut lines = vec![
        Line::from(Span::styled(record.headline(), result_style)),
        Line::from(""),
    ];
    if let Some(previous) = &record.previous {
        lines.push(heading(look, &format!("Since the last run ({previous})")));
        if record.changes.is_empty() {
            lines.push(Line::from("  nothing changed"));
        }
        for c in &record.changes {
            let word = serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            lines.push(Line::from(format!("  {word}: {}", c.text)));
        }
        lines.push(Line::from(""));
    }
    for s in record.steps.iter().filter(|s| s.status >= Status::Warn) {
        lines.push(Line::from(vec![
            badge(look, s.status),
            Span::raw(format!(
                "{}: {}",
                s.title,
                s.evidence.first().map_or("", String::as_str)
            )),
        ]));
    }
    lines.push(Line::from(""));
    match &finished.written {
        None => lines.push(Line::from(Span::styled(
            "writing the report…",
            look.style(Role::Muted),
        ))),
        Some(Ok(paths)) => {
            for p in paths {
                lines.push(field(look, "Report", p.display().to_string()));
            }
        }
        Some(Err(e)) => lines.push(Line::from(
            look.marked(Level::Crit, &format!("report not written: {e}")),
        )),
    }
    lines.push(Line::from(Span::styled(
        format!(
            "{} back to the list",
            key(state, Mode::Checklist, Command::ChecklistOpen)
        ),
        look.style(Role::Muted),
    )));
    let block = look.block(true).title(Span::styled(
        format!(" {} finished ", clean(&record.title)),
        look.style(Role::Title),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
