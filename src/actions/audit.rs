//! The audit log: an append-only JSON Lines file. Every action writes an intent record, flushed
//! to disk before anything is done, and an outcome record after. A cockpit killed in between
//! leaves the intent behind, so the record shows that something may have happened.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Action, ActionKind, Risk};
use crate::domain::UnixTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Intent,
    Outcome,
}

/// One line of the audit file. Holds no secrets: actions carry names, numbers and the
/// operator's own words, never credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// RFC 3339, UTC.
    pub time: String,
    /// Shared by an action's intent and outcome.
    pub id: String,
    pub phase: Phase,
    pub operator: String,
    pub context: String,
    pub action: String,
    pub target: String,
    pub risk: Risk,
    /// The parameters, as the executor received them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<ActionKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    /// How the operator confirmed: "button", or "typed name".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    /// The reason the operator gave (a guardrail asked for it), in intent records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The guardrail that applied (`guardrail 2 (line 14)`), in intent records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrail: Option<String>,
    /// The second operator who approved it (a two-person rule), and the war room's request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// "ok" or "error", in outcome records.
    /// "ok", "error", "cancelled" or "abandoned", in outcome records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// What the dialog knew when the operator confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    pub id: String,
    pub operator: String,
    pub action: Action,
    pub change: String,
    pub cli: String,
    pub confirmed_by: String,
    /// What the guardrails are judged on: the reason given, the replicas a scale starts from.
    pub guard: super::guardrails::GuardFacts,
}

impl AuditRecord {
    pub fn intent(intent: &Intent, at: UnixTime) -> Self {
        AuditRecord {
            time: at.rfc3339(),
            id: intent.id.clone(),
            phase: Phase::Intent,
            operator: intent.operator.clone(),
            context: intent.action.context.clone(),
            action: intent.action.kind.name().into(),
            target: intent.action.target.key(),
            risk: intent.action.risk(),
            params: Some(intent.action.kind.clone()),
            change: Some(intent.change.clone()),
            cli: Some(
                intent
                    .action
                    .audited_cli()
                    .unwrap_or_else(|| intent.cli.clone()),
            ),
            confirmed_by: Some(intent.confirmed_by.clone()),
            reason: intent.guard.reason.clone(),
            guardrail: None,
            approved_by: intent.guard.approval.as_ref().map(|a| a.by.clone()),
            request: intent.guard.approval.as_ref().map(|a| a.request),
            result: None,
            message: None,
            duration_ms: None,
        }
        .redacted()
    }

    pub fn outcome(
        intent: &Intent,
        at: UnixTime,
        result: &Result<String, String>,
        duration_ms: u64,
    ) -> Self {
        let (result, message) = match result {
            Ok(m) => ("ok", m.clone()),
            Err(e) => ("error", e.clone()),
        };
        AuditRecord {
            phase: Phase::Outcome,
            time: at.rfc3339(),
            params: None,
            change: None,
            cli: None,
            confirmed_by: None,
            reason: None,
            guardrail: None,
            result: Some(result.into()),
            message: Some(message),
            duration_ms: Some(duration_ms),
            ..AuditRecord::intent(intent, at)
        }
        .redacted()
    }

    /// The outcome of an action still running when opsdeck quit: what is known of it (how long
    /// it had run, its last progress), its result `abandoned`.
    pub fn abandoned(intent: &Intent, at: UnixTime, known: String, duration_ms: u64) -> Self {
        AuditRecord {
            result: Some(ABANDONED.into()),
            ..AuditRecord::outcome(intent, at, &Err(known), duration_ms)
        }
    }

    /// The record with no secret of a URL in any field (an error message from a backend can
    /// name the URL it failed on, password included): the same function as everywhere, over
    /// the record's JSON, so no field is forgotten.
    pub fn redacted(self) -> Self {
        let Ok(json) = serde_json::to_string(&self) else {
            return self;
        };
        match crate::domain::redact::urls(&json) {
            std::borrow::Cow::Borrowed(_) => self,
            std::borrow::Cow::Owned(clean) => serde_json::from_str(&clean).unwrap_or(self),
        }
    }
}

/// The result of an outcome record written for an action opsdeck quit in the middle of.
pub const ABANDONED: &str = "abandoned";

/// The outcome record's result for an action the operator cancelled while it ran.
pub const CANCELLED: &str = "cancelled";

