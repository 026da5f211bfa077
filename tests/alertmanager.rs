//! The Alertmanager adapter against a real prometheus-alertmanager: posted alerts appear with
//! their severity; silencing one through opsdeck makes Alertmanager report it silenced, expiring
//! restores it; hostile annotations render harmless; Alertmanager going away marks the source
//! unreachable and coming back recovers. One test, one server (it is stopped).

mod common;
mod servers;

use std::time::{Duration, Instant};

use opsdeck::actions::executor::{Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::alertmanager;
use opsdeck::config::AlertmanagerConfig;
use opsdeck::domain::{Alert, AlertState, Report, Severity, Silence, SilenceState, SourceReport};
use servers::Alertmanager;
use tokio::sync::mpsc;

async fn post_alerts(url: &str) {
    let body = serde_json::json!([
        {"labels": {"alertname": "KubePodCrashLooping", "severity": "critical", "namespace": "workflow"},
         "annotations": {"summary": "pdf-recognizer is crash looping", "runbook_url": "workflow-engine-runbook.md#troubleshooting"}},
        {"labels": {"alertname": "HighLatencyP95", "severity": "warning", "service": "pos-payment"},
         "annotations": {"summary": "p95 1.3s above 1s"}},
        {"labels": {"alertname": "Hostile", "severity": "info"},
         "annotations": {"summary": "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2Jsummary", "description": "line\u{1b}[31m red"}},
    ]);
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v2/alerts"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("post alerts");
    assert!(response.status().is_success(), "{}", response.status());
}

/// The first report that `pick` accepts (unreachable reports fail the test; other alert and
/// silence reports are skipped).
async fn next_where<T>(
    rx: &mut mpsc::Receiver<SourceReport>,
    pick: impl Fn(Report) -> Option<T>,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let report = tokio::time::timeout(left, rx.recv())
            .await
            .expect("a report in time")
            .expect("alive")
            .report;
        match report {
            Report::Unreachable(reason) => panic!("unreachable: {reason}"),
            r @ (Report::Alerts(_) | Report::Silences(_)) => {
                if let Some(found) = pick(r) {
                    return found;
                }
            }
            other => panic!("{other:?}"),
        }
    }
}

/// The next report of alerts for which `ready` holds.
async fn alerts_where(
    rx: &mut mpsc::Receiver<SourceReport>,
    ready: impl Fn(&[Alert]) -> bool,
) -> Vec<Alert> {
    next_where(rx, |r| match r {
        Report::Alerts(a) if ready(&a) => Some(a),
        _ => None,
    })
    .await
}

/// The next report of silences for which `ready` holds.
async fn silences_where(
    rx: &mut mpsc::Receiver<SourceReport>,
    ready: impl Fn(&[Silence]) -> bool,
) -> Vec<Silence> {
    next_where(rx, |r| match r {
        Report::Silences(s) if ready(&s) => Some(s),
        _ => None,
    })
    .await
}

