//! The Redis adapter against a real redis-server: figures checked against the server's own INFO
//! after loading it with clients, hits, misses, memory and slow commands.

mod servers;

use std::time::{Duration, Instant};

use opsdeck::adapters::redis;
use opsdeck::config::RedisConfig;
use opsdeck::domain::{RedisInfo, Report};
use servers::Redis;
use tokio::sync::mpsc;

fn info_field(info: &str, key: &str) -> u64 {
    info.lines()
        .filter_map(|l| l.trim_end().split_once(':'))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in INFO"))
}

#[tokio::test(flavor = "multi_thread")]
async fn figures_match_info_under_load() {
    let Some(server) = Redis::shared() else {
        return;
    };
    let client = ::redis::Client::open(server.url()).unwrap();
    let mut con = client.get_multiplexed_async_connection().await.unwrap();
    // Every command is slow enough for the slowlog from now on.
    let _: () = ::redis::cmd("CONFIG")
        .arg("SET")
        .arg("slowlog-log-slower-than")
        .arg(0)
        .query_async(&mut con)
        .await
        .unwrap();
    let value = "x".repeat(64 * 1024);
    for i in 0..100 {
        let _: () = ::redis::cmd("SET")
            .arg(format!("figures:{i}"))
            .arg(&value)
            .query_async(&mut con)
            .await
            .unwrap();
    }
    for i in 0..150 {
        let _: Option<String> = ::redis::cmd("GET")
            .arg(format!("figures:{}", i % 200))
            .query_async(&mut con)
            .await
            .unwrap();
    }
    // Extra clients, held open.
    let mut others = Vec::new();
    for _ in 0..8 {
        others.push(client.get_multiplexed_async_connection().await.unwrap());
    }

    let (tx, mut rx) = mpsc::channel(16);
    redis::spawn(
        RedisConfig {
            name: "cache".into(),
            url: server.url(),
            password_env: None,
        },
        Duration::from_millis(200),
        tx,
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let reported: RedisInfo = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv())
            .await
            .expect("a report in time")
            .expect("alive")
            .report
        {
            Report::Redis(info)
                if info
                    .slowlog
                    .iter()
                    .any(|e| e.command.starts_with("GET figures:")) =>
            {
                break info;
            }
            Report::Redis(_) => {}
            other => panic!("{other:?}"),
        }
    };
    let info: String = ::redis::cmd("INFO").query_async(&mut con).await.unwrap();

    assert_eq!(reported.name, "cache");
    assert_eq!(reported.role, "master");
    assert_eq!(reported.maxmemory, 64 * 1024 * 1024);
    assert_eq!(reported.maxmemory, info_field(&info, "maxmemory"));
    let used = info_field(&info, "used_memory") as f64;
    assert!(
        (reported.used_memory as f64 - used).abs() / used < 0.1,
        "used {} vs INFO {used}",
        reported.used_memory
    );
    assert!(
        reported.used_memory > 100 * 64 * 1024,
        "the 6.4 MB written are counted"
    );
    let ratio = reported.memory_ratio().unwrap();
    assert!(ratio > 0.09 && ratio < 0.5, "{ratio}");
    // Ours plus the adapter's: at least 10 (other tests may add theirs).
    assert!(
        reported.connected_clients >= 10,
        "{}",
        reported.connected_clients
    );
    assert!(reported.connected_clients as u64 <= info_field(&info, "connected_clients") + 2);
    assert!(
        reported.keyspace_hits >= 100 && reported.keyspace_misses >= 50,
        "{} / {}",
        reported.keyspace_hits,
        reported.keyspace_misses
    );
    assert!(reported.keyspace_hits <= info_field(&info, "keyspace_hits"));
    assert_eq!(
        reported.blocked_clients as u64,
        info_field(&info, "blocked_clients")
    );
    assert!(reported.uptime_secs <= info_field(&info, "uptime_in_seconds"));
    assert!(reported.repl_offset <= info_field(&info, "master_repl_offset"));
    assert!(reported.ping_ms > 0.0 && reported.ping_ms < 1000.0);
    assert!(reported.slowlog.len() <= 10 && !reported.slowlog.is_empty());
    assert!(
        reported.slowlog.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    drop(others);
}
