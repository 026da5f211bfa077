//! Tests of `estate`.

use super::*;
use crate::domain::{PodKey, SourceKind, UnixTime, pod::tests::pod};

fn report(kind: SourceKind, name: &str, at: i64, report: Report) -> SourceReport {
    SourceReport {
        source: SourceId::new(kind, name),
        at: UnixTime(at),
        report,
    }
}

#[test]
fn unreachable_keeps_old_data_and_marks_the_source() {
    let mut estate = Estate::default();
    estate.apply(report(
        SourceKind::Kubernetes,
        "c",
        1,
        Report::PodsReset(vec![pod("a", "p", "Running")]),
    ));
    estate.apply(report(
        SourceKind::Kubernetes,
        "c",
        2,
        Report::Unreachable("refused".into()),
    ));
    assert_eq!(estate.pods.len(), 1, "old data stays");
    let view = estate
        .freshness_of(SourceKind::Kubernetes, UnixTime(3))
        .unwrap();
    assert_eq!(
        view,
        crate::domain::FreshnessView::Unreachable {
            reason: "refused".into(),
            age_secs: Some(2)
        }
    );
}

#[test]
fn a_first_lists_progress_lasts_until_it_completes_or_the_source_drops() {
    let mut estate = Estate::default();
    let k8s = |at, r| report(SourceKind::Kubernetes, "c", at, r);
    let part = crate::domain::ListProgress {
        listed: 500,
        estimate: Some(10_000),
    };
    estate.apply(k8s(1, Report::PodsListing(Some(part))));
    assert_eq!(estate.pods_listing, Some(part));
    estate.apply(k8s(2, Report::PodsListing(None)));
    assert_eq!(estate.pods_listing, None);
    estate.apply(k8s(3, Report::PodsListing(Some(part))));
    estate.apply(k8s(4, Report::Unreachable("refused".into())));
    assert_eq!(
        estate.pods_listing, None,
        "the list starts again after the outage"
    );
}

#[test]
fn a_first_lists_parts_add_up_and_the_whole_list_settles_them() {
    let mut estate = Estate::default();
    let k8s = |at, r| report(SourceKind::Kubernetes, "c", at, r);
    let names = |e: &Estate| {
        let mut names: Vec<String> = e.pods.iter().map(|p| p.key.name.to_string()).collect();
        names.sort();
        names
    };
    estate.apply(k8s(1, Report::PodsReset(vec![pod("a", "old", "Running")])));
    // The first part replaces what was held (an earlier login's pods); the next ones add.
    let first = vec![pod("a", "p1", "Running"), pod("a", "p2", "Running")];
    estate.apply(k8s(2, Report::PodsReset(first)));
    estate.apply(k8s(3, Report::PodsListed(vec![pod("b", "p3", "Pending")])));
    assert_eq!(names(&estate), ["p1", "p2", "p3"]);
    // p2 deleted and p3 changed while the list went on: the whole list is what stays.
    let whole = vec![pod("a", "p1", "Running"), pod("b", "p3", "Running")];
    estate.apply(k8s(4, Report::PodsReset(whole)));
    assert_eq!(names(&estate), ["p1", "p3"]);
    let p3 = estate
        .pods
        .get(&PodKey::in_cluster("c", "b", "p3"))
        .expect("p3");
    assert_eq!(&*p3.status, "Running");
}

#[test]
fn alerts_from_one_source_replace_only_that_sources_alerts() {
    let mut estate = Estate::default();
    let alert = |source: &str, name: &str| Alert {
        fingerprint: name.into(),
        source: source.into(),
        name: name.into(),
        severity: crate::domain::Severity::Warning,
        state: crate::domain::AlertState::Active,
        starts_at: UnixTime(0),
        summary: String::new(),
        description: String::new(),
        runbook: None,
        labels: vec![],
        silenced_by: Vec::new(),
    };
    estate.apply(report(
        SourceKind::Alertmanager,
        "eu",
        1,
        Report::Alerts(vec![alert("eu", "A")]),
    ));
    estate.apply(report(
        SourceKind::Alertmanager,
        "us",
        1,
        Report::Alerts(vec![alert("us", "B")]),
    ));
    estate.apply(report(
        SourceKind::Alertmanager,
        "eu",
        2,
        Report::Alerts(vec![]),
    ));
    let names: Vec<_> = estate.alerts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["B"]);
}

