//! Redis: one task per configured server. Each refresh: PING (timed), INFO, SLOWLOG GET. The
//! password is in the URL or an environment variable, and never put into a message.

use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{IntoConnectionInfo, Value};
use tokio::sync::mpsc;

use super::next_backoff;
use crate::config::RedisConfig;
use crate::domain::{
    RedisInfo, Report, SlowlogEntry, SourceId, SourceKind, SourceReport, UnixTime,
};

/// How long one command may take before the server counts as unreachable.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(3);

/// Slowlog entries fetched each refresh.
const SLOWLOG_ENTRIES: usize = 10;

/// Figures from `INFO`, by field name.
pub fn parse_info(name: &str, text: &str, ping_ms: f64, slowlog: Vec<SlowlogEntry>) -> RedisInfo {
    let field = |key: &str| {
        text.lines()
            .filter_map(|l| l.trim_end_matches('\r').split_once(':'))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    let number = |key: &str| field(key).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    RedisInfo {
        name: name.to_string(),
        role: field("role").unwrap_or_else(|| "unknown".into()),
        used_memory: number("used_memory"),
        maxmemory: number("maxmemory"),
        connected_clients: number("connected_clients") as u32,
        blocked_clients: number("blocked_clients") as u32,
        ops_per_sec: number("instantaneous_ops_per_sec"),
        keyspace_hits: number("keyspace_hits"),
        keyspace_misses: number("keyspace_misses"),
        evicted_keys: number("evicted_keys"),
        expired_keys: number("expired_keys"),
        ping_ms,
        uptime_secs: number("uptime_in_seconds"),
        repl_offset: field("slave_repl_offset")
            .or_else(|| field("master_repl_offset"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        slowlog,
    }
}

/// `SLOWLOG GET` entries: `[id, unix time, microseconds, [command args...], ...]`.
pub fn parse_slowlog(value: &Value) -> Vec<SlowlogEntry> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let Value::Array(fields) = entry else {
                return None;
            };
            let int = |v: Option<&Value>| match v {
                Some(Value::Int(i)) => Some(*i),
                _ => None,
            };
            let args = match fields.get(3) {
                Some(Value::Array(args)) => args
                    .iter()
                    .filter_map(|a| match a {
                        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
                        Value::SimpleString(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            Some(SlowlogEntry {
                id: int(fields.first())? as u64,
                at: UnixTime(int(fields.get(1))?),
                duration_us: int(fields.get(2))?.max(0) as u64,
                command: args.chars().take(200).collect(),
            })
        })
        .collect()
}

/// An operator-readable reason, without the URL (which may hold the password).
fn describe(error: &redis::RedisError) -> String {
    let text = error.to_string();
    if text.contains("WRONGPASS") || text.contains("NOAUTH") || text.contains("invalid password") {
        return "authentication failed: wrong or missing password".into();
    }
    text
}

async fn connect(cfg: &RedisConfig) -> Result<ConnectionManager, String> {
    let mut info = cfg
        .url
        .as_str()
        .into_connection_info()
        .map_err(|e| format!("the URL is not valid ({e})"))?;
    if info.redis_settings().password().is_none() {
        if let Some(password) = cfg
            .password_env
            .as_ref()
            .and_then(|var| std::env::var(var).ok())
        {
            let settings = info.redis_settings().clone().set_password(password);
            info = info.set_redis_settings(settings);
        }
    }
    let client = redis::Client::open(info).map_err(|e| describe(&e))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(COMMAND_TIMEOUT))
        .set_response_timeout(Some(COMMAND_TIMEOUT))
        .set_number_of_retries(1);
    client
        .get_connection_manager_with_config(config)
        .await
        .map_err(|e| describe(&e))
}

async fn poll(con: &mut ConnectionManager, name: &str) -> Result<RedisInfo, String> {
    let started = Instant::now();
    let pong: String = redis::cmd("PING")
        .query_async(con)
        .await
        .map_err(|e| describe(&e))?;
    let ping_ms = started.elapsed().as_secs_f64() * 1000.0;
    if pong != "PONG" {
        return Err(format!("PING answered {pong:?}"));
    }
    let info: String = redis::cmd("INFO")
        .query_async(con)
        .await
        .map_err(|e| describe(&e))?;
    // SLOWLOG may be renamed or disabled on managed servers: figures without it still count.
    let slowlog = redis::cmd("SLOWLOG")
        .arg("GET")
        .arg(SLOWLOG_ENTRIES)
        .query_async::<Value>(con)
        .await
        .map(|v| parse_slowlog(&v))
        .unwrap_or_default();
    Ok(parse_info(name, &info, ping_ms, slowlog))
}

pub fn spawn(cfg: RedisConfig, refresh: Duration, reports: mpsc::Sender<SourceReport>) {
    let reporter =
        super::Reporter::new(SourceId::new(SourceKind::Redis, &cfg.name), reports.clone());
    super::supervise::supervise(
        reporter,
        move || run(cfg.clone(), refresh, reports.clone()),
        super::supervise::unreachable,
    );
}

async fn run(cfg: RedisConfig, refresh: Duration, reports: mpsc::Sender<SourceReport>) {
    let reporter = super::Reporter::new(SourceId::new(SourceKind::Redis, &cfg.name), reports);
    let mut backoff = Duration::from_secs(1);
    loop {
        let mut con = match connect(&cfg).await {
            Ok(con) => con,
            Err(reason) => {
                // Each attempt at debug level: the source log writes the outage once.
                tracing::debug!(server = %cfg.name, %reason, "cannot connect to Redis");
                if !reporter.send(Report::Unreachable(reason)).await {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff = next_backoff(backoff);
                continue;
            }
        };
        let mut ticker = tokio::time::interval(refresh);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let report = match poll(&mut con, &cfg.name).await {
                Ok(info) => Report::Redis(info),
                // The connection manager reconnects on the next command by itself.
                Err(reason) => Report::Unreachable(reason),
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
    fn info_fields_are_read_by_name() {
        let text = "# Memory\r\nused_memory:1048576\r\nmaxmemory:2097152\r\n# Clients\r\nconnected_clients:7\r\n\
                    blocked_clients:1\r\n# Stats\r\ninstantaneous_ops_per_sec:42\r\nkeyspace_hits:90\r\nkeyspace_misses:10\r\n\
                    evicted_keys:3\r\nexpired_keys:4\r\n# Replication\r\nrole:master\r\nmaster_repl_offset:4242\r\n# Server\r\nuptime_in_seconds:99\r\n";
        let info = parse_info("cache", text, 0.5, vec![]);
        assert_eq!((info.used_memory, info.maxmemory), (1_048_576, 2_097_152));
        assert_eq!(
            (
                info.connected_clients,
                info.blocked_clients,
                info.ops_per_sec
            ),
            (7, 1, 42)
        );
        assert_eq!(info.hit_ratio(), Some(0.9));
        assert_eq!(
            (info.evicted_keys, info.expired_keys, info.uptime_secs),
            (3, 4, 99)
        );
        assert_eq!(info.role, "master");
        assert_eq!(info.repl_offset, 4242);
    }

    #[test]
    fn slowlog_entries_parse_and_garbage_is_skipped() {
        let entry = Value::Array(vec![
            Value::Int(5),
            Value::Int(1_790_000_000),
            Value::Int(12_345),
            Value::Array(vec![
                Value::BulkString(b"KEYS".to_vec()),
                Value::BulkString(b"session:*".to_vec()),
            ]),
        ]);
        let entries = parse_slowlog(&Value::Array(vec![entry, Value::Int(3)]));
        assert_eq!(
            entries,
            [SlowlogEntry {
                id: 5,
                at: UnixTime(1_790_000_000),
                duration_us: 12_345,
                command: "KEYS session:*".into()
            }]
        );
    }
}
