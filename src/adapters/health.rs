//! HTTP health checks, like the runbooks' `curl -f .../health` loop: each configured check runs
//! on its own interval in its own task, with its own timeout, at most `MAX_CONCURRENT` at once,
//! so a hung endpoint never delays the others. Every result is reported as it lands.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use crate::config::ServiceCheckConfig;
use crate::domain::{Report, ServiceHealth, SourceId, SourceKind, SourceReport, UnixTime};

/// Checks running at the same moment, whatever their number.
const MAX_CONCURRENT: usize = 16;

/// The source all health checks report as.
pub const SOURCE_NAME: &str = "checks";

/// Judges a response: the expected status (default any 2xx) and, if set, a body substring.
pub fn judge(cfg: &ServiceCheckConfig, status: u16, body: &str) -> Result<(), String> {
    let status_ok = match cfg.expect_status {
        Some(expected) => status == expected,
        None => (200..300).contains(&status),
    };
    if !status_ok {
        let expected = cfg
            .expect_status
            .map_or("2xx".to_string(), |s| s.to_string());
        return Err(format!("HTTP {status}, expected {expected}"));
    }
    match &cfg.expect_body {
        Some(needle) if !body.contains(needle.as_str()) => Err(format!("body lacks {needle:?}")),
        _ => Ok(()),
    }
}

/// The most of a body that is read: enough for any health answer, and a bound on the memory an
/// endless or huge body can take.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Runs one check once. Like `curl -f --max-time`, the check is done only when the whole answer
/// (its first `BODY_LIMIT` bytes, for a larger one) has arrived within the timeout: a body that
/// trickles is as down as one that never comes.
pub async fn check(client: &reqwest::Client, cfg: &ServiceCheckConfig) -> ServiceHealth {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + cfg.timeout;
    let within = humantime::format_duration(cfg.timeout);
    let (status_code, result) =
        match tokio::time::timeout_at(deadline, client.get(&cfg.url).send()).await {
            Err(_) => (None, Err(format!("no answer within {within}"))),
            Ok(Err(e)) => (None, Err(describe(&e))),
            Ok(Ok(response)) => {
                let status = response.status().as_u16();
                let verdict = match tokio::time::timeout_at(deadline, read_prefix(response)).await {
                    Err(_) => Err(format!(
                        "HTTP {status} but the body was not complete within {within}"
                    )),
                    Ok(Err(e)) => Err(format!(
                        "HTTP {status} but the body broke off: {}",
                        describe(&e)
                    )),
                    Ok(Ok(body)) => judge(cfg, status, &String::from_utf8_lossy(&body)),
                };
                (Some(status), verdict)
            }
        };
    ServiceHealth {
        service: cfg.name.clone(),
        url: cfg.url.clone(),
        up: result.is_ok(),
        status_code,
        latency_ms: started.elapsed().as_millis().min(u128::from(u32::MAX)) as u32,
        last_error: result.err(),
        checked_at: UnixTime::now(),
    }
}

/// Reads the body up to its end or `BODY_LIMIT` bytes, whichever comes first; the rest is never
/// read (the connection is dropped with the response).
async fn read_prefix(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while body.len() < BODY_LIMIT {
        match response.chunk().await? {
            Some(chunk) => {
                let room = BODY_LIMIT - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            None => break,
        }
    }
    Ok(body)
}

/// Connection errors in an operator's words (reqwest's own are nested).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_connect() {
        "cannot connect".to_string()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// Starts every check; results go into the cockpit as they come.
pub fn spawn(
    checks: Vec<ServiceCheckConfig>,
    default_interval: Duration,
    reports: mpsc::Sender<SourceReport>,
) {
    if checks.is_empty() {
        return;
    }
    let client = match reqwest::Client::builder()
        .user_agent(concat!("opsdeck/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            let reporter =
                super::Reporter::new(SourceId::new(SourceKind::Health, SOURCE_NAME), reports);
            tokio::spawn(async move {
                reporter
                    .send(Report::Unreachable(format!("cannot set up HTTP: {e}")))
                    .await
            });
            return;
        }
    };
    let limit = Arc::new(Semaphore::new(MAX_CONCURRENT));
    let reporter = super::Reporter::new(SourceId::new(SourceKind::Health, SOURCE_NAME), reports);
    for cfg in checks {
        let interval = cfg.interval.unwrap_or(default_interval);
        let (name, url) = (cfg.name.clone(), cfg.url.clone());
        let task_reporter = reporter.clone();
        let (client, limit) = (client.clone(), limit.clone());
        // A panicked check is shown down with the reason, then started again.
        super::supervise::supervise(
            reporter.clone(),
            move || {
                let (client, limit, reporter, cfg) = (
                    client.clone(),
                    limit.clone(),
                    task_reporter.clone(),
                    cfg.clone(),
                );
                async move {
                    let mut ticker = tokio::time::interval(interval);
                    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        ticker.tick().await;
                        let Ok(_permit) = limit.acquire().await else {
                            return;
                        };
                        let result = check(&client, &cfg).await;
                        if !reporter.send(Report::Health(vec![result])).await {
                            return;
                        }
                    }
                }
            },
            move |reason| {
                Report::Health(vec![ServiceHealth {
                    service: name.clone(),
                    url: url.clone(),
                    up: false,
                    status_code: None,
                    latency_ms: 0,
                    last_error: Some(reason),
                    checked_at: UnixTime::now(),
                }])
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(expect_status: Option<u16>, expect_body: Option<&str>) -> ServiceCheckConfig {
        ServiceCheckConfig {
            name: "svc".into(),
            url: "http://x/health".into(),
            expect_status,
            expect_body: expect_body.map(String::from),
            timeout: Duration::from_secs(1),
            interval: None,
        }
    }

    #[test]
    fn status_and_body_are_judged_like_curl_dash_f_and_grep() {
        assert!(judge(&cfg(None, None), 204, "").is_ok());
        assert_eq!(
            judge(&cfg(None, None), 500, ""),
            Err("HTTP 500, expected 2xx".into())
        );
        assert_eq!(
            judge(&cfg(Some(200), None), 204, ""),
            Err("HTTP 204, expected 200".into())
        );
        assert!(judge(&cfg(None, Some("UP")), 200, "{\"status\":\"UP\"}").is_ok());
        assert_eq!(
            judge(&cfg(None, Some("UP")), 200, "{\"status\":\"DOWN\"}"),
            Err("body lacks \"UP\"".into())
        );
    }
}
