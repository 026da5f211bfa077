//! PostgreSQL instances with their sessions, and Redis servers.

use super::{
    level::{Level, defaults},
    time::UnixTime,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SessionState {
    Active,
    Idle,
    IdleInTransaction,
    IdleInTransactionAborted,
    /// Active but waiting on a lock held by another session.
    Waiting,
    Other,
}

impl SessionState {
    pub fn word(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::Idle => "idle",
            SessionState::IdleInTransaction => "idle in transaction",
            SessionState::IdleInTransactionAborted => "idle in transaction (aborted)",
            SessionState::Waiting => "waiting",
            SessionState::Other => "other",
        }
    }

    pub const ALL: [SessionState; 6] = [
        SessionState::Active,
        SessionState::Idle,
        SessionState::IdleInTransaction,
        SessionState::IdleInTransactionAborted,
        SessionState::Waiting,
        SessionState::Other,
    ];
}

/// One backend from `pg_stat_activity`.
#[derive(Debug, Clone, PartialEq)]
pub struct PgSession {
    pub pid: i32,
    pub user: String,
    pub database: String,
    pub application: String,
    pub client: String,
    pub state: SessionState,
    pub wait_event: Option<String>,
    pub query_start: Option<UnixTime>,
    pub xact_start: Option<UnixTime>,
    pub query: String,
    /// `pg_blocking_pids(pid)`.
    pub blocked_by: Vec<i32>,
}

impl PgSession {
    /// Seconds the current query has been running, for active or waiting sessions only.
    pub fn running_secs(&self, now: UnixTime) -> Option<u64> {
        match self.state {
            SessionState::Active | SessionState::Waiting => self.query_start.map(|t| t.age_at(now)),
            _ => None,
        }
    }

    pub fn level(&self, now: UnixTime) -> Level {
        let long = self
            .running_secs(now)
            .map_or(Level::Ok, |s| defaults::LONG_QUERY_S.level(s as f64));
        let state = match self.state {
            SessionState::Waiting | SessionState::IdleInTransactionAborted => Level::Warn,
            SessionState::IdleInTransaction => self.xact_start.map_or(Level::Ok, |t| {
                defaults::LONG_QUERY_S.level(t.age_at(now) as f64)
            }),
            _ => Level::Ok,
        };
        long.max(state)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgRole {
    Primary,
    Replica,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PgInstance {
    pub name: String,
    pub version: String,
    pub role: PgRole,
    pub max_connections: u32,
    pub sessions: Vec<PgSession>,
    pub size_bytes: u64,
    pub replication_lag_secs: Option<f64>,
}

impl PgInstance {
    pub fn connection_ratio(&self) -> f64 {
        if self.max_connections == 0 {
            return f64::NAN;
        }
        self.sessions.len() as f64 / f64::from(self.max_connections)
    }

    pub fn count(&self, state: SessionState) -> usize {
        self.sessions.iter().filter(|s| s.state == state).count()
    }

    pub fn level(&self, now: UnixTime) -> Level {
        let conns = defaults::PG_CONNECTIONS.level(self.connection_ratio());
        let sessions = Level::worst(self.sessions.iter().map(|s| s.level(now)));
        conns.max(sessions)
    }
}

/// One `SLOWLOG GET` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SlowlogEntry {
    pub id: u64,
    pub at: UnixTime,
    pub duration_us: u64,
    /// The command and its arguments, joined; cut for display.
    pub command: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RedisInfo {
    pub name: String,
    pub role: String,
    pub used_memory: u64,
    /// 0 when no limit is set.
    pub maxmemory: u64,
    pub connected_clients: u32,
    pub blocked_clients: u32,
    pub ops_per_sec: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub evicted_keys: u64,
    pub expired_keys: u64,
    pub ping_ms: f64,
    pub uptime_secs: u64,
    /// `master_repl_offset` (or a replica's `slave_repl_offset`).
    pub repl_offset: u64,
    /// Newest first.
    pub slowlog: Vec<SlowlogEntry>,
}

impl RedisInfo {
    pub fn memory_ratio(&self) -> Option<f64> {
        (self.maxmemory > 0).then(|| self.used_memory as f64 / self.maxmemory as f64)
    }

    pub fn hit_ratio(&self) -> Option<f64> {
        let total = self.keyspace_hits + self.keyspace_misses;
        (total > 0).then(|| self.keyspace_hits as f64 / total as f64)
    }

    pub fn level(&self) -> Level {
        self.memory_ratio()
            .map_or(Level::Ok, |r| defaults::REDIS_MEMORY.level(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_memory_thresholds_are_80_and_90_percent() {
        let mut r = RedisInfo {
            name: "cache".into(),
            role: "master".into(),
            used_memory: 85,
            maxmemory: 100,
            connected_clients: 1,
            blocked_clients: 0,
            ops_per_sec: 0,
            keyspace_hits: 9,
            keyspace_misses: 1,
            evicted_keys: 0,
            expired_keys: 0,
            ping_ms: 0.2,
            uptime_secs: 1,
            repl_offset: 0,
            slowlog: vec![],
        };
        assert_eq!(r.level(), Level::Warn);
        r.used_memory = 91;
        assert_eq!(r.level(), Level::Crit);
        r.maxmemory = 0;
        assert_eq!(r.level(), Level::Ok, "no limit, no ratio");
        assert_eq!(r.hit_ratio(), Some(0.9));
    }
}
