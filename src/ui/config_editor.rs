//! A ConfigMap key's value being edited (`e` on the Config panel), over the panels: the text
//! area, titled with the ConfigMap, the key and the resourceVersion it was read at; the bottom
//! border names the keys that go on to the dialog and that drop the edit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::app::config_edit::ConfigEditor;
use crate::config::{Command, Mode, Role};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, editor: &ConfigEditor, look: Look) {
    let key = |c| {
        state
            .settings
            .keymap
            .first_key(Mode::Editor, c)
            .map_or_else(|| "?".to_string(), |k| k.to_string())
    };
    let title = format!(
        " {}/{} · {} (resourceVersion {}) ",
        clean(&editor.namespace),
        clean(&editor.name),
        clean(&editor.key),
        clean(&editor.resource_version)
    );
    let block = look
        .block(true)
        .title(Span::styled(title, look.style(Role::Title)))
        .title_bottom(Span::styled(
            format!(
                " {} diff, dry run and confirm {} {} drops the edit ",
                key(Command::EditorSave),
                look.sym.dot,
                key(Command::EditorClose)
            ),
            look.style(Role::Accent),
        ));
    let inner = block.inner(area);
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(&editor.text, inner);
}
