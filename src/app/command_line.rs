//! The `:` command line: a panel or kind by name (`:pods`, `:deploy`, `:alerts`), optionally
//! with a namespace (`:pods pos`), `:ns NAME`, `:ctx NAME`, `:pf`, `:out N` (a command's
//! output kept). Tab completes the word; unknown input says what would be accepted; Esc leaves.
//! The names are one table, so that a new panel is one line.

use ratatui_textarea::{CursorMove, TextArea};

use super::msg::Effect;
use super::panel::Panel;
use super::panel_spec::SPECS;
use super::state::State;
use crate::domain::Level;

/// What a name on the command line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Panel(Panel),
    /// `:ns` (the picker) or `:ns NAME`.
    Namespace,
    /// `:ctx` (the picker) or `:ctx NAME`.
    Context,
    /// `:pf`: the open port-forwards.
    Forwards,
    /// `:out` (the newest) or `:out N`: a command's output kept, N-th newest.
    Output,
    /// `:requests`: the war room's two-person requests.
    Requests,
    /// A name the issue lists whose panel this build does not have yet.
    Missing(&'static str),
}

/// The names that are not a panel's: the pickers and the forwards list, offered after the
/// table panels' names.
const PICKERS: [(&str, Target); 5] = [
    ("ns", Target::Namespace),
    ("ctx", Target::Context),
    ("pf", Target::Forwards),
    ("out", Target::Output),
    ("requests", Target::Requests),
];
const PICKER_ALIASES: [(&str, Target); 4] = [
    ("namespaces", Target::Namespace),
    ("contexts", Target::Context),
    ("forwards", Target::Forwards),
    ("output", Target::Output),
];

/// The names Tab offers, in order: the panels with a table (their specs' `names`, in
/// `panel_spec::SPECS` order), `ns` and `ctx`, then the panels without a table.
fn offered() -> impl Iterator<Item = (&'static str, Target)> {
    let panels = |table: bool| {
        SPECS
            .iter()
            .filter(move |s| s.table.is_some() == table)
            .flat_map(|s| s.names.iter().map(|n| (*n, Target::Panel(s.panel))))
    };
    panels(true).chain(PICKERS).chain(panels(false))
}

/// The names accepted but not offered: the panels' aliases, then the pickers'.
fn aliases() -> impl Iterator<Item = (&'static str, Target)> {
    SPECS
        .iter()
        .flat_map(|s| s.aliases.iter().map(|n| (*n, Target::Panel(s.panel))))
        .chain(PICKER_ALIASES)
}

#[derive(Debug, Clone)]
pub struct CommandLine {
    pub input: TextArea<'static>,
    /// Below the input: the candidates Tab found, or why the last Enter was refused.
    pub hint: Option<(String, Level)>,
}

impl CommandLine {
    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }
}

/// A key while the line is typed: Enter runs it, Esc leaves, Tab completes, the rest is typed.
pub fn on_key(
    state: &mut State,
    command: Option<crate::config::Command>,
    key: crossterm::event::KeyEvent,
) -> Vec<Effect> {
    use crate::config::Command;
    state.dirty = true;
    match command {
        Some(Command::FilterAccept) => return run(state),
        Some(Command::FilterCancel) => state.command_line = None,
        Some(Command::Complete) => complete(state),
        _ => {
            if let Some(line) = state.command_line.as_mut() {
                line.input.input(key);
                line.hint = None;
            }
        }
    }
    Vec::new()
}

pub fn open(state: &mut State) {
    state.command_line = Some(CommandLine {
        input: TextArea::default(),
        hint: None,
    });
    state.dirty = true;
}

fn lookup(name: &str) -> Option<Target> {
    offered()
        .chain(aliases())
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t)
}

fn offered_names() -> impl Iterator<Item = &'static str> {
    offered().map(|(n, _)| n)
}

/// What the second word may be after `name`: namespaces or contexts.
fn arguments(state: &State, target: Target) -> Vec<String> {
    match target {
        // `all` as the picker offers it: `:ns all`, `:pods all`.
        Target::Namespace => namespaces(state),
        Target::Panel(panel) if panel.spec().namespaced => namespaces(state),
        Target::Context if super::fleet::is_fleet(state) => super::fleet::choices(state),
        Target::Context => state.settings.contexts.clone(),
        Target::Output => (1..=state.outputs.len()).map(|n| n.to_string()).collect(),
        Target::Panel(_) | Target::Missing(_) | Target::Forwards | Target::Requests => Vec::new(),
    }
}

/// `all` and the namespaces watched.
fn namespaces(state: &State) -> Vec<String> {
    std::iter::once("all".to_string())
        .chain(super::namespaces::known(state).into_keys())
        .collect()
}

/// The words accepted, for a refusal: `pods, deploy, ...` (the table's first names).
fn accepted() -> String {
    let names: Vec<String> = offered()
        .map(|(name, target)| match target {
            Target::Panel(Panel::Pods | Panel::Services) => format!("{name} [NAMESPACE]"),
            Target::Namespace | Target::Context => format!("{name} [NAME]"),
            Target::Output => format!("{name} [N]"),
            Target::Panel(_) | Target::Missing(_) | Target::Forwards | Target::Requests => {
                name.to_string()
            }
        })
        .collect();
    names.join(", ")
}

