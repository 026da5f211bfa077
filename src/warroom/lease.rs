//! Leases on action targets: `SET key holder NX PX ttl` before an action runs, renewed while it
//! runs, released after; renewal and release only by the holder (a compare in Lua), so a lease
//! that expired and was taken by someone else is never extended or dropped by its old holder.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::WarroomError;
use super::client::RoomClient;
use crate::domain::UnixTime;

/// Who holds a lease and for what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Unique per acquisition: only its holder renews or releases it.
    pub token: String,
    pub operator: String,
    /// What is being done, as in "is being rolled back".
    pub doing: String,
    /// Unix seconds.
    pub since: i64,
}

impl Holder {
    /// "pos/pos-order is being rolled back by alice@bastion-1 (since 40 s)"
    pub fn describe(&self, target: &str, now: UnixTime) -> String {
        format!(
            "{target} is being {} by {} (since {} s)",
            self.doing,
            self.operator,
            now.0.saturating_sub(self.since).max(0)
        )
    }
}

const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
                       return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
                         return redis.call('DEL', KEYS[1]) else return 0 end";

impl RoomClient {
    /// Takes the lease on `target`, or says who holds it.
    pub async fn acquire(
        &mut self,
        target: &str,
        holder: &Holder,
        ttl: Duration,
    ) -> Result<Result<(), Holder>, WarroomError> {
        let json = serde_json::to_string(holder).map_err(|e| WarroomError::Redis(e.to_string()))?;
        // Released between SET and GET: one more try.
        for _ in 0..2 {
            if self.set_if_free(target, &json, ttl).await? {
                return Ok(Ok(()));
            }
            if let Some(other) = self.holder(target).await? {
                return Ok(Err(other));
            }
        }
        Ok(Err(holder.clone()))
    }

    /// `SET key value NX PX ttl`: whether the key was free.
    async fn set_if_free(
        &mut self,
        target: &str,
        value: &str,
        ttl: Duration,
    ) -> Result<bool, WarroomError> {
        let key = self.keys.lease(target);
        let set: Option<String> = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(ttl.as_millis() as u64)
            .query_async(self.connection())
            .await?;
        Ok(set.is_some())
    }

    /// Who holds the lease on `target` now.
    pub async fn holder(&mut self, target: &str) -> Result<Option<Holder>, WarroomError> {
        let key = self.keys.lease(target);
        let value: Option<String> = redis::cmd("GET")
            .arg(key)
            .query_async(self.connection())
            .await?;
        Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// Extends the lease while the action runs; false when it is no longer ours.
    pub async fn renew(
        &mut self,
        target: &str,
        holder: &Holder,
        ttl: Duration,
    ) -> Result<bool, WarroomError> {
        let json = serde_json::to_string(holder).map_err(|e| WarroomError::Redis(e.to_string()))?;
        let renewed: i64 = redis::cmd("EVAL")
            .arg(RENEW)
            .arg(1)
            .arg(self.keys.lease(target))
            .arg(json)
            .arg(ttl.as_millis() as u64)
            .query_async(self.connection())
            .await?;
        Ok(renewed == 1)
    }

    /// Gives the lease back; false when it was no longer ours.
    pub async fn release(&mut self, target: &str, holder: &Holder) -> Result<bool, WarroomError> {
        let json = serde_json::to_string(holder).map_err(|e| WarroomError::Redis(e.to_string()))?;
        let released: i64 = redis::cmd("EVAL")
            .arg(RELEASE)
            .arg(1)
            .arg(self.keys.lease(target))
            .arg(json)
            .query_async(self.connection())
            .await?;
        Ok(released == 1)
    }
}
