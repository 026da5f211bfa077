//! The Requests list (`:requests`): the war room's pending two-person requests, each with who
//! asks, what (the action and its exact change), where (the context), the reason given, and
//! how long ago it was asked and when it expires; the keys that approve and reject at its foot.

use ratatui::text::{Line, Span};

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;
use crate::domain::{Level, UnixTime};

pub(super) fn lines(state: &State, look: Look, selected: usize) -> (String, Vec<Line<'static>>) {
    let dot = look.sym.dot;
    let pending = &state.requests.pending;
    let mut lines = Vec::new();
    for (i, r) in pending.iter().enumerate() {
        let marker = if i == selected {
            format!("{} ", look.sym.selected)
        } else {
            "  ".into()
        };
        let head = Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("#{} ", r.id), look.style(Role::Accent)),
            Span::raw(format!(
                "{} asks: {}",
                clean(&r.operator),
                clean(&r.action.title())
            )),
        ]);
        lines.push(if i == selected {
            head.style(look.style(Role::Selection))
        } else {
            head
        });
        lines.push(Line::from(Span::styled(
            format!(
                "    {} {dot} context {}",
                clean(&r.change),
                clean(&r.action.context)
            ),
            look.style(Role::Text),
        )));
        if let Some(reason) = &r.reason {
            lines.push(Line::from(Span::styled(
                format!("    reason: {}", clean(reason)),
                look.style(Role::Muted),
            )));
        }
        let age = format_age(state.now.0.saturating_sub(r.created).max(0) as u64);
        let expiry = UnixTime(r.expires).clock_utc();
        let when = if r.expires <= state.now.0 {
            look.marked(Level::Warn, &format!("expired at {expiry} UTC"))
        } else {
            let left = format_age((r.expires - state.now.0) as u64);
            Span::styled(
                format!("asked {age} ago {dot} expires {expiry} UTC (in {left})"),
                look.style(Role::Muted),
            )
        };
        lines.push(Line::from(vec![Span::raw("    "), when]));
        if r.operator == state.settings.operator {
            lines.push(Line::from(Span::styled(
                "    yours: another operator approves it (R withdraws it)",
                look.style(Role::Muted),
            )));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No requests waiting. An action a two-person guardrail covers is asked here.",
            look.style(Role::Muted),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} opens the chosen one to approve {dot} {} rejects it with a reason {dot} {} closes",
            key(state, Command::Activate),
            key(state, Command::RejectRequest),
            key(state, Command::ClosePane),
        ),
        look.style(Role::Muted),
    )));
    (format!(" Requests: {} waiting ", pending.len()), lines)
}

fn key(state: &State, command: Command) -> String {
    state
        .settings
        .keymap
        .first_key(Mode::Pane, command)
        .map_or_else(|| format!("({command:?})"), |k| k.to_string())
}
