//! The simulated PostgreSQL instances and Redis: generation and churn. The positivity database
//! carries the story: a long-running report query, a transaction left idle for minutes with a
//! row lock, and a session waiting on that lock.

use super::world::World;
use crate::domain::{PgInstance, PgRole, PgSession, RedisInfo, SessionState, UnixTime};

const QUERIES: &[&str] = &[
    "SELECT id, status, total FROM orders WHERE store_id = $1 AND created_at > $2",
    "UPDATE order_items SET qty = $1 WHERE order_id = $2 AND sku = $3",
    "INSERT INTO payments (order_id, amount, method) VALUES ($1, $2, $3)",
    "SELECT sku, qty FROM inventory WHERE sku = ANY($1)",
    "SELECT * FROM workflow_runs WHERE state = 'running' ORDER BY started_at LIMIT 50",
    "UPDATE workflow_runs SET state = $1, finished_at = now() WHERE id = $2",
    "COMMIT",
    "BEGIN",
];

fn session(
    rng: &mut fastrand::Rng,
    pid: &mut i32,
    db: &str,
    apps: &[&str],
    now: UnixTime,
) -> PgSession {
    *pid += rng.i32(1..40);
    let roll = rng.f32();
    let state = if roll < 0.22 {
        SessionState::Active
    } else if roll < 0.92 {
        SessionState::Idle
    } else {
        SessionState::IdleInTransaction
    };
    let app = apps[rng.usize(..apps.len())];
    // An idle session's last query may be long done; a transaction left idle is the story's
    // (pid 5120), the others are between two statements.
    // (The same draws as ever, so that the rest of the demo estate stays as it was.)
    let query_age = match state {
        SessionState::Active => rng.i64(0..3),
        SessionState::IdleInTransaction => rng.i64(1..600) % 20 + 1,
        _ => rng.i64(1..600),
    };
    let query_start = now.plus(-query_age);
    // Active since its query started; idle since it finished, a moment later.
    let state_change = match state {
        SessionState::Active => query_start,
        _ => query_start.plus(1.min(query_age - 1)),
    };
    PgSession {
        pid: *pid,
        user: format!("{}_app", db.split('-').next().unwrap_or(db)),
        database: db.split('-').next().unwrap_or(db).into(),
        application: app.into(),
        client: format!("10.42.{}.{}", rng.u8(0..8), rng.u8(2..250)),
        state,
        wait_event: (state == SessionState::Idle).then(|| "Client: ClientRead".to_string()),
        query_start: Some(query_start),
        xact_start: (state != SessionState::Idle).then(|| now.plus(-query_age - rng.i64(0..5))),
        state_change: Some(state_change),
        query: QUERIES[rng.usize(..QUERIES.len())].into(),
        blocked_by: vec![],
        blocks: 0,
    }
}

pub(super) fn postgres(
    rng: &mut fastrand::Rng,
    pid: &mut i32,
    name: &str,
    max: u32,
    count: usize,
    story: bool,
    now: UnixTime,
) -> PgInstance {
    let apps: &[&str] = if story {
        &[
            "pos-order",
            "pos-payment",
            "pos-inventory",
            "pos-catalog",
            "pgbouncer",
        ]
    } else {
        &[
            "workflow-orchestrator",
            "workflow-worker",
            "validation-service",
        ]
    };
    let mut sessions: Vec<PgSession> = (0..count)
        .map(|_| session(rng, pid, name, apps, now))
        .collect();
    if story {
        // The long-running report query, a transaction left open, and a session it blocks.
        sessions[0] = PgSession {
            pid: 4242,
            user: "analyst".into(),
            database: "positivity".into(),
            application: "metabase".into(),
            client: "10.42.7.19".into(),
            state: SessionState::Active,
            wait_event: Some("IO: DataFileRead".into()),
            query_start: Some(now.plus(-412)),
            xact_start: Some(now.plus(-412)),
            state_change: Some(now.plus(-412)),
            query: "SELECT o.store_id, date_trunc('day', o.created_at) AS day, sum(i.qty * i.price) AS revenue \
                    FROM orders o JOIN order_items i ON i.order_id = o.id \
                    WHERE o.created_at > now() - interval '400 days' GROUP BY 1, 2 ORDER BY 3 DESC"
                .into(),
            blocked_by: vec![],
            blocks: 0,
        };
        // Its last statement took the row lock nine minutes ago; it has been idle since.
        sessions[1] = PgSession {
            pid: 5120,
            user: "positivity_app".into(),
            database: "positivity".into(),
            application: "pos-inventory".into(),
            client: "10.42.3.77".into(),
            state: SessionState::IdleInTransaction,
            wait_event: Some("Client: ClientRead".into()),
            query_start: Some(now.plus(-545)),
            xact_start: Some(now.plus(-560)),
            state_change: Some(now.plus(-544)),
            query: "UPDATE inventory SET qty = qty - 1 WHERE sku = $1".into(),
            blocked_by: vec![],
            blocks: 0,
        };
        sessions[2] = PgSession {
            pid: 5133,
            user: "positivity_app".into(),
            database: "positivity".into(),
            application: "pos-order".into(),
            client: "10.42.1.12".into(),
            state: SessionState::Waiting,
            wait_event: Some("Lock: transactionid".into()),
            query_start: Some(now.plus(-95)),
            xact_start: Some(now.plus(-95)),
            state_change: Some(now.plus(-95)),
            query: "UPDATE inventory SET qty = qty - $2 WHERE sku = $1".into(),
            blocked_by: vec![5120],
            blocks: 0,
        };
    }
    let mut instance = PgInstance {
        name: name.into(),
        version: "15.8".into(),
        role: PgRole::Primary,
        max_connections: max,
        sessions,
        size_bytes: if story {
            48 * 1024 * 1024 * 1024
        } else {
            6 * 1024 * 1024 * 1024
        },
        replication_lag_secs: story.then_some(0.4),
    };
    instance.count_blocked();
    instance
}

