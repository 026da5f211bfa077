//! Alertmanager API v2's JSON, as both sides see it: the adapter reads it, the simulator writes
//! it. Field names are Alertmanager's; conversions to and from the domain live here too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Alert, AlertState, Matcher, Severity, Silence, SilenceState, UnixTime};

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GettableAlert {
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    pub starts_at: String,
    pub fingerprint: String,
    pub status: AlertStatus,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertStatus {
    pub state: String,
    #[serde(default)]
    pub silenced_by: Vec<String>,
    #[serde(default)]
    pub inhibited_by: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireMatcher {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GettableSilence {
    pub id: String,
    pub matchers: Vec<WireMatcher>,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: SilenceStatus,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SilenceStatus {
    pub state: String,
}

/// The body of `POST /api/v2/silences`. With the `id` of an existing silence it updates
/// that one (in place when the matchers and, for an active one, the start are unchanged).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostableSilence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub matchers: Vec<WireMatcher>,
    pub starts_at: String,
    pub ends_at: String,
    pub created_by: String,
    pub comment: String,
}

impl From<WireMatcher> for Matcher {
    fn from(m: WireMatcher) -> Matcher {
        Matcher {
            name: m.name,
            value: m.value,
            is_regex: m.is_regex,
            is_equal: m.is_equal,
        }
    }
}

impl From<&Matcher> for WireMatcher {
    fn from(m: &Matcher) -> WireMatcher {
        WireMatcher {
            name: m.name.clone(),
            value: m.value.clone(),
            is_regex: m.is_regex,
            is_equal: m.is_equal,
        }
    }
}

pub fn alert_to_domain(source: &str, a: GettableAlert) -> Alert {
    let state = match a.status.state.as_str() {
        "suppressed" if !a.status.silenced_by.is_empty() => AlertState::Silenced,
        "suppressed" if !a.status.inhibited_by.is_empty() => AlertState::Inhibited,
        "suppressed" => AlertState::Silenced,
        _ => AlertState::Active,
    };
    let starts_at = UnixTime::parse_rfc3339(&a.starts_at).unwrap_or_else(UnixTime::now);
    let annotation = |key: &str| a.annotations.get(key).cloned().unwrap_or_default();
    Alert {
        fingerprint: a.fingerprint,
        source: source.to_string(),
        name: a.labels.get("alertname").cloned().unwrap_or_default(),
        severity: Severity::from_label(a.labels.get("severity").map(String::as_str)),
        state,
        starts_at,
        summary: annotation("summary"),
        description: annotation("description"),
        runbook: a
            .annotations
            .get("runbook_url")
            .or_else(|| a.annotations.get("runbook"))
            .cloned(),
        labels: a.labels.into_iter().collect(),
        silenced_by: a.status.silenced_by,
    }
}

/// The alert as Alertmanager would send it; `runbook` goes out as `runbook_url` when it is a
/// URL and as `runbook` otherwise.
pub fn alert_from_domain(a: &Alert) -> GettableAlert {
    let mut annotations = BTreeMap::new();
    annotations.insert("summary".to_string(), a.summary.clone());
    annotations.insert("description".to_string(), a.description.clone());
    if let Some(runbook) = &a.runbook {
        let key = if runbook.contains("://") {
            "runbook_url"
        } else {
            "runbook"
        };
        annotations.insert(key.to_string(), runbook.clone());
    }
    let state = match a.state {
        AlertState::Active => "active",
        AlertState::Silenced | AlertState::Inhibited => "suppressed",
    };
    GettableAlert {
        labels: a.labels.iter().cloned().collect(),
        annotations,
        starts_at: a.starts_at.rfc3339(),
        fingerprint: a.fingerprint.clone(),
        status: AlertStatus {
            state: state.into(),
            silenced_by: a.silenced_by.clone(),
            inhibited_by: Vec::new(),
        },
    }
}

pub fn silence_to_domain(source: &str, s: GettableSilence) -> Silence {
    Silence {
        id: s.id,
        source: source.to_string(),
        matchers: s.matchers.into_iter().map(Matcher::from).collect(),
        created_by: s.created_by,
        comment: s.comment,
        starts_at: UnixTime::parse_rfc3339(&s.starts_at).unwrap_or(UnixTime(0)),
        ends_at: UnixTime::parse_rfc3339(&s.ends_at).unwrap_or(UnixTime(0)),
        state: SilenceState::from_word(&s.status.state),
    }
}

pub fn silence_from_domain(s: &Silence) -> GettableSilence {
    GettableSilence {
        id: s.id.clone(),
        matchers: s.matchers.iter().map(WireMatcher::from).collect(),
        created_by: s.created_by.clone(),
        comment: s.comment.clone(),
        starts_at: s.starts_at.rfc3339(),
        ends_at: s.ends_at.rfc3339(),
        status: SilenceStatus {
            state: s.state.word().into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_alerts_map_to_domain_alerts() {
        let json = r#"[{"labels":{"alertname":"HighLatencyP95","severity":"warning","service":"pos-payment"},
            "annotations":{"summary":"p95 1.3s","runbook_url":"Section 3.2 - Performance Issues"},
            "startsAt":"2026-09-21T14:13:20.123Z","endsAt":"2026-09-21T15:13:20Z","fingerprint":"abc",
            "status":{"state":"suppressed","silencedBy":["s1"],"inhibitedBy":[]},"receivers":[{"name":"null"}],
            "updatedAt":"2026-09-21T14:13:20Z"}]"#;
        let alerts: Vec<GettableAlert> = serde_json::from_str(json).unwrap();
        let alert = alert_to_domain("eu", alerts.into_iter().next().unwrap());
        assert_eq!(alert.name, "HighLatencyP95");
        assert_eq!(alert.severity, Severity::Warning);
        assert_eq!(alert.state, AlertState::Silenced);
        assert_eq!(alert.starts_at, UnixTime(1_790_000_000));
        assert_eq!(
            alert.runbook.as_deref(),
            Some("Section 3.2 - Performance Issues")
        );
        assert_eq!(alert.label("service"), Some("pos-payment"));
        assert_eq!(alert.source, "eu");
    }

    #[test]
    fn alerts_and_silences_survive_the_round_trip_through_json() {
        let alert = Alert {
            fingerprint: "f1".into(),
            source: "demo".into(),
            name: "HighLatencyP95".into(),
            severity: Severity::Warning,
            state: AlertState::Silenced,
            starts_at: UnixTime(1_790_000_000),
            summary: "p95 1.3s".into(),
            description: "above 1 s".into(),
            runbook: Some("https://wiki/runbook.md#performance".into()),
            labels: vec![
                ("alertname".into(), "HighLatencyP95".into()),
                ("severity".into(), "warning".into()),
            ],
            silenced_by: vec!["s1".into()],
        };
        let json = serde_json::to_string(&alert_from_domain(&alert)).unwrap();
        assert!(json.contains("\"runbook_url\""), "{json}");
        let back = alert_to_domain("demo", serde_json::from_str(&json).unwrap());
        assert_eq!(back, alert);

        let silence = Silence {
            id: "s1".into(),
            source: "demo".into(),
            matchers: vec![
                Matcher::equal("alertname", "HighLatencyP95"),
                Matcher {
                    name: "pod".into(),
                    value: "pos-.*".into(),
                    is_regex: true,
                    is_equal: false,
                },
            ],
            created_by: "ana@bastion".into(),
            comment: "deploy in progress".into(),
            starts_at: UnixTime(1_790_000_000),
            ends_at: UnixTime(1_790_003_600),
            state: SilenceState::Active,
        };
        let json = serde_json::to_string(&silence_from_domain(&silence)).unwrap();
        let back = silence_to_domain("demo", serde_json::from_str(&json).unwrap());
        assert_eq!(back, silence);
        assert_eq!(
            back.matchers_text(),
            "alertname=HighLatencyP95, pod!~pos-.*"
        );
    }
}
