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

/// Most bytes the endless server sends before it gives up on a reader that never stops: far
/// more than any bounded reader takes (its 64 KiB plus the kernel's socket buffers).
const ENDLESS_CAP: usize = 64 << 20;

/// A server whose one answer is `200` and then an endless body (`{"status":"UP"}` followed by
/// filler), sent as fast as the client takes it. Returns the URL and how many bytes the server
/// could write before the client hung up (or the cap was reached).
async fn endless_server() -> (String, tokio::sync::oneshot::Receiver<usize>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    // A small send buffer, so that what the server could write is close to what was read.
    socket.set_send_buffer_size(64 * 1024).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(8).unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    let (done, sent) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
                    {\"status\":\"UP\"}";
        let mut total = 0;
        if socket.write_all(head.as_bytes()).await.is_ok() {
            let filler = vec![b'x'; 64 * 1024];
            while total < ENDLESS_CAP && socket.write_all(&filler).await.is_ok() {
                total += filler.len();
            }
        }
        let _ = done.send(total);
        // Past the cap, hold the connection open: the body never ends.
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    (url, sent)
}

#[tokio::test]
async fn an_endless_body_is_read_only_up_to_the_bound() {
    for expect_body in [Some("\"UP\""), None] {
        let (url, sent) = endless_server().await;
        let mut cfg = check("endless", url, 10_000);
        cfg.expect_body = expect_body.map(String::from);
        let result = once(&cfg).await;
        assert!(
            result.up,
            "the first 64 KiB are the answer ({expect_body:?}): {result:?}"
        );
        let sent = tokio::time::timeout(Duration::from_secs(10), sent)
            .await
            .expect("the server learns that the client hung up")
            .unwrap();
        assert!(
            sent < 16 << 20,
            "the server could send {sent} bytes ({expect_body:?}): the body was not bounded"
        );
    }
}

/// A server that answers `200` with a 1000-byte body and then sends it one byte every 50 ms.
async fn trickling_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..1000 {
            if socket.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    url
}

#[tokio::test]
async fn a_trickling_body_is_down_like_curl_max_time_judges_it() {
    for expect_body in [None, Some("x")] {
        let mut cfg = check("trickle", trickling_server().await, 500);
        cfg.expect_body = expect_body.map(String::from);
        let result = once(&cfg).await;
        assert!(!result.up, "{expect_body:?}: {result:?}");
        assert_eq!(result.status_code, Some(200));
        assert_eq!(
            result.last_error.as_deref(),
            Some("HTTP 200 but the body was not complete within 500ms")
        );
    }
}

#[tokio::test]
async fn a_check_whose_task_panics_is_restarted_and_marked_down_with_the_reason() {
    // A zero interval makes tokio's interval panic; the config refuses it, but any panic in the
    // task must end the same way: the check down with the reason, and the task started again.
    let base = server().await;
    let mut cfg = check("broken", format!("{base}/ok"), 1000);
    cfg.interval = Some(Duration::ZERO);
    let (tx, mut rx) = mpsc::channel(64);
    health::spawn(vec![cfg], Duration::from_secs(1), tx);
    let mut reasons = Vec::new();
    while reasons.len() < 2 {
        let report = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("the panicked check is reported, then restarted and reported again")
            .unwrap();
        if let Report::Health(results) = report.report {
            for r in results {
                assert!(!r.up, "{r:?}");
                reasons.push(r.last_error.unwrap_or_default());
            }
        }
    }
    assert!(
        reasons[0].starts_with("internal error: ")
            && reasons[0].contains("must be non-zero; restarting in 1s")
            && reasons[0].ends_with("restarting in 1s"),
        "{reasons:?}"
    );
    assert!(reasons[1].ends_with("restarting in 2s"), "{reasons:?}");
}
