//! The confirmation dialog: what will happen, where, the CLI equivalent, the risk and the
//! permission, the fields, and the buttons. A disabled Confirm says why.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::look::Look;
use super::text::clean;
use crate::actions::Risk;
use crate::actions::executor::Permission;
use crate::app::State;
use crate::app::blocker::on_blocker;
use crate::app::dialog::{Dialog, Focus};
use crate::config::{Command, Mode, Role};
use crate::domain::Level;

fn risk_level(risk: Risk) -> Level {
    match risk {
        Risk::Low => Level::Ok,
        Risk::Medium => Level::Warn,
        Risk::High => Level::Crit,
    }
}

/// The summary's label column.
const LABEL_WIDTH: usize = 12;

/// A labelled line of the summary; a long value wraps under itself, not under its label.
fn row(look: Look, label: &str, value: Span<'static>, width: usize) -> Vec<Line<'static>> {
    let head = vec![Span::styled(
        format!("{label:<LABEL_WIDTH$}"),
        look.style(Role::Muted),
    )];
    super::wrap::hanging(head, LABEL_WIDTH, &value.content, value.style, width)
}

fn summary_lines(state: &State, dialog: &Dialog, look: Look, width: usize) -> Vec<Line<'static>> {
    let action = &dialog.action;
    let text = |s: &str| Span::styled(clean(s).into_owned(), look.style(Role::Text));
    // A styled context is named by its label and colour (`PROD prod-eu`).
    let context = super::context_badge::named(look, state, &action.context);
    let mut lines = row(look, "Context", context, width);
    if let Some(ns) = action.target.namespace() {
        lines.extend(row(look, "Namespace", text(ns), width));
    }
    lines.extend(row(look, "Target", text(&action.target.key()), width));
    // The summary describes the input as it is: while it is invalid there is no change to
    // show, and the backend has not been asked about one.
    let invalid = invalid_input(dialog);
    match &dialog.preview {
        _ if invalid.is_some() => {
            let change = format!("invalid input: {}", clean(invalid.as_deref().unwrap_or("")));
            lines.extend(row(
                look,
                "Change",
                look.marked(Level::Crit, &change),
                width,
            ));
            lines.extend(row(look, "CLI", muted(look, "invalid input"), width));
        }
        Ok(preview) => {
            lines.extend(row(
                look,
                "Change",
                Span::styled(
                    clean(&preview.change).into_owned(),
                    look.style(Role::Accent),
                ),
                width,
            ));
            lines.extend(super::dialog_diff::lines(&action.kind, look, width));
            lines.extend(row(look, "CLI", text(&preview.cli), width));
            for warning in &preview.warnings {
                let warning = look.marked(Level::Warn, &clean(warning));
                lines.extend(super::wrap::hanging(
                    Vec::new(),
                    2,
                    &warning.content,
                    warning.style,
                    width,
                ));
            }
            // A waiting session's dialog offers its blocker, by the key that turns to it.
            let key = state
                .settings
                .keymap
                .first_key(Mode::Dialog, Command::OnBlocker);
            if let (Some(other), Some(key)) = (on_blocker(&state.estate, action), key) {
                lines.extend(row(
                    look,
                    "Blocker",
                    Span::styled(
                        format!("{key}: {} instead", clean(&other.title())),
                        look.style(Role::Accent),
                    ),
                    width,
                ));
            }
        }
        Err(refusal) => lines.extend(row(
            look,
            "Change",
            look.marked(Level::Crit, &refusal.to_string()),
            width,
        )),
    }
    let risk = action.risk();
    lines.extend(row(
        look,
        "Risk",
        look.marked(risk_level(risk), risk.word()),
        width,
    ));
    lines.extend(guardrail_row(dialog, look, width));
    let permission = match &dialog.permission {
        _ if invalid.is_some() => muted(look, "invalid input"),
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
        Some(Permission::NoAnswer(why)) => look.marked(
            Level::Warn,
            &format!(
                "did not answer: {} (asked again when it answers)",
                clean(why)
            ),
        ),
    };
    match &dialog.approving {
        // The approver decides; the requester's cockpit is asked and runs it.
        Some(r) => {
            let asks = format!(
                "{} (request {}, expires {} UTC)",
                clean(&r.operator),
                r.id,
                crate::domain::UnixTime(r.expires).clock_utc()
            );
            lines.extend(row(look, "Asked by", text(&asks), width));
            if let Some(reason) = &r.reason {
                lines.extend(row(look, "Reason", text(reason), width));
            }
            let runs = "checked and run by the requester's cockpit once approved";
            lines.extend(row(look, "Permission", muted(look, runs), width));
        }
        None => lines.extend(row(look, "Permission", permission, width)),
    }
    if let Some(room) = &state.room
        && room.connection != crate::app::room::Connection::Connected
    {
        lines.extend(row(
            look,
            "War room",
            look.marked(
                Level::Warn,
                "disconnected: no lease is taken, another operator may act on this too",
            ),
            width,
        ));
    }
    let operator = match dialog.approving {
        Some(_) => format!("{} (approving)", state.settings.operator),
        None => state.settings.operator.clone(),
    };
    lines.extend(row(look, "Operator", text(&operator), width));
    lines
}

