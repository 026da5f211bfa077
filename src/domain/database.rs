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
    /// When `state` last changed: how long an idle-in-transaction session has been idle.
    pub state_change: Option<UnixTime>,
    pub query: String,
    /// `pg_blocking_pids(pid)`.
    pub blocked_by: Vec<i32>,
    /// How many sessions of its instance wait on this one (whose `blocked_by` has its pid);
    /// set by [`PgInstance::count_blocked`].
    pub blocks: u32,
}

impl PgSession {
    /// Seconds the current query has been running, for active or waiting sessions only.
    pub fn running_secs(&self, now: UnixTime) -> Option<u64> {
        match self.state {
            SessionState::Active | SessionState::Waiting => self.query_start.map(|t| t.age_at(now)),
            _ => None,
        }
    }

    /// How long the session has been as it is, where that matters: an active or waiting
    /// session's query time, and how long an idle-in-transaction session has been idle with
    /// its transaction (and its locks) open. An idle session: `None`.
    pub fn in_state_secs(&self, now: UnixTime) -> Option<u64> {
        match self.state {
            SessionState::Active | SessionState::Waiting => self.running_secs(now),
            SessionState::IdleInTransaction | SessionState::IdleInTransactionAborted => {
                self.state_change.or(self.xact_start).map(|t| t.age_at(now))
            }
            _ => None,
        }
    }

    pub fn level(&self, now: UnixTime) -> Level {
        let long = match self.state {
            SessionState::Idle | SessionState::Other => Level::Ok,
            _ => self
                .in_state_secs(now)
                .map_or(Level::Ok, |s| defaults::LONG_QUERY_S.level(s as f64)),
        };
        let state = match self.state {
            SessionState::Waiting | SessionState::IdleInTransactionAborted => Level::Warn,
            _ => Level::Ok,
        };
        // Holding up another session is never fine, however briefly.
        let blocking = if self.blocks > 0 {
            Level::Warn
        } else {
            Level::Ok
        };
        long.max(state).max(blocking)
    }

    /// What makes the session stand out, in a few words: `pid 5120 idle in transaction 21m,
    /// blocks 1`.
    pub fn headline(&self, now: UnixTime) -> String {
        let mut text = format!("pid {} {}", self.pid, self.state.word());
        if let Some(secs) = self.in_state_secs(now) {
            text.push(' ');
            text.push_str(&super::time::format_age(secs));
        }
        if self.blocks > 0 {
            text.push_str(&format!(", blocks {}", self.blocks));
        }
        if let Some(first) = self.blocked_by.first() {
            text.push_str(&format!(", waits on {first}"));
        }
        text
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

    /// Sets each session's `blocks` from the others' `blocked_by`.
    pub fn count_blocked(&mut self) {
        let mut waiting: std::collections::HashMap<i32, u32> = std::collections::HashMap::new();
        for s in &self.sessions {
            for pid in &s.blocked_by {
                *waiting.entry(*pid).or_default() += 1;
            }
        }
        for s in &mut self.sessions {
            s.blocks = waiting.get(&s.pid).copied().unwrap_or(0);
        }
    }

    /// The session that holds up `pid`, to act on instead of it: the first of its blockers
    /// that is not itself waiting (the head of the queue), else the first.
    pub fn blocker_of(&self, pid: i32) -> Option<&PgSession> {
        let waiting = self.sessions.iter().find(|s| s.pid == pid)?;
        let blockers = || {
            waiting
                .blocked_by
                .iter()
                .filter_map(|b| self.sessions.iter().find(|s| s.pid == *b))
        };
        blockers()
            .find(|s| s.blocked_by.is_empty())
            .or_else(|| blockers().next())
    }

    /// The session to look at first: the worst, then the one blocking the most, then the
    /// longest in its state. `None` when every session is fine.
    pub fn worst_session(&self, now: UnixTime) -> Option<&PgSession> {
        self.sessions
            .iter()
            .filter(|s| s.level(now) > Level::Ok)
            .max_by_key(|s| (s.level(now), s.blocks, s.in_state_secs(now), -s.pid))
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

    fn session(pid: i32, state: SessionState, since: i64, blocked_by: Vec<i32>) -> PgSession {
        PgSession {
            pid,
            user: "app".into(),
            database: "db".into(),
            application: "a".into(),
            client: "local".into(),
            state,
            wait_event: None,
            // A query of a session that is idle now ended 5 s after it began.
            query_start: Some(UnixTime(since - 5)),
            xact_start: Some(UnixTime(-700)),
            state_change: Some(UnixTime(since)),
            query: String::new(),
            blocked_by,
            blocks: 0,
        }
    }

    #[test]
    fn an_idle_transaction_is_timed_from_its_state_change_and_a_blocker_stands_out() {
        let now = UnixTime(0);
        let mut pg = PgInstance {
            name: "pg".into(),
            version: "15".into(),
            role: PgRole::Primary,
            max_connections: 100,
            sessions: vec![
                session(7, SessionState::Active, -600, vec![]),
                session(5120, SessionState::IdleInTransaction, -30, vec![]),
                session(5133, SessionState::Waiting, -600, vec![5120]),
                session(5140, SessionState::Waiting, -20, vec![5120, 5133]),
            ],
            size_bytes: 0,
            replication_lag_secs: None,
        };
        pg.count_blocked();
        let blocks: Vec<u32> = pg.sessions.iter().map(|s| s.blocks).collect();
        assert_eq!(blocks, [0, 2, 1, 0]);
        let blocker = &pg.sessions[1];
        // Idle for 30 s (its transaction is older): not long, but it holds two others up.
        assert_eq!(blocker.in_state_secs(now), Some(30));
        assert_eq!(blocker.running_secs(now), None, "no query runs");
        assert_eq!(blocker.level(now), Level::Warn);
        assert_eq!(
            blocker.headline(now),
            "pid 5120 idle in transaction 30s, blocks 2"
        );
        assert_eq!(
            pg.sessions[3].headline(now),
            "pid 5140 waiting 25s, waits on 5120"
        );
        // 5140 waits on 5120 and on 5133, which waits on 5120 too: 5120 holds them up.
        assert_eq!(pg.blocker_of(5140).map(|s| s.pid), Some(5120));
        assert_eq!(pg.blocker_of(5133).map(|s| s.pid), Some(5120));
        assert!(pg.blocker_of(5120).is_none());
        // Among the critical, the one blocking others is the one to look at.
        assert_eq!(pg.worst_session(now).map(|s| s.pid), Some(5133));
        pg.sessions[1].state_change = Some(UnixTime(-1260));
        assert_eq!(pg.sessions[1].level(now), Level::Crit);
        assert_eq!(pg.worst_session(now).map(|s| s.pid), Some(5120));
        assert_eq!(
            pg.sessions[1].headline(now),
            "pid 5120 idle in transaction 21m, blocks 2"
        );
    }

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
