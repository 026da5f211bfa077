//! HTTP health checks against a local HTTP server that answers 200, 500, slowly, and not at
//! all; a hung endpoint never delays the others.

use std::time::{Duration, Instant};

use opsdeck::adapters::health;
use opsdeck::config::ServiceCheckConfig;
use opsdeck::domain::{Report, ServiceHealth};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A small HTTP/1.1 server: `/ok` 200, `/fail` 500, `/slow` 200 after 1.5 s, `/hang` never
/// answers (the connection stays open). Returns its base URL.
async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, body) = match path.as_str() {
                    "/ok" => ("200 OK", "{\"status\":\"UP\"}"),
                    "/fail" => ("500 Internal Server Error", "{\"status\":\"DOWN\"}"),
                    "/slow" => {
                        tokio::time::sleep(Duration::from_millis(1500)).await;
                        ("200 OK", "{\"status\":\"UP\"}")
                    }
                    "/hang" => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                    _ => ("404 Not Found", ""),
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    base
}

fn check(name: &str, url: String, timeout_ms: u64) -> ServiceCheckConfig {
    ServiceCheckConfig {
        name: name.into(),
        url,
        expect_status: None,
        expect_body: None,
        timeout: Duration::from_millis(timeout_ms),
        interval: Some(Duration::from_millis(300)),
    }
}

async fn once(cfg: &ServiceCheckConfig) -> ServiceHealth {
    health::check(&reqwest::Client::new(), cfg).await
}

#[tokio::test]
async fn answers_failures_slowness_and_silence_are_told_apart() {
    let base = server().await;
    let ok = once(&check("ok", format!("{base}/ok"), 2000)).await;
    assert!(
        ok.up && ok.status_code == Some(200) && ok.last_error.is_none(),
        "{ok:?}"
    );

    let mut with_body = check("ok-body", format!("{base}/ok"), 2000);
    with_body.expect_body = Some("\"UP\"".into());
    assert!(once(&with_body).await.up);

    let fail = once(&check("fail", format!("{base}/fail"), 2000)).await;
    assert!(!fail.up);
    assert_eq!(fail.status_code, Some(500));
    assert_eq!(fail.last_error.as_deref(), Some("HTTP 500, expected 2xx"));

    let slow = once(&check("slow", format!("{base}/slow"), 5000)).await;
    assert!(slow.up, "{slow:?}");
    assert!(slow.latency_ms >= 1400, "latency {} ms", slow.latency_ms);

    let too_slow = once(&check("too-slow", format!("{base}/slow"), 500)).await;
    assert!(!too_slow.up);
    assert_eq!(
        too_slow.last_error.as_deref(),
        Some("no answer within 500ms")
    );

    let hung = once(&check("hung", format!("{base}/hang"), 700)).await;
    assert!(!hung.up && hung.status_code.is_none());
    assert!(
        hung.latency_ms >= 650 && hung.latency_ms < 2000,
        "{}",
        hung.latency_ms
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = once(&check(
        "refused",
        format!("http://127.0.0.1:{port}/health"),
        2000,
    ))
    .await;
    assert!(!refused.up);
    assert!(
        refused
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("cannot connect"),
        "{:?}",
        refused.last_error
    );
}

#[tokio::test]
async fn a_hung_endpoint_never_delays_the_others() {
    let base = server().await;
    let checks = vec![
        check("hung", format!("{base}/hang"), 5000),
        check("ok", format!("{base}/ok"), 5000),
        check("fail", format!("{base}/fail"), 5000),
    ];
    let (tx, mut rx) = mpsc::channel(64);
    let started = Instant::now();
    health::spawn(checks, Duration::from_secs(1), tx);
    let mut seen = std::collections::BTreeMap::new();
    while seen.len() < 2 {
        let report = tokio::time::timeout(Duration::from_secs(3), rx.recv())
            .await
            .expect("results while one check hangs")
            .unwrap();
        if let Report::Health(results) = report.report {
            for r in results {
                seen.insert(r.service.clone(), r.up);
            }
        }
    }
    assert_eq!(seen.get("ok"), Some(&true));
    assert_eq!(seen.get("fail"), Some(&false));
    assert!(
        !seen.contains_key("hung"),
        "the hung check has not timed out yet"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
