//! The confirmation dialog: what will happen, where, the CLI equivalent, the risk and the
//! permission, the fields, and the buttons. Focus starts on Cancel; a disabled Confirm says why.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::look::Look;
use super::text::clean;
use crate::actions::Risk;
use crate::actions::executor::Permission;
use crate::app::State;
use crate::app::blocker::on_blocker;
use crate::app::dialog::{Dialog, FieldKind, Focus};
use crate::config::{Command, Mode, Role};
use crate::domain::Level;
use crate::domain::time::format_age;

fn risk_level(risk: Risk) -> Level {
    match risk {
        Risk::Low => Level::Ok,
        Risk::Medium => Level::Warn,
        Risk::High => Level::Crit,
    }
}

fn row(look: Look, label: &str, value: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{label:<12}"),
        look.style(Role::Muted),
    )];
    spans.extend(value);
    Line::from(spans)
}

fn summary_lines(state: &State, dialog: &Dialog, look: Look) -> Vec<Line<'static>> {
    let action = &dialog.action;
    let text = |s: &str| vec![Span::styled(clean(s).into_owned(), look.style(Role::Text))];
    let mut lines = vec![row(look, "Context", text(&action.context))];
    if let Some(ns) = action.target.namespace() {
        lines.push(row(look, "Namespace", text(ns)));
    }
    lines.push(row(look, "Target", text(&action.target.key())));
    match &dialog.preview {
        Ok(preview) => {
            lines.push(row(
                look,
                "Change",
                vec![Span::styled(
                    clean(&preview.change).into_owned(),
                    look.style(Role::Accent),
                )],
            ));
            lines.push(row(look, "CLI", text(&preview.cli)));
            for warning in &preview.warnings {
                lines.push(Line::from(look.marked(Level::Warn, &clean(warning))));
            }
            // A waiting session's dialog offers its blocker, by the key that turns to it.
            let key = state
                .settings
                .keymap
                .first_key(Mode::Dialog, Command::OnBlocker);
            if let (Some(other), Some(key)) = (on_blocker(&state.estate, action), key) {
                lines.push(row(
                    look,
                    "Blocker",
                    vec![Span::styled(
                        format!("{key}: {} instead", clean(&other.title())),
                        look.style(Role::Accent),
                    )],
                ));
            }
        }
        Err(refusal) => lines.push(row(
            look,
            "Change",
            vec![look.marked(Level::Crit, &refusal.to_string())],
        )),
    }
    let risk = action.risk();
    lines.push(row(
        look,
        "Risk",
        vec![look.marked(risk_level(risk), risk.word())],
    ));
    let permission = match &dialog.permission {
        None => Span::styled(
            format!("{} checking...", look.sym.connecting),
            look.style(Role::Muted),
        ),
        Some(Permission::Allowed) => look.marked(Level::Ok, "permitted"),
        Some(Permission::DryRun(result)) => {
            look.marked(Level::Ok, &format!("permitted; dry run: {}", clean(result)))
        }
        Some(Permission::Held(why)) => look.marked(
            Level::Warn,
            &format!("{} (asked again until it is free)", clean(why)),
        ),
        Some(Permission::Denied(why)) => {
            look.marked(Level::Crit, &format!("denied: {}", clean(why)))
        }
    };
    lines.push(row(look, "Permission", vec![permission]));
    if let Some(room) = &state.room
        && room.connection != crate::app::room::Connection::Connected
    {
        lines.push(row(
            look,
            "War room",
            vec![look.marked(
                Level::Warn,
                "disconnected: no lease is taken, another operator may act on this too",
            )],
        ));
    }
    lines.push(row(look, "Operator", text(&state.settings.operator)));
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let Some(dialog) = state.dialog.as_ref() else {
        return;
    };
    let summary = summary_lines(state, dialog, look);
    let fields = dialog.visible_fields();
    let field_rows: u16 = fields
        .iter()
        .map(|i| {
            if dialog.fields[*i].kind == FieldKind::Revision {
                dialog.revisions.len().clamp(1, 6) as u16
            } else {
                1
            }
        })
        .sum();
    let width = area.width.saturating_sub(4).min(90);
    let inner_width = width.saturating_sub(2);
    let summary_height: u16 = summary
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_width.max(1)).max(1))
        .sum();
    let height = (summary_height + 1 + field_rows + 1 + 1 + 1 + 2).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );

    let verb_style = if dialog.action.kind.destructive() {
        look.style(Role::Crit)
    } else {
        look.style(Role::Title)
    };
    let block = look.block(true).title(Line::from(Span::styled(
        format!(" {} ", clean(&dialog.action.title())),
        verb_style,
    )));
    let inner = block.inner(popup);
    super::popup::clear_beneath(frame, area, popup);
    frame.render_widget(block, popup);

    let [summary_area, _, fields_area, _, status_area, buttons_area] = Layout::vertical([
        Constraint::Length(summary_height),
        Constraint::Length(1),
        Constraint::Length(field_rows),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(summary).wrap(Wrap { trim: false }),
        summary_area,
    );

    let mut y = fields_area.y;
    for i in fields {
        let field = &dialog.fields[i];
        let focused = dialog.focus == Focus::Field(i);
        let label_style = if focused {
            look.style(Role::Accent)
        } else {
            look.style(Role::Muted)
        };
        let label = match field.kind {
            FieldKind::TypedName => format!("Type {}", clean(&dialog.action.target.name())),
            kind => kind.label().to_string(),
        };
        let rows = if field.kind == FieldKind::Revision {
            dialog.revisions.len().clamp(1, 6) as u16
        } else {
            1
        };
        let area = Rect::new(
            fields_area.x,
            y,
            fields_area.width,
            rows.min(fields_area.bottom().saturating_sub(y)),
        );
        y += rows;
        if area.height == 0 {
            continue;
        }
        let [label_area, input_area] =
            Layout::horizontal([Constraint::Length(20), Constraint::Min(0)]).areas(area);
        frame.render_widget(
            Paragraph::new(Span::styled(
                super::text::fit(&label, 19, look.sym.ellipsis),
                label_style,
            )),
            label_area,
        );
        if field.kind == FieldKind::Revision {
            draw_revisions(frame, input_area, state, dialog, focused, look);
        } else if focused {
            // The editable widget only while the field has the focus: it scrolls to its cursor.
            let mut input = field.input.clone();
            let base = look.style(Role::Selection);
            input.set_style(base);
            input.set_cursor_line_style(Style::default());
            input.set_cursor_style(base.add_modifier(ratatui::style::Modifier::REVERSED));
            frame.render_widget(&input, input_area);
        } else {
            // Unfocused, the value from its start, so a long one shows what it begins with.
            let style = look
                .style(Role::Text)
                .add_modifier(ratatui::style::Modifier::UNDERLINED);
            let value = super::text::fit(
                &clean(&field.value()),
                input_area.width as usize,
                look.sym.ellipsis,
            );
            frame.render_widget(Paragraph::new(Span::styled(value, style)), input_area);
        }
    }

    let status = match dialog.blocked_because() {
        Some(why) => Span::styled(clean(&why).into_owned(), look.style(Role::Muted)),
        None => look.marked(Level::Ok, "ready"),
    };
    frame.render_widget(Paragraph::new(Line::from(status)), status_area);

    let confirm_label = format!("[ {} ]", dialog.action.kind.button());
    let button = |label: String, focus: Focus, enabled: bool, danger: bool| {
        let mut style = if !enabled {
            look.style(Role::Muted)
        } else if danger {
            look.style(Role::Crit)
        } else {
            look.style(Role::Text)
        };
        if dialog.focus == focus {
            style = look.style(Role::Selection);
        }
        let marker = if dialog.focus == focus {
            look.sym.selected
        } else {
            " "
        };
        Span::styled(format!("{marker}{label}"), style)
    };
    let buttons = Line::from(vec![
        button("[ Cancel ]".into(), Focus::Cancel, true, false),
        Span::raw("   "),
        button(
            confirm_label,
            Focus::Confirm,
            dialog.confirm_enabled(),
            dialog.action.kind.destructive(),
        ),
    ])
    .right_aligned();
    frame.render_widget(Paragraph::new(buttons), buttons_area);
}

fn draw_revisions(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    dialog: &Dialog,
    focused: bool,
    look: Look,
) {
    if dialog.revisions.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no earlier revision", look.style(Role::Muted))),
            area,
        );
        return;
    }
    let visible = area.height as usize;
    let start = dialog
        .revision_index
        .saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = dialog
        .revisions
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
        .map(|(i, r)| {
            let chosen = i == dialog.revision_index;
            let style = match (chosen, focused) {
                (true, true) => look.style(Role::Selection),
                (true, false) => look.style(Role::Accent),
                _ => look.style(Role::Text),
            };
            let marker = if chosen { look.sym.selected } else { " " };
            Line::from(Span::styled(
                format!(
                    "{marker}{:>4}  {:>4}  {}  {}",
                    r.number,
                    format_age(r.created.age_at(state.now)),
                    clean(&r.image),
                    clean(r.change_cause.as_deref().unwrap_or(""))
                ),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
