//! The simulator's Alertmanager API, read and written by the real Alertmanager adapter, as
//! `opsdeck --demo` does: the standing silence is listed with who and why, a silence made
//! through opsdeck silences exactly the matched alert, expiry restores it, and bad requests get
//! Alertmanager's 400.

use std::time::{Duration, Instant};

use opsdeck::actions::executor::Executor;
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::alertmanager;
use opsdeck::config::{AlertmanagerConfig, DemoConfig};
use opsdeck::domain::{Alert, AlertState, Estate, Report, SilenceState, SourceKind, UnixTime};
use opsdeck::sim::{World, feed, handle::WorldHandle, http};
use tokio::sync::mpsc;

/// Starts the simulated world with its Alertmanager API; the adapter's estate is fed by
/// `reports`.
fn start_world() -> String {
    let config = DemoConfig {
        seed: 7,
        pods: 60,
        ..DemoConfig::default()
    };
    let world = World::generate(&config, 1, UnixTime::now());
    let (handle, calls) = WorldHandle::new();
    let addr = http::serve(handle, ([127, 0, 0, 1], 0).into()).expect("a loopback port");
    let (_commands_tx, commands) = mpsc::channel(1);
    let (tx, mut rx) = mpsc::channel(1024);
    // The world's own reports are not what this test reads; drain them.
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let inputs = feed::FeedInputs {
        commands,
        calls,
        served: vec![SourceKind::Alertmanager],
    };
    tokio::spawn(async move {
        let _keep = _commands_tx;
        feed::run(world, config, tx, inputs).await;
    });
    format!("http://{addr}")
}

/// Applies the adapter's reports until `ready` holds for the estate.
async fn until(
    rx: &mut mpsc::Receiver<opsdeck::domain::SourceReport>,
    estate: &mut Estate,
    ready: impl Fn(&Estate) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ready(estate) {
        let left = deadline.saturating_duration_since(Instant::now());
        let report = tokio::time::timeout(left, rx.recv())
            .await
            .expect("the estate gets there in time")
            .expect("adapter alive");
        if let Report::Unreachable(reason) = &report.report {
            panic!("unreachable: {reason}");
        }
        estate.apply(report);
    }
}

