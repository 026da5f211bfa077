//! The shared audit table: with `[audit] postgres = "dsn"`, every audit record also goes to a
//! PostgreSQL table (`opsdeck_audit`, created if missing), so a team has one queryable record of
//! who did what. The local file stays the record of truth: it is written first, and a table
//! that cannot be reached does not stop an action.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::audit::AuditRecord;
use crate::config::PostgresConfig;

/// The longest a record's insert may take.
const INSERT_TIMEOUT: Duration = Duration::from_secs(5);

pub const CREATE_TABLE: &str = "\
    CREATE TABLE IF NOT EXISTS opsdeck_audit (\
        seq bigserial PRIMARY KEY, \
        time timestamptz NOT NULL, \
        action_id text NOT NULL, \
        phase text NOT NULL, \
        operator text NOT NULL, \
        context text NOT NULL, \
        action text NOT NULL, \
        target text NOT NULL, \
        change text, \
        result text, \
        message text, \
        duration_ms bigint, \
        record jsonb NOT NULL)";

const INSERT: &str = "\
    INSERT INTO opsdeck_audit (time, action_id, phase, operator, context, action, target, change, \
                               result, message, duration_ms, record) \
    VALUES ($1::text::timestamptz, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb)";

#[derive(Debug)]
pub struct AuditTable {
    cfg: PostgresConfig,
    created: AtomicBool,
}

impl AuditTable {
    pub fn new(dsn: &str) -> AuditTable {
        AuditTable {
            cfg: PostgresConfig {
                name: "shared audit table".into(),
                dsn: dsn.into(),
                statement_timeout: INSERT_TIMEOUT,
            },
            created: AtomicBool::new(false),
        }
    }

    /// Inserts one record (creating the table the first time); the error says why not.
    pub async fn insert(&self, record: &AuditRecord) -> Result<(), String> {
        tokio::time::timeout(INSERT_TIMEOUT * 2, self.try_insert(record))
            .await
            .unwrap_or_else(|_| Err("no answer within 10 s".into()))
    }

    async fn try_insert(&self, record: &AuditRecord) -> Result<(), String> {
        let (client, connection) = crate::adapters::postgres::connect(&self.cfg).await?;
        let describe = |e: tokio_postgres::Error| crate::adapters::postgres::describe(&e);
        let result = async {
            if !self.created.load(Ordering::Relaxed) {
                client.batch_execute(CREATE_TABLE).await.map_err(describe)?;
                self.created.store(true, Ordering::Relaxed);
            }
            let phase = match record.phase {
                super::audit::Phase::Intent => "intent",
                super::audit::Phase::Outcome => "outcome",
            };
            let json = serde_json::to_string(record).map_err(|e| e.to_string())?;
            let duration = record.duration_ms.map(|d| d as i64);
            client
                .execute(
                    INSERT,
                    &[
                        &record.time,
                        &record.id,
                        &phase,
                        &record.operator,
                        &record.context,
                        &record.action,
                        &record.target,
                        &record.change,
                        &record.result,
                        &record.message,
                        &duration,
                        &json,
                    ],
                )
                .await
                .map_err(describe)?;
            Ok(())
        }
        .await;
        drop(client);
        connection.abort();
        result
    }
}
