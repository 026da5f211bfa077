//! Each check kind against a passing, a warning and a failing estate, and the gate's cases;
//! the estates are built from reports as the sources send them.

mod cluster;
mod data;
mod values;

use super::*;
use crate::domain::{Report, ServiceHealth, SourceId, SourceReport, Workload, WorkloadKind};

pub(super) const NOW: UnixTime = UnixTime(1_000_000);

pub(super) fn feed(estate: &mut Estate, kind: SourceKind, name: &str, report: Report) {
    estate.register_source(SourceId::new(kind, name), 30);
    estate.apply(SourceReport {
        source: SourceId::new(kind, name),
        at: NOW.plus(-1),
        report,
    });
}

pub(super) fn check(estate: &Estate, check: Check) -> Outcome {
    evaluate(&check, &Facts { estate, now: NOW }, None)
}

pub(super) fn workload(ns: &str, name: &str, ready: u32, desired: u32) -> Workload {
    Workload {
        context: crate::domain::cluster_row::no_context(),
        kind: WorkloadKind::Deployment,
        namespace: ns.into(),
        name: name.into(),
        desired,
        ready,
        updated: desired,
        revision: 1,
        image: "i".into(),
        history: vec![],
        service: None,
        created: UnixTime(0),
        containers: vec![],
        config_refs: Vec::new(),
    }
}

pub(super) fn health(service: &str, up: bool) -> ServiceHealth {
    ServiceHealth {
        service: service.into(),
        url: format!("http://{service}/health"),
        up,
        status_code: Some(if up { 200 } else { 503 }),
        latency_ms: 3,
        last_error: (!up).then(|| "HTTP 503 Service Unavailable".into()),
        checked_at: NOW,
    }
}

#[test]
fn sources_not_heard_from_are_pending_and_stale_data_cannot_pass() {
    let mut estate = Estate::default();
    estate.register_source(SourceId::new(SourceKind::Alertmanager, "am"), 30);
    let waiting = check(&estate, Check::Alerts);
    assert_eq!(waiting.status, Status::Pending);
    assert!(waiting.evidence[0].contains("waiting for Alertmanager `am`"));
    estate.apply(SourceReport {
        source: SourceId::new(SourceKind::Alertmanager, "am"),
        at: NOW.plus(-600),
        report: Report::Alerts(vec![]),
    });
    let stale = check(&estate, Check::Alerts);
    assert_eq!(stale.status, Status::Warn);
    assert_eq!(stale.evidence[0], "the data is 10 min old (source stale)");
}
