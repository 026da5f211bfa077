//! `d` on a Kubernetes row: that object fetched once (GET through the cluster's client, off
//! the UI loop) and shown as YAML over the whole screen: scrolled, searched (`/`, `n` / `N`),
//! copied (`y`, OSC 52 as the logs pane does), saved (`s`), fetched again (`r`). Until the
//! answer comes the pane says it is fetching; a refusal or an error is shown in its place.

use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::config::Command;
use crate::domain::kube_object::{ObjectKind, ObjectRef};
use crate::domain::yaml::{self, YamlLine};
use crate::domain::{Level, UnixTime, WorkloadKind};

/// Most bytes copied at once, as for the logs: terminals cap what OSC 52 may carry.
const COPY_LIMIT: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Fetch {
    Fetching,
    Shown { lines: Vec<YamlLine>, at: UnixTime },
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlPane {
    /// The fetch whose answer this pane waits for; older answers are dropped.
    pub seq: u64,
    pub object: ObjectRef,
    pub fetch: Fetch,
    /// What `/` searched for (case-insensitive); matching lines are highlighted.
    pub search: String,
    /// The line of the match jumped to.
    pub match_line: Option<usize>,
}

impl YamlPane {
    pub fn lines(&self) -> &[YamlLine] {
        match &self.fetch {
            Fetch::Shown { lines, .. } => lines,
            _ => &[],
        }
    }
}

/// Rows of YAML the pane shows on a terminal of `size`: as `ui::yaml_pane` draws it.
pub fn text_rows(size: (u16, u16)) -> usize {
    size.1.saturating_sub(4) as usize
}

/// The object behind the selected row of the shown panel, or why there is none.
pub fn selected_object(state: &State) -> Result<ObjectRef, &'static str> {
    match state.panel.spec().yaml {
        Some(object) => object(state),
        None => Err("not a Kubernetes row"),
    }
}

pub(super) fn pod_object(state: &State) -> Result<ObjectRef, &'static str> {
    state
        .selected_pod()
        .map(|p| {
            ObjectRef::new(ObjectKind::Pod, &p.key.namespace, &p.key.name)
                .in_cluster(&p.key.context)
        })
        .ok_or("no pod selected")
}

pub(super) fn workload_object(state: &State) -> Result<ObjectRef, &'static str> {
    match state.selected_service_row() {
        Some(super::rows::ServiceRow::Workload(w)) => {
            let kind = match w.kind {
                WorkloadKind::Deployment => ObjectKind::Deployment,
                WorkloadKind::StatefulSet => ObjectKind::StatefulSet,
            };
            Ok(ObjectRef::new(kind, &w.namespace, &w.name).in_cluster(&w.context))
        }
        Some(super::rows::ServiceRow::Check(_)) => {
            Err("a health check outside Kubernetes has no object to describe")
        }
        None => Err("no workload selected"),
    }
}

pub(super) fn event_object(state: &State) -> Result<ObjectRef, &'static str> {
    state
        .selected_event()
        .map(|e| ObjectRef::new(ObjectKind::Event, &e.namespace, &e.name).in_cluster(&e.context))
        .ok_or("no event selected")
}

pub(super) fn node_object(state: &State) -> Result<ObjectRef, &'static str> {
    state
        .selected_node()
        .map(|n| ObjectRef::new(ObjectKind::Node, "", &n.name).in_cluster(&n.context))
        .ok_or("no node selected")
}

/// A ConfigMap or a Secret (whose values the fetch replaces by their sizes).
pub(super) fn config_object(state: &State) -> Result<ObjectRef, &'static str> {
    let c = state.selected_config().ok_or("nothing selected")?;
    let kind = match c.kind {
        crate::domain::ConfigKind::ConfigMap => ObjectKind::ConfigMap,
        crate::domain::ConfigKind::Secret => ObjectKind::Secret,
    };
    Ok(ObjectRef::new(kind, &c.namespace, &c.name).in_cluster(&c.context))
}

/// `d`: opens the pane on the selected row's object and asks for it.
pub fn open_for_selected(state: &mut State) -> Vec<Effect> {
    match selected_object(state) {
        Ok(object) => open(state, object),
        Err(why) => {
            state.notify(why, Level::Warn, 3);
            Vec::new()
        }
    }
}

pub fn open(state: &mut State, object: ObjectRef) -> Vec<Effect> {
    state.next_seq += 1;
    let seq = state.next_seq;
    let pane = YamlPane {
        seq,
        object: object.clone(),
        fetch: Fetch::Fetching,
        search: String::new(),
        match_line: None,
    };
    state.pane = Some(Pane::new(PaneKind::Yaml(Box::new(pane))));
    state.dirty = true;
    vec![Effect::FetchObject { seq, object }]
}

/// The answer to a fetch: shown if the pane still waits for it.
pub fn on_fetched(state: &mut State, seq: u64, result: &Result<serde_json::Value, String>) {
    let now = state.now;
    let Some(PaneKind::Yaml(pane)) = state.pane.as_mut().map(|p| &mut p.kind) else {
        return;
    };
    if pane.seq != seq {
        return;
    }
    pane.fetch = match result {
        Ok(value) => {
            let mut lines = vec![yaml::comment(&format!(
                "{}, fetched {} UTC (managedFields left out)",
                pane.object.title(),
                now.clock_utc()
            ))];
            lines.extend(yaml::lines(value));
            Fetch::Shown { lines, at: now }
        }
        Err(why) => Fetch::Failed(why.clone()),
    };
    pane.match_line = None;
    state.dirty = true;
}

