//! The Alerts panel in `update`, with the simulated Alertmanager's world kept at hand: alerts
//! that resolve are remembered (dimmed, `resolved 2m ago`), alerts that fire again count as
//! flapping with their new episode's age, the row a silence is made on stays selected, and the
//! expiry names the one silence it ends. No terminal, no network.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::ActionKind;
use opsdeck::app::{Effect, Msg, State, prepare_frame, update};
use opsdeck::config::DemoConfig;
use opsdeck::domain::{
    Alert, AlertState, Matcher, Report, SourceId, SourceKind, SourceReport, UnixTime,
};
use opsdeck::sim::World;

/// The demo's world and a cockpit fed by it, one tick a second from `T0`.
struct Demo {
    world: World,
    state: State,
    tick: i64,
}

impl Demo {
    fn new(size: (u16, u16)) -> Demo {
        let config = DemoConfig {
            seed: 42,
            pods: 300,
            ..DemoConfig::default()
        };
        let world = World::generate(&config, 2, T0);
        let mut state = State::new(settings("default", "default", false), T0, size);
        for source in world.sources() {
            state.estate.register_source(source, 10);
        }
        for report in world.initial_reports() {
            update(&mut state, Msg::Report(report));
        }
        update(&mut state, Msg::Tick(T0));
        Demo {
            world,
            state,
            tick: 0,
        }
    }

    fn now(&self) -> UnixTime {
        T0.plus(self.tick)
    }

    /// Advances the world to tick `to`, feeding every report and a clock tick each second.
    fn run_to(&mut self, to: i64) {
        while self.tick < to {
            self.tick += 1;
            let now = self.now();
            for report in self.world.step(now) {
                update(&mut self.state, Msg::Report(report));
            }
            update(&mut self.state, Msg::Tick(now));
        }
        prepare_frame(&mut self.state);
    }

    /// What an Alertmanager poll reports now: its alerts and its silences.
    fn poll(&mut self) {
        let source = SourceId::new(SourceKind::Alertmanager, "demo");
        let at = self.now();
        for report in [
            Report::Alerts(self.world.firing_alerts()),
            Report::Silences(self.world.silences_now()),
        ] {
            let report = SourceReport {
                source: source.clone(),
                at,
                report,
            };
            update(&mut self.state, Msg::Report(report));
        }
        prepare_frame(&mut self.state);
    }
}

/// The alert the Alerts table's selection is on.
fn selected(state: &State) -> Option<&Alert> {
    state
        .tables
        .alerts
        .selected_index()
        .and_then(|i| state.estate.alert_entry(i))
        .map(|e| e.alert)
}

/// Moves the selection down from the top until it is on `name`.
fn select(state: &mut State, name: &str) {
    press(state, [ch('4'), key(KeyCode::Home)]);
    prepare_frame(state);
    for _ in 0..20 {
        if selected(state).is_some_and(|a| a.name == name) {
            return;
        }
        press(state, [ch('j')]);
        prepare_frame(state);
    }
    panic!("{name} is not in the Alerts table");
}

