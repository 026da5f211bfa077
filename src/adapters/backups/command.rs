//! A command set: a command that prints the backups as JSON, read into the same view as a
//! directory's. It understands `pgbackrest info --output=json` (stanzas with their `backup`
//! lists) and a plain list: `[{"name", "time", "size"}]` or `{"backups": [...]}`, `time` as
//! RFC 3339 or Unix seconds. A command that fails or prints anything else is the set's problem,
//! with the first line of what it said.

use std::time::Duration;

use serde_json::Value;

use crate::domain::{BackupItem, UnixTime};

/// Longest a listing command may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs the set's command and reads its backups, newest first.
pub async fn list(command: &str) -> Result<Vec<BackupItem>, String> {
    let run = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(TIMEOUT, run)
        .await
        .map_err(|_| format!("`{command}` did not finish within {} s", TIMEOUT.as_secs()))?
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if !output.status.success() {
        let said = first_line(&output.stderr).or_else(|| first_line(&output.stdout));
        return Err(format!(
            "`{command}` failed ({}){}",
            output.status,
            said.map(|s| format!(": {s}")).unwrap_or_default()
        ));
    }
    parse(&output.stdout).map_err(|why| {
        let said = first_line(&output.stderr)
            .map(|s| format!(" (stderr: {s})"))
            .unwrap_or_default();
        format!("`{command}` printed {why}{said}")
    })
}

fn first_line(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(200).collect())
}

/// The backups in a command's JSON output, newest first.
pub fn parse(stdout: &[u8]) -> Result<Vec<BackupItem>, String> {
    let value: Value =
        serde_json::from_slice(stdout).map_err(|e| format!("something that is not JSON ({e})"))?;
    let list = match &value {
        Value::Array(items) => items.clone(),
        Value::Object(map) => match map.get("backups") {
            Some(Value::Array(items)) => items.clone(),
            _ => return Err("JSON without a `backups` list".into()),
        },
        _ => return Err("JSON that is not a list of backups".into()),
    };
    let mut items = Vec::new();
    for entry in &list {
        // pgbackrest: one entry per stanza, its backups inside.
        if let Some(Value::Array(backups)) = entry.get("backup") {
            for b in backups {
                items.push(pgbackrest_item(b)?);
            }
        } else {
            items.push(plain_item(entry)?);
        }
    }
    items.sort_by_key(|b| std::cmp::Reverse(b.created));
    Ok(items)
}

fn pgbackrest_item(b: &Value) -> Result<BackupItem, String> {
    let stop = b
        .pointer("/timestamp/stop")
        .and_then(Value::as_i64)
        .ok_or("a pgbackrest backup without timestamp.stop")?;
    Ok(BackupItem {
        name: b
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string(),
        created: UnixTime(stop),
        size_bytes: b
            .pointer("/info/repository/delta")
            .or_else(|| b.pointer("/info/size"))
            .and_then(Value::as_u64),
        complete: true,
        note: b.get("type").and_then(Value::as_str).map(String::from),
    })
}

fn plain_item(entry: &Value) -> Result<BackupItem, String> {
    let name = entry
        .get("name")
        .and_then(Value::as_str)
        .ok_or("a backup without a `name`")?;
    let time = entry
        .get("time")
        .or_else(|| entry.get("created"))
        .ok_or_else(|| format!("backup {name} without a `time`"))?;
    let created = match time {
        Value::Number(n) => n.as_i64().map(UnixTime),
        Value::String(s) => UnixTime::parse_rfc3339(s),
        _ => None,
    }
    .ok_or_else(|| format!("backup {name}: `{time}` is not a time"))?;
    Ok(BackupItem {
        name: name.to_string(),
        created,
        size_bytes: entry
            .get("size")
            .or_else(|| entry.get("size_bytes"))
            .and_then(Value::as_u64),
        complete: true,
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgbackrest_info_and_plain_lists_are_read_newest_first() {
        let pgbackrest = br#"[{"name":"main","backup":[
            {"label":"20261121-030000F","timestamp":{"start":1790000000,"stop":1790000600},
             "info":{"size":1000,"repository":{"delta":400}},"type":"full"},
            {"label":"20261122-030000D","timestamp":{"start":1790086400,"stop":1790086500},
             "info":{"size":1200},"type":"diff"}],"status":{"code":0}}]"#;
        let items = parse(pgbackrest).unwrap();
        assert_eq!(items[0].name, "20261122-030000D");
        assert_eq!(items[0].created, UnixTime(1_790_086_500));
        assert_eq!(
            (items[0].size_bytes, items[1].size_bytes),
            (Some(1200), Some(400))
        );
        let plain = br#"{"backups":[{"name":"a","time":"2026-11-22T03:00:00Z","size":5},
            {"name":"b","time":1790000000}]}"#;
        let items = parse(plain).unwrap();
        assert_eq!(items[0].name, "a");
        assert_eq!(items.len(), 2);
    }

    #[tokio::test]
    async fn a_failing_command_and_garbage_say_what_went_wrong() {
        let failed = list("echo 'stanza missing' >&2; exit 3").await.unwrap_err();
        assert!(
            failed.contains("failed (exit status: 3): stanza missing"),
            "{failed}"
        );
        let garbage = list("echo hello").await.unwrap_err();
        assert!(
            garbage.contains("printed something that is not JSON"),
            "{garbage}"
        );
        let ok = list("echo '[{\"name\":\"x\",\"time\":1}]'").await.unwrap();
        assert_eq!(ok[0].name, "x");
    }
}