fn named<'a>(alerts: &'a [Alert], name: &str) -> Option<&'a Alert> {
    alerts.iter().find(|a| a.name == name)
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_silences_hostile_text_and_an_outage() {
    let Some(am) = Alertmanager::start() else {
        return;
    };
    post_alerts(&am.url()).await;
    let (tx, mut rx) = mpsc::channel(64);
    let cfg = AlertmanagerConfig {
        name: "eu".into(),
        url: am.url(),
        username: None,
        password_env: None,
        bearer_token_env: None,
        ca_pem: None,
    };
    let executor = alertmanager::spawn(cfg, Duration::from_millis(300), "alice@bastion".into(), tx);

    let alerts = alerts_where(&mut rx, |a| a.len() == 3).await;
    let crash = named(&alerts, "KubePodCrashLooping").unwrap();
    assert_eq!(
        (crash.severity, crash.state),
        (Severity::Critical, AlertState::Active)
    );
    assert_eq!(crash.label("namespace"), Some("workflow"));
    assert_eq!(
        crash.runbook.as_deref(),
        Some("workflow-engine-runbook.md#troubleshooting")
    );
    assert_eq!(crash.source, "eu");
    assert!(crash.starts_at.age_at(opsdeck::domain::UnixTime::now()) < 60);
    assert_eq!(
        named(&alerts, "HighLatencyP95").unwrap().severity,
        Severity::Warning
    );
    assert_eq!(named(&alerts, "Hostile").unwrap().severity, Severity::Info);

    // Silence the warning through the executor, as the dialog would.
    let latency = named(&alerts, "HighLatencyP95").unwrap().clone();
    let target = Target::Alert {
        source: "eu".into(),
        fingerprint: latency.fingerprint.clone(),
        name: latency.name.clone(),
    };
    let silence = Action {
        kind: ActionKind::Silence {
            matchers: vec![
                ("alertname".into(), "HighLatencyP95".into()),
                ("service".into(), "pos-payment".into()),
            ],
            duration_secs: 3600,
            comment: "payment provider degraded, OPS-42".into(),
        },
        target: target.clone(),
        context: "eu".into(),
    };
    assert_eq!(executor.permitted(&silence).await, Permission::Allowed);
    let (progress, _) = mpsc::channel(4);
    let message = executor
        .execute(&silence, progress.clone())
        .await
        .expect("silence");
    assert!(
        message.starts_with("silence ") && message.contains("until"),
        "{message}"
    );
    let alerts = alerts_where(&mut rx, |a| {
        named(a, "HighLatencyP95").is_some_and(|x| x.state == AlertState::Silenced)
    })
    .await;
    assert_eq!(
        named(&alerts, "KubePodCrashLooping").unwrap().state,
        AlertState::Active,
        "only the matched alert"
    );
    // Alertmanager itself says so, with our operator and comment on the silence.
    let silences: serde_json::Value = serde_json::from_str(
        &reqwest::get(format!("{}/api/v2/silences", am.url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let active: Vec<_> = silences
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"]["state"] == "active")
        .collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["createdBy"], "alice@bastion");
    assert_eq!(active[0]["comment"], "payment provider degraded, OPS-42");
    // The adapter lists it too: who, why, until when, and which alert it silences.
    let silenced_by = named(&alerts, "HighLatencyP95")
        .unwrap()
        .silenced_by
        .clone();
    let listed = silences_where(&mut rx, |s| {
        s.iter().any(|s| s.state == SilenceState::Active)
    })
    .await;
    let ours = listed
        .iter()
        .find(|s| s.state == SilenceState::Active)
        .unwrap();
    assert_eq!(silenced_by, vec![ours.id.clone()]);
    assert_eq!(active[0]["id"], ours.id.as_str());
    assert_eq!(ours.created_by, "alice@bastion");
    assert_eq!(ours.comment, "payment provider degraded, OPS-42");
    assert_eq!(
        ours.matchers_text(),
        "alertname=HighLatencyP95, service=pos-payment"
    );
    let lasts = ours.ends_at.0 - ours.starts_at.0;
    assert!((3590..=3610).contains(&lasts), "{lasts}");

    // Extend it (`S` on the silenced alert): the same silence, updated in place, now lasts
    // two hours from now, with the new comment.
    let extend = Action {
        kind: ActionKind::ExtendSilence {
            silence: ours.id.clone(),
            duration_secs: 7200,
            comment: "still degraded, OPS-42".into(),
        },
        target: target.clone(),
        context: "eu".into(),
    };
    let message = executor
        .execute(&extend, progress.clone())
        .await
        .expect("extend");
    assert!(
        message.starts_with(&format!("silence {} extended until ", ours.id)),
        "{message}"
    );
    let listed = silences_where(&mut rx, |s| {
        s.iter()
            .any(|s| s.state == SilenceState::Active && s.comment == "still degraded, OPS-42")
    })
    .await;
    let active: Vec<_> = listed
        .iter()
        .filter(|s| s.state == SilenceState::Active)
        .collect();
    assert_eq!(active.len(), 1, "updated, not added: {active:?}");
    assert_eq!(active[0].id, ours.id, "the same silence");
    assert_eq!(active[0].starts_at, ours.starts_at, "its start kept");
    assert_eq!(active[0].created_by, "alice@bastion");
    let left = active[0].ends_at.0 - opsdeck::domain::UnixTime::now().0;
    assert!((7100..=7200).contains(&left), "{left}");

    // Expire it: the alert is active again.
    let expire = Action {
        kind: ActionKind::ExpireSilence {
            silence: ours.id.clone(),
        },
        target,
        context: "eu".into(),
    };
    let message = executor
        .execute(&expire, progress.clone())
        .await
        .expect("expire");
    assert_eq!(message, format!("expired silence {}", ours.id));
    alerts_where(&mut rx, |a| {
        named(a, "HighLatencyP95").is_some_and(|x| x.state == AlertState::Active)
    })
    .await;
    let again = executor
        .execute(&expire, progress)
        .await
        .expect_err("nothing left to expire");
    assert_eq!(
        again.to_string(),
        format!("silence {} had already expired", ours.id)
    );

    // Hostile annotations render as harmless text in the Alerts panel.
    let hostile = named(&alerts, "Hostile").unwrap().clone();
    let settings = common::settings("default", "default", false);
    let mut state = opsdeck::app::State::new(settings, opsdeck::domain::UnixTime::now(), (160, 40));
    let report = SourceReport {
        source: opsdeck::domain::SourceId::new(opsdeck::domain::SourceKind::Alertmanager, "eu"),
        at: state.now,
        report: Report::Alerts(vec![hostile]),
    };
    opsdeck::app::update(&mut state, opsdeck::app::Msg::Report(report));
    state.panel = opsdeck::app::Panel::Alerts;
    state.details = true;
    let text = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "an escape reached the screen"
    );
    assert!(text.contains("evil?]52;c;ZXZpbA==??[2Jsummary"), "{text}");

    // Alertmanager goes away, and comes back.
    am.stop();
    let reason = servers::next_unreachable(&mut rx, Duration::from_secs(20)).await;
    assert!(reason.contains("cannot connect"), "{reason}");
    // The alerts it listed stay, marked as its last word.
    let report = SourceReport {
        source: opsdeck::domain::SourceId::new(opsdeck::domain::SourceKind::Alertmanager, "eu"),
        at: state.now,
        report: Report::Unreachable(reason),
    };
    opsdeck::app::update(&mut state, opsdeck::app::Msg::Report(report));
    let text = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut state));
    assert!(text.contains("Hostile"), "its alerts stay listed:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("Alerts") && l.contains("eu ✖ unreachable")),
        "{text}"
    );
    am.start_again();
    // Alerts live in memory: the restarted Alertmanager has none until they are posted again.
    post_alerts(&am.url()).await;
    alerts_where(&mut rx, |a| a.len() == 3).await;
}

