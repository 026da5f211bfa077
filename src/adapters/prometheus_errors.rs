//! `[logs] errors_query`: every workload's ERROR counts over 15 min and 24 h from Prometheus,
//! one instant query per `[logs] error_interval`, instead of reading pods' logs. The query is
//! the team's PromQL with `$window` where the range goes, e.g.
//! `sum by (namespace, deployment) (increase(log_messages_total{level="error"}[$window]))`;
//! both windows go in one request (each tagged with an `opsdeck_window` label). Each series
//! must carry `namespace` and the workload's name as `workload`, `deployment`, `statefulset` or
//! `daemonset`; series without them are not counted.

use std::time::Duration;

use serde::Deserialize;

use crate::domain::{QueriedErrors, Report, SourceId, SourceKind, SourceReport};

/// The label that tells the two windows apart in the answer.
const WINDOW_LABEL: &str = "opsdeck_window";
/// `[$window]` values, in the order of `log_errors::WINDOWS`.
const WINDOWS: [&str; 2] = ["15m", "24h"];
/// The labels that can name the workload, the first present wins.
const WORKLOAD_LABELS: [&str; 4] = ["workload", "deployment", "statefulset", "daemonset"];
const TIMEOUT: Duration = Duration::from_secs(10);

/// The one query asked per refresh: the template once per window, tagged and joined.
pub fn combined_query(template: &str) -> String {
    WINDOWS
        .iter()
        .map(|w| {
            format!(
                "label_replace(({}), \"{WINDOW_LABEL}\", \"{w}\", \"\", \"\")",
                template.replace("$window", w)
            )
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<AnswerData>,
}

#[derive(Deserialize)]
struct AnswerData {
    #[serde(rename = "resultType")]
    result_type: String,
    #[serde(default)]
    result: Vec<Series>,
}

#[derive(Deserialize)]
struct Series {
    metric: std::collections::HashMap<String, String>,
    value: (f64, String),
}

/// Every workload's counts in an instant query's answer to `combined_query`.
pub fn parse_counts(body: &str) -> Result<Vec<QueriedErrors>, String> {
    let answer: Answer =
        serde_json::from_str(body).map_err(|e| format!("unexpected answer: {e}"))?;
    if answer.status != "success" {
        return Err(answer.error.unwrap_or_else(|| "query failed".into()));
    }
    let data = answer.data.ok_or("an answer without data")?;
    if data.result_type != "vector" {
        return Err(format!(
            "errors_query gives a {}, not a vector of series per workload",
            data.result_type
        ));
    }
    let mut rows: Vec<QueriedErrors> = Vec::new();
    for series in data.result {
        let label = |name: &str| series.metric.get(name).filter(|v| !v.is_empty());
        let (Some(namespace), Some(workload), Some(window)) = (
            label("namespace"),
            WORKLOAD_LABELS.iter().find_map(|l| label(l)),
            label(WINDOW_LABEL).and_then(|w| WINDOWS.iter().position(|x| x == w)),
        ) else {
            continue;
        };
        // `increase` extrapolates: 2.9999 errors are 3; NaN or a negative figure is none.
        let Some(count) = series
            .value
            .1
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(|x| x.round().min(u32::MAX as f64) as u32)
        else {
            continue;
        };
        let row = match rows
            .iter_mut()
            .find(|r| &r.namespace == namespace && &r.workload == workload)
        {
            Some(row) => row,
            None => {
                rows.push(QueriedErrors {
                    namespace: namespace.clone(),
                    workload: workload.clone(),
                    counts: [None; 2],
                });
                rows.last_mut().expect("just pushed")
            }
        };
        // Several series for one workload (the query did not sum them): their sum.
        row.counts[window] = Some(row.counts[window].unwrap_or(0).saturating_add(count));
    }
    Ok(rows)
}

/// Asks `template` every `interval` and reports the counts as the Prometheus source.
pub fn spawn(
    base_url: String,
    template: String,
    interval: Duration,
    reports: tokio::sync::mpsc::Sender<SourceReport>,
) {
    let reporter = super::Reporter::new(
        SourceId::new(SourceKind::Prometheus, super::prometheus::SOURCE_NAME),
        reports,
    );
    tokio::spawn(async move {
        let Ok(client) = reqwest::Client::builder().timeout(TIMEOUT).build() else {
            return;
        };
        let base = base_url.trim_end_matches('/').to_string();
        let query = combined_query(&template);
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let answer = ask(&client, &base, &query).await;
            if let Err(why) = &answer {
                tracing::warn!(%why, "errors_query failed");
            }
            if !reporter.send(Report::QueriedLogErrors(answer)).await {
                return;
            }
        }
    });
}

async fn ask(
    client: &reqwest::Client,
    base: &str,
    query: &str,
) -> Result<Vec<QueriedErrors>, String> {
    let body = client
        .get(format!("{base}/api/v1/query"))
        .query(&[("query", query)])
        .send()
        .await
        .map_err(|e| format!("Prometheus unreachable: {e}"))?
        .text()
        .await
        .map_err(|e| format!("Prometheus unreachable: {e}"))?;
    parse_counts(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_windows_go_in_one_query() {
        let q = combined_query("sum by (namespace, deployment) (increase(x[$window]))");
        assert_eq!(
            q,
            "label_replace((sum by (namespace, deployment) (increase(x[15m]))), \"opsdeck_window\", \"15m\", \"\", \"\") \
             or label_replace((sum by (namespace, deployment) (increase(x[24h]))), \"opsdeck_window\", \"24h\", \"\", \"\")"
        );
    }

    #[test]
    fn series_become_workload_counts_by_their_labels() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"namespace":"pos","deployment":"pos-order","opsdeck_window":"15m"},"value":[1,"2.9999"]},
            {"metric":{"namespace":"pos","deployment":"pos-order","opsdeck_window":"24h"},"value":[1,"41"]},
            {"metric":{"namespace":"data","statefulset":"pg","opsdeck_window":"24h"},"value":[1,"7"]},
            {"metric":{"namespace":"pos","opsdeck_window":"15m"},"value":[1,"5"]},
            {"metric":{"namespace":"pos","workload":"w","opsdeck_window":"15m"},"value":[1,"NaN"]}
        ]}}"#;
        let rows = parse_counts(body).expect("counts");
        assert_eq!(
            rows,
            vec![
                QueriedErrors {
                    namespace: "pos".into(),
                    workload: "pos-order".into(),
                    counts: [Some(3), Some(41)],
                },
                QueriedErrors {
                    namespace: "data".into(),
                    workload: "pg".into(),
                    counts: [None, Some(7)],
                },
            ]
        );
        let bad = r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#;
        assert_eq!(parse_counts(bad), Err("parse error".into()));
        let scalar = r#"{"status":"success","data":{"resultType":"scalar","result":[1,"3"]}}"#;
        assert!(parse_counts(scalar).is_err());
    }
}
