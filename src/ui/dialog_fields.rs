//! The dialog's fields: a label and its input, the silence's offered lengths beside its
//! duration, the typed name's prompt on a line of its own, and the revisions to roll back to,
//! each with its whole change-cause.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::app::dialog::{Dialog, FieldKind, Focus};
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;

/// The label column of a field.
const LABEL_WIDTH: u16 = 20;
/// At most this many lines of revisions; the list scrolls to the chosen one.
const REVISION_ROWS: usize = 8;
/// Marker, revision number and age in front of a revision's image.
const REVISION_HEAD: usize = 13;

/// Lines the field `i` takes in a dialog `inner_width` wide.
pub fn rows(state: &State, dialog: &Dialog, i: usize, inner_width: u16) -> u16 {
    match dialog.fields[i].kind {
        FieldKind::Revision => {
            let lines = revision_lines(
                state,
                dialog,
                false,
                input_width(inner_width),
                Look::of(state),
            );
            lines.len().clamp(1, REVISION_ROWS) as u16
        }
        // The prompt, then what is typed.
        FieldKind::TypedName => 2,
        _ => 1,
    }
}

fn input_width(inner_width: u16) -> usize {
    inner_width.saturating_sub(LABEL_WIDTH) as usize
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, dialog: &Dialog, i: usize, look: Look) {
    let field = &dialog.fields[i];
    let focused = dialog.focus == Focus::Field(i);
    let mut area = area;
    if field.kind == FieldKind::TypedName {
        let mut prompt = vec![Span::styled(
            "Type the name to confirm",
            look.style(Role::Muted),
        )];
        // On a styled context the prompt names the cluster too: `on PROD prod-eu`.
        if super::context_badge::style_of(state, &dialog.action.context).is_some() {
            prompt.push(Span::styled(" on ", look.style(Role::Muted)));
            prompt.push(super::context_badge::named(
                look,
                state,
                &dialog.action.context,
            ));
        }
        prompt.push(Span::styled(": ", look.style(Role::Muted)));
        prompt.push(Span::styled(
            clean(&dialog.action.target.name()).into_owned(),
            look.style(Role::Accent),
        ));
        let prompt = Line::from(prompt);
        frame.render_widget(Paragraph::new(prompt), Rect { height: 1, ..area });
        area = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        if area.height == 0 {
            return;
        }
    }
    let label_style = if focused {
        look.style(Role::Accent)
    } else {
        look.style(Role::Muted)
    };
    let [label_area, input_area] =
        Layout::horizontal([Constraint::Length(LABEL_WIDTH), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(field.kind.label(), label_style)),
        label_area,
    );
    match field.kind {
        FieldKind::Revision => {
            let lines = revision_lines(state, dialog, focused, input_area.width as usize, look);
            frame.render_widget(Paragraph::new(lines), input_area);
        }
        FieldKind::Duration => {
            let [value_area, offered_area] =
                Layout::horizontal([Constraint::Length(12), Constraint::Min(0)]).areas(input_area);
            draw_input(frame, value_area, field, focused, look);
            frame.render_widget(
                Paragraph::new(offered(state, &field.value(), look)),
                offered_area,
            );
        }
        _ => draw_input(frame, input_area, field, focused, look),
    }
}

fn draw_input(
    frame: &mut Frame,
    area: Rect,
    field: &crate::app::dialog::Field,
    focused: bool,
    look: Look,
) {
    if focused {
        // The editable widget only while the field has the focus: it scrolls to its cursor.
        let mut input = field.input.clone();
        let base = look.style(Role::Selection);
        input.set_style(base);
        input.set_cursor_line_style(Style::default());
        input.set_cursor_style(base.add_modifier(Modifier::REVERSED));
        if field.fresh {
            // An offered value, replaced by what is typed: shown selected.
            input.set_style(base.add_modifier(Modifier::REVERSED));
        }
        frame.render_widget(&input, area);
    } else {
        // Unfocused, the value from its start, so a long one shows what it begins with.
        let style = look.style(Role::Text).add_modifier(Modifier::UNDERLINED);
        let value = super::text::fit(
            &clean(&field.value()),
            area.width as usize,
            look.sym.ellipsis,
        );
        frame.render_widget(Paragraph::new(Span::styled(value, style)), area);
    }
}

/// `1h 2h 4h 8h 24h (up/down)`, the one in the field marked.
fn offered(state: &State, value: &str, look: Look) -> Line<'static> {
    let mut spans = Vec::new();
    for (text, _) in crate::app::dialog_duration::OFFERED {
        let style = if value.trim() == text {
            look.style(Role::Accent).add_modifier(Modifier::REVERSED)
        } else {
            look.style(Role::Text)
        };
        spans.push(Span::styled(text.to_string(), style));
        spans.push(Span::raw(" "));
    }
    let keymap = &state.settings.keymap;
    if let (Some(up), Some(down)) = (
        keymap.first_key(Mode::Dialog, Command::Up),
        keymap.first_key(Mode::Dialog, Command::Down),
    ) {
        spans.push(Span::styled(
            format!("({up}/{down}, or type one)"),
            look.style(Role::Muted),
        ));
    }
    Line::from(spans)
}

/// Every revision, its image and whole change-cause wrapped under themselves, scrolled so that
/// the chosen one shows. The marker is drawn only while the list has the focus, so that one
/// marker shows at a time; unfocused, the chosen one keeps a bullet.
fn revision_lines(
    state: &State,
    dialog: &Dialog,
    focused: bool,
    width: usize,
    look: Look,
) -> Vec<Line<'static>> {
    if dialog.revisions.is_empty() {
        return vec![Line::from(Span::styled(
            "no earlier revision",
            look.style(Role::Muted),
        ))];
    }
    let mut lines = Vec::new();
    let mut chosen_at = 0..0;
    for (i, r) in dialog.revisions.iter().enumerate() {
        let chosen = i == dialog.revision_index;
        let style = match (chosen, focused) {
            (true, true) => look.style(Role::Selection),
            (true, false) => look.style(Role::Accent),
            _ => look.style(Role::Text),
        };
        let marker = match (chosen, focused) {
            (true, true) => look.sym.selected,
            (true, false) => look.sym.bullet,
            _ => " ",
        };
        let head = format!(
            "{marker}{:>4}  {:>4}  ",
            r.number,
            format_age(r.created.age_at(state.now))
        );
        let cause = clean(r.change_cause.as_deref().unwrap_or("")).into_owned();
        let body = format!("{}  {cause}", clean(&r.image));
        let start = lines.len();
        lines.extend(super::wrap::hanging(
            vec![Span::styled(head, style)],
            REVISION_HEAD,
            body.trim_end(),
            style,
            width,
        ));
        if chosen {
            chosen_at = start..lines.len();
        }
    }
    // Scroll: the chosen revision's lines in view, as near the top as the list allows.
    let start = chosen_at
        .end
        .saturating_sub(REVISION_ROWS)
        .min(chosen_at.start);
    lines.into_iter().skip(start).take(REVISION_ROWS).collect()
}