/// `S` on the selected alert with a comment, confirmed: the intent the runner would execute,
/// with its sequence number.
fn silence_selected(state: &mut State, comment: &str) -> (u64, opsdeck::actions::audit::Intent) {
    press(state, [ch('S')]);
    allow(state);
    // The focus starts on the duration; Enter goes on to the comment, the last field.
    press(state, [key(KeyCode::Enter)]);
    press(state, typed(comment));
    allow(state);
    // Enter in the last field goes to Confirm; Enter there confirms.
    let effects = press(state, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    let [Effect::Execute { seq, intent }] = effects.as_slice() else {
        panic!("{effects:?}; {:?}", state.current_notice())
    };
    (*seq, (**intent).clone())
}

/// The simulated Alertmanager makes the silence the intent asks for, as `POST
/// /api/v2/silences` would; the next poll shows it, and the runner reports the action done.
fn make_silence(demo: &mut Demo, (seq, intent): &(u64, opsdeck::actions::audit::Intent)) -> String {
    let ActionKind::Silence {
        matchers, comment, ..
    } = &intent.action.kind
    else {
        panic!("{:?}", intent.action.kind)
    };
    let matchers = matchers.iter().map(|(k, v)| Matcher::equal(k, v)).collect();
    let now = demo.now();
    let id = demo
        .world
        .create_silence(matchers, "tester@bastion", comment, now, now.plus(3600));
    demo.poll();
    let result = Ok(format!("silence {id} until 15:13:20 UTC"));
    update(&mut demo.state, Msg::ActionFinished { seq: *seq, result });
    id
}

#[test]
fn the_alert_silenced_stays_selected_and_shown_as_silenced_while_silenced_ones_are_hidden() {
    let mut demo = Demo::new((160, 48));
    let state = &mut demo.state;
    press(state, [ch('4'), ch('m')]);
    select(state, "HighLatencyP95");
    let intent = silence_selected(state, "provider incident OPS-9");
    make_silence(&mut demo, &intent);
    let state = &mut demo.state;
    let row = selected(state).expect("a row is selected");
    assert_eq!(
        (row.name.as_str(), row.state),
        ("HighLatencyP95", AlertState::Silenced),
        "the row acted on stays selected, shown as silenced"
    );
    // E works on it at once, no search needed.
    press(state, [ch('E')]);
    let dialog = state.dialog.as_ref().expect("the expire dialog opens");
    assert_eq!(dialog.action.target.name(), "HighLatencyP95");

    // Once the selection moves off it, it is hidden as asked.
    press(state, [key(KeyCode::Esc), ch('k')]);
    prepare_frame(state);
    let shown: Vec<&str> = state
        .tables
        .alerts
        .visible()
        .iter()
        .filter_map(|i| state.estate.alert_entry(*i as usize))
        .map(|e| e.alert.name.as_str())
        .collect();
    assert!(!shown.contains(&"HighLatencyP95"), "{shown:?}");
}

#[test]
fn the_alert_silenced_stays_selected_among_all_alerts() {
    let mut demo = Demo::new((160, 48));
    select(&mut demo.state, "KubePodCrashLooping");
    let intent = silence_selected(&mut demo.state, "known, fix deploying");
    make_silence(&mut demo, &intent);
    let row = selected(&demo.state).expect("a row is selected");
    assert_eq!(
        (row.name.as_str(), row.state),
        ("KubePodCrashLooping", AlertState::Silenced)
    );
}

#[test]
fn an_alert_that_resolves_under_the_selection_stays_selected_as_resolved() {
    let mut demo = Demo::new((160, 48));
    select(&mut demo.state, "HighErrorRate");
    // HighErrorRate fires for 50 of every 90 ticks.
    demo.run_to(55);
    let state = &demo.state;
    let i = state
        .tables
        .alerts
        .selected_index()
        .expect("a row is selected");
    let entry = state.estate.alert_entry(i).unwrap();
    assert_eq!(entry.alert.name, "HighErrorRate");
    assert_eq!(entry.resolved_at, Some(T0.plus(50)));
}

/// Names of the alerts remembered as resolved, oldest resolution first.
fn resolved(state: &State) -> Vec<&str> {
    state
        .estate
        .alert_memory
        .resolved
        .iter()
        .map(|r| r.alert.name.as_str())
        .collect()
}

#[test]
fn a_resolved_alert_stays_listed_and_one_that_fires_again_is_flapping_with_its_new_age() {
    let mut demo = Demo::new((160, 48));
    press(&mut demo.state, [ch('4')]);
    demo.run_to(49);
    let summary = &demo.state.summary.alerts;
    assert_eq!((summary.critical, summary.resolved), (3, 0));

    // HighErrorRate resolves at tick 50: not firing, not counted, but shown as resolved.
    demo.run_to(50);
    let state = &demo.state;
    assert!(
        !state
            .estate
            .alerts
            .iter()
            .any(|a| a.name == "HighErrorRate")
    );
    assert_eq!(resolved(state), ["HighErrorRate"]);
    let summary = &state.summary.alerts;
    assert_eq!((summary.critical, summary.resolved), (2, 1));
    let shown = state
        .tables
        .alerts
        .visible()
        .iter()
        .filter_map(|i| state.estate.alert_entry(*i as usize))
        .find(|e| e.alert.name == "HighErrorRate")
        .expect("still in the table");
    assert_eq!(shown.resolved_at, Some(T0.plus(50)));

    // It fires again at tick 90: a new episode, 0s old, flapping once.
    demo.run_to(90);
    let state = &demo.state;
    let again = state
        .estate
        .alerts
        .iter()
        .find(|a| a.name == "HighErrorRate")
        .expect("firing again");
    assert_eq!(
        again.starts_at,
        T0.plus(90),
        "not the first episode's start"
    );
    assert_eq!(state.estate.alert_memory.flaps(again, state.now), 1);
    // PostgresLongRunningQuery fires on: its query still runs.
    assert_eq!(
        resolved(state),
        ["ServiceHealthCheckFailed"],
        "no longer resolved; the one that resolved since is"
    );
    assert_eq!(state.summary.alerts.critical, 3);
}

#[test]
fn resolved_alerts_are_forgotten_after_keep_resolved() {
    let mut demo = Demo::new((160, 48));
    demo.state.estate.alert_memory.keep_secs = 30;
    demo.run_to(50);
    assert_eq!(resolved(&demo.state), ["HighErrorRate"]);
    demo.run_to(79);
    assert_eq!(
        resolved(&demo.state),
        ["HighErrorRate", "ServiceHealthCheckFailed"]
    );
    demo.run_to(80);
    assert_eq!(resolved(&demo.state), ["ServiceHealthCheckFailed"]);
    assert_eq!(
        demo.state.summary.alerts.resolved, 1,
        "the Overview's count follows"
    );
}

#[test]
fn expire_names_the_one_silence_it_ends_and_what_else_silences_the_alert() {
    let mut demo = Demo::new((160, 48));
    select(&mut demo.state, "HighLatencyP95");
    let intent = silence_selected(&mut demo.state, "provider incident OPS-9");
    let mine = make_silence(&mut demo, &intent);
    // Someone else silences it too.
    let now = demo.now();
    let theirs = demo.world.create_silence(
        vec![Matcher::equal("alertname", "HighLatencyP95")],
        "dana@bastion-2",
        "deploy window",
        now,
        now.plus(7200),
    );
    demo.poll();
    let state = &mut demo.state;
    let latency = selected(state).unwrap();
    assert_eq!(latency.silenced_by.len(), 2, "{:?}", latency.silenced_by);
    press(state, [ch('E')]);
    let dialog = state.dialog.as_ref().expect("the expire dialog opens");
    assert_eq!(
        dialog.action.kind,
        ActionKind::ExpireSilence {
            silence: mine.clone()
        },
        "the operator's own silence, not {theirs}"
    );
    let preview = dialog.preview.as_ref().expect("nothing refused");
    assert_eq!(preview.cli, format!("amtool silence expire {mine}"));
    assert_eq!(
        preview.change,
        format!("silence {mine} by tester@bastion ends")
    );
    assert_eq!(
        preview.warnings,
        ["HighLatencyP95 stays silenced by 1 other silence."]
    );
}
