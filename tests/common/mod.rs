//! Shared fixtures: the demo estate at a fixed seed and a fixed clock, so that screens are
//! the same on every machine.

#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::{Msg, Settings, State, update};
use opsdeck::config::{DemoConfig, Keymap, Theme};
use opsdeck::domain::UnixTime;
use opsdeck::sim::World;

/// 2026-09-21 14:13:20 UTC.
pub const T0: UnixTime = UnixTime(1_790_000_000);

pub fn settings(theme: &str, keymap: &str, ascii: bool) -> Arc<Settings> {
    Arc::new(Settings {
        keymap: Keymap::builtin(keymap).expect("shipped keymap"),
        theme: Theme::builtin(theme).expect("shipped theme"),
        ascii,
        empty_hint: Some("No sources are configured yet.".into()),
        runbooks: vec![opsdeck::domain::runbook::RunbookFile {
            path: "demo-runbook.md".into(),
            text: opsdeck::config::runbooks::DEMO_RUNBOOK.1.into(),
        }],
        checklists: opsdeck::app::checklist::ChecklistSettings {
            catalog: opsdeck::checklist::Catalog::load(None),
            reports: None,
        },
        ..Settings::builtin("tester@bastion")
    })
}

/// The demo estate after `steps` ticks of churn, seen at `T0 + steps`.
pub fn demo_state_with(
    settings: Arc<Settings>,
    size: (u16, u16),
    pods: usize,
    steps: i64,
) -> State {
    let config = DemoConfig {
        seed: 42,
        pods,
        ..DemoConfig::default()
    };
    let mut world = World::generate(&config, 2, T0);
    let mut state = State::new(settings, T0, size);
    for source in world.sources() {
        state.estate.register_source(source, 10);
    }
    for report in world.initial_reports() {
        update(&mut state, Msg::Report(report));
    }
    for i in 1..=steps {
        for report in world.step(T0.plus(i)) {
            update(&mut state, Msg::Report(report));
        }
    }
    node_usage(&mut state, T0.plus(steps));
    update(&mut state, Msg::Tick(T0.plus(steps)));
    state
}

/// The nodes' usage as the adapter reads it from the simulator's metrics.k8s.io: the running
/// pods' on each node, and what the system takes beside them (`sim::kubeapi::render_node`).
fn node_usage(state: &mut State, at: UnixTime) {
    use opsdeck::domain::{Report, SourceReport};
    let Some(source) = state
        .estate
        .sources
        .keys()
        .find(|s| s.kind == opsdeck::domain::SourceKind::Kubernetes)
        .cloned()
    else {
        return;
    };
    let rows = state
        .estate
        .nodes
        .iter()
        .map(|n| {
            let running = state
                .estate
                .pods
                .iter()
                .filter(|p| *p.node == *n.name && &*p.status == "Running");
            let (cpu, mem) = running.fold((180, 1_200 << 20), |(c, m), p| {
                (
                    c + p.cpu_millis.unwrap_or(0),
                    m + p.memory_bytes.unwrap_or(0),
                )
            });
            (n.name.clone(), cpu, mem)
        })
        .collect();
    let report = SourceReport {
        source,
        at,
        report: Report::NodeUsage(rows),
    };
    update(state, Msg::Report(report));
}

pub fn demo_state(size: (u16, u16)) -> State {
    demo_state_with(settings("default", "default", false), size, 300, 3)
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Reports one pod as the Kubernetes source would after a watch event.
pub fn upsert_pod(state: &mut State, pod: opsdeck::domain::Pod) {
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let at = state.now;
    let report = SourceReport {
        source: SourceId::new(SourceKind::Kubernetes, "demo"),
        at,
        report: Report::PodUpsert(pod),
    };
    update(state, Msg::Report(report));
}

/// Feeds each message to `update`, returning every effect.
pub fn press(state: &mut State, msgs: impl IntoIterator<Item = Msg>) -> Vec<opsdeck::app::Effect> {
    msgs.into_iter().flat_map(|m| update(state, m)).collect()
}

pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

/// A stand-in backend for tests of the action pipeline (the runner, leases, the audit table):
/// permits everything, takes `after`, and answers `answer`.
pub struct Answers {
    pub after: std::time::Duration,
    pub answer: &'static str,
}

impl opsdeck::actions::executor::Executor for Answers {
    fn permitted<'a>(
        &'a self,
        _: &'a opsdeck::actions::Action,
    ) -> futures::future::BoxFuture<'a, opsdeck::actions::executor::Permission> {
        Box::pin(async { opsdeck::actions::executor::Permission::Allowed })
    }

    fn execute<'a>(
        &'a self,
        _: &'a opsdeck::actions::Action,
        _: tokio::sync::mpsc::Sender<String>,
    ) -> futures::future::BoxFuture<'a, Result<String, opsdeck::actions::executor::ActionError>>
    {
        Box::pin(async move {
            tokio::time::sleep(self.after).await;
            Ok(self.answer.to_string())
        })
    }
}

/// The backend's yes to the open dialog's current permission question (asked again after
/// each edit).
pub fn allow(state: &mut State) {
    let seq = state.dialog.as_ref().expect("dialog").seq;
    update(
        state,
        Msg::Permission {
            seq,
            permission: opsdeck::actions::executor::Permission::Allowed,
        },
    );
}
