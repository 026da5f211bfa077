//! The Redis adapter when things go wrong: a wrong password is a clear message without the
//! password; a stopped server is unreachable with the reason and recovers when it is back. Its
//! own server, since it is stopped.

mod common;
mod servers;

use std::time::{Duration, Instant};

use opsdeck::adapters::redis;
use opsdeck::config::RedisConfig;
use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport, UnixTime};
use servers::Redis;
use tokio::sync::mpsc;

async fn until(rx: &mut mpsc::Receiver<SourceReport>, want_data: bool) -> Report {
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let report = tokio::time::timeout(left, rx.recv())
            .await
            .expect("a report in time")
            .expect("alive")
            .report;
        if matches!(report, Report::Redis(_)) == want_data {
            return report;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_a_restart() {
    let Some(server) = Redis::start(Some("right-pw")) else {
        return;
    };
    let url = |password: &str| format!("redis://:{password}@127.0.0.1:{}/", server.port);

    let (tx, mut rx) = mpsc::channel(16);
    redis::spawn(
        RedisConfig {
            name: "cache".into(),
            url: url("wrong-pw"),
            password_env: None,
        },
        Duration::from_millis(200),
        tx,
    );
    match until(&mut rx, false).await {
        Report::Unreachable(reason) => {
            assert!(reason.contains("authentication failed"), "{reason}");
            assert!(
                !reason.contains("wrong-pw"),
                "the password leaked: {reason}"
            );
        }
        other => panic!("{other:?}"),
    }

    // The password from an environment variable, as the config allows.
    // SAFETY: set before the adapter's task reads it; no other thread of this test reads it.
    unsafe { std::env::set_var("OPSDECK_TEST_REDIS_PW", "right-pw") };
    let (tx, mut rx) = mpsc::channel(64);
    let plain = format!("redis://127.0.0.1:{}/", server.port);
    redis::spawn(
        RedisConfig {
            name: "cache".into(),
            url: plain,
            password_env: Some("OPSDECK_TEST_REDIS_PW".into()),
        },
        Duration::from_millis(200),
        tx,
    );
    let live = until(&mut rx, true).await;
    assert!(matches!(live, Report::Redis(_)));
    // Into a cockpit, as the runtime applies them: live, then the server killed.
    let mut state = opsdeck::app::State::new(
        common::settings("default", "default", false),
        UnixTime::now(),
        (160, 20),
    );
    let cache = SourceId::new(SourceKind::Redis, "cache");
    state.estate.register_source(cache.clone(), 5);
    let apply = |state: &mut opsdeck::app::State, report| {
        opsdeck::app::update(
            state,
            opsdeck::app::Msg::Report(SourceReport {
                source: cache.clone(),
                at: UnixTime::now(),
                report,
            }),
        );
        state.panel = opsdeck::app::Panel::Databases;
        opsdeck::snapshot::to_text(&opsdeck::snapshot::render(state))
    };
    let text = apply(&mut state, live);
    let row = |text: &str| {
        text.lines()
            .find(|l| l.contains("cache") && l.contains("mem"))
            .unwrap_or_else(|| panic!("no cache row:\n{text}"))
            .to_string()
    };
    assert!(!row(&text).contains("unreachable"), "{text}");
    server.stop();
    let down = until(&mut rx, false).await;
    match &down {
        Report::Unreachable(reason) => assert!(!reason.is_empty()),
        other => panic!("{other:?}"),
    }
    let text = apply(&mut state, down);
    assert!(row(&text).contains("✖ unreachable"), "{text}");
    assert!(text.contains("5 Databases ✖"), "the tab is marked:\n{text}");
    server.start_again();
    match until(&mut rx, true).await {
        Report::Redis(info) => assert_eq!(info.name, "cache"),
        other => panic!("{other:?}"),
    }
}
