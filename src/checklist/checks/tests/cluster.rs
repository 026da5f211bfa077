//! Services, pods and log errors.

use super::*;
use crate::checklist::checks::Check;
use crate::checklist::def::LogWindow;
use crate::checklist::outcome::Status;
use crate::domain::pod::tests::pod;
use crate::domain::{Estate, Report, SourceKind};

#[test]
fn services_pass_warn_on_missing_replicas_and_fail_on_a_down_check() {
    let mut estate = Estate::default();
    let services = Check::Services { namespace: None };
    assert_eq!(check(&estate, services.clone()).status, Status::Skip);
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("pos", "pos-order", 3, 3)]),
    );
    feed(
        &mut estate,
        SourceKind::Health,
        "checks",
        Report::Health(vec![health("pos/pos-order", true)]),
    );
    let pass = check(&estate, services.clone());
    assert_eq!(pass.status, Status::Pass, "{pass:?}");
    assert_eq!(pass.evidence, ["1 workloads checked, 1 health checks"]);

    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("pos", "pos-order", 2, 3)]),
    );
    let warn = check(&estate, services.clone());
    assert_eq!(warn.status, Status::Warn);
    assert_eq!(warn.evidence[0], "`pos/pos-order` 2/3 ready");

    feed(
        &mut estate,
        SourceKind::Health,
        "checks",
        Report::Health(vec![health("pos/pos-order", false)]),
    );
    let fail = check(&estate, services.clone());
    assert_eq!(fail.status, Status::Fail);
    assert!(
        fail.evidence[0].starts_with("`pos/pos-order` health check down: HTTP 503"),
        "{fail:?}"
    );
    assert_eq!(fail.jump.unwrap().filter, "pos-order");
    let elsewhere = check(
        &estate,
        Check::Services {
            namespace: Some("workflow".into()),
        },
    );
    assert_eq!(
        elsewhere.status,
        Status::Pass,
        "another namespace is not judged: {elsewhere:?}"
    );
}

#[test]
fn pods_fail_on_crash_loops_and_on_many_recent_restarts_only() {
    let mut estate = Estate::default();
    let mut restarted = pod("workflow", "validation-service-1", "Running");
    restarted.restarts = 7;
    restarted.last_restart = Some(NOW.plus(-3 * 86_400));
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodsReset(vec![
            pod("pos", "pos-order-1", "Running"),
            restarted.clone(),
        ]),
    );
    let pods = Check::Pods {
        namespace: None,
        max_restarts: 5,
    };
    assert_eq!(
        check(&estate, pods.clone()).status,
        Status::Pass,
        "restarts three days ago do not count"
    );

    restarted.last_restart = Some(NOW.plus(-600));
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodUpsert(restarted),
    );
    let fail = check(&estate, pods.clone());
    assert_eq!(fail.status, Status::Fail);
    assert_eq!(
        fail.evidence[0],
        "pod `workflow/validation-service-1` restarted 7 times, last 10 min ago"
    );

    let mut looping = pod("workflow", "pdf-recognizer-5d8f-x2x9q", "CrashLoopBackOff");
    looping.restarts = 57;
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodUpsert(looping),
    );
    let fail = check(&estate, pods);
    assert_eq!(
        fail.evidence.len(),
        3,
        "two findings and the summary: {fail:?}"
    );
    assert!(
        fail.evidence
            .iter()
            .any(|e| e == "pod `workflow/pdf-recognizer-5d8f-x2x9q` is crash-looping: CrashLoopBackOff, 57 restarts")
    );
    assert_eq!(fail.jump.unwrap().panel, crate::app::Panel::Pods);
    let pos_only = check(
        &estate,
        Check::Pods {
            namespace: Some("pos".into()),
            max_restarts: 5,
        },
    );
    assert_eq!(pos_only.status, Status::Pass);
}

#[test]
fn log_errors_wait_for_a_read_then_fail_above_the_bound() {
    use crate::domain::{LogScan, ScanResult};
    let mut estate = Estate::default();
    let mut p = pod("workflow", "pdf-recognizer-1", "Running");
    p.owner = Some("Deployment/pdf-recognizer".into());
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::PodsReset(vec![p.clone()]),
    );
    feed(
        &mut estate,
        SourceKind::Kubernetes,
        "c",
        Report::Workloads(vec![workload("workflow", "pdf-recognizer", 1, 1)]),
    );
    let errors = |max| Check::LogErrors {
        workload: None,
        window: LogWindow::Hours24,
        max,
    };
    assert_eq!(check(&estate, errors(100)).status, Status::Pending);
    let scans = estate.log_errors.plan(estate.pods.iter(), NOW, 2000);
    let scan: LogScan = scans.into_iter().next().unwrap();
    let lines: Vec<String> = (0..150)
        .map(|i| format!("{} ERROR render failed", NOW.plus(-60 - i).rfc3339()))
        .collect();
    let result = ScanResult::tally(lines.iter().map(String::as_str), None);
    estate.log_errors.record(&scan, &result, NOW);
    let fail = check(&estate, errors(100));
    assert_eq!(fail.status, Status::Fail, "{fail:?}");
    assert!(
        fail.evidence[0].starts_with("`workflow/pdf-recognizer` 150 ERROR lines in 24 h"),
        "{fail:?}"
    );
    assert_eq!(check(&estate, errors(200)).status, Status::Pass);
    let ghost = Check::LogErrors {
        workload: Some("ghost".into()),
        window: LogWindow::Minutes15,
        max: 1,
    };
    assert!(check(&estate, ghost).evidence[0].contains("no workload `ghost`"));
}
