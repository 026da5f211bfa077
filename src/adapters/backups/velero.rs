//! A Velero set: the `velero.io/v1` Backup objects of one schedule (or all) in Velero's
//! namespace, read through the Kubernetes API with the cockpit's kubeconfig; and "take a backup
//! now" as a new Backup object, followed until it completes or fails.

use std::time::Duration;

use kube::Api;
use kube::api::{ApiResource, DynamicObject, ListParams, PostParams};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::adapters::kube::Clients;
use crate::config::{BackupConfig, KubernetesConfig};
use crate::domain::{BackupItem, UnixTime};

/// The label naming the schedule a backup came from.
pub const SCHEDULE_LABEL: &str = "velero.io/schedule-name";

fn resource() -> ApiResource {
    ApiResource {
        group: "velero.io".into(),
        version: "v1".into(),
        api_version: "velero.io/v1".into(),
        kind: "Backup".into(),
        plural: "backups".into(),
    }
}

async fn api(
    clients: &Clients,
    cluster: &KubernetesConfig,
    set: &BackupConfig,
) -> Result<Api<DynamicObject>, String> {
    let client = clients.get(cluster).await?;
    Ok(Api::namespaced_with(client, &set.namespace, &resource()))
}

/// The set's backups, newest first.
pub async fn list(
    clients: &Clients,
    cluster: &KubernetesConfig,
    set: &BackupConfig,
) -> Result<Vec<BackupItem>, String> {
    let api = api(clients, cluster, set).await?;
    let mut params = ListParams::default();
    if let Some(schedule) = &set.schedule {
        params = params.labels(&format!("{SCHEDULE_LABEL}={schedule}"));
    }
    let list = api.list(&params).await.map_err(|e| {
        format!(
            "velero backups in {}: {}",
            set.namespace,
            crate::adapters::kube::actions::describe(&e)
        )
    })?;
    let mut items: Vec<BackupItem> = list.items.iter().map(item).collect();
    items.sort_by_key(|b| std::cmp::Reverse(b.created));
    Ok(items)
}

fn time(status: &Value, key: &str) -> Option<UnixTime> {
    status
        .get(key)
        .and_then(Value::as_str)
        .and_then(UnixTime::parse_rfc3339)
}

/// A Backup object as a row: dated by its completion (else its start), complete only in phase
/// `Completed`, with phase, errors, warnings and expiry as its note.
fn item(object: &DynamicObject) -> BackupItem {
    let status = object.data.get("status").cloned().unwrap_or(Value::Null);
    let phase = status.get("phase").and_then(Value::as_str).unwrap_or("New");
    let count = |k: &str| status.get(k).and_then(Value::as_u64).unwrap_or(0);
    let created = time(&status, "completionTimestamp")
        .or_else(|| time(&status, "startTimestamp"))
        .or_else(|| {
            object
                .metadata
                .creation_timestamp
                .as_ref()
                .map(|t| UnixTime(t.0.as_second()))
        })
        .unwrap_or(UnixTime(0));
    let mut note = format!(
        "{phase}, {} errors, {} warnings",
        count("errors"),
        count("warnings")
    );
    if let Some(expires) = time(&status, "expiration") {
        note.push_str(&format!(", expires {}", expires.rfc3339()));
    }
    BackupItem {
        name: object.metadata.name.clone().unwrap_or_default(),
        created,
        size_bytes: None,
        complete: phase == "Completed",
        note: Some(note),
    }
}

/// Creates a Backup (labelled with the set's schedule, kept for the set's retention) and follows
/// it until it completes or fails, sending its progress.
pub async fn take(
    clients: &Clients,
    cluster: &KubernetesConfig,
    set: &BackupConfig,
    progress: &mpsc::Sender<String>,
) -> Result<String, String> {
    let api = api(clients, cluster, set).await?;
    let prefix = set.schedule.clone().unwrap_or_else(|| "opsdeck".into());
    let mut labels = serde_json::Map::new();
    if let Some(schedule) = &set.schedule {
        labels.insert(SCHEDULE_LABEL.into(), json!(schedule));
    }
    labels.insert("app.kubernetes.io/managed-by".into(), json!("opsdeck"));
    let hours = set.retention.as_secs() / 3600;
    let object: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "velero.io/v1", "kind": "Backup",
        "metadata": {"generateName": format!("{prefix}-"), "namespace": set.namespace, "labels": labels},
        "spec": {"includedNamespaces": ["*"], "ttl": format!("{hours}h0m0s")},
    }))
    .map_err(|e| e.to_string())?;
    let created = api
        .create(&PostParams::default(), &object)
        .await
        .map_err(|e| {
            format!(
                "cannot create a velero backup: {}",
                crate::adapters::kube::actions::describe(&e)
            )
        })?;
    let name = created.metadata.name.clone().unwrap_or_default();
    let _ = progress.send(format!("created velero backup {name}")).await;
    // Followed for at most an hour; the backup goes on in the cluster either way.
    for _ in 0..3600 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = api.get(&name).await.map_err(|e| {
            format!(
                "velero backup {name}: {}",
                crate::adapters::kube::actions::describe(&e)
            )
        })?;
        let row = item(&now);
        let note = row.note.unwrap_or_default();
        let phase = note.split(',').next().unwrap_or_default().to_string();
        match phase.as_str() {
            "Completed" => return Ok(format!("velero backup {name}: {note}")),
            "Failed" | "PartiallyFailed" | "FailedValidation" => {
                return Err(format!("velero backup {name}: {note}"));
            }
            _ => {
                let _ = progress.send(format!("{name}: {phase}")).await;
            }
        }
    }
    Err(format!(
        "velero backup {name} still not finished after an hour; see `velero backup describe {name}`"
    ))
}
