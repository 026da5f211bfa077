//! KPIs and the queries' answers against their bounds.

use super::*;
use crate::checklist::checks::{Check, Facts, evaluate};
use crate::checklist::def::KpiName;
use crate::checklist::outcome::Status;
use crate::checklist::probe::{ProbeAnswer, ProbeError};
use crate::domain::ServiceKpis;
use crate::domain::{Estate, Report, SourceKind};

#[test]
fn kpis_are_judged_against_their_bounds() {
    let mut estate = Estate::default();
    let kpi = |max| Check::Kpi {
        service: "pos-payment".into(),
        kpi: KpiName::P95Ms,
        min: None,
        max: Some(max),
    };
    assert_eq!(
        check(&estate, kpi(1000.0)).status,
        Status::Skip,
        "no Prometheus"
    );
    let mut k = ServiceKpis::new("pos/pos-payment");
    k.p95_ms = Some(1300.0);
    feed(
        &mut estate,
        SourceKind::Prometheus,
        "prometheus",
        Report::Kpis(vec![k]),
    );
    let fail = check(&estate, kpi(1000.0));
    assert_eq!(fail.status, Status::Fail);
    assert_eq!(
        fail.evidence[0],
        "`pos/pos-payment` p95 (ms) = 1300, at most 1000 allowed"
    );
    assert_eq!(check(&estate, kpi(1500.0)).status, Status::Pass);
    let rate = Check::Kpi {
        service: "pos/pos-payment".into(),
        kpi: KpiName::ErrorRate,
        min: None,
        max: Some(0.01),
    };
    assert!(check(&estate, rate).evidence[0].contains("returned nothing"));
    let absent = Check::Kpi {
        service: "ghost".into(),
        kpi: KpiName::P95Ms,
        min: None,
        max: Some(1.0),
    };
    assert!(check(&estate, absent).evidence[0].contains("[[prometheus.kpis]]"));
}

#[test]
fn probed_values_wait_for_their_answer_then_meet_their_bounds() {
    let estate = Estate::default();
    let sql = Check::Sql {
        postgres: "workflow-db".into(),
        query: "SELECT 1".into(),
        min: None,
        max: Some(10.0),
    };
    let facts = Facts {
        estate: &estate,
        now: NOW,
    };
    assert_eq!(evaluate(&sql, &facts, None).status, Status::Pending);
    let answer = |result| ProbeAnswer {
        result,
        at: NOW,
        took_ms: 12,
    };
    let ok = evaluate(&sql, &facts, Some(&answer(Ok(Some(3.0)))));
    assert_eq!(
        (ok.status, ok.evidence[0].as_str()),
        (Status::Pass, "value = 3, at most 10")
    );
    let over = evaluate(&sql, &facts, Some(&answer(Ok(Some(12.0)))));
    assert_eq!(
        (over.status, over.evidence[0].as_str()),
        (Status::Fail, "value = 12, at most 10 allowed")
    );
    let at_least = Check::Promql {
        query: "up".into(),
        min: Some(0.95),
        max: None,
    };
    assert_eq!(
        evaluate(&at_least, &facts, Some(&answer(Ok(Some(0.9))))).status,
        Status::Fail
    );
    assert_eq!(
        evaluate(&sql, &facts, Some(&answer(Ok(None)))).status,
        Status::Fail
    );
    let missing = ProbeError {
        message: "no [[postgres]] named `workflow-db` is configured".into(),
        not_configured: true,
    };
    assert_eq!(
        evaluate(&sql, &facts, Some(&answer(Err(missing)))).status,
        Status::Skip
    );
    let failed = ProbeError {
        message: "ERROR: relation \"workflow_states\" does not exist".into(),
        not_configured: false,
    };
    let failed = evaluate(&sql, &facts, Some(&answer(Err(failed))));
    assert_eq!(failed.status, Status::Fail);
    assert!(failed.evidence[0].starts_with("the query failed: ERROR: relation"));
}
