//! Prometheus: each refresh, every configured KPI query is run as an instant query; the numbers
//! fill the Services panel's P95 and ERRORS columns, judged by each service's thresholds. A
//! query that fails or returns nothing is "n/a" for that figure; Prometheus itself unreachable
//! marks the source so. Without KPIs, each refresh probes it with `vector(1)`.

use std::collections::HashMap;
use std::time::Duration;

use crate::config::{KpiConfig, PrometheusConfig};
use crate::domain::level::Thresholds;
use crate::domain::{Report, ServiceKpis, SourceId, SourceKind};

const QUERY_TIMEOUT: Duration = Duration::from_secs(5);

/// The source the KPIs report as.
pub const SOURCE_NAME: &str = "prometheus";

/// The number in an instant query's answer: a scalar, or a vector's first sample.
pub fn parse_value(body: &str) -> Result<Option<f64>, String> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("unexpected answer: {e}"))?;
    if v["status"] != "success" {
        return Err(v["error"].as_str().unwrap_or("query failed").to_string());
    }
    let sample = match v["data"]["resultType"].as_str() {
        Some("scalar") => v["data"]["result"].get(1).cloned(),
        Some("vector") => v["data"]["result"]
            .get(0)
            .and_then(|r| r["value"].get(1))
            .cloned(),
        _ => None,
    };
    Ok(sample
        .and_then(|s| s.as_str().and_then(|s| s.parse::<f64>().ok()))
        .filter(|x| x.is_finite()))
}

/// A range query's first series laid on `points` evenly spaced slots from `start` to `end`
/// (seconds): `None` where Prometheus had no sample.
pub fn parse_range(
    body: &str,
    start: f64,
    step: f64,
    points: usize,
) -> Result<Vec<Option<f64>>, String> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("unexpected answer: {e}"))?;
    if v["status"] != "success" {
        return Err(v["error"].as_str().unwrap_or("query failed").to_string());
    }
    let mut out = vec![None; points];
    let values = v["data"]["result"]
        .get(0)
        .and_then(|r| r["values"].as_array())
        .cloned()
        .unwrap_or_default();
    for pair in values {
        let (Some(t), Some(x)) = (
            pair.get(0).and_then(serde_json::Value::as_f64),
            pair.get(1)
                .and_then(|x| x.as_str())
                .and_then(|x| x.parse::<f64>().ok())
                .filter(|x| x.is_finite()),
        ) else {
            continue;
        };
        let slot = ((t - start) / step).round();
        if slot >= 0.0 && (slot as usize) < points {
            out[slot as usize] = Some(x);
        }
    }
    Ok(out)
}

/// How many points a sparkline has.
const HISTORY_POINTS: usize = 60;

/// The p95 history of one service, fetched again once a step has passed.
struct History {
    fetched: std::time::Instant,
    values: Vec<Option<f64>>,
}

async fn p95_history(
    client: &reqwest::Client,
    base: &str,
    promql: &str,
    span: Duration,
) -> Result<Vec<Option<f64>>, Failure> {
    let step = (span.as_secs_f64() / (HISTORY_POINTS - 1) as f64).max(1.0);
    let end = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64().floor());
    let start = end - step * (HISTORY_POINTS - 1) as f64;
    let response = client
        .get(format!("{base}/api/v1/query_range"))
        .query(&[
            ("query", promql.to_string()),
            ("start", format!("{start}")),
            ("end", format!("{end}")),
            ("step", format!("{step}")),
        ])
        .send()
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    let body = response
        .text()
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    parse_range(&body, start, step, HISTORY_POINTS).map_err(Failure::Query)
}

enum Failure {
    /// Prometheus could not be reached at all.
    Unreachable(String),
    /// The query itself failed.
    Query(String),
}

async fn query(client: &reqwest::Client, base: &str, promql: &str) -> Result<Option<f64>, Failure> {
    let response = client
        .get(format!("{base}/api/v1/query"))
        .query(&[("query", promql)])
        .send()
        .await
        .map_err(|e| {
            Failure::Unreachable(if e.is_connect() {
                "cannot connect".into()
            } else {
                e.to_string()
            })
        })?;
    let body = response
        .text()
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    parse_value(&body).map_err(Failure::Query)
}

/// One instant query, on its own (a checklist's step): the number, nothing, or why not.
pub async fn instant(base: &str, promql: &str) -> Result<Option<f64>, String> {
    let client = reqwest::Client::builder()
        .timeout(QUERY_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot set up HTTP: {e}"))?;
    query(&client, base.trim_end_matches('/'), promql)
        .await
        .map_err(|f| match f {
            Failure::Unreachable(why) => format!("Prometheus unreachable: {why}"),
            Failure::Query(why) => why,
        })
}

/// Whether Prometheus answers a query at all (`vector(1)`): what a source without KPIs reports.
async fn probe(client: &reqwest::Client, base: &str) -> Result<(), String> {
    match query(client, base, "vector(1)").await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err("the probe `vector(1)` came back empty: is this Prometheus?".into()),
        Err(Failure::Unreachable(reason)) => Err(reason),
        Err(Failure::Query(reason)) => Err(format!("the probe `vector(1)` failed: {reason}")),
    }
}