/// Tab: completes the word being typed to the longest prefix its candidates share (and a space
/// after a whole name); lists the candidates when several are left.
pub fn complete(state: &mut State) {
    let Some(line) = state.command_line.as_ref() else {
        return;
    };
    let text = line.text();
    let words: Vec<&str> = text.split_whitespace().collect();
    let typing_second = words.len() > 1 || (words.len() == 1 && text.ends_with(' '));
    let (done, word, candidates): (String, String, Vec<String>) = if typing_second {
        let Some(target) = lookup(words[0]) else {
            return refuse(
                state,
                format!("unknown command `{}`: {}", words[0], accepted()),
            );
        };
        let word = words.get(1).copied().unwrap_or("").to_string();
        let candidates = arguments(state, target)
            .into_iter()
            .filter(|c| c.starts_with(&word))
            .collect();
        (format!("{} ", words[0]), word, candidates)
    } else {
        let word = words.first().copied().unwrap_or("").to_string();
        let candidates = offered_names()
            .chain(aliases().map(|(n, _)| n))
            .filter(|n| n.starts_with(&word))
            .map(String::from)
            .collect::<Vec<_>>();
        // Aliases only when no offered name fits.
        let offered: Vec<String> = candidates
            .iter()
            .filter(|c| offered_names().any(|n| n == c.as_str()))
            .cloned()
            .collect();
        let candidates = if offered.is_empty() {
            candidates
        } else {
            offered
        };
        (String::new(), word, candidates)
    };
    let Some(line) = state.command_line.as_mut() else {
        return;
    };
    state.dirty = true;
    let completed = match candidates.as_slice() {
        [] => {
            line.hint = Some((format!("nothing starts with `{word}`"), Level::Warn));
            return;
        }
        [only] => {
            line.hint = None;
            format!("{done}{only}{}", if done.is_empty() { " " } else { "" })
        }
        several => {
            line.hint = Some((several.join("  "), Level::Ok));
            format!("{done}{}", common_prefix(several))
        }
    };
    let mut input = TextArea::new(vec![completed]);
    input.move_cursor(CursorMove::End);
    line.input = input;
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(w.chars())
                .take_while(|((_, a), b)| a == b)
                .map(|((i, a), _)| i + a.len_utf8())
                .last()
                .unwrap_or(0),
        );
    }
    first[..end].to_string()
}

fn refuse(state: &mut State, text: String) {
    if let Some(line) = state.command_line.as_mut() {
        line.hint = Some((text, Level::Warn));
    }
    state.dirty = true;
}

/// Enter: does what the line says and closes it, or keeps it open saying what is accepted.
pub fn run(state: &mut State) -> Vec<Effect> {
    let Some(line) = state.command_line.as_ref() else {
        return Vec::new();
    };
    let text = line.text();
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(first) = words.first() else {
        state.command_line = None;
        return Vec::new();
    };
    let first = first.trim_start_matches(':');
    let Some(target) = lookup(first) else {
        refuse(state, format!("unknown command `{first}`: {}", accepted()));
        return Vec::new();
    };
    if words.len() > 2 {
        refuse(state, format!("`{first}` takes at most one word after it"));
        return Vec::new();
    }
    let argument = words.get(1).copied();
    if let (Target::Context, Some(arg)) = (target, argument)
        && super::fleet::is_fleet(state)
    {
        return match super::fleet::choose(state, arg) {
            Ok(()) => {
                state.command_line = None;
                Vec::new()
            }
            Err(why) => {
                refuse(state, why);
                Vec::new()
            }
        };
    }
    if let Some(arg) = argument
        && !arguments(state, target).iter().any(|a| a == arg)
    {
        let what = match target {
            Target::Context => format!("no context `{arg}` in the kubeconfig"),
            Target::Panel(p) if p.spec().namespaced => {
                format!("no namespace `{arg}` among the pods and workloads watched")
            }
            Target::Namespace => {
                format!("no namespace `{arg}` among the pods and workloads watched")
            }
            Target::Output => format!("no output `{arg}` kept (1 is the newest)"),
            Target::Panel(_) | Target::Missing(_) | Target::Forwards | Target::Requests => {
                format!("`{first}` takes no word after it")
            }
        };
        let known = arguments(state, target);
        let text = if known.is_empty() {
            what
        } else {
            format!("{what}: one of {}", known.join(", "))
        };
        refuse(state, text);
        return Vec::new();
    }
    state.command_line = None;
    state.dirty = true;
    match (target, argument) {
        (Target::Panel(panel), namespace) => {
            if let Some(ns) = namespace {
                super::namespaces::choose(state, (ns != "all").then(|| ns.to_string()));
            }
            super::view_filter::leave(state);
            state.panel = panel;
            super::update::sync_current(state);
        }
        (Target::Namespace, None) => super::namespaces::open(state),
        (Target::Namespace, Some(ns)) => {
            let name = (ns != "all").then(|| ns.to_string());
            super::namespaces::choose(state, name);
        }
        (Target::Context, None) => super::pane::open_contexts(state),
        (Target::Context, Some(context)) => {
            return super::pane::switch_context(state, context.to_string());
        }
        (Target::Forwards, _) => super::forwards::open(state),
        (Target::Requests, _) => super::requests::open(state),
        (Target::Output, nth) => {
            super::output::open(state, nth.and_then(|n| n.parse().ok()).unwrap_or(1))
        }
        (Target::Missing(why), _) => state.notify(format!(":{first}: {why}"), Level::Warn, 4),
    }
    Vec::new()
}
