//! What the benchmarks share: a cockpit state on a generated estate, and key presses.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::{Msg, Panel, Settings, State, prepare_frame, update};
use opsdeck::config::{DemoConfig, Keymap, Theme};
use opsdeck::domain::UnixTime;
use opsdeck::sim::World;

pub const T0: UnixTime = UnixTime(1_790_000_000);

/// The cockpit after the generated estate of `pods` pods has been reported, on the Pods panel.
pub fn state_with(pods: usize, size: (u16, u16)) -> State {
    let settings = Arc::new(Settings {
        keymap: Keymap::builtin("default").expect("keymap"),
        theme: Theme::builtin("default").expect("theme"),
        ascii: false,
        readonly: false,
        present: false,
        context: "demo".into(),
        namespaces: "all".into(),
        contexts: Vec::new(),
        state_dir: None,
        operator: "bench".into(),
        empty_hint: None,
        runbooks: Vec::new(),
        logs: Default::default(),
        checklists: Default::default(),
        guardrails: Default::default(),
        context_styles: Vec::new(),
    });
    let world = World::generate(
        &DemoConfig {
            pods,
            ..DemoConfig::default()
        },
        2,
        T0,
    );
    let mut state = State::new(settings, T0, size);
    for report in world.initial_reports() {
        update(&mut state, Msg::Report(report));
    }
    state.panel = Panel::Pods;
    prepare_frame(&mut state);
    state
}

#[allow(dead_code)]
pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[allow(dead_code)]
pub fn special(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}