pub(super) fn redis(now: UnixTime) -> RedisInfo {
    RedisInfo {
        name: "cache".into(),
        role: "master".into(),
        used_memory: 1_780 * 1024 * 1024,
        maxmemory: 2_048 * 1024 * 1024,
        connected_clients: 142,
        blocked_clients: 0,
        ops_per_sec: 5_200,
        keyspace_hits: 98_000_000,
        keyspace_misses: 7_400_000,
        evicted_keys: 0,
        expired_keys: 1_200_000,
        ping_ms: 0.3,
        uptime_secs: 41 * 86_400,
        repl_offset: 918_273_645,
        slowlog: vec![crate::domain::SlowlogEntry {
            id: 812,
            at: now.plus(-340),
            duration_us: 48_200,
            command: "KEYS session:*".into(),
        }],
    }
}

impl World {
    /// Ends a few sessions and starts as many, so the count wanders around its level; the
    /// long-running query and its lock story stay.
    pub(super) fn churn_sessions(&mut self) {
        let now = self.now;
        for pg in &mut self.postgres {
            let keep = 3.min(pg.sessions.len());
            let churn = self.rng.usize(0..4);
            for _ in 0..churn {
                if pg.sessions.len() > keep {
                    let i = self.rng.usize(keep..pg.sessions.len());
                    pg.sessions.swap_remove(i);
                }
            }
            let target = if pg.name == "positivity-db" { 168 } else { 38 };
            while pg.sessions.len() < target + self.rng.usize(0..3) - 1 {
                self.next_pid += self.rng.i32(1..30);
                let mut s = pg.sessions[pg.sessions.len() - 1].clone();
                s.pid = self.next_pid;
                s.state = if self.rng.f32() < 0.25 {
                    SessionState::Active
                } else {
                    SessionState::Idle
                };
                s.query_start = Some(now);
                s.xact_start = (s.state == SessionState::Active).then_some(now);
                s.state_change = Some(now);
                s.blocked_by.clear();
                pg.sessions.push(s);
            }
            for s in pg.sessions.iter_mut().skip(keep) {
                if self.rng.f32() < 0.1 {
                    s.state = match s.state {
                        SessionState::Active => SessionState::Idle,
                        _ => SessionState::Active,
                    };
                    s.query_start = Some(now);
                    s.state_change = Some(now);
                    s.wait_event =
                        (s.state == SessionState::Idle).then(|| "Client: ClientRead".into());
                }
            }
            pg.count_blocked();
        }
    }

    pub(super) fn drift_redis(&mut self) {
        let r = &mut self.redis;
        // A slow swell between 84% and 91% of maxmemory over about five minutes.
        let phase = (self.tick % 300) as f64 / 300.0 * std::f64::consts::TAU;
        let ratio = 0.875 + 0.035 * phase.sin();
        r.used_memory = (r.maxmemory as f64 * ratio) as u64;
        r.ops_per_sec = self.rng.u64(4_200..6_400);
        let hits = r.ops_per_sec * 93 / 100;
        r.keyspace_hits += hits * self.poll_every;
        r.keyspace_misses += (r.ops_per_sec - hits) * self.poll_every;
        if ratio > 0.9 {
            r.evicted_keys += self.rng.u64(10..200);
        }
        r.expired_keys += self.rng.u64(50..400);
        r.connected_clients = self.rng.u32(130..160);
        r.ping_ms = 0.2 + self.rng.f64() * 0.4;
        r.uptime_secs += self.poll_every;
    }
}

#[cfg(test)]
mod tests {
    use crate::config::DemoConfig;
    use crate::domain::{Report, SessionState, UnixTime};
    use crate::sim::World;

    /// 2026-09-21 14:13:20 UTC.
    const T0: UnixTime = UnixTime(1_790_000_000);

    #[test]
    fn the_idle_transaction_blocks_the_waiting_session_as_postgres_would_report_it() {
        let mut world = World::generate(&DemoConfig::default(), 2, T0);
        let reports = world.initial_reports();
        let later: Vec<_> = (1..=60).flat_map(|i| world.step(T0.plus(i))).collect();
        let now = T0.plus(60);
        let positivity = reports
            .into_iter()
            .chain(later)
            .filter_map(|r| match r.report {
                Report::Postgres(pg) if pg.name == "positivity-db" => Some(pg),
                _ => None,
            })
            .last()
            .expect("positivity-db reported");
        let by_pid = |pid| positivity.sessions.iter().find(|s| s.pid == pid).unwrap();
        let blocker = by_pid(5120);
        assert_eq!(blocker.state, SessionState::IdleInTransaction);
        assert_eq!(blocker.blocks, 1);
        assert_eq!(
            blocker.in_state_secs(now),
            Some(544 + 60),
            "idle since state_change"
        );
        let waiter = by_pid(5133);
        assert_eq!(waiter.blocked_by, [5120]);
        assert_eq!(waiter.state, SessionState::Waiting);
        assert_eq!(positivity.worst_session(now).map(|s| s.pid), Some(5120));
        // The other sessions block nobody, and none idles in a transaction for long.
        let others = positivity.sessions.iter().filter(|s| s.pid != 5120);
        assert!(others.clone().all(|s| s.blocks == 0));
        for s in others.filter(|s| s.state == SessionState::IdleInTransaction) {
            assert!(s.in_state_secs(now).unwrap() < 120, "{s:?}");
        }
    }
}
