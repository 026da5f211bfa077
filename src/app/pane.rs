//! The overlay pane over the panels: the silences list, the runbook section an alert names, or
//! the kubeconfig's contexts to switch between. Scrolls with the keys; closes with Esc.

use super::msg::Effect;
use super::state::State;
use crate::config::Command;
use crate::domain::runbook::{RunbookFile, Section, find_section};
use crate::domain::{Level, SourceId, SourceKind};

#[derive(Debug, Clone, PartialEq)]
pub enum PaneKind {
    /// Every silence the Alertmanagers know: who, why, until when.
    Silences,
    Runbook(RunbookPane),
    /// The kubeconfig's contexts; `selected` indexes `Settings::contexts`.
    Contexts {
        selected: usize,
    },
    Logs(Box<super::logs::LogPane>),
    /// The containers of a pod whose log is about to open.
    Containers(super::logs::ContainerPicker),
    /// The containers of a pod a shell or a command is about to go into.
    ExecContainers(super::exec_intent::ContainerChoice),
    /// Who is in the war room; `selected` indexes the room's members (Enter follows).
    Room {
        selected: usize,
    },
    /// The namespace picker; `selected` indexes `rows`.
    Namespaces {
        rows: Vec<super::namespaces::NamespaceRow>,
        selected: usize,
    },
    /// What an alert's labels name, when they name several things.
    Targets {
        alert: String,
        targets: Vec<super::drill::Target>,
        selected: usize,
    },
    /// One Kubernetes object as YAML (`d`).
    Yaml(Box<super::yaml_pane::YamlPane>),
    /// The open port-forwards; `selected` indexes `State::forwards`.
    Forwards {
        selected: usize,
    },
    /// What the action `seq` printed (`x`, a team action), kept in `State::outputs`.
    Output {
        seq: u64,
    },
    /// The war room's pending two-person requests (`:requests`); `selected` indexes
    /// `State::requests.pending`.
    Requests {
        selected: usize,
    },
}

/// What the pane shows for an alert's runbook annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct RunbookPane {
    pub alert: String,
    /// The annotation as written.
    pub reference: String,
    /// The local section, when one matched.
    pub section: Option<Section>,
}

impl RunbookPane {
    pub fn open(alert: &str, reference: &str, files: &[RunbookFile]) -> RunbookPane {
        RunbookPane {
            alert: alert.into(),
            reference: reference.into(),
            section: find_section(files, reference),
        }
    }

