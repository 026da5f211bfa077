//! The port-forwards list (`ctrl-p`, `:pf`): each forward's pod (and the workload it was asked
//! for), local → remote, since when, bytes each way, open or broken; the keys that close one
//! and the list at its foot.

use ratatui::text::{Line, Span};

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::app::forwards::bytes;
use crate::config::{Command, Mode, Role};
use crate::domain::Level;
use crate::domain::time::format_age;

pub(super) fn lines(state: &State, look: Look, selected: usize) -> (String, Vec<Line<'static>>) {
    let arrow = if state.settings.ascii { "->" } else { "→" };
    let dot = look.sym.dot;
    let mut lines = Vec::new();
    for (i, f) in state.forwards.iter().enumerate() {
        let marker = if i == selected {
            format!("{} ", look.sym.selected)
        } else {
            "  ".into()
        };
        let local = f
            .local
            .map_or_else(|| "opening".to_string(), |p| format!("127.0.0.1:{p}"));
        let head = vec![
            Span::raw(marker),
            Span::styled(local, look.style(Role::Accent)),
            Span::raw(format!(
                " {arrow} {}/{}:{}",
                clean(&f.namespace),
                clean(&f.pod),
                f.remote
            )),
        ];
        let head = Line::from(head);
        lines.push(if i == selected {
            head.style(look.style(Role::Selection))
        } else {
            head
        });
        let state_mark = match f.broken_because(state) {
            Some(why) => look.marked(Level::Crit, &format!("broken: {}", clean(&why))),
            None if f.local.is_none() => look.marked(Level::Unknown, "opening"),
            None => look.marked(Level::Ok, "open"),
        };
        let age = format_age(f.since.age_at(state.now));
        lines.push(Line::from(vec![
            Span::raw("    "),
            state_mark,
            Span::styled(
                format!(
                    " {dot} since {} UTC ({age}) {dot} sent {} {dot} received {}",
                    f.since.clock_utc(),
                    bytes(f.sent),
                    bytes(f.received)
                ),
                look.style(Role::Muted),
            ),
        ]));
        if let Some(via) = &f.via {
            lines.push(Line::from(Span::styled(
                format!("    a ready pod of {}", clean(via)),
                look.style(Role::Muted),
            )));
        }
    }
    if lines.is_empty() {
        let key = key(state, Mode::Pods, Command::PortForward);
        lines.push(Line::from(Span::styled(
            format!("No port-forwards open. {key} on a pod or a workload opens one."),
            look.style(Role::Muted),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} closes the chosen one {dot} {} closes the list {dot} all close when opsdeck quits",
            key(state, Mode::Pane, Command::CloseForward),
            key(state, Mode::Pane, Command::ClosePane),
        ),
        look.style(Role::Muted),
    )));
    let title = format!(" Port-forwards: {} open ", state.forwards.len());
    (title, lines)
}

fn key(state: &State, mode: Mode, command: Command) -> String {
    state
        .settings
        .keymap
        .first_key(mode, command)
        .map_or_else(|| command_name(command), |k| k.to_string())
}

fn command_name(command: Command) -> String {
    format!("({command:?})")
}
