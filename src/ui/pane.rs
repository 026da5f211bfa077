//! The overlay pane: the silences list (who, why, until when), an alert's runbook section, or
//! the kubeconfig's contexts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
use super::text::clean;
use crate::app::State;
use crate::app::logs::ContainerPicker;
use crate::app::pane::{Pane, PaneKind, RunbookPane};
use crate::config::{Command, Mode, Role};
use crate::domain::time::format_age;
use crate::domain::{Level, Silence, SilenceState};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look, pane: &Pane) {
    let keymap = &state.settings.keymap;
    if let PaneKind::Logs(logs) = &pane.kind {
        return super::logs::draw(frame, area, state, look, logs);
    }
    if let PaneKind::Yaml(yaml) = &pane.kind {
        return super::yaml_pane::draw(frame, area, state, look, pane, yaml);
    }
    if let PaneKind::Output { seq } = &pane.kind {
        return super::output::draw(frame, area, state, look, *seq);
    }
    let (title, lines) = match &pane.kind {
        PaneKind::Silences => silences(state, look),
        PaneKind::Runbook(runbook) => runbook_lines(state, look, runbook),
        PaneKind::Contexts { selected } => context_lines(state, look, *selected),
        PaneKind::Containers(picker) => container_lines(state, look, picker),
        PaneKind::ExecContainers(choice) => exec_container_lines(state, look, choice),
        PaneKind::Room { selected } => room_lines(state, look, *selected),
        PaneKind::Namespaces { rows, selected } => {
            super::namespace_picker::lines(state, look, rows, *selected)
        }
        PaneKind::Targets {
            alert,
            targets,
            selected,
        } => {
            let items = targets.iter().map(|t| (t.label.clone(), None)).collect();
            let mut lines = choices(look, items, *selected);
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("{} shows the chosen one", select_key(state)),
                look.style(Role::Muted),
            )));
            (format!("{} names", clean(alert)), lines)
        }
        PaneKind::Forwards { selected } => super::forwards::lines(state, look, *selected),
        PaneKind::Requests { selected } => super::requests::lines(state, look, *selected),
        PaneKind::Logs(_) | PaneKind::Yaml(_) | PaneKind::Output { .. } => {
            unreachable!("drawn above")
        }
    };
    let popup = Scrolled {
        title,
        lines,
        scroll: pane.scroll,
        down_key: keymap.first_key(Mode::Pane, Command::Down),
        max_width: 100,
    };
    super::popup::draw(frame, area, look, popup);
}

fn silence_lines(state: &State, look: Look, s: &Silence) -> Vec<Line<'static>> {
    let when = match s.state {
        SilenceState::Active => format!(
            "until {} UTC (ends in {})",
            s.ends_at.clock_utc_from(state.now),
            format_age(state.now.age_at(s.ends_at))
        ),
        SilenceState::Pending => format!(
            "from {} UTC (starts in {})",
            s.starts_at.clock_utc_from(state.now),
            format_age(state.now.age_at(s.starts_at))
        ),
        SilenceState::Expired => format!("ended {} ago", format_age(s.ends_at.age_at(state.now))),
    };
    let level = match s.state {
        SilenceState::Active => Level::Ok,
        SilenceState::Pending => Level::Warn,
        SilenceState::Expired => Level::Unknown,
    };
    vec![
        Line::from(vec![
            look.marked(level, s.state.word()),
            Span::raw(format!("  {when}  ")),
            Span::styled(clean(&s.source).into_owned(), look.style(Role::Muted)),
        ]),
        Line::from(vec![
            Span::styled("  matches  ", look.style(Role::Muted)),
            Span::styled(
                clean(&s.matchers_text()).into_owned(),
                look.style(Role::Accent),
            ),
        ]),
        Line::from(vec![
            Span::styled("  by       ", look.style(Role::Muted)),
            Span::raw(clean(&s.created_by).into_owned()),
        ]),
        Line::from(vec![
            Span::styled("  why      ", look.style(Role::Muted)),
            Span::raw(clean(&s.comment).into_owned()),
        ]),
        Line::default(),
    ]
}

