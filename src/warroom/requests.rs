//! Two-person requests in Redis: an action a `two_person` guardrail holds back is posted to the
//! room, and another operator approves or rejects it. Each request is a hash
//! (`request:ID`: the request as JSON, the requester, when it was made and expires, and the
//! decision once there is one) and an entry in the sorted set of pending requests, by expiry.
//!
//! A request is decided once: approving, rejecting and expiring all run one Lua script that
//! reads and writes the decision atomically, with the server's clock (so cockpits whose clocks
//! differ agree on when a request expired). The script also refuses an approval by the
//! requester's own operator name, whichever cockpit it comes from.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::WarroomError;
use super::client::RoomClient;
use crate::actions::Action;

/// A request for a second operator's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The room's number for it (from `INCR`); 0 until posted.
    #[serde(default)]
    pub id: u64,
    /// Who asks: the operator, and the cockpit (member id) that will run it.
    pub operator: String,
    pub member: String,
    /// Exactly what will run: the approver's dialog shows this, the requester runs this.
    pub action: Action,
    /// The change and the CLI equivalent as the requester's dialog showed them.
    pub change: String,
    pub cli: String,
    /// The requester's reason, when a rule asked for one.
    #[serde(default)]
    pub reason: Option<String>,
    /// Unix seconds, by the Redis server's clock; set when posted.
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub expires: i64,
    /// How it was decided; `None` while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Approved,
    Rejected,
    Expired,
}

/// A request's decision: who decided (empty for an expiry), with what reason, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub kind: Verdict,
    #[serde(default)]
    pub by: String,
    #[serde(default, deserialize_with = "blank_is_none")]
    pub reason: Option<String>,
    /// Unix seconds, by the Redis server's clock.
    pub at: i64,
}

fn blank_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    Ok(text.filter(|t| !t.trim().is_empty()))
}

/// What deciding (or checking) a request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Decided by this call.
    Now(Decision),
    /// It had been decided already (by someone else, or it expired): that decision stands.
    Already(Decision),
    /// Still pending (a check).
    Pending,
    /// Refused: the approver is the requester's operator.
    SelfApproval,
    /// No such request (never made, or gone after its hour of keeping).
    Missing,
}

/// What a decision asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    Approve,
    Reject,
    /// Only marks it expired if its time is up.
    Check,
}

impl Decide {
    fn word(self) -> &'static str {
        match self {
            Decide::Approve => "approve",
            Decide::Reject => "reject",
            Decide::Check => "check",
        }
    }
}

/// A decided request is kept this long after it expired, for the requester to read.
const KEEP_AFTER: i64 = 3600;

/// KEYS: the request's hash, the pending set. ARGV: the request's JSON, the requester, the
/// expiry in seconds, the id, how long to keep it. Returns `{created, expires}`.
const POST: &str = "local now = tonumber(redis.call('TIME')[1]) \
    local expires = now + tonumber(ARGV[3]) \
    redis.call('HSET', KEYS[1], 'request', ARGV[1], 'operator', ARGV[2], \
               'created', now, 'expires', expires) \
    redis.call('EXPIREAT', KEYS[1], expires + tonumber(ARGV[5])) \
    redis.call('ZADD', KEYS[2], expires, ARGV[4]) \
    return {now, expires}";

/// KEYS: the request's hash, the pending set. ARGV: approve/reject/check, the deciding operator,
/// the reason, the id. Returns `{outcome, decision JSON}`.
const DECIDE: &str = "if redis.call('EXISTS', KEYS[1]) == 0 then \
      redis.call('ZREM', KEYS[2], ARGV[4]) return {'missing', ''} end \
    local d = redis.call('HGET', KEYS[1], 'decision') \
    if d then return {'already', d} end \
    local now = tonumber(redis.call('TIME')[1]) \
    if now >= tonumber(redis.call('HGET', KEYS[1], 'expires')) then \
      d = cjson.encode({kind = 'expired', by = '', reason = '', at = now}) \
      redis.call('HSET', KEYS[1], 'decision', d) \
      redis.call('ZREM', KEYS[2], ARGV[4]) \
      if ARGV[1] == 'check' then return {'now', d} end \
      return {'already', d} end \
    if ARGV[1] == 'check' then return {'pending', ''} end \
    if ARGV[1] == 'approve' and redis.call('HGET', KEYS[1], 'operator') == ARGV[2] then \
      return {'self', ''} end \
    local kind = 'rejected' \
    if ARGV[1] == 'approve' then kind = 'approved' end \
    d = cjson.encode({kind = kind, by = ARGV[2], reason = ARGV[3], at = now}) \
    redis.call('HSET', KEYS[1], 'decision', d) \
    redis.call('ZREM', KEYS[2], ARGV[4]) \
    return {'now', d}";

