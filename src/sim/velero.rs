//! Velero in the simulated cluster: the world's `velero` backup sets as `velero.io/v1` Backup
//! objects in namespace `velero` (one schedule per set, named by the set's location), and new
//! Backups created through the API, which run for a few seconds and then complete.

use serde_json::{Value, json};

use super::kubeapi::writes::ApiError;
use super::world::World;
use crate::domain::{BackupItem, BackupSet, Report, SourceKind, SourceReport, UnixTime};

/// Where Velero keeps its objects.
pub const NAMESPACE: &str = "velero";
/// The label naming the schedule a backup came from.
pub const SCHEDULE_LABEL: &str = "velero.io/schedule-name";
/// How long a simulated backup runs.
const RUNS_SECS: i64 = 3;

/// The schedule a velero set stands for: its location's last part (`velero/daily-cluster`).
fn schedule(set: &BackupSet) -> &str {
    set.location.rsplit('/').next().unwrap_or(&set.name)
}

fn phase(item: &BackupItem, now: UnixTime) -> &'static str {
    if now.0 - item.created.0 < RUNS_SECS {
        "InProgress"
    } else {
        "Completed"
    }
}

fn render(set: &BackupSet, item: &BackupItem, now: UnixTime) -> Value {
    let phase = phase(item, now);
    let started = item.created.rfc3339();
    let mut status = json!({
        "phase": phase,
        "startTimestamp": started,
        "expiration": item.created.plus(set.retention_days as i64 * 86_400).rfc3339(),
        "errors": 0,
        "warnings": (item.created.0 / 60 % 3),
        "version": 1, "formatVersion": "1.1.0",
    });
    if phase == "Completed" {
        status["completionTimestamp"] = json!(item.created.plus(RUNS_SECS).rfc3339());
        status["progress"] = json!({"itemsBackedUp": 1342, "totalItems": 1342});
    }
    json!({
        "apiVersion": "velero.io/v1", "kind": "Backup",
        "metadata": {
            "name": item.name, "namespace": NAMESPACE, "creationTimestamp": started,
            "uid": format!("velero-{}", item.name),
            "labels": {SCHEDULE_LABEL: schedule(set)},
        },
        "spec": {"includedNamespaces": ["*"], "storageLocation": "default", "ttl": format!("{}h0m0s", set.retention_days * 24)},
        "status": status,
    })
}

impl World {
    /// `GET /apis/velero.io/v1/namespaces/velero/backups`, optionally for one schedule.
    pub(crate) fn velero_backups(&self, namespace: &str, selector: Option<&str>) -> Value {
        // The wall clock, not the world's: a frozen world still finishes a backup it started.
        let now = super::clock::now();
        let wanted = selector.and_then(|s| s.strip_prefix(&format!("{SCHEDULE_LABEL}=")));
        let items: Vec<Value> = self
            .backups
            .iter()
            .filter(|s| s.kind == "velero" && namespace == NAMESPACE)
            .filter(|s| wanted.is_none_or(|w| w == schedule(s)))
            .flat_map(|s| s.items.iter().map(move |i| render(s, i, now)))
            .collect();
        json!({"apiVersion": "velero.io/v1", "kind": "BackupList", "metadata": {}, "items": items})
    }

    /// `GET .../backups/NAME`.
    pub(crate) fn velero_backup(&self, namespace: &str, name: &str) -> Result<Value, ApiError> {
        let now = super::clock::now();
        self.backups
            .iter()
            .filter(|s| s.kind == "velero" && namespace == NAMESPACE)
            .find_map(|s| {
                s.items
                    .iter()
                    .find(|i| i.name == name)
                    .map(|i| render(s, i, now))
            })
            .ok_or_else(|| ApiError::not_found_named("backups.velero.io", name))
    }

    /// `POST .../backups`: a new backup of the set whose schedule the body's label names (or the
    /// first velero set), running now.
    pub(crate) fn create_velero_backup(
        &mut self,
        namespace: &str,
        body: &Value,
    ) -> Result<Value, ApiError> {
        if namespace != NAMESPACE {
            return Err(ApiError::bad_request(format!(
                "velero backups live in namespace {NAMESPACE}"
            )));
        }
        let label = body
            .pointer(&format!(
                "/metadata/labels/{}",
                SCHEDULE_LABEL.replace('/', "~1")
            ))
            .and_then(Value::as_str);
        let now = super::clock::now();
        let name = match (
            body.pointer("/metadata/name").and_then(Value::as_str),
            body.pointer("/metadata/generateName")
                .and_then(Value::as_str),
        ) {
            (Some(name), _) => name.to_string(),
            (None, Some(prefix)) => format!("{prefix}{}", super::names::suffix(&mut self.rng, 5)),
            (None, None) => return Err(ApiError::bad_request("name or generateName required")),
        };
        let set = self
            .backups
            .iter_mut()
            .filter(|s| s.kind == "velero")
            .find(|s| label.is_none_or(|l| l == schedule(s)))
            .ok_or_else(|| ApiError::bad_request("no velero schedule matches the backup"))?;
        if set.items.iter().any(|i| i.name == name) {
            return Err(ApiError::bad_request(format!(
                "backup {name} already exists"
            )));
        }
        let size = set.latest().and_then(|b| b.size_bytes).unwrap_or(1 << 30);
        let item = BackupItem {
            name,
            created: now,
            size_bytes: Some(size),
            complete: false,
            note: Some("InProgress".into()),
        };
        set.items.insert(0, item.clone());
        let object = render(set, &item, now);
        let report = SourceReport {
            source: super::world::source(SourceKind::Backups, super::CONTEXT),
            at: now,
            report: Report::Backups(self.backups.clone()),
        };
        self.publish(vec![report]);
        Ok(object)
    }

    /// Backups created through the API complete after a few seconds. Returns whether one did.
    pub(super) fn advance_velero(&mut self) -> bool {
        let now = super::clock::now();
        let mut changed = false;
        for set in self.backups.iter_mut().filter(|s| s.kind == "velero") {
            for item in set.items.iter_mut().filter(|i| !i.complete) {
                if phase(item, now) == "Completed" {
                    item.complete = true;
                    item.note = Some("Completed".into());
                    changed = true;
                }
            }
        }
        changed
    }
}