fn silences(state: &State, look: Look) -> (String, Vec<Line<'static>>) {
    let mut all: Vec<&Silence> = state.estate.silences.iter().collect();
    // Active and pending first, soonest end first; then expired, most recent first.
    all.sort_by(|a, b| {
        let live = |s: &Silence| s.state == SilenceState::Expired;
        live(a).cmp(&live(b)).then_with(|| {
            if live(a) {
                b.ends_at.cmp(&a.ends_at)
            } else {
                a.ends_at.cmp(&b.ends_at)
            }
        })
    });
    let active = all
        .iter()
        .filter(|s| s.state == SilenceState::Active)
        .count();
    let mut lines: Vec<Line> = all
        .iter()
        .flat_map(|s| silence_lines(state, look, s))
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No silences.",
            look.style(Role::Muted),
        )));
    }
    (format!(" Silences: {active} active "), lines)
}

fn runbook_lines(state: &State, look: Look, runbook: &RunbookPane) -> (String, Vec<Line<'static>>) {
    let alert = clean(&runbook.alert).into_owned();
    if let Some(section) = &runbook.section {
        let file = section.path.rsplit('/').next().unwrap_or(&section.path);
        let title = format!(" Runbook for {alert}: {} ", clean(file));
        return (title, super::markdown::lines(&section.markdown, look));
    }
    let mut lines = vec![
        Line::from(vec![
            Span::styled("The alert's runbook: ", look.style(Role::Muted)),
            Span::styled(
                clean(&runbook.reference).into_owned(),
                look.style(Role::Accent),
            ),
        ]),
        Line::default(),
    ];
    let files = state.settings.runbooks.len();
    if runbook.url().is_some() {
        let key = state
            .settings
            .keymap
            .first_key(Mode::Pane, Command::Copy)
            .map_or_else(|| "the copy key".to_string(), |k| k.to_string());
        lines.push(Line::from(format!(
            "It is not one of the {files} local runbook files. Press {key} to copy the link to \
             your own clipboard (OSC 52: works through SSH and tmux with set-clipboard on)."
        )));
    } else {
        lines.push(Line::from(format!(
            "No section of the {files} configured runbook files matches it. Runbooks are read \
             from the `runbooks` patterns in the config file."
        )));
    }
    (format!(" Runbook for {alert} "), lines)
}

/// The context picker: every context of the kubeconfig, the chosen one marked, the one being
/// watched named.
/// A list to choose from: the chosen entry marked and highlighted, a muted note beside some.
fn choices(look: Look, items: Vec<(String, Option<&str>)>, selected: usize) -> Vec<Line<'static>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, (name, note))| {
            let marker = if i == selected { "▶ " } else { "  " };
            let mut spans = vec![Span::raw(marker), Span::raw(clean(&name).into_owned())];
            if let Some(note) = note {
                spans.push(Span::styled(format!("  ({note})"), look.style(Role::Muted)));
            }
            let line = Line::from(spans);
            if i == selected {
                line.style(look.style(Role::Selection))
            } else {
                line
            }
        })
        .collect()
}

pub(super) fn select_key(state: &State) -> String {
    state
        .settings
        .keymap
        .first_key(Mode::Pane, Command::Activate)
        .map_or_else(|| "the select key".to_string(), |k| k.to_string())
}

fn context_lines(state: &State, look: Look, selected: usize) -> (String, Vec<Line<'static>>) {
    if crate::app::fleet::is_fleet(state) {
        return fleet_lines(state, look, selected);
    }
    let items = state
        .settings
        .contexts
        .iter()
        .map(|name| (name.clone(), (*name == state.context).then_some("watching")))
        .collect();
    let mut lines = choices(look, items, selected);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} switches; the panels show the new cluster once it has been listed",
            select_key(state)
        ),
        look.style(Role::Muted),
    )));
    ("Kubernetes contexts".into(), lines)
}