async fn kpis(
    client: &reqwest::Client,
    base: &str,
    kpi: &KpiConfig,
) -> Result<ServiceKpis, String> {
    let mut out = ServiceKpis::new(&kpi.service);
    out.p95_thresholds = Thresholds::new(kpi.p95_warn_ms, kpi.p95_crit_ms);
    out.error_thresholds = Thresholds::new(kpi.error_warn, kpi.error_crit);
    for (promql, slot) in [
        (&kpi.p95_ms, &mut out.p95_ms),
        (&kpi.error_rate, &mut out.error_rate),
        (&kpi.requests_per_s, &mut out.requests_per_s),
    ] {
        let Some(promql) = promql else { continue };
        *slot = match query(client, base, promql).await {
            Ok(value) => value,
            Err(Failure::Unreachable(reason)) => return Err(reason),
            Err(Failure::Query(reason)) => {
                tracing::warn!(service = %kpi.service, %reason, "KPI query failed");
                None
            }
        };
    }
    Ok(out)
}

/// The service's p95 history: the last one while it is younger than a step, else fetched anew.
/// A failed range query leaves the sparkline empty; the instant figures still show.
async fn refresh_history(
    client: &reqwest::Client,
    base: &str,
    kpi: &KpiConfig,
    cfg: &PrometheusConfig,
    histories: &mut HashMap<String, History>,
) -> Vec<Option<f64>> {
    let Some(promql) = &kpi.p95_ms else {
        return Vec::new();
    };
    let step = cfg.history / (HISTORY_POINTS as u32 - 1);
    if let Some(h) = histories.get(&kpi.service)
        && h.fetched.elapsed() < step
    {
        return h.values.clone();
    }
    match p95_history(client, base, promql, cfg.history).await {
        Ok(values) => {
            histories.insert(
                kpi.service.clone(),
                History {
                    fetched: std::time::Instant::now(),
                    values: values.clone(),
                },
            );
            values
        }
        Err(Failure::Query(reason) | Failure::Unreachable(reason)) => {
            tracing::warn!(service = %kpi.service, %reason, "p95 range query failed");
            Vec::new()
        }
    }
}

pub fn spawn(
    cfg: PrometheusConfig,
    refresh: Duration,
    reports: tokio::sync::mpsc::Sender<crate::domain::SourceReport>,
) {
    let reporter = super::Reporter::new(
        SourceId::new(SourceKind::Prometheus, SOURCE_NAME),
        reports.clone(),
    );
    super::supervise::supervise(
        reporter,
        move || poll_forever(cfg.clone(), refresh, reports.clone()),
        super::supervise::unreachable,
    );
}

async fn poll_forever(
    cfg: PrometheusConfig,
    refresh: Duration,
    reports: tokio::sync::mpsc::Sender<crate::domain::SourceReport>,
) {
    {
        let reporter =
            super::Reporter::new(SourceId::new(SourceKind::Prometheus, SOURCE_NAME), reports);
        let client = match reqwest::Client::builder().timeout(QUERY_TIMEOUT).build() {
            Ok(c) => c,
            Err(e) => {
                reporter
                    .send(Report::Unreachable(format!("cannot set up HTTP: {e}")))
                    .await;
                return;
            }
        };
        let base = cfg.url.trim_end_matches('/').to_string();
        let mut histories: HashMap<String, History> = HashMap::new();
        let mut ticker = tokio::time::interval(refresh);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let mut all = Vec::with_capacity(cfg.kpis.len());
            let mut unreachable = None;
            for kpi in &cfg.kpis {
                match kpis(&client, &base, kpi).await {
                    Ok(mut k) => {
                        k.history_secs = cfg.history.as_secs();
                        k.p95_history =
                            refresh_history(&client, &base, kpi, &cfg, &mut histories).await;
                        all.push(k);
                    }
                    Err(reason) => {
                        unreachable = Some(reason);
                        break;
                    }
                }
            }
            // Without KPIs nothing above asked the server: ask it something, so that an
            // unreachable Prometheus is not shown as live.
            if cfg.kpis.is_empty() {
                unreachable = probe(&client, &base).await.err();
            }
            let report = match unreachable {
                Some(reason) => Report::Unreachable(reason),
                None if cfg.kpis.is_empty() => Report::Alive,
                None => Report::Kpis(all),
            };
            if !reporter.send(report).await {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instant_query_answers_give_one_number_or_none() {
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1790000000.1,"1500"]}]}}"#;
        assert_eq!(parse_value(vector), Ok(Some(1500.0)));
        let scalar =
            r#"{"status":"success","data":{"resultType":"scalar","result":[1790000000.1,"0.06"]}}"#;
        assert_eq!(parse_value(scalar), Ok(Some(0.06)));
        let empty = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert_eq!(parse_value(empty), Ok(None));
        let nan = r#"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#;
        assert_eq!(parse_value(nan), Ok(None));
        let error = r#"{"status":"error","errorType":"bad_data","error":"parse error at char 3"}"#;
        assert_eq!(parse_value(error), Err("parse error at char 3".into()));
    }

    #[test]
    fn range_answers_fill_their_slots_and_leave_gaps() {
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},
            "values":[[1000,"1"],[1020,"3"],[1030,"NaN"],[1040,"5"],[2000,"9"]]}]}}"#;
        assert_eq!(
            parse_range(matrix, 1000.0, 10.0, 5),
            Ok(vec![Some(1.0), None, Some(3.0), None, Some(5.0)])
        );
        let empty = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert_eq!(parse_range(empty, 0.0, 1.0, 3), Ok(vec![None, None, None]));
    }
}
