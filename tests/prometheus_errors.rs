//! `[logs] errors_query`: every workload's error counts from a real Prometheus (one query per
//! refresh, both windows in it), shown in the Services panel's LOG ERR column with where they
//! come from, and no pod log read for the counts.

mod common;
mod servers;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use opsdeck::adapters::prometheus_errors;
use opsdeck::app::{Effect, Msg, Panel, Settings, update};
use opsdeck::domain::{QueriedErrors, Report};
use servers::Prometheus;
use tokio::sync::mpsc;

/// Counts that depend on the window (a minute-step subquery over `vector(1)`: ~15 over 15 min,
/// ~1,440 over a day) for pos/pos-order, a fixed 7 for pos/pos-catalog, and a series naming no
/// workload, which is not counted.
const QUERY: &str = r#"label_replace(label_replace(count_over_time(vector(1)[$window:1m]), "namespace", "pos", "", ""), "deployment", "pos-order", "", "")
  or label_replace(label_replace(vector(7), "namespace", "pos", "", ""), "workload", "pos-catalog", "", "")
  or label_replace(vector(99), "namespace", "pos", "", "")"#;

fn with_errors_query() -> Arc<Settings> {
    let mut settings = (*settings("default", "default", false)).clone();
    settings.logs.errors_query = Some(QUERY.into());
    Arc::new(settings)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_come_from_the_query_and_no_log_is_read() {
    let Some(server) = Prometheus::start() else {
        return;
    };
    let (tx, mut rx) = mpsc::channel(16);
    prometheus_errors::spawn(server.url(), QUERY.into(), Duration::from_millis(300), tx);
    let report = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("an answer in time")
        .expect("the task runs");
    let Report::QueriedLogErrors(Ok(mut rows)) = report.report.clone() else {
        panic!("{:?}", report.report);
    };
    rows.sort_by(|a, b| a.workload.cmp(&b.workload));
    let [catalog, order] = &rows[..] else {
        panic!("two workloads: {rows:?}");
    };
    assert_eq!(
        catalog,
        &QueriedErrors {
            namespace: "pos".into(),
            workload: "pos-catalog".into(),
            counts: [Some(7), Some(7)],
        }
    );
    let [Some(quarter), Some(day)] = order.counts else {
        panic!("{order:?}");
    };
    assert!((15..=16).contains(&quarter), "15 minutes: {quarter}");
    assert!((1440..=1441).contains(&day), "24 hours: {day}");

    // Into the cockpit: LOG ERR shows the query's counts, the details say where they are from.
    let mut state = demo_state_with(with_errors_query(), (200, 50), 300, 3);
    let mut report = report;
    report.at = state.now;
    update(&mut state, Msg::Report(report));
    state.panel = Panel::Services;
    let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("{name} on screen:\n{screen}"))
            .to_string()
    };
    assert!(
        row("pos-catalog").contains("7 / 7"),
        "{}",
        row("pos-catalog")
    );
    assert!(
        row("pos-order").contains(&format!("{quarter} / {day}")),
        "{}",
        row("pos-order")
    );
    assert!(
        !row("pos-payment").contains(" / "),
        "no series, no figure: {}",
        row("pos-payment")
    );

    // However long it runs, no pod's log is read for the counts; without the query, the same
    // cockpit starts reading at once.
    let reads_logs = |mut state: opsdeck::app::State| {
        // As at start: no pass running (the fixture's first tick started one, never ended).
        state.error_reads = Default::default();
        (1..=180).any(|s| {
            let effects = update(&mut state, Msg::Tick(T0.plus(3 + s)));
            effects
                .iter()
                .any(|e| matches!(e, Effect::ReadLogErrors(_)))
        })
    };
    assert!(reads_logs(demo_state((200, 50))), "the control reads logs");
    assert!(
        !reads_logs(state),
        "a pod's log was read with errors_query set"
    );
}
