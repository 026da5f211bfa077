//! Prometheus: each refresh, every configured KPI query is run as an instant query; the numbers
//! fill the Services panel's P95 and ERRORS columns, judged by each service's thresholds. A
//! query that fails or returns nothing is "n/a" for that figure; Prometheus itself unreachable
//! marks the source so.

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

pub fn spawn(
    cfg: PrometheusConfig,
    refresh: Duration,
    reports: tokio::sync::mpsc::Sender<crate::domain::SourceReport>,
) {
    tokio::spawn(async move {
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
        let mut ticker = tokio::time::interval(refresh);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let mut all = Vec::with_capacity(cfg.kpis.len());
            let mut unreachable = None;
            for kpi in &cfg.kpis {
                match kpis(&client, &base, kpi).await {
                    Ok(k) => all.push(k),
                    Err(reason) => {
                        unreachable = Some(reason);
                        break;
                    }
                }
            }
            let report = match unreachable {
                Some(reason) => Report::Unreachable(reason),
                None => Report::Kpis(all),
            };
            if !reporter.send(report).await {
                return;
            }
        }
    });
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
}