/// With several clusters watched: `all` and each context, the shown ones marked.
fn fleet_lines(state: &State, look: Look, selected: usize) -> (String, Vec<Line<'static>>) {
    let shown = crate::app::fleet::shown(state);
    let every = state.view.contexts.is_none();
    let items = crate::app::fleet::choices(state)
        .into_iter()
        .map(|name| {
            let mark = match name.as_str() {
                "all" => every.then_some("shown"),
                c => (!every && shown.contains(&c)).then_some("shown"),
            };
            (name, mark)
        })
        .collect();
    let mut lines = choices(look, items, selected);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} shows that cluster's rows only (all: every one); several: :ctx a,b",
            select_key(state)
        ),
        look.style(Role::Muted),
    )));
    ("Clusters shown".into(), lines)
}

fn room_lines(state: &State, look: Look, selected: usize) -> (String, Vec<Line<'static>>) {
    let Some(room) = &state.room else {
        let text = "No war room: add [warroom] redis and room to the config (see the README).";
        return ("War room".into(), vec![Line::from(text)]);
    };
    let items = room
        .members
        .iter()
        .map(|m| {
            let dot = look.sym.dot;
            let mut note = format!(
                "{} {dot} {} {dot} joined {} ago",
                m.host,
                m.panel,
                format_age(state.now.0.saturating_sub(m.joined).max(0) as u64)
            );
            if m.readonly {
                note.push_str(&format!(" {dot} read-only"));
            }
            if m.id == room.me {
                note.push_str(&format!(" {dot} you"));
            }
            (m.operator.clone(), note)
        })
        .collect::<Vec<_>>();
    let items = items
        .iter()
        .map(|(name, note)| (name.clone(), Some(note.as_str())))
        .collect();
    let mut lines = choices(look, items, selected);
    if room.members.is_empty() {
        lines.push(Line::from(Span::styled(
            match &room.connection {
                crate::app::room::Connection::Disconnected(why) => {
                    format!("disconnected: {}", clean(why))
                }
                _ => "nobody yet".to_string(),
            },
            look.style(Role::Muted),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} follows the chosen cockpit: its panel, filter, selection and details, read-only; any key leaves",
            select_key(state)
        ),
        look.style(Role::Muted),
    )));
    (format!("War room {}", clean(&room.name)), lines)
}

/// Which container a shell or a command goes into: the default one (listed first) marked.
fn exec_container_lines(
    state: &State,
    look: Look,
    choice: &crate::app::exec_intent::ContainerChoice,
) -> (String, Vec<Line<'static>>) {
    let items = choice
        .containers
        .iter()
        .enumerate()
        .map(|(i, name)| (name.clone(), (i == 0).then_some("default")))
        .collect();
    let mut lines = choices(look, items, choice.selected);
    lines.push(Line::from(""));
    let what = match choice.action.kind {
        crate::actions::ActionKind::Shell { .. } => "opens the shell",
        _ => "runs the command",
    };
    let close = state
        .settings
        .keymap
        .first_key(Mode::Pane, Command::ClosePane)
        .map_or_else(|| "close".to_string(), |k| k.to_string());
    lines.push(Line::from(Span::styled(
        format!("{} {what} in it, {close} cancels", select_key(state)),
        look.style(Role::Muted),
    )));
    let title = format!(
        "Containers of {}",
        clean(&choice.action.target.key().replace("/pod/", "/"))
    );
    (title, lines)
}

fn container_lines(
    state: &State,
    look: Look,
    picker: &ContainerPicker,
) -> (String, Vec<Line<'static>>) {
    let current = picker.pane.container.as_deref();
    let items = picker
        .pane
        .containers
        .iter()
        .map(|name| {
            (
                name.clone(),
                (Some(name.as_str()) == current).then_some("shown"),
            )
        })
        .collect();
    let mut lines = choices(look, items, picker.selected);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("{} opens the container's log", select_key(state)),
        look.style(Role::Muted),
    )));
    let title = format!("Containers of {}", clean(&picker.pane.title));
    (title, lines)
}