fn alert<'a>(estate: &'a Estate, name: &str) -> Option<&'a Alert> {
    estate.alerts.iter().find(|a| a.name == name)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_alertmanager_api_serves_the_real_adapter() {
    let url = start_world();
    let (tx, mut rx) = mpsc::channel(64);
    let cfg = AlertmanagerConfig {
        name: "demo".into(),
        url: url.clone(),
        ..AlertmanagerConfig::default()
    };
    let executor = alertmanager::spawn(cfg, Duration::from_millis(200), "bo@bastion".into(), tx);
    let mut estate = Estate::default();
    until(&mut rx, &mut estate, |e| {
        alert(e, "HighLatencyP95").is_some() && !e.silences.is_empty()
    })
    .await;

    // The standing silence: who, why, which alert.
    let disk = alert(&estate, "NodeDiskPressure").expect("disk alert");
    assert_eq!(disk.state, AlertState::Silenced);
    let standing = &estate.silences[0];
    assert_eq!(disk.silenced_by, vec![standing.id.clone()]);
    assert_eq!(standing.created_by, "m.okafor@bastion-1");
    assert_eq!(standing.state, SilenceState::Active);
    assert_eq!(
        standing.matchers_text(),
        "alertname=NodeDiskPressure, node=worker-07"
    );
    let latency = alert(&estate, "HighLatencyP95").unwrap().clone();
    assert_eq!(latency.state, AlertState::Active);
    assert_eq!(
        latency.runbook.as_deref(),
        Some("Section 3.2 - Performance Issues")
    );

    // Silence it through opsdeck: only it is silenced, by our silence.
    let target = Target::Alert {
        source: "demo".into(),
        fingerprint: latency.fingerprint.clone(),
        name: latency.name.clone(),
    };
    let silence = Action {
        kind: ActionKind::Silence {
            matchers: latency.labels.clone(),
            duration_secs: 4 * 3600,
            comment: "provider incident OPS-7".into(),
        },
        target: target.clone(),
        context: "demo".into(),
    };
    let (progress, _) = mpsc::channel(4);
    executor
        .execute(&silence, progress.clone())
        .await
        .expect("silence");
    until(&mut rx, &mut estate, |e| {
        alert(e, "HighLatencyP95").is_some_and(|a| a.state == AlertState::Silenced)
            && e.silences.len() == 2
    })
    .await;
    let ours = estate
        .silences
        .iter()
        .find(|s| s.comment == "provider incident OPS-7")
        .expect("our silence listed")
        .clone();
    assert_eq!(ours.created_by, "bo@bastion");
    let silence_id = ours.id.clone();
    assert_eq!(ours.ends_at.0 - ours.starts_at.0, 4 * 3600);
    let still_active = estate
        .alerts
        .iter()
        .filter(|a| a.state == AlertState::Active)
        .count();
    assert!(still_active >= 3, "only the matched alert is silenced");

    // Extend it: the same silence, updated in place, two hours from now.
    let extend = Action {
        kind: ActionKind::ExtendSilence {
            silence: silence_id.clone(),
            duration_secs: 8 * 3600,
            comment: "still degraded, OPS-7".into(),
        },
        target: target.clone(),
        context: "demo".into(),
    };
    let message = executor
        .execute(&extend, progress.clone())
        .await
        .expect("extend");
    assert!(
        message.starts_with(&format!("silence {silence_id} extended until ")),
        "{message}"
    );
    let started = ours.starts_at;
    until(&mut rx, &mut estate, |e| {
        e.silences
            .iter()
            .any(|s| s.id == silence_id && s.comment == "still degraded, OPS-7")
    })
    .await;
    let extended = estate
        .silences
        .iter()
        .find(|s| s.id == silence_id)
        .expect("the same silence");
    assert_eq!(extended.starts_at, started);
    assert_eq!(extended.created_by, "bo@bastion");
    assert!(extended.ends_at.0 - started.0 >= 8 * 3600, "{extended:?}");
    assert_eq!(estate.silences.len(), 2, "updated, not added");
    // An unknown id is 404, as Alertmanager answers.
    let unknown = reqwest::Client::new()
        .post(format!("{url}/api/v2/silences"))
        .header("content-type", "application/json")
        .body(
            r#"{"id":"nope","matchers":[{"name":"alertname","value":"X","isRegex":false}],
                "startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T01:00:00Z",
                "createdBy":"x","comment":"y"}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);

    // Expire it: active again, and the silence shows as expired.
    let expire = Action {
        kind: ActionKind::ExpireSilence {
            silence: silence_id.clone(),
        },
        target,
        context: "demo".into(),
    };
    let message = executor
        .execute(&expire, progress.clone())
        .await
        .expect("expire");
    assert_eq!(message, format!("expired silence {silence_id}"));
    until(&mut rx, &mut estate, |e| {
        alert(e, "HighLatencyP95").is_some_and(|a| a.state == AlertState::Active)
            && e.silences
                .iter()
                .any(|s| s.id == silence_id && s.state == SilenceState::Expired)
    })
    .await;

    // Again: the simulator answers 200 as Alertmanager does, and the adapter says why nothing
    // was done.
    let again = executor
        .execute(&expire, progress)
        .await
        .expect_err("already expired");
    assert_eq!(
        again.to_string(),
        format!("silence {silence_id} had already expired")
    );

    // A silence without a comment is refused as Alertmanager refuses it.
    let client = reqwest::Client::new();
    let bad = client
        .post(format!("{url}/api/v2/silences"))
        .header("content-type", "application/json")
        .body(
            r#"{"matchers":[{"name":"alertname","value":"X","isRegex":false}],
                "startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T01:00:00Z",
                "createdBy":"x","comment":" "}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let missing = client
        .delete(format!("{url}/api/v2/silence/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

/// The world served over the Alertmanager API, advanced only when the test says so: the test
/// holds the clock.
fn serve_world_by_hand(t0: UnixTime) -> (String, WorldHandle) {
    let config = DemoConfig {
        seed: 7,
        pods: 60,
        ..DemoConfig::default()
    };
    let mut world = World::generate(&config, 1, t0);
    let (handle, mut calls) = WorldHandle::new();
    let addr = http::serve(handle.clone(), ([127, 0, 0, 1], 0).into()).expect("a loopback port");
    tokio::spawn(async move {
        while let Some(call) = calls.recv().await {
            call(&mut world);
        }
    });
    (format!("http://{addr}"), handle)
}

/// `startsAt` of the alert named `name` in `GET /api/v2/alerts`, if it is listed.
async fn listed_start(url: &str, name: &str) -> Option<String> {
    let body = reqwest::get(format!("{url}/api/v2/alerts"))
        .await
        .expect("alerts")
        .text()
        .await
        .expect("a body");
    let alerts: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    alerts
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["labels"]["alertname"] == name)
        .map(|a| a["startsAt"].as_str().expect("startsAt").to_string())
}

/// Alertmanager lists only active alerts; one that fires again after resolving is a new alert
/// from Prometheus with a new `startsAt` (tests/alertmanager.rs shows the real one doing so).
/// The simulator does the same: a re-fired alert never carries the earlier episode's start.
#[tokio::test(flavor = "multi_thread")]
async fn an_alert_that_fires_again_is_listed_with_a_new_starts_at() {
    let t0 = UnixTime(1_790_000_000);
    let (url, world) = serve_world_by_hand(t0);
    let mut tick = 0;
    let mut step_to = async |to: i64| {
        let from = tick;
        tick = to;
        world
            .call(move |w| {
                for k in from + 1..=to {
                    w.step(t0.plus(k));
                }
            })
            .await
            .expect("world alive");
    };
    // HighErrorRate fires for 50 of every 90 ticks, starting 3 minutes before the world did.
    let first = listed_start(&url, "HighErrorRate").await;
    assert_eq!(first, Some(t0.plus(-180).rfc3339()));
    assert_eq!(listed_start(&url, "ServiceHealthCheckFailed").await, None);
    step_to(50).await;
    assert_eq!(listed_start(&url, "HighErrorRate").await, None, "resolved");
    // An alert that first fires after the world started starts when it does.
    assert_eq!(
        listed_start(&url, "ServiceHealthCheckFailed").await,
        Some(t0.plus(50).rfc3339())
    );
    step_to(90).await;
    assert_eq!(
        listed_start(&url, "HighErrorRate").await,
        Some(t0.plus(90).rfc3339()),
        "fired again at tick 90, and starts there"
    );
    step_to(110).await;
    assert_eq!(
        listed_start(&url, "ServiceHealthCheckFailed").await,
        Some(t0.plus(110).rfc3339())
    );
}