fn json_error(e: serde_json::Error) -> WarroomError {
    WarroomError::Redis(format!("a request's JSON: {e}"))
}

impl RoomClient {
    /// Posts a request, expiring after `expiry`; returns it with its id and times.
    pub async fn post_request(
        &mut self,
        request: &Request,
        expiry: Duration,
    ) -> Result<Request, WarroomError> {
        let id: u64 = redis::cmd("INCR")
            .arg(self.keys.request_seq())
            .query_async(self.connection())
            .await?;
        let json = serde_json::to_string(request).map_err(json_error)?;
        let (created, expires): (i64, i64) = redis::cmd("EVAL")
            .arg(POST)
            .arg(2)
            .arg(self.keys.request(id))
            .arg(self.keys.requests())
            .arg(json)
            .arg(&request.operator)
            .arg(expiry.as_secs().max(1))
            .arg(id)
            .arg(KEEP_AFTER)
            .query_async(self.connection())
            .await?;
        Ok(Request {
            id,
            created,
            expires,
            decision: None,
            ..request.clone()
        })
    }

    /// One request as Redis has it, decided or not.
    pub async fn request(&mut self, id: u64) -> Result<Option<Request>, WarroomError> {
        let fields: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
            .arg(self.keys.request(id))
            .query_async(self.connection())
            .await?;
        let Some(json) = fields.get("request") else {
            return Ok(None);
        };
        let mut request: Request = serde_json::from_str(json).map_err(json_error)?;
        let number = |name: &str| fields.get(name).and_then(|v| v.parse().ok()).unwrap_or(0);
        request.id = id;
        request.created = number("created");
        request.expires = number("expires");
        request.decision = match fields.get("decision") {
            Some(d) => Some(serde_json::from_str(d).map_err(json_error)?),
            None => None,
        };
        Ok(Some(request))
    }

    /// The requests still pending, oldest first (an expired one stays listed, marked by its
    /// time, until someone checks it).
    pub async fn pending_requests(&mut self) -> Result<Vec<Request>, WarroomError> {
        let ids: Vec<u64> = redis::cmd("ZRANGE")
            .arg(self.keys.requests())
            .arg(0)
            .arg(-1)
            .query_async(self.connection())
            .await?;
        let mut pending = Vec::new();
        for id in ids {
            match self.request(id).await? {
                Some(r) if r.decision.is_none() => pending.push(r),
                Some(_) => {}
                None => {
                    let _: i64 = redis::cmd("ZREM")
                        .arg(self.keys.requests())
                        .arg(id)
                        .query_async(self.connection())
                        .await?;
                }
            }
        }
        pending.sort_by_key(|r| r.id);
        Ok(pending)
    }

    /// Approves or rejects request `id` as `operator` (or only checks whether it expired),
    /// atomically: the first decision stands.
    pub async fn decide(
        &mut self,
        id: u64,
        how: Decide,
        operator: &str,
        reason: &str,
    ) -> Result<Decided, WarroomError> {
        let (outcome, json): (String, String) = redis::cmd("EVAL")
            .arg(DECIDE)
            .arg(2)
            .arg(self.keys.request(id))
            .arg(self.keys.requests())
            .arg(how.word())
            .arg(operator)
            .arg(reason)
            .arg(id)
            .query_async(self.connection())
            .await?;
        let decision = || serde_json::from_str::<Decision>(&json).map_err(json_error);
        Ok(match outcome.as_str() {
            "now" => Decided::Now(decision()?),
            "already" => Decided::Already(decision()?),
            "pending" => Decided::Pending,
            "self" => Decided::SelfApproval,
            _ => Decided::Missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_reads_a_blank_reason_as_none() {
        let d: Decision =
            serde_json::from_str(r#"{"kind":"expired","by":"","reason":"","at":5}"#).unwrap();
        assert_eq!((d.kind, d.reason), (Verdict::Expired, None));
        let d: Decision =
            serde_json::from_str(r#"{"kind":"rejected","by":"bob","reason":"not now","at":5}"#)
                .unwrap();
        assert_eq!(d.reason.as_deref(), Some("not now"));
    }
}
