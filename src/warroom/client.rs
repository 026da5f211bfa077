//! The room in Redis: presence keys with a TTL, the events stream (capped), reading members and
//! events. One connection for commands (with timeouts) and one for the blocking stream read.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::{AsyncCommands, IntoConnectionInfo, Value};

use super::{EventKind, Keys, Member, RoomEvent, WarroomError};
use crate::config::WarroomConfig;
use crate::domain::UnixTime;

/// Commands (other than the blocking read) give up after this.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(3);
/// The longest a blocking stream read may wait.
pub const READ_BLOCK_MAX: Duration = Duration::from_secs(5);
/// The stream keeps about this many events.
const STREAM_CAP: usize = 2_000;

#[derive(Clone)]
pub struct RoomClient {
    pub keys: Keys,
    con: ConnectionManager,
    client: redis::Client,
}

impl RoomClient {
    pub async fn connect(cfg: &WarroomConfig) -> Result<RoomClient, WarroomError> {
        let mut info = cfg
            .redis
            .as_str()
            .into_connection_info()
            .map_err(|e| WarroomError::BadUrl(e.to_string()))?;
        if info.redis_settings().password().is_none()
            && let Some(password) = cfg
                .password_env
                .as_ref()
                .and_then(|v| std::env::var(v).ok())
        {
            let settings = info.redis_settings().clone().set_password(password);
            info = info.set_redis_settings(settings);
        }
        let client = redis::Client::open(info)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(COMMAND_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT))
            .set_number_of_retries(1);
        let con = client.get_connection_manager_with_config(config).await?;
        Ok(RoomClient {
            keys: Keys::new(&cfg.room),
            con,
            client,
        })
    }

    /// The command connection, for the lease protocol.
    pub(super) fn connection(&mut self) -> &mut ConnectionManager {
        &mut self.con
    }

    /// A connection of its own for the blocking stream read: its answers may take as long as
    /// the read blocks (the default gives up after half a second).
    pub async fn reader(&self) -> Result<MultiplexedConnection, WarroomError> {
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(COMMAND_TIMEOUT))
            .set_response_timeout(Some(READ_BLOCK_MAX + COMMAND_TIMEOUT));
        Ok(self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?)
    }

    /// Says this cockpit is here, for `ttl`.
    pub async fn announce(&mut self, me: &Member, ttl: Duration) -> Result<(), WarroomError> {
        let json = serde_json::to_string(me).map_err(|e| WarroomError::Redis(e.to_string()))?;
        let _: () = self
            .con
            .pset_ex(self.keys.member(&me.id), json, ttl.as_millis() as u64)
            .await?;
        Ok(())
    }

    /// Leaves at once (on quit) rather than when the entry expires.
    pub async fn leave(&mut self, id: &str) -> Result<(), WarroomError> {
        let _: () = self.con.del(self.keys.member(id)).await?;
        Ok(())
    }

    /// The room's open incident.
    pub async fn incident(&mut self) -> Result<Option<super::Incident>, WarroomError> {
        let value: Option<String> = self.con.get(self.keys.incident()).await?;
        Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// Opens (or replaces) the room's incident; `None` closes it.
    pub async fn set_incident(
        &mut self,
        incident: Option<&super::Incident>,
    ) -> Result<(), WarroomError> {
        match incident {
            Some(incident) => {
                let json = serde_json::to_string(incident)
                    .map_err(|e| WarroomError::Redis(e.to_string()))?;
                let _: () = self.con.set(self.keys.incident(), json).await?;
            }
            None => {
                let _: () = self.con.del(self.keys.incident()).await?;
            }
        }
        Ok(())
    }

    /// Tells followers what this cockpit shows now (a few hundred bytes per change).
    pub async fn publish_view(&mut self, id: &str, view: &super::View) -> Result<(), WarroomError> {
        let json = serde_json::to_string(view).map_err(|e| WarroomError::Redis(e.to_string()))?;
        let _: i64 = self.con.publish(self.keys.views(id), json).await?;
        Ok(())
    }

    /// The views member `id` publishes from now on, on a subscription of its own.
    pub async fn views(
        &self,
        id: &str,
    ) -> Result<std::pin::Pin<Box<dyn futures::Stream<Item = super::View> + Send>>, WarroomError>
    {
        use futures::StreamExt;
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(self.keys.views(id)).await?;
        Ok(Box::pin(pubsub.into_on_message().filter_map(
            |msg| async move {
                let payload: String = msg.get_payload().ok()?;
                serde_json::from_str(&payload).ok()
            },
        )))
    }

    /// One member's entry, if it is still here.
    pub async fn member(&mut self, id: &str) -> Result<Option<Member>, WarroomError> {
        let value: Option<String> = self.con.get(self.keys.member(id)).await?;
        Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// Everyone here now, by operator.
    pub async fn members(&mut self) -> Result<Vec<Member>, WarroomError> {
        let mut keys: Vec<String> = Vec::new();
        let mut cursor: u64 = 0;
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(self.keys.members_pattern())
                .arg("COUNT")
                .arg(200)
                .query_async(&mut self.con)
                .await?;
            keys.extend(batch);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<String>> = self.con.mget(&keys).await?;
        let mut members: Vec<Member> = values
            .into_iter()
            .flatten()
            .filter_map(|v| serde_json::from_str(&v).ok())
            .collect();
        members.sort_by(|a, b| (&a.operator, a.joined).cmp(&(&b.operator, b.joined)));
        Ok(members)
    }

    /// Appends an event to the room's stream; returns its id.
    pub async fn publish(
        &mut self,
        me: &Member,
        kind: EventKind,
        text: &str,
    ) -> Result<String, WarroomError> {
        let kind = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let id: String = redis::cmd("XADD")
            .arg(self.keys.events())
            .arg("MAXLEN")
            .arg("~")
            .arg(STREAM_CAP)
            .arg("*")
            .arg("at")
            .arg(UnixTime::now().0)
            .arg("who")
            .arg(&me.operator)
            .arg("member")
            .arg(&me.id)
            .arg("kind")
            .arg(kind)
            .arg("text")
            .arg(text)
            .query_async(&mut self.con)
            .await?;
        Ok(id)
    }

    /// The last `count` events, oldest first.
    pub async fn recent(&mut self, count: usize) -> Result<Vec<RoomEvent>, WarroomError> {
        let value: Value = redis::cmd("XREVRANGE")
            .arg(self.keys.events())
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(count)
            .query_async(&mut self.con)
            .await?;
        let mut events = parse_entries(&value);
        events.reverse();
        Ok(events)
    }
}

/// Waits up to `block` for events after `after` (a stream id) on the reader connection.
pub async fn read_after(
    reader: &mut MultiplexedConnection,
    keys: &Keys,
    after: &str,
    block: Duration,
) -> Result<Vec<RoomEvent>, WarroomError> {
    let value: Value = redis::cmd("XREAD")
        .arg("COUNT")
        .arg(200)
        .arg("BLOCK")
        .arg(block.min(READ_BLOCK_MAX).as_millis() as u64)
        .arg("STREAMS")
        .arg(keys.events())
        .arg(after)
        .query_async(reader)
        .await?;
    // [[stream, [entries]]] or nil on timeout (RESP2), a map in RESP3.
    let entries = match &value {
        Value::Array(streams) => streams
            .first()
            .and_then(|s| match s {
                Value::Array(pair) => pair.get(1).cloned(),
                _ => None,
            })
            .unwrap_or(Value::Nil),
        Value::Map(streams) => streams
            .first()
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Nil),
        _ => Value::Nil,
    };
    Ok(parse_entries(&entries))
}

/// Stream entries (`[[id, [field, value, ...]], ...]`) as events; malformed ones are skipped.
fn parse_entries(value: &Value) -> Vec<RoomEvent> {
    let Value::Array(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let Value::Array(parts) = entry else {
                return None;
            };
            let id = text(parts.first()?)?;
            let Value::Array(fields) = parts.get(1)? else {
                return None;
            };
            let mut at = None;
            let (mut who, mut member, mut kind, mut body) = (None, None, None, None);
            for pair in fields.chunks(2) {
                let (Some(k), Some(v)) = (pair.first().and_then(text), pair.get(1).and_then(text))
                else {
                    continue;
                };
                match k.as_str() {
                    "at" => at = v.parse::<i64>().ok().map(UnixTime),
                    "who" => who = Some(v),
                    "member" => member = Some(v),
                    "kind" => kind = serde_json::from_value(serde_json::Value::String(v)).ok(),
                    "text" => body = Some(v),
                    _ => {}
                }
            }
            Some(RoomEvent {
                id,
                at: at?,
                who: who?,
                member: member.unwrap_or_default(),
                kind: kind?,
                text: body.unwrap_or_default(),
            })
        })
        .collect()
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        _ => None,
    }
}
