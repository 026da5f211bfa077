//! The incident update message, after the runbooks' P1/P2 templates (service, impact, start,
//! status, next update), prefilled from the estate and the timeline for the operator to edit
//! before it goes to the team's channel.

use crate::app::State;
use crate::app::timeline::Status;
use crate::domain::{AlertState, Severity};

use crate::warroom::Incident;

/// How many of the newest timeline entries the message lists.
const RECENT: usize = 8;

pub fn compose(state: &State, incident: &Incident) -> String {
    let critical = matches!(incident.severity.as_str(), "P0" | "P1");
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({}) - {}\n\n",
        if critical {
            "CRITICAL INCIDENT"
        } else {
            "HIGH SEVERITY INCIDENT"
        },
        incident.severity,
        incident.title
    ));
    out.push_str(&format!("Service: {}\n", services(state)));
    out.push_str("Impact: [who is affected, and how]\n");
    out.push_str(&format!(
        "Start Time: {} UTC (opened by {})\n",
        crate::domain::UnixTime(incident.opened_at)
            .rfc3339()
            .replace('T', " ")
            .trim_end_matches('Z'),
        incident.opened_by
    ));
    out.push_str("Status: Investigating\n");
    if critical {
        out.push_str("Est. Resolution: [time estimate]\n");
    }
    let alerts = firing_critical(state);
    if !alerts.is_empty() {
        out.push_str(&format!("Critical alerts: {}\n", alerts.join(", ")));
    }
    let since: Vec<_> = state
        .timeline
        .iter()
        .filter(|e| e.started.0 >= incident.opened_at)
        .collect();
    let recent: Vec<String> = since[since.len().saturating_sub(RECENT)..]
        .iter()
        .map(|e| {
            let how = match &e.status {
                Status::Succeeded(m) => format!(" ({m})"),
                Status::Failed(m) => format!(" (failed: {m})"),
                Status::Running { .. } => " (running)".into(),
                Status::Note | Status::Remote(_) => String::new(),
            };
            format!(
                "- {} {}: {}{how}",
                e.started.clock_utc(),
                e.operator,
                e.title
            )
        })
        .collect();
    if !recent.is_empty() {
        out.push_str("\nSince it started:\n");
        for line in recent {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(if critical {
        "\nUpdates will be provided every 15 minutes.\n"
    } else {
        "\nNext update in 30 minutes.\n"
    });
    crate::ui::text::clean_lines(&out).join("\n") + "\n"
}

/// The workloads not fully ready and the services whose health check is down, worst first.
fn services(state: &State) -> String {
    let mut names: Vec<String> = state
        .summary
        .services
        .troubled
        .iter()
        .map(|(name, ready, desired, _)| format!("{name} ({ready}/{desired} ready)"))
        .collect();
    names.extend(
        state
            .summary
            .services
            .health_down
            .iter()
            .map(|s| format!("{s} (health check down)")),
    );
    if names.is_empty() {
        "[service name]".into()
    } else {
        names.truncate(5);
        names.join(", ")
    }
}

fn firing_critical(state: &State) -> Vec<String> {
    let mut names: Vec<String> = state
        .estate
        .alerts
        .iter()
        .filter(|a| a.state == AlertState::Active && a.severity == Severity::Critical)
        .map(|a| a.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Opens the editor on the prefilled message.
pub fn open_editor(state: &mut State) {
    let Some(incident) = &state.incident else {
        state.notify(
            "no incident is open (the incident key opens one)",
            crate::domain::Level::Ok,
            4,
        );
        return;
    };
    let text = compose(state, incident);
    let mut editor = ratatui_textarea::TextArea::new(text.lines().map(String::from).collect());
    editor.move_cursor(ratatui_textarea::CursorMove::Top);
    state.update_editor = Some(editor);
}

/// A key in the editor: save (to a file in the state directory, and to the clipboard), close,
/// or typed into the text.
pub fn on_editor_key(
    state: &mut State,
    command: Option<crate::config::Command>,
    key: crossterm::event::KeyEvent,
) -> Vec<super::msg::Effect> {
    use super::msg::Effect;
    use crate::config::Command;
    state.dirty = true;
    match command {
        Some(Command::EditorClose) => {
            state.update_editor = None;
            Vec::new()
        }
        Some(Command::EditorSave) => {
            let Some(editor) = state.update_editor.take() else {
                return Vec::new();
            };
            let text = editor.lines().join("\n") + "\n";
            let mut effects = vec![Effect::Copy(text.clone())];
            match &state.settings.state_dir {
                Some(dir) => {
                    let stamp: String = state
                        .now
                        .rfc3339()
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect();
                    let path = dir.join("incidents").join(format!("update-{stamp}.md"));
                    effects.push(Effect::WriteFile {
                        path,
                        contents: text,
                    });
                }
                None => state.notify(
                    "update copied to your clipboard (no state directory to save it in)",
                    crate::domain::Level::Warn,
                    6,
                ),
            }
            effects
        }
        _ => {
            if let Some(editor) = state.update_editor.as_mut() {
                editor.input(key);
            }
            Vec::new()
        }
    }
}
