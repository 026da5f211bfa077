//! The Prometheus adapter against a real Prometheus scraping itself: a configured KPI's value
//! and its threshold colouring, end to end into the Services panel; Prometheus going away marks
//! the source unreachable.

mod common;
mod servers;

use std::time::{Duration, Instant};

use opsdeck::adapters::prometheus;
use opsdeck::config::{KpiConfig, PrometheusConfig};
use opsdeck::domain::{
    Report, ServiceKpis, SourceId, SourceKind, SourceReport, UnixTime, Workload, WorkloadKind,
};
use servers::Prometheus;
use tokio::sync::mpsc;

fn kpi(
    service: &str,
    p95: &str,
    error_rate: Option<&str>,
    p95_warn_ms: f64,
    p95_crit_ms: f64,
) -> KpiConfig {
    KpiConfig {
        service: service.into(),
        p95_ms: Some(p95.into()),
        error_rate: error_rate.map(String::from),
        requests_per_s: Some("scalar(up{job=\"self\"}) * 42".into()),
        p95_warn_ms,
        p95_crit_ms,
        error_warn: 0.01,
        error_crit: 0.05,
    }
}

fn workload(namespace: &str, name: &str) -> Workload {
    Workload {
        context: opsdeck::domain::cluster_row::no_context(),
        kind: WorkloadKind::Deployment,
        namespace: namespace.into(),
        name: name.into(),
        desired: 3,
        ready: 3,
        updated: 3,
        revision: 4,
        image: format!("registry.local/pos/{name}:1.0"),
        history: vec![],
        service: None,
        created: UnixTime(0),
        containers: vec![],
        config_refs: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kpi_values_and_threshold_colouring_end_to_end() {
    let Some(server) = Prometheus::start() else {
        return;
    };
    let cfg = PrometheusConfig {
        url: server.url(),
        kpis: vec![
            // The default thresholds: 1.5 s is a warning; the scraped `up` series makes 6 % errors.
            kpi(
                "pos/pos-payment",
                "vector(1500)",
                Some("up{job=\"self\"} * 0.06"),
                1000.0,
                2000.0,
            ),
            // This service's own thresholds make the same 1.5 s fine.
            kpi(
                "pos-catalog",
                "vector(1500)",
                Some("up{job=\"nothing\"}"),
                2000.0,
                3000.0,
            ),
            // A p95 that exists only since Prometheus began scraping: its history has gaps.
            kpi("pos-order", "up{job=\"self\"} * 1000", None, 1000.0, 2000.0),
        ],
        history: Duration::from_secs(59),
    };
    let (tx, mut rx) = mpsc::channel(64);
    prometheus::spawn(cfg, Duration::from_millis(500), tx);
    let deadline = Instant::now() + Duration::from_secs(30);
    let kpis: Vec<ServiceKpis> = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv())
            .await
            .expect("a report in time")
            .expect("alive")
            .report
        {
            // The first scrape takes a moment: wait until the scraped series is there.
            // (The sparkline's history is fetched once a step, so it may trail by one.)
            Report::Kpis(k)
                if k[0].error_rate.is_some() && k[2].p95_history.last() == Some(&Some(1000.0)) =>
            {
                break k;
            }
            Report::Kpis(_) => {}
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(kpis[0].p95_ms, Some(1500.0));
    assert_eq!(kpis[0].error_rate, Some(0.06));
    assert_eq!(kpis[0].requests_per_s, Some(42.0));
    assert_eq!(kpis[1].error_rate, None, "an empty answer is n/a, not zero");

    // The range query behind the sparkline: 60 points over the configured 59 s, one a second.
    assert_eq!(kpis[0].history_secs, 59);
    assert_eq!(kpis[0].p95_history, vec![Some(1500.0); 60]);
    let order = &kpis[2].p95_history;
    assert_eq!(order.len(), 60);
    assert_eq!(order[0], None, "no samples from before Prometheus started");
    assert!(order.iter().flatten().all(|v| *v == 1000.0));

    // Into the cockpit: the Services panel colours them by each service's thresholds.
    let settings = common::settings("default", "default", false);
    let mut state = opsdeck::app::State::new(settings, UnixTime::now(), (160, 20));
    let report = |kind, name: &str, report| SourceReport {
        source: SourceId::new(kind, name),
        at: UnixTime::now(),
        report,
    };
    let workloads = vec![
        workload("pos", "pos-payment"),
        workload("pos", "pos-catalog"),
    ];
    opsdeck::app::update(
        &mut state,
        opsdeck::app::Msg::Report(report(
            SourceKind::Kubernetes,
            "demo",
            Report::Workloads(workloads),
        )),
    );
    opsdeck::app::update(
        &mut state,
        opsdeck::app::Msg::Report(report(
            SourceKind::Prometheus,
            "prometheus",
            Report::Kpis(kpis),
        )),
    );
    state.panel = opsdeck::app::Panel::Services;
    let text = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} row:\n{text}"))
            .to_string()
    };
    assert!(
        row("pos-payment").contains("▲ 1.5s") && row("pos-payment").contains("✖ 6.0%"),
        "{}",
        row("pos-payment")
    );
    assert!(
        row("pos-catalog").contains("✔ 1.5s") && row("pos-catalog").contains("n/a"),
        "{}",
        row("pos-catalog")
    );

    // Prometheus goes away: its last figures are not shown as current.
    server.stop();
    let reason = servers::next_unreachable(&mut rx, Duration::from_secs(20)).await;
    assert!(reason.contains("cannot connect"), "{reason}");
    opsdeck::app::update(
        &mut state,
        opsdeck::app::Msg::Report(report(
            SourceKind::Prometheus,
            "prometheus",
            Report::Unreachable(reason),
        )),
    );
    let text = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} row:\n{text}"))
            .to_string()
    };
    assert!(
        !row("pos-payment").contains("1.5s") && row("pos-payment").contains("✖ n/a"),
        "{}",
        row("pos-payment")
    );
}

/// `[prometheus]` without KPIs still says whether the server answers: it is probed, not taken
/// for live. A server that answers is live; a URL nothing listens on is unreachable.
#[tokio::test(flavor = "multi_thread")]
async fn without_kpis_the_server_is_probed() {
    let dead = PrometheusConfig {
        url: format!("http://127.0.0.1:{}", servers::free_port()),
        kpis: vec![],
        history: Duration::from_secs(60),
    };
    let (tx, mut rx) = mpsc::channel(16);
    prometheus::spawn(dead, Duration::from_millis(200), tx);
    let first = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a report in time")
        .expect("alive")
        .report;
    match first {
        Report::Unreachable(reason) => assert!(reason.contains("cannot connect"), "{reason}"),
        other => panic!("nothing listens there, yet it reported {other:?}"),
    }

    let Some(server) = Prometheus::start() else {
        return;
    };
    let live = PrometheusConfig {
        url: server.url(),
        kpis: vec![],
        history: Duration::from_secs(60),
    };
    let (tx, mut rx) = mpsc::channel(16);
    prometheus::spawn(live, Duration::from_millis(200), tx);
    let first = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a report in time")
        .expect("alive")
        .report;
    assert!(
        matches!(first, Report::Alive | Report::Kpis(_)),
        "a running Prometheus is live: {first:?}"
    );
    server.stop();
    let reason = servers::next_unreachable(&mut rx, Duration::from_secs(20)).await;
    assert!(reason.contains("cannot connect"), "{reason}");
}
