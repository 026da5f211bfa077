//! The background count of ERROR lines at update level: a pass reads at most its share of
//! `[logs] error_reads_per_minute`, the workloads on screen first, and on a cluster above
//! `[logs] error_auto_max_pods` it waits for `e` in Services.

mod common;

use std::sync::Arc;

use common::*;
use opsdeck::app::{Effect, Msg, State, prepare_frame, update};

fn with_logs(edit: impl FnOnce(&mut opsdeck::config::LogsConfig)) -> State {
    let mut base = (*settings("default", "default", false)).clone();
    edit(&mut base.logs);
    demo_state_with(Arc::new(base), (120, 40), 300, 3)
}

/// Ends the pass under way, if any, and lets the interval pass: the next one is due.
fn pass(state: &mut State) -> Option<Vec<opsdeck::domain::LogScan>> {
    update(state, Msg::LogErrorsPassDone);
    let now = state.now.plus(61);
    update(state, Msg::Tick(now))
        .into_iter()
        .find_map(|e| match e {
            Effect::ReadLogErrors(scans) => Some(scans),
            _ => None,
        })
}

#[test]
fn a_pass_reads_its_share_of_the_budget_and_the_selected_workload_first() {
    let mut state = with_logs(|logs| {
        logs.error_reads_per_minute = 20;
        logs.error_auto_max_pods = 10_000;
    });
    press(&mut state, [ch('3'), ch('j'), ch('j')]);
    prepare_frame(&mut state);
    let selected = state.selected_workload().expect("a workload").clone();
    press(&mut state, [ch('e')]);
    assert!(
        state
            .notices
            .iter()
            .any(|n| n.text.starts_with("already counting ERROR lines")),
        "below the limit e does not claim to start what runs"
    );
    let scans = pass(&mut state).expect("a pass is due");
    // One pass a minute (the default interval): 20 reads of the demo's ~280 running pods.
    assert_eq!(scans.len(), 20);
    assert_eq!(
        &*scans[0].owner,
        selected.owner_ref(),
        "the selected workload first"
    );
    assert_eq!(&*scans[0].key.namespace, selected.namespace);
}

#[test]
fn above_the_pod_limit_counting_waits_for_e_and_the_column_says_so() {
    let mut state = with_logs(|logs| logs.error_auto_max_pods = 100);
    press(&mut state, [ch('3')]);
    assert!(
        pass(&mut state).is_none(),
        "313 pods: it does not start by itself"
    );
    assert!(state.error_reads.waiting_for_request);
    let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(screen.contains("off: e counts"), "{screen}");
    press(&mut state, [ch('e')]);
    let scans = pass(&mut state).expect("e starts it");
    assert_eq!(scans.len(), 60, "the default budget, 60 a minute");
    assert!(!state.error_reads.waiting_for_request);
}

#[test]
fn no_pass_starts_while_the_first_list_of_pods_goes_on() {
    // The first pages of a 10,000-pod cluster are 300 pods on screen: counting must wait for
    // the whole list to know whether it is above `error_auto_max_pods`.
    let mut state = with_logs(|_| {});
    state.estate.pods_listing = Some(opsdeck::domain::ListProgress {
        listed: 300,
        estimate: Some(10_000),
    });
    assert!(
        pass(&mut state).is_none(),
        "a pass started at 300 of ~10,000"
    );
    state.estate.pods_listing = None;
    assert!(
        pass(&mut state).is_some(),
        "the whole list is 300: it starts"
    );
}
