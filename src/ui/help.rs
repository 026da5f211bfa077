//! The help overlay, generated from the active keymap so it shows what the keys really do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::look::Look;
use crate::app::State;
use crate::config::{Command, Keymap, Mode, Role};

/// The help text for a keymap, section by section.
pub fn lines(keymap: &Keymap, look: Look) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let bindings = keymap.bindings(mode);
        if bindings.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(
            mode.title().to_string(),
            look.style(Role::Header),
        )));
        for (command, keys) in bindings {
            if keys.is_empty() {
                continue;
            }
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {:<18}", keys.join(", ")),
                    look.style(Role::Accent),
                ),
                Span::styled(command.describe(mode).to_string(), look.style(Role::Text)),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Every state is shown with a symbol and a word as well as a colour.",
        look.style(Role::Muted),
    )));
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let lines = lines(&state.settings.keymap, look);
    let inner = height.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner) as u16;
    let scroll = state.help.unwrap_or(0).min(max_scroll);
    let title = format!(" Help: keymap {} ", state.settings.keymap.name);
    let mut block = look
        .block(true)
        .title(Span::styled(title, look.style(Role::Title)));
    if scroll < max_scroll {
        let key = state
            .settings
            .keymap
            .first_key(Mode::Help, Command::Down)
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        let hint = Span::styled(format!(" more below{key} "), look.style(Role::Muted));
        block = block.title_bottom(Line::from(hint).right_aligned());
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll, 0))
            .style(look.style(Role::Text)),
        popup,
    );
}
