//! The help overlay, generated from the active keymap so it shows what the keys really do.
//! Keys are grouped by where they work; a long description continues under itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
use crate::app::State;
use crate::config::commands::PANE_GROUPS;
use crate::config::{Command, KeyChord, Keymap, Mode, Role};

/// The key column's width: two spaces, the keys, padding.
const KEYS_WIDTH: usize = 20;
/// The popup's widest: the help reads best as a column, not across a wide screen.
const MAX_WIDTH: u16 = 72;

/// The help text for a keymap, section by section, wrapped to `width` columns.
pub fn lines(keymap: &Keymap, look: Look, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let bindings = keymap.bindings(mode);
        for (title, group) in groups(mode, bindings) {
            if group.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(Line::default());
            }
            out.push(Line::from(Span::styled(title, look.style(Role::Header))));
            for (command, keys) in group {
                let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                let head = vec![Span::styled(
                    format!("  {:<width$}", keys.join(", "), width = KEYS_WIDTH - 3) + " ",
                    look.style(Role::Accent),
                )];
                let head_width =
                    unicode_width::UnicodeWidthStr::width(head[0].content.as_ref()).max(KEYS_WIDTH);
                out.extend(super::wrap::hanging(
                    head,
                    head_width,
                    command.describe(mode),
                    look.style(Role::Text),
                    width,
                ));
            }
        }
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Every state is shown with a symbol and a word as well as a colour.",
        look.style(Role::Muted),
    )));
    out
}

type Binding = (Command, Vec<KeyChord>);

/// A mode's bound commands under their headings: one heading per mode, the pane's by group.
fn groups(mode: Mode, bindings: &[Binding]) -> Vec<(String, Vec<&Binding>)> {
    let bound: Vec<&Binding> = bindings.iter().filter(|(_, k)| !k.is_empty()).collect();
    if mode != Mode::Pane {
        return vec![(mode.title().to_string(), bound)];
    }
    let mut out: Vec<(String, Vec<&Binding>)> = PANE_GROUPS
        .iter()
        .map(|(title, commands)| {
            let members = bound
                .iter()
                .copied()
                .filter(|(c, _)| commands.contains(c))
                .collect();
            (title.to_string(), members)
        })
        .collect();
    let ungrouped = bound
        .iter()
        .copied()
        .filter(|(c, _)| !PANE_GROUPS.iter().any(|(_, cs)| cs.contains(c)));
    if let Some((_, first)) = out.first_mut() {
        first.extend(ungrouped);
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let keymap = &state.settings.keymap;
    // The popup's inner width, as popup::draw sizes it.
    let width = area
        .width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .saturating_sub(2);
    let mut text = lines(keymap, look, width as usize);
    let team = super::help_team::lines(&state.settings.team_actions, look, width as usize);
    if !team.is_empty() {
        // Before the blank line and the closing sentence on symbols.
        let at = text.len().saturating_sub(2);
        text.splice(at..at, team);
    }
    let popup = Scrolled {
        title: format!(" Help: keymap {} ", keymap.name),
        lines: text,
        scroll: state.help.unwrap_or(0),
        down_key: keymap.first_key(Mode::Help, Command::Down),
        max_width: MAX_WIDTH,
    };
    super::popup::draw(frame, area, look, popup);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_text(keymap: &str) -> Vec<String> {
        let keymap = Keymap::builtin(keymap).unwrap();
        let theme = crate::config::Theme::builtin("default").unwrap();
        let look = Look {
            theme: &theme,
            sym: super::super::symbols::Symbols::new(false),
        };
        lines(&keymap, look, 70)
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    /// The lines under a heading, up to the next blank line.
    fn section<'a>(text: &'a [String], heading: &str) -> Vec<&'a str> {
        text.iter()
            .skip_while(|l| *l != heading)
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn the_logs_keys_are_under_the_logs_and_the_pickers_under_the_lists() {
        let text = help_text("default");
        assert!(!text.iter().any(|l| l == "In the silences or runbook pane"));
        let logs = section(&text, "In the logs");
        for key in ["f ", "e ", "p ", "T ", "w ", "s ", "/ ", "n ", "N ", "c "] {
            assert!(
                logs.iter().any(|l| l.trim_start().starts_with(key)),
                "{key:?} in {logs:?}"
            );
        }
        let any_pane = section(
            &text,
            "In a pane (logs, silences, runbook, contexts, war room)",
        );
        assert!(
            any_pane.iter().any(|l| l.contains("Close the pane")),
            "{any_pane:?}"
        );
        assert!(
            !any_pane.iter().any(|l| l.contains("Follow")),
            "{any_pane:?}"
        );
        let lists = section(
            &text,
            "In a list to choose from (contexts, namespaces, targets, containers, war room)",
        );
        assert!(
            lists[0].contains("enter") && lists[0].contains("Open the chosen entry"),
            "{lists:?}"
        );
    }

    #[test]
    fn a_wrapped_description_continues_under_itself() {
        let text = help_text("vim");
        let at = text
            .iter()
            .position(|l| l.contains("Open an incident (P0 to P3 and a title)"))
            .expect("incident line");
        let next = &text[at + 1];
        assert!(
            next.starts_with(&" ".repeat(KEYS_WIDTH)) && next.trim() != "",
            "continuation indented: {next:?}"
        );
    }
}
