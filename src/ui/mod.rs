//! The view: pure functions that draw `&State` into a frame. No I/O, no mutation; tables draw
//! only their visible rows from orders computed before the frame.

pub mod describe;
pub mod details;
pub mod layout;
pub mod look;
pub mod panels;
pub mod symbols;
pub mod text;

mod banner;
mod breadcrumb;
mod command_line;
mod config_editor;
mod context_badge;
mod context_column;
mod dialog;
mod dialog_diff;
mod dialog_fields;
mod drill_hint;
mod fit_line;
mod forwards;
mod help;
mod help_team;
pub mod logs;
mod logs_status;
mod markdown;
mod namespace_picker;
pub mod output;
mod pane;
mod popup;
mod quit;
mod requests;
mod statusbar;
mod table;
mod tabs;
mod team_hint;
mod timeline;
mod wrap;
mod yaml_pane;

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::State;
use crate::config::Role;
use look::Look;

pub fn view(frame: &mut Frame, state: &State) {
    let look = Look::of(state);
    let area = frame.area();
    frame.render_widget(
        ratatui::widgets::Block::default().style(look.style(Role::Text)),
        area,
    );
    let screen = layout::screen(area, state.incident.is_some());
    if let (Some(banner), Some(incident)) = (screen.banner, &state.incident) {
        banner::draw(frame, banner, state, incident, look);
    }
    tabs::draw(frame, screen.tabs, state, look);
    let areas = layout::panel(state, screen.body);
    if let Some(line) = areas.breadcrumb {
        breadcrumb::draw(frame, line, state, look);
    }
    if let Some(top) = areas.top {
        panels::instances::draw_gauges(frame, top, state, look);
    }
    (panels::view_of(state.panel).draw)(frame, areas.table, state, look);
    // While the pods' first list goes on, the Pods panel's border says how far it has come
    // (`panels/pods.rs`): the key hints there wait, else they were drawn over it.
    let listing = state.panel == crate::app::Panel::Pods && state.estate.pods_listing.is_some();
    if !listing {
        let drill = drill_hint::draw(frame, areas.table, state, look);
        team_hint::draw(frame, areas.table, drill, state, look);
    }
    if let Some(area) = areas.details {
        details::draw(frame, area, state, look);
    }
    if let (Some(line), Some(input)) = (areas.filter, state.filter_input.as_ref()) {
        let [prompt, field] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(2),
            ratatui::layout::Constraint::Min(0),
        ])
        .areas(line);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled("/ ", look.style(Role::Accent)))),
            prompt,
        );
        frame.render_widget(input, field);
    }
    if state.show_timeline {
        let height = timeline::height(state, screen.body);
        let pane = ratatui::layout::Rect::new(
            screen.body.x,
            screen.body.bottom() - height,
            screen.body.width,
            height,
        );
        timeline::draw(frame, pane, state, look);
    }
    statusbar::draw(frame, screen.status, state, look);
    if let Some(input) = state.note_input.as_ref() {
        // The note is typed on the status line, over it.
        let [prompt, field] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(state.note_purpose.prompt().len() as u16),
            ratatui::layout::Constraint::Min(0),
        ])
        .areas(screen.status);
        frame.render_widget(ratatui::widgets::Clear, screen.status);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                state.note_purpose.prompt(),
                look.style(Role::Accent),
            ))),
            prompt,
        );
        frame.render_widget(input, field);
    }
    if let Some(line) = state.command_line.as_ref() {
        command_line::draw(frame, &screen, line, look);
    }
    if let Some(editor) = state.update_editor.as_ref() {
        draw_editor(frame, screen.body, state, editor, look);
    }
    if let Some(editor) = state.config_editor.as_ref() {
        config_editor::draw(frame, screen.body, state, editor, look);
    }
    if state.dialog.is_some() {
        dialog::draw(frame, area, state, look);
    }
    if let Some(open) = &state.pane {
        pane::draw(frame, area, state, look, open);
    }
    if state.help.is_some() {
        help::draw(frame, area, state, look);
    }
    quit::draw(frame, screen.status, state, look);
    // A shared screen keeps the incident in view whatever is open over the panels.
    if state.settings.present
        && let (Some(banner), Some(incident)) = (screen.banner, &state.incident)
    {
        banner::draw(frame, banner, state, incident, look);
    }
}

/// The incident update being edited, over the panels.
fn draw_editor(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    state: &State,
    editor: &ratatui_textarea::TextArea<'static>,
    look: Look,
) {
    use crate::config::{Command, Mode};
    let key = |c| {
        state
            .settings
            .keymap
            .first_key(Mode::Editor, c)
            .map_or_else(|| "?".to_string(), |k| k.to_string())
    };
    let block = look
        .block(true)
        .title(Span::styled(" Incident update ", look.style(Role::Title)))
        .title_bottom(Span::styled(
            format!(
                " {} saves to a file and copies to your clipboard {} {} closes ",
                key(Command::EditorSave),
                look.sym.dot,
                key(Command::EditorClose)
            ),
            look.style(Role::Accent),
        ));
    let inner = block.inner(area);
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(editor, inner);
}
