//! The port-forwards this cockpit has open, as the list shows them (which pod, local → remote,
//! since when, bytes each way, broken or not), and the list's keys. The forwards themselves
//! live in the runner (`runner/forwards.rs`); this is what it has reported of them.

use super::msg::Effect;
use super::pane::{Pane, PaneKind};
use super::state::State;
use crate::actions::{ActionKind, Target};
use crate::config::Command;
use crate::domain::{Level, PodKey, UnixTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardRow {
    /// The action's sequence number: what the runner knows the forward by.
    pub seq: u64,
    /// The pod's cluster (kubeconfig context).
    pub context: String,
    pub namespace: String,
    pub pod: String,
    /// The workload `F` was pressed on, when it was.
    pub via: Option<String>,
    /// The local port, once it is open (`None` while it opens).
    pub local: Option<u16>,
    pub remote: u16,
    pub since: UnixTime,
    pub sent: u64,
    pub received: u64,
    /// Why it no longer reaches its pod, as the backend said.
    pub broken: Option<String>,
}

impl ForwardRow {
    /// Why the forward is broken, if it is: the backend's word, else the pod gone from the
    /// estate (the next connection would fail).
    pub fn broken_because(&self, state: &State) -> Option<String> {
        if let Some(why) = &self.broken {
            return Some(why.clone());
        }
        let key = PodKey::in_cluster(
            self.context.as_str(),
            self.namespace.as_str(),
            self.pod.as_str(),
        );
        match state.estate.pods.get(&key) {
            None => Some(format!("pod {} is gone", self.pod)),
            Some(p) if &*p.status != "Running" => Some(format!("pod {} is {}", self.pod, p.status)),
            Some(_) => None,
        }
    }
}

/// A port-forward was confirmed: it shows in the list as opening.
pub(super) fn on_confirmed(state: &mut State, seq: u64, action: &crate::actions::Action) {
    let (ActionKind::PortForward { remote, via, .. }, Target::Pod { namespace, name }) =
        (&action.kind, &action.target)
    else {
        return;
    };
    state.forwards.push(ForwardRow {
        seq,
        context: action.context.clone(),
        namespace: namespace.clone(),
        pod: name.clone(),
        via: via.clone(),
        local: None,
        remote: *remote,
        since: state.now,
        sent: 0,
        received: 0,
        broken: None,
    });
}

/// The runner opened it on this local port.
pub fn on_opened(state: &mut State, seq: u64, local: u16) {
    if let Some(row) = state.forwards.iter_mut().find(|f| f.seq == seq) {
        row.local = Some(local);
        row.since = state.now;
        state.dirty = true;
    }
}

/// What it has carried, and whether it still reaches its pod.
pub fn on_stats(state: &mut State, seq: u64, sent: u64, received: u64, broken: Option<String>) {
    if let Some(row) = state.forwards.iter_mut().find(|f| f.seq == seq) {
        row.sent = sent;
        row.received = received;
        row.broken = broken;
        state.dirty = true;
    }
}

/// The action ended: a forward that did not open leaves the list (the timeline says why).
pub(super) fn on_finished(state: &mut State, seq: u64, ok: bool) {
    if !ok {
        state.forwards.retain(|f| f.seq != seq);
    }
}

pub(super) fn open(state: &mut State) {
    state.pane = Some(Pane::new(PaneKind::Forwards { selected: 0 }));
}

/// Keys while the list is open; `None` for those that are not its own.
pub(super) fn on_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    let Some(Pane {
        kind: PaneKind::Forwards { selected },
        ..
    }) = state.pane.as_mut()
    else {
        return None;
    };
    let last = state.forwards.len().saturating_sub(1);
    match command {
        Command::Up => *selected = selected.saturating_sub(1),
        Command::Down => *selected = (*selected + 1).min(last),
        Command::Forwards => state.pane = None,
        Command::CloseForward => {
            let at = (*selected).min(last);
            let Some(row) = state.forwards.get(at).cloned() else {
                state.notify("no port-forward to close", Level::Ok, 3);
                return Some(Vec::new());
            };
            state.forwards.remove(at);
            *selected = at.min(state.forwards.len().saturating_sub(1));
            let local = row.local.map_or("-".into(), |p| p.to_string());
            // "closed" first: at 80 columns the end of the line is what is cut.
            state.notify(
                format!(
                    "closed port-forward 127.0.0.1:{local} → {}/{}:{}",
                    row.namespace, row.pod, row.remote
                ),
                Level::Ok,
                5,
            );
            // The timeline's entry said "open on …": it says what the forward is now.
            if let Some(entry) = state.timeline.iter_mut().find(|e| e.seq == row.seq) {
                entry.status = super::timeline::Status::Succeeded(format!(
                    "closed (was open on 127.0.0.1:{local})"
                ));
            }
            return Some(vec![Effect::CloseForward(row.seq)]);
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// A byte count as the list shows it: 512 B, 3.4 KiB, 12 MiB.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn bytes_read_as_an_operator_would_say_them() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(3482), "3.4 KiB");
        assert_eq!(bytes(12 * 1024 * 1024 + 5), "12 MiB");
    }
}