/// What is typed after `/` in the pane: jump to the first match at or below the top line.
pub fn set_search(state: &mut State, text: &str) -> bool {
    let rows = text_rows(state.size);
    let Some(pane) = state.pane.as_mut() else {
        return false;
    };
    let PaneKind::Yaml(yaml) = &mut pane.kind else {
        return false;
    };
    if yaml.search != text {
        yaml.search = text.to_string();
        yaml.match_line = None;
        let from = usize::from(pane.scroll);
        if let Some(line) = find(yaml, from, true) {
            yaml.match_line = Some(line);
            pane.scroll = centred(line, rows);
        }
    }
    state.dirty = true;
    true
}

/// The next line at or after `from` (forward) or before it (backward) that matches.
fn find(pane: &YamlPane, from: usize, forward: bool) -> Option<usize> {
    if pane.search.is_empty() {
        return None;
    }
    let needle = pane.search.to_lowercase();
    let hit = |i: &usize| pane.lines()[*i].text().to_lowercase().contains(&needle);
    let count = pane.lines().len();
    if forward {
        (from..count).find(hit)
    } else {
        (0..from.min(count)).rev().find(hit)
    }
}

/// The YAML as copied or saved: each line made harmless, as it is drawn.
fn clean_text(lines: &[YamlLine]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&crate::ui::text::clean(&line.text()));
        out.push('\n');
    }
    out
}

/// The scroll that puts `line` in the middle of `rows`.
fn centred(line: usize, rows: usize) -> u16 {
    line.saturating_sub(rows / 2).min(usize::from(u16::MAX)) as u16
}

/// Keys while the YAML pane is open; `None` for the ones that are not its own (scrolling and
/// closing are every pane's).
pub fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let rows = text_rows(state.size);
    let now = state.now;
    let state_dir = state.settings.state_dir.clone();
    let pane = state.pane.as_mut()?;
    let PaneKind::Yaml(yaml) = &mut pane.kind else {
        return None;
    };
    match command {
        Command::Refresh => {
            let object = yaml.object.clone();
            let (search, scroll) = (yaml.search.clone(), pane.scroll);
            let effects = open(state, object);
            // The reader stays where they were in the object.
            if let Some(pane) = state.pane.as_mut() {
                pane.scroll = scroll;
                if let PaneKind::Yaml(yaml) = &mut pane.kind {
                    yaml.search = search;
                }
            }
            Some(effects)
        }
        Command::Filter => {
            let mut input = ratatui_textarea::TextArea::new(vec![yaml.search.clone()]);
            input.move_cursor(ratatui_textarea::CursorMove::End);
            state.filter_input = Some(input);
            Some(Vec::new())
        }
        Command::FilterAccept => {
            state.filter_input = None;
            Some(Vec::new())
        }
        Command::FilterCancel => {
            state.filter_input = None;
            yaml.search.clear();
            yaml.match_line = None;
            Some(Vec::new())
        }
        Command::NextMatch | Command::PrevMatch => {
            let forward = command == Command::NextMatch;
            let from = match (yaml.match_line, forward) {
                (Some(m), true) => m + 1,
                (Some(m), false) => m,
                (None, _) => usize::from(pane.scroll),
            };
            if yaml.search.is_empty() {
                state.notify("nothing to find: / to search", Level::Warn, 3);
            } else if let Some(line) = find(yaml, from, forward) {
                yaml.match_line = Some(line);
                pane.scroll = centred(line, rows);
            } else {
                let which = if forward { "below" } else { "above" };
                let text = format!("no match {which} for \"{}\"", yaml.search);
                state.notify(text, Level::Warn, 3);
            }
            Some(Vec::new())
        }
        Command::Copy => {
            if yaml.lines().is_empty() {
                state.notify("nothing to copy yet", Level::Warn, 3);
                return Some(Vec::new());
            }
            let mut text = clean_text(yaml.lines());
            let cut = text.len() > COPY_LIMIT;
            if cut {
                let mut at = COPY_LIMIT;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            let lines = text.lines().count();
            let how = if cut { " (cut to 100 KB)" } else { "" };
            state.notify(
                format!("{lines} lines of YAML sent to the terminal's clipboard{how}"),
                Level::Ok,
                4,
            );
            Some(vec![Effect::Copy(text)])
        }
        Command::SaveLogs => {
            let Some(dir) = state_dir else {
                state.notify("no state directory to save into", Level::Warn, 5);
                return Some(Vec::new());
            };
            if yaml.lines().is_empty() {
                state.notify("nothing to save yet", Level::Warn, 3);
                return Some(Vec::new());
            }
            let stamp = now.rfc3339().replace([':', '-'], "");
            let o = &yaml.object;
            let ns = o.namespace.as_deref().unwrap_or("cluster");
            // Names come from the cluster: only safe characters go into a path.
            let safe = |s: &str| {
                s.replace(
                    |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '.',
                    "_",
                )
            };
            let name = format!(
                "{}_{}_{}_{stamp}.yaml",
                safe(ns),
                o.kind.resource(),
                safe(&o.name)
            );
            Some(vec![Effect::WriteFile {
                path: dir.join("objects").join(name),
                contents: clean_text(yaml.lines()),
            }])
        }
        _ => None,
    }
}