/// Creates a silence on the alert named `name` with `comment`, through Alertmanager's API.
async fn post_silence(url: &str, name: &str, comment: &str) -> String {
    let now = opsdeck::domain::UnixTime::now();
    let body = serde_json::json!({
        "matchers": [{"name": "alertname", "value": name, "isRegex": false, "isEqual": true}],
        "startsAt": now.rfc3339(), "endsAt": now.plus(3600).rfc3339(),
        "createdBy": "carol@bastion", "comment": comment,
    });
    let answer = reqwest::Client::new()
        .post(format!("{url}/api/v2/silences"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("post silence")
        .text()
        .await
        .expect("an answer");
    let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
    answer["silenceID"].as_str().expect("silenceID").to_string()
}

/// The expiry the dialog shows (`amtool silence expire <id>`) is the one carried out: of two
/// silences on an alert, expiring one leaves the other, and the alert silenced by it.
#[tokio::test(flavor = "multi_thread")]
async fn expiring_a_silence_ends_that_silence_and_no_other() {
    let Some(am) = Alertmanager::start() else {
        return;
    };
    post_alerts(&am.url()).await;
    let first = post_silence(&am.url(), "HighLatencyP95", "provider incident").await;
    let second = post_silence(&am.url(), "HighLatencyP95", "deploy window").await;
    let (tx, mut rx) = mpsc::channel(64);
    let cfg = AlertmanagerConfig {
        name: "eu".into(),
        url: am.url(),
        ..AlertmanagerConfig::default()
    };
    let executor = alertmanager::spawn(cfg, Duration::from_millis(300), "alice@bastion".into(), tx);
    let alerts = alerts_where(&mut rx, |a| {
        named(a, "HighLatencyP95").is_some_and(|x| x.silenced_by.len() == 2)
    })
    .await;
    let latency = named(&alerts, "HighLatencyP95").unwrap().clone();
    let expire = Action {
        kind: ActionKind::ExpireSilence {
            silence: first.clone(),
        },
        target: Target::Alert {
            source: "eu".into(),
            fingerprint: latency.fingerprint.clone(),
            name: latency.name.clone(),
        },
        context: "eu".into(),
    };
    assert_eq!(expire.cli(), format!("amtool silence expire {first}"));
    let (progress, _) = mpsc::channel(4);
    let message = executor.execute(&expire, progress).await.expect("expire");
    assert_eq!(message, format!("expired silence {first}"));
    let silences = silences_where(&mut rx, |s| {
        s.iter()
            .any(|s| s.id == first && s.state == SilenceState::Expired)
    })
    .await;
    let state_of = |id: &str| silences.iter().find(|s| s.id == id).map(|s| s.state);
    assert_eq!(
        state_of(&second),
        Some(SilenceState::Active),
        "the other stays"
    );
    let alerts = alerts_where(&mut rx, |a| {
        named(a, "HighLatencyP95").is_some_and(|x| x.silenced_by.len() == 1)
    })
    .await;
    let latency = named(&alerts, "HighLatencyP95").unwrap();
    assert_eq!(latency.state, AlertState::Silenced);
    assert_eq!(latency.silenced_by, vec![second]);
}

/// What the simulator copies (tests/sim_alertmanager.rs): Alertmanager lists only active
/// alerts, so a resolved one is simply absent; when Prometheus sends it again after it resolved,
/// it is listed with the new `startsAt`, under the same fingerprint.
#[tokio::test(flavor = "multi_thread")]
async fn a_resolved_alert_is_not_listed_and_comes_back_with_its_new_start() {
    let Some(am) = Alertmanager::start() else {
        return;
    };
    let post = |starts: opsdeck::domain::UnixTime, ends: Option<opsdeck::domain::UnixTime>| {
        let mut alert = serde_json::json!({
            "labels": {"alertname": "HighErrorRate", "severity": "critical"},
            "startsAt": starts.rfc3339(),
        });
        if let Some(ends) = ends {
            alert["endsAt"] = ends.rfc3339().into();
        }
        let url = am.url();
        async move {
            let response = reqwest::Client::new()
                .post(format!("{url}/api/v2/alerts"))
                .header("content-type", "application/json")
                .body(serde_json::json!([alert]).to_string())
                .send()
                .await
                .expect("post alert");
            assert!(response.status().is_success(), "{}", response.status());
        }
    };
    let listed = || {
        let url = am.url();
        async move {
            let body = reqwest::get(format!("{url}/api/v2/alerts"))
                .await
                .expect("alerts")
                .text()
                .await
                .expect("a body");
            let alerts: Vec<alertmanager::wire::GettableAlert> =
                serde_json::from_str(&body).expect("v2 alerts");
            alerts
                .into_iter()
                .map(|a| (a.fingerprint, a.starts_at))
                .collect::<Vec<_>>()
        }
    };
    let now = opsdeck::domain::UnixTime::now();
    let first = now.plus(-600);
    post(first, None).await;
    let before = listed().await;
    assert_eq!(before.len(), 1);
    assert_eq!(
        opsdeck::domain::UnixTime::parse_rfc3339(&before[0].1),
        Some(first)
    );
    // Resolved a minute ago: no longer listed.
    post(first, Some(now.plus(-60))).await;
    assert_eq!(listed().await, []);
    // Firing again: a new episode, listed from its own start.
    let again = now.plus(-5);
    post(again, None).await;
    let after = listed().await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, before[0].0, "the same alert, by its labels");
    assert_eq!(
        opsdeck::domain::UnixTime::parse_rfc3339(&after[0].1),
        Some(again)
    );
}