#[test]
fn heartbeat_is_not_a_data_change() {
    let mut estate = Estate::default();
    let first = estate.apply(report(SourceKind::Redis, "cache", 5, Report::Alive));
    assert_eq!(
        first,
        Applied::Data,
        "connecting -> live shows in the status bar"
    );
    let before = estate.gens;
    let again = estate.apply(report(SourceKind::Redis, "cache", 6, Report::Alive));
    assert_eq!(again, Applied::Heartbeat);
    assert_eq!(estate.gens, before);
}

#[test]
fn health_checks_join_their_workload_by_qualified_or_plain_name() {
    let mut estate = Estate::default();
    use crate::domain::workload::fixtures::{check, workload};
    estate.apply(report(
        SourceKind::Health,
        "checks",
        1,
        Report::Health(vec![check("pos/pos-order"), check("validation-service")]),
    ));
    assert!(estate.health_for(&workload("pos", "pos-order")).is_some());
    assert!(
        estate
            .health_for(&workload("workflow", "validation-service"))
            .is_some()
    );
    assert!(estate.health_for(&workload("pos", "pos-payment")).is_none());
}

#[test]
fn two_clusters_reports_replace_only_their_own_rows_and_a_relist_of_one_keeps_the_other() {
    use crate::domain::workload::fixtures::workload;
    let mut estate = Estate::default();
    let k8s = |name: &str, at, r| report(SourceKind::Kubernetes, name, at, r);
    // The same namespace and names in both: two clusters' pods and workloads, not one.
    let both = || vec![pod("pos", "p1", "Running"), pod("pos", "p2", "Running")];
    estate.apply(k8s("eu", 1, Report::PodsReset(both())));
    estate.apply(k8s("us", 1, Report::PodsReset(both())));
    estate.apply(k8s("eu", 1, Report::Workloads(vec![workload("pos", "w")])));
    estate.apply(k8s("us", 1, Report::Workloads(vec![workload("pos", "w")])));
    assert_eq!(estate.pods.len(), 4);
    let contexts: Vec<&str> = estate.workloads.iter().map(|w| &*w.context).collect();
    assert_eq!(contexts, ["eu", "us"]);
    // us lists again with one pod gone, and deletes one more by watch: eu keeps both.
    estate.apply(k8s(
        "us",
        2,
        Report::PodsReset(vec![pod("pos", "p1", "Running")]),
    ));
    estate.apply(k8s("us", 3, Report::PodDelete(PodKey::new("pos", "p1"))));
    let eu = |name: &str| PodKey::in_cluster("eu", "pos", name);
    assert!(estate.pods.get(&eu("p1")).is_some() && estate.pods.get(&eu("p2")).is_some());
    assert_eq!(estate.pods.len(), 2, "us has none left");
    // us's workloads change; eu's are as they were.
    estate.apply(k8s("us", 4, Report::Workloads(Vec::new())));
    let contexts: Vec<&str> = estate.workloads.iter().map(|w| &*w.context).collect();
    assert_eq!(contexts, ["eu"]);
    // us goes down: only it is unreachable; forgetting it drops only its rows.
    estate.apply(k8s("us", 5, Report::Unreachable("refused".into())));
    let view =
        |name: &str| estate.sources[&SourceId::new(SourceKind::Kubernetes, name)].view(UnixTime(6));
    assert_eq!(view("eu"), crate::domain::FreshnessView::Live);
    assert!(matches!(
        view("us"),
        crate::domain::FreshnessView::Unreachable { .. }
    ));
    estate.apply(k8s("us", 6, Report::PodsReset(both())));
    estate.forget_cluster(&SourceId::new(SourceKind::Kubernetes, "us"));
    assert_eq!(estate.pods.len(), 2);
    assert!(estate.pods.iter().all(|p| &*p.key.context == "eu"));
}
