//! The Redis adapter when things go wrong: a wrong password is a clear message without the
//! password; a stopped server is unreachable with the reason and recovers when it is back. Its
//! own server, since it is stopped.

mod servers;

use std::time::{Duration, Instant};

use opsdeck::adapters::redis;
use opsdeck::config::RedisConfig;
use opsdeck::domain::{Report, SourceReport};
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
    assert!(matches!(until(&mut rx, true).await, Report::Redis(_)));
    server.stop();
    match until(&mut rx, false).await {
        Report::Unreachable(reason) => assert!(!reason.is_empty()),
        other => panic!("{other:?}"),
    }
    server.start_again();
    match until(&mut rx, true).await {
        Report::Redis(info) => assert_eq!(info.name, "cache"),
        other => panic!("{other:?}"),
    }
}
