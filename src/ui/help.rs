//! The help overlay, generated from the active keymap so it shows what the keys really do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
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
    let keymap = &state.settings.keymap;
    let popup = Scrolled {
        title: format!(" Help: keymap {} ", keymap.name),
        lines: lines(keymap, look),
        scroll: state.help.unwrap_or(0),
        down_key: keymap.first_key(Mode::Help, Command::Down),
        max_width: 72,
    };
    super::popup::draw(frame, area, look, popup);
}
