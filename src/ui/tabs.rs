//! The tab line: each panel with its key from the keymap and its area's worst state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use crate::app::{Panel, State};
use crate::config::{Mode, Role};
use crate::domain::Level;

/// The area's worst state, its sources' freshness included (as its Overview tile): data from a
/// source that is not live is not ok.
pub fn area_level(state: &State, panel: Panel) -> Option<Level> {
    let s = &state.summary;
    let level = (panel.spec().level?)(s);
    let kinds = super::panels::panel_sources(panel);
    Some(s.level_with_freshness(&state.estate, kinds, level, state.now))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    // Too narrow for every title: the last tabs but the shown one give up their titles first,
    // keeping their key and mark (at 80 columns, all of them).
    let line = (0..=Panel::ALL.len())
        .rev()
        .map(|titled| Line::from(spans(state, look, titled)))
        .find(|line| line.width() <= area.width as usize)
        .unwrap_or_else(|| Line::from(spans(state, look, 0)));
    frame.render_widget(Paragraph::new(line), area);
}

/// The tab line with the titles of the first `titled` panels (and the shown one's).
fn spans(state: &State, look: Look, titled: usize) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(" opsdeck ", look.style(Role::Accent))];
    for (i, panel) in Panel::ALL.into_iter().enumerate() {
        let compact = i >= titled;
        let key = state
            .settings
            .keymap
            .first_key(Mode::Global, panel.spec().show)
            .map(|k| format!("{k} "))
            .unwrap_or_default();
        let active = panel == state.panel;
        let style = look.style(if active {
            Role::TabActive
        } else {
            Role::TabInactive
        });
        // A panel without a key (reached by `:` only) has nothing left to show compact: its
        // tab goes, rather than stand as an empty box.
        if compact && !active && key.is_empty() && area_level(state, panel).is_none() {
            continue;
        }
        spans.push(Span::raw(" "));
        let text = if compact && !active && key.is_empty() {
            // A panel without a key (reached by `:`) keeps the start of its title: an empty
            // tab would say nothing.
            format!(" {} ", panel.title().chars().take(3).collect::<String>())
        } else if compact && !active {
            format!(" {} ", key.trim_end())
        } else {
            format!(" {key}{} ", panel.title())
        };
        spans.push(Span::styled(text, style));
        // Only bad states are marked: a row of green ticks is noise.
        if let Some(level) = area_level(state, panel).filter(|l| *l > Level::Ok) {
            spans.push(Span::styled(
                look.sym.level(level).to_string(),
                look.level_style(level),
            ));
        }
    }
    spans
}