    /// The link to copy when the runbook is not a local file.
    pub fn url(&self) -> Option<&str> {
        self.reference
            .contains("://")
            .then_some(self.reference.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pane {
    pub kind: PaneKind,
    /// Lines scrolled past; the view clamps it to the content.
    pub scroll: u16,
}

impl Pane {
    pub fn new(kind: PaneKind) -> Pane {
        Pane { kind, scroll: 0 }
    }
}

/// The pane's name in "not a key in ...".
pub(super) fn place(kind: &PaneKind) -> &'static str {
    match kind {
        PaneKind::Silences => "the silences",
        PaneKind::Runbook(_) => "the runbook",
        PaneKind::Contexts { .. } => "the contexts",
        PaneKind::Logs(_) => "the logs",
        PaneKind::Containers(_) | PaneKind::ExecContainers(_) => "the container picker",
        PaneKind::Room { .. } => "the war room",
        PaneKind::Namespaces { .. } => "the namespace picker",
        PaneKind::Targets { .. } => "the alert's targets",
        PaneKind::Yaml(_) => "the YAML view",
        PaneKind::Forwards { .. } => "the port-forwards",
        PaneKind::Output { .. } => "the command's output",
        PaneKind::Requests { .. } => "the requests",
    }
}

/// Keys while the pane is open; `None` for commands that are not the pane's.
pub(super) fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let page = state.size.1.saturating_sub(8).max(1);
    if matches!(state.pane.as_ref()?.kind, PaneKind::Logs(_))
        && let Some(effects) = super::logs::on_command(state, command)
    {
        return Some(effects);
    }
    if matches!(state.pane.as_ref()?.kind, PaneKind::Yaml(_))
        && let Some(effects) = super::yaml_pane::on_command(state, command)
    {
        return Some(effects);
    }
    if matches!(state.pane.as_ref()?.kind, PaneKind::Output { .. })
        && let Some(effects) = super::output::on_command(state, command)
    {
        return Some(effects);
    }
    if matches!(state.pane.as_ref()?.kind, PaneKind::Forwards { .. })
        && let Some(effects) = super::forwards::on_command(state, command)
    {
        return Some(effects);
    }
    let fleet = super::fleet::is_fleet(state);
    let context_choices = match fleet {
        true => super::fleet::choices(state),
        false => state.settings.contexts.clone(),
    };
    if matches!(state.pane.as_ref()?.kind, PaneKind::Requests { .. })
        && let Some(effects) = super::requests::on_command(state, command)
    {
        return Some(effects);
    }
    let pane = state.pane.as_mut()?;
    if let PaneKind::Containers(picker) = &mut pane.kind {
        let last = picker.pane.containers.len().saturating_sub(1);
        match command {
            Command::Up => picker.selected = picker.selected.saturating_sub(1),
            Command::Down => picker.selected = (picker.selected + 1).min(last),
            Command::Activate => {
                let picker = picker.clone();
                return Some(super::logs::on_container_chosen(state, picker));
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    if let PaneKind::ExecContainers(choice) = &mut pane.kind {
        let last = choice.containers.len().saturating_sub(1);
        match command {
            Command::Up => choice.selected = choice.selected.saturating_sub(1),
            Command::Down => choice.selected = (choice.selected + 1).min(last),
            Command::Activate => {
                let choice = choice.clone();
                return Some(super::exec_intent::on_container_chosen(state, choice));
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    if let PaneKind::Room { selected } = &mut pane.kind {
        let members = state.room.as_ref().map_or(&[][..], |r| &r.members[..]);
        let last = members.len().saturating_sub(1);
        match command {
            Command::Up => *selected = selected.saturating_sub(1),
            Command::Down => *selected = (*selected + 1).min(last),
            Command::Activate => {
                let chosen = members.get(*selected).cloned();
                let me = state.room.as_ref().map(|r| r.me.clone());
                state.pane = None;
                return Some(match chosen {
                    Some(m) if Some(&m.id) != me.as_ref() => super::room::follow(state, &m),
                    Some(_) => {
                        state.notify("that is this cockpit", Level::Ok, 3);
                        Vec::new()
                    }
                    None => Vec::new(),
                });
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    if let PaneKind::Namespaces { rows, selected } = &mut pane.kind {
        let last = rows.len().saturating_sub(1);
        match command {
            Command::Up => *selected = selected.saturating_sub(1),
            Command::Down => *selected = (*selected + 1).min(last),
            Command::Activate => {
                let chosen = rows.get(*selected).map(|r| r.name.clone());
                state.pane = None;
                if let Some(name) = chosen {
                    super::namespaces::choose(state, name);
                }
                return Some(Vec::new());
            }
            // The picker's key again closes it.
            Command::Namespaces => {
                state.pane = None;
                return Some(Vec::new());
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    if let PaneKind::Targets {
        alert,
        targets,
        selected,
    } = &mut pane.kind
    {
        let last = targets.len().saturating_sub(1);
        match command {
            Command::Up => *selected = selected.saturating_sub(1),
            Command::Down => *selected = (*selected + 1).min(last),
            Command::Activate => {
                let (alert, chosen) = (alert.clone(), targets.get(*selected).cloned());
                state.pane = None;
                if let Some(target) = chosen {
                    super::drill::on_target_chosen(state, alert, target);
                }
                return Some(Vec::new());
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    if let PaneKind::Contexts { selected } = &mut pane.kind {
        let choices = context_choices;
        let last = choices.len().saturating_sub(1);
        match command {
            Command::Up => *selected = selected.saturating_sub(1),
            Command::Down => *selected = (*selected + 1).min(last),
            Command::Activate if fleet => {
                let chosen = choices
                    .get(*selected)
                    .cloned()
                    .unwrap_or_else(|| "all".into());
                state.pane = None;
                if let Err(why) = super::fleet::choose(state, &chosen) {
                    state.notify(why, Level::Warn, 4);
                }
                return Some(Vec::new());
            }
            Command::Activate => {
                let chosen = choices.get(*selected).cloned();
                state.pane = None;
                return Some(chosen.map_or_else(Vec::new, |c| switch_context(state, c)));
            }
            _ => {}
        }
        if matches!(command, Command::Up | Command::Down) {
            return Some(Vec::new());
        }
    }
    match command {
        Command::Up => pane.scroll = pane.scroll.saturating_sub(1),
        Command::Down => pane.scroll = pane.scroll.saturating_add(1),
        Command::PageUp => pane.scroll = pane.scroll.saturating_sub(page),
        Command::PageDown => pane.scroll = pane.scroll.saturating_add(page),
        Command::ClosePane | Command::Silences | Command::Runbook | Command::Contexts => {
            state.pane = None
        }
        Command::Copy => {
            let url = match &pane.kind {
                PaneKind::Runbook(runbook) => runbook.url().map(String::from),
                PaneKind::Silences
                | PaneKind::Contexts { .. }
                | PaneKind::Logs(_)
                | PaneKind::Containers(_)
                | PaneKind::ExecContainers(_)
                | PaneKind::Room { .. }
                | PaneKind::Namespaces { .. }
                | PaneKind::Targets { .. }
                | PaneKind::Yaml(_)
                | PaneKind::Forwards { .. }
                | PaneKind::Output { .. }
                | PaneKind::Requests { .. } => None,
            };
            return Some(match url {
                Some(url) => {
                    state.notify("runbook link copied to your clipboard", Level::Ok, 4);
                    vec![Effect::Copy(url)]
                }
                None => {
                    state.notify("nothing to copy here", Level::Warn, 3);
                    Vec::new()
                }
            });
        }
        Command::Quit => return Some(super::update::quit(state)),
        Command::Repaint => return Some(vec![Effect::Repaint]),
        _ => return None,
    }
    Some(Vec::new())
}

/// Opens the selected alert's runbook section, or says why there is none.
pub(super) fn open_runbook(state: &mut State) {
    let Some(alert) = super::rows::selected_alert(state).map(|e| e.alert) else {
        return state.notify("no alert selected", Level::Warn, 3);
    };
    let Some(reference) = alert.runbook.as_deref().filter(|r| !r.trim().is_empty()) else {
        let message = format!("{} has no runbook annotation", alert.name);
        return state.notify(message, Level::Warn, 4);
    };
    let runbook = RunbookPane::open(&alert.name, reference, &state.settings.runbooks);
    state.pane = Some(Pane::new(PaneKind::Runbook(runbook)));
}

/// Opens the context picker on the current context (with several clusters watched: on `all`,
/// to choose which are shown).
pub(super) fn open_contexts(state: &mut State) {
    if super::fleet::is_fleet(state) {
        state.pane = Some(Pane::new(PaneKind::Contexts { selected: 0 }));
        return;
    }
    if state.settings.contexts.is_empty() {
        return state.notify(
            "no kubeconfig contexts to choose from (Kubernetes is not configured)",
            Level::Warn,
            4,
        );
    }
    let selected = state
        .settings
        .contexts
        .iter()
        .position(|c| *c == state.context)
        .unwrap_or(0);
    state.pane = Some(Pane::new(PaneKind::Contexts { selected }));
}

/// Points the cockpit at another context: what the old cluster said is dropped, the new one
/// shows as connecting until its first list arrives.
pub(super) fn switch_context(state: &mut State, context: String) -> Vec<Effect> {
    if context == state.context {
        state.notify(format!("already watching {context}"), Level::Ok, 3);
        return Vec::new();
    }
    let old = SourceId::new(SourceKind::Kubernetes, &state.context);
    let stale_after = state
        .estate
        .sources
        .get(&old)
        .map_or(30, |f| f.stale_after_secs);
    state.estate.forget_cluster(&old);
    state
        .estate
        .register_source(SourceId::new(SourceKind::Kubernetes, &context), stale_after);
    // The namespaces and drill-downs chosen were the old cluster's.
    super::view_filter::leave(state);
    if state.view.namespace.is_some() {
        super::view_filter::set_namespace(state, None);
    }
    state.notify(format!("switching to context {context}"), Level::Ok, 4);
    state.context = context.clone();
    state.dirty = true;
    vec![Effect::SwitchContext(context)]
}