/// The `[[guardrails]]` rule that applies, and what it says: refused (why), or what it asks.
fn guardrail_row(dialog: &Dialog, look: Look, width: usize) -> Vec<Line<'static>> {
    use crate::actions::guardrails::Verdict;
    let value = match &dialog.guard {
        Verdict::Free => return Vec::new(),
        Verdict::Denied { rule, why } => {
            look.marked(Level::Crit, &format!("{rule}: refused: {}", clean(why)))
        }
        Verdict::Allowed { rule, demands } => {
            let asks = demands.describe();
            let level = if asks == "nothing more" {
                Level::Ok
            } else {
                Level::Warn
            };
            look.marked(level, &format!("{rule}: asks for {}", clean(&asks)))
        }
    };
    row(look, "Guardrail", value, width)
}

/// What is wrong with the fields, when a value does not parse or is out of bounds. (A value
/// that parses into no change, like the current replica count, is said by the Change line.)
fn invalid_input(dialog: &Dialog) -> Option<String> {
    dialog.field_error.clone()
}

fn muted(look: Look, text: &str) -> Span<'static> {
    Span::styled(text.to_string(), look.style(Role::Muted))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let Some(dialog) = state.dialog.as_ref() else {
        return;
    };
    let width = area.width.saturating_sub(4).min(90);
    let inner_width = width.saturating_sub(2);
    let summary = summary_lines(state, dialog, look, inner_width as usize);
    let fields = dialog.visible_fields();
    let field_rows: u16 = fields
        .iter()
        .map(|i| super::dialog_fields::rows(state, dialog, *i, inner_width))
        .sum();
    let summary_height = summary.len() as u16;
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
    // A styled context names the cluster in the title and colours the frame: the right
    // command in the wrong cluster is the costliest mistake.
    let mut title = Vec::new();
    let mut block = look.block(true);
    if let Some(style) = super::context_badge::style_of(state, &dialog.action.context) {
        let style = super::context_badge::style(look, style);
        title.push(Span::raw(" "));
        title.push(super::context_badge::named(
            look,
            state,
            &dialog.action.context,
        ));
        block = block.border_style(style);
    }
    let approve = if dialog.approving.is_some() {
        "Approve: "
    } else {
        ""
    };
    title.push(Span::styled(
        format!(" {approve}{} ", clean(&dialog.action.title())),
        verb_style,
    ));
    let block = block.title(Line::from(title));
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
        let rows = super::dialog_fields::rows(state, dialog, i, inner_width);
        let area = Rect::new(
            fields_area.x,
            y,
            fields_area.width,
            rows.min(fields_area.bottom().saturating_sub(y)),
        );
        y += rows;
        if area.height > 0 {
            super::dialog_fields::draw(frame, area, state, dialog, i, look);
        }
    }

    let status = match dialog.blocked_because() {
        // One line: a reason longer than it is cut visibly (the summary has it whole).
        Some(why) => Span::styled(
            super::text::fit(&clean(&why), status_area.width as usize, look.sym.ellipsis),
            look.style(Role::Muted),
        ),
        None => look.marked(Level::Ok, "ready"),
    };
    frame.render_widget(Paragraph::new(Line::from(status)), status_area);

    let confirm_label = if dialog.approving.is_some() {
        "[ Approve ]".to_string()
    } else if dialog.asks_second_operator() {
        "[ Ask a second operator ]".to_string()
    } else {
        format!("[ {} ]", dialog.action.kind.button())
    };
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
        // "Close", not "Cancel": next to "Cancel query" it must not read as the action.
        button("[ Close ]".into(), Focus::Cancel, true, false),
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
