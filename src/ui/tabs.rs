//! The tab line: each panel with its key from the keymap and its area's worst state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use crate::app::{Panel, State};
use crate::config::{Command, Mode, Role};
use crate::domain::Level;

fn command(panel: Panel) -> Command {
    match panel {
        Panel::Overview => Command::ShowOverview,
        Panel::Pods => Command::ShowPods,
        Panel::Services => Command::ShowServices,
        Panel::Alerts => Command::ShowAlerts,
        Panel::Databases => Command::ShowDatabases,
        Panel::Backups => Command::ShowBackups,
        Panel::Checklist => Command::ShowChecklist,
    }
}

pub fn area_level(state: &State, panel: Panel) -> Option<Level> {
    let s = &state.summary;
    match panel {
        Panel::Overview | Panel::Checklist => None,
        Panel::Pods => Some(s.pods.level),
        Panel::Services => Some(s.services.level),
        Panel::Alerts => Some(s.alerts.level),
        Panel::Databases => Some(s.databases),
        Panel::Backups => Some(s.backups),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let mut spans = vec![Span::styled(" opsdeck ", look.style(Role::Accent))];
    for panel in Panel::ALL {
        let key = state
            .settings
            .keymap
            .first_key(Mode::Global, command(panel))
            .map(|k| format!("{k} "))
            .unwrap_or_default();
        let active = panel == state.panel;
        let style = look.style(if active {
            Role::TabActive
        } else {
            Role::TabInactive
        });
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" {key}{} ", panel.title()), style));
        // Only bad states are marked: a row of green ticks is noise.
        if let Some(level) = area_level(state, panel).filter(|l| *l > Level::Ok) {
            spans.push(Span::styled(
                look.sym.level(level).to_string(),
                look.level_style(level),
            ));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
