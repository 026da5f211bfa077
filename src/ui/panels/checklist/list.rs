//! The checklists to choose from, with their last runs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::key;
use crate::app::State;
use crate::app::checklist::ChecklistState;
use crate::config::{Command, Mode, Role};
use crate::domain::Level;
use crate::ui::look::Look;
use crate::ui::text::{clean, fit};

pub(super) fn draw(frame: &mut Frame, area: Rect, state: &State, cl: &ChecklistState, look: Look) {
    let catalog = &state.settings.checklists.catalog;
    let width = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (i, c) in catalog.checklists.iter().enumerate() {
        let selected = i == cl.selected;
        let auto = c.steps.iter().filter(|s| !s.is_manual()).count();
        let last = match cl.last_runs.get(&c.name) {
            Some(r) => format!(
                "last run {} {} ({} failed, {} warnings)",
                r.finished.replace('T', " ").trim_end_matches('Z'),
                r.result.word(),
                r.counts.fail,
                r.counts.warn
            ),
            None => "never run here".into(),
        };
        let marker = if selected { look.sym.selected } else { " " };
        let text = format!(
            "{marker} {:<14} {:<34} {:>2} steps ({auto} automatic)  {last}",
            clean(&c.name),
            fit(&clean(&c.title), 34, look.sym.ellipsis),
            c.steps.len()
        );
        let style = if selected {
            look.style(Role::Selection)
        } else {
            look.style(Role::Text)
        };
        lines.push(Line::from(Span::styled(
            fit(&text, width, look.sym.ellipsis),
            style,
        )));
    }
    if catalog.checklists.is_empty() {
        lines.push(Line::from("No checklists."));
    }
    lines.push(Line::from(""));
    if let Some(c) = catalog.checklists.get(cl.selected) {
        if let Some(d) = &c.description {
            lines.push(Line::from(Span::styled(
                clean(d).into_owned(),
                look.style(Role::Muted),
            )));
        }
        lines.push(Line::from(Span::styled(
            format!("from {}", clean(&c.origin)),
            look.style(Role::Muted),
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "{} starts the chosen checklist; your own go in checklists/*.toml beside the config file.",
            key(state, Mode::Checklist, Command::ChecklistOpen)
        ),
        look.style(Role::Muted),
    )));
    for problem in &catalog.problems {
        lines.push(Line::from(look.marked(Level::Warn, &clean(problem))));
    }
    let block = look.block(true).title(Span::styled(
        format!(" Checklists {} ", catalog.checklists.len()),
        look.style(Role::Title),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