/// Intents with no outcome record: actions whose cockpit was killed (or is still running them
/// in another cockpit writing the same file). Oldest first.
pub fn without_outcome(records: &[AuditRecord]) -> Vec<&AuditRecord> {
    let finished: std::collections::HashSet<&str> = records
        .iter()
        .filter(|r| r.phase == Phase::Outcome)
        .map(|r| r.id.as_str())
        .collect();
    records
        .iter()
        .filter(|r| r.phase == Phase::Intent && !finished.contains(r.id.as_str()))
        .collect()
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        AuditLog { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record and waits until it is on disk. Blocking: call it from a blocking
    /// task, never from the UI loop.
    pub fn append(&self, record: &AuditRecord) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Every record, oldest first. Lines that do not parse (a torn last line after a crash)
    /// are counted, not fatal.
    pub fn read(&self) -> std::io::Result<(Vec<AuditRecord>, usize)> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(e) => return Err(e),
        };
        let mut bad = 0;
        let records = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str(l).map_err(|_| bad += 1).ok())
            .collect();
        Ok((records, bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{Target, WorkloadKindName};

    fn intent() -> Intent {
        Intent {
            id: "1790000000-1".into(),
            operator: "alice@bastion".into(),
            action: Action {
                kind: ActionKind::Scale { replicas: 5 },
                target: Target::Workload {
                    namespace: "pos".into(),
                    kind: WorkloadKindName::Deployment,
                    name: "pos-order".into(),
                },
                context: "demo".into(),
            },
            change: "replicas 3 → 5".into(),
            cli: "kubectl -n pos scale deployment/pos-order --replicas=5".into(),
            confirmed_by: "button".into(),
            guard: Default::default(),
        }
    }

    #[test]
    fn intent_and_outcome_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("state/audit.jsonl"));
        let i = intent();
        log.append(&AuditRecord::intent(&i, UnixTime(1_790_000_000)))
            .unwrap();
        log.append(&AuditRecord::outcome(
            &i,
            UnixTime(1_790_000_002),
            &Err("boom".into()),
            2000,
        ))
        .unwrap();
        let (records, bad) = log.read().unwrap();
        assert_eq!(bad, 0);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].phase, Phase::Intent);
        assert_eq!(records[0].time, "2026-09-21T14:13:20Z");
        assert_eq!(records[0].params, Some(ActionKind::Scale { replicas: 5 }));
        assert_eq!(records[1].phase, Phase::Outcome);
        assert_eq!(records[1].result.as_deref(), Some("error"));
        assert_eq!(records[1].message.as_deref(), Some("boom"));
        assert_eq!(records[1].id, records[0].id);
    }

    #[test]
    fn no_secret_of_a_url_is_audited() {
        let mut i = intent();
        i.cli = "velero backup create --url https://admin:s3cret@minio:9000".into();
        let failed = Err("error sending request for url (http://u:s3cret@h/x?token=t0k)".into());
        let intent = AuditRecord::intent(&i, UnixTime(0));
        let outcome = AuditRecord::outcome(&i, UnixTime(1), &failed, 5);
        assert_eq!(
            intent.cli.as_deref(),
            Some("velero backup create --url https://***@minio:9000")
        );
        assert_eq!(
            outcome.message.as_deref(),
            Some("error sending request for url (http://***@h/x?token=***)")
        );
        for record in [intent, outcome] {
            let line = serde_json::to_string(&record).unwrap();
            assert!(!line.contains("s3cret") && !line.contains("t0k"), "{line}");
        }
    }

    #[test]
    fn intents_without_an_outcome_are_found_and_abandoned_ones_are_not() {
        let mut a = intent();
        a.id = "1-a".into();
        let mut b = intent();
        b.id = "1-b".into();
        let mut c = intent();
        c.id = "1-c".into();
        let records = vec![
            AuditRecord::intent(&a, UnixTime(0)),
            AuditRecord::intent(&b, UnixTime(1)),
            AuditRecord::intent(&c, UnixTime(2)),
            AuditRecord::outcome(&a, UnixTime(3), &Ok("done".into()), 10),
            AuditRecord::abandoned(&c, UnixTime(4), "opsdeck quit".into(), 20),
        ];
        let open: Vec<&str> = without_outcome(&records)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(open, ["1-b"]);
        assert_eq!(records[4].result.as_deref(), Some("abandoned"));
        assert_eq!(records[4].message.as_deref(), Some("opsdeck quit"));
    }

    #[test]
    fn a_torn_last_line_is_counted_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("audit.jsonl"));
        log.append(&AuditRecord::intent(&intent(), UnixTime(0)))
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"time\":\"20")
            .unwrap();
        let (records, bad) = log.read().unwrap();
        assert_eq!((records.len(), bad), (1, 1));
    }
}
