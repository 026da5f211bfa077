//! What the adapter asks PostgreSQL each refresh, and how the rows become domain types. Two
//! cheap queries: one row of instance figures, one row per client backend.

use tokio_postgres::{Client, Row};

use crate::domain::{PgInstance, PgRole, PgSession, SessionState, UnixTime};

/// Instance figures: connections limit, size, role and replication lag (on a replica, the age
/// of the last replayed transaction; on a primary, the worst replica's replay lag).
pub const INSTANCE_SQL: &str = "\
    SELECT current_setting('max_connections')::int, \
           pg_database_size(current_database()), \
           pg_is_in_recovery(), \
           CASE WHEN pg_is_in_recovery() \
                THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 \
                ELSE (SELECT extract(epoch FROM max(replay_lag))::float8 FROM pg_stat_replication) END, \
           current_setting('server_version')";

/// Every client backend, with what blocks it and when its state last changed (how long an idle
/// transaction has been idle). Query text is cut server-side so a 100 kB
/// statement does not cross the network every refresh. Without `pg_read_all_stats`, other
/// roles' sessions come back with `backend_type` hidden (NULL) and the query as
/// `<insufficient privilege>`: they are still connections, so they are kept (a database and
/// no parallel leader tells them from background processes).
pub const SESSIONS_SQL: &str = "\
    SELECT pid, coalesce(usename, ''), coalesce(datname, ''), coalesce(application_name, ''), \
           coalesce(host(client_addr), 'local'), coalesce(state, ''), \
           coalesce(wait_event_type, ''), coalesce(wait_event, ''), \
           extract(epoch FROM query_start)::float8::bigint, \
           extract(epoch FROM xact_start)::float8::bigint, \
           left(coalesce(query, ''), 4000), \
           pg_blocking_pids(pid), \
           extract(epoch FROM state_change)::float8::bigint \
    FROM pg_stat_activity \
    WHERE backend_type = 'client backend' \
       OR (backend_type IS NULL AND datname IS NOT NULL AND leader_pid IS NULL) \
    ORDER BY pid";

fn session(row: &Row) -> Result<PgSession, tokio_postgres::Error> {
    let state: String = row.try_get(5)?;
    let wait_type: String = row.try_get(6)?;
    let wait_event: String = row.try_get(7)?;
    let blocked_by: Vec<i32> = row.try_get(11)?;
    Ok(PgSession {
        pid: row.try_get(0)?,
        user: row.try_get(1)?,
        database: row.try_get(2)?,
        application: row.try_get(3)?,
        client: row.try_get(4)?,
        state: session_state(&state, &wait_type, !blocked_by.is_empty()),
        wait_event: (!wait_type.is_empty()).then(|| format!("{wait_type}: {wait_event}")),
        query_start: row.try_get::<_, Option<i64>>(8)?.map(UnixTime),
        xact_start: row.try_get::<_, Option<i64>>(9)?.map(UnixTime),
        state_change: row.try_get::<_, Option<i64>>(12)?.map(UnixTime),
        query: row.try_get(10)?,
        blocked_by,
        blocks: 0,
    })
}

/// `pg_stat_activity.state`, with an active session waiting on a lock called waiting.
pub fn session_state(state: &str, wait_type: &str, blocked: bool) -> SessionState {
    match state {
        "active" if blocked || wait_type == "Lock" => SessionState::Waiting,
        "active" => SessionState::Active,
        "idle" => SessionState::Idle,
        "idle in transaction" => SessionState::IdleInTransaction,
        "idle in transaction (aborted)" => SessionState::IdleInTransactionAborted,
        _ => SessionState::Other,
    }
}

pub async fn poll(client: &Client, name: &str) -> Result<PgInstance, tokio_postgres::Error> {
    let row = client.query_one(INSTANCE_SQL, &[]).await?;
    let sessions = client
        .query(SESSIONS_SQL, &[])
        .await?
        .iter()
        .map(session)
        .collect::<Result<Vec<_>, _>>()?;
    let in_recovery: bool = row.try_get(2)?;
    let mut instance = PgInstance {
        name: name.to_string(),
        version: row.try_get(4)?,
        role: if in_recovery {
            PgRole::Replica
        } else {
            PgRole::Primary
        },
        max_connections: row.try_get::<_, i32>(0)?.max(0) as u32,
        sessions,
        size_bytes: row.try_get::<_, i64>(1)?.max(0) as u64,
        replication_lag_secs: row.try_get(3)?,
    };
    instance.count_blocked();
    Ok(instance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_map_and_lock_waits_are_waiting() {
        assert_eq!(session_state("active", "", false), SessionState::Active);
        assert_eq!(
            session_state("active", "Lock", false),
            SessionState::Waiting
        );
        assert_eq!(session_state("active", "IO", true), SessionState::Waiting);
        assert_eq!(
            session_state("idle in transaction", "Client", false),
            SessionState::IdleInTransaction
        );
        assert_eq!(
            session_state("fastpath function call", "", false),
            SessionState::Other
        );
    }
}
