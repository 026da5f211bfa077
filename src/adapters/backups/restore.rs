//! Test-restoring a dump: into a scratch database `opsdeck_restore_*` on the set's configured
//! PostgreSQL, then counting its tables and rows, then dropping it — whatever happened in
//! between. Nothing here touches a database whose name lacks that prefix.

use std::path::Path;

use tokio::sync::mpsc;

use super::verify::{DumpFormat, run_with_dump};
use crate::adapters::postgres;
use crate::config::{BackupConfig, PostgresConfig};

/// Every scratch database's name starts with this.
pub const PREFIX: &str = "opsdeck_restore_";

/// What a test restore found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub database: String,
    /// (schema.table, rows), largest first.
    pub tables: Vec<(String, i64)>,
}

impl Restored {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }

    pub fn summary(&self) -> String {
        let largest: Vec<String> = self
            .tables
            .iter()
            .take(3)
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        let tables = match self.tables.len() {
            1 => "1 table".to_string(),
            n => format!("{n} tables"),
        };
        format!(
            "{tables}, {} rows ({}{})",
            self.rows(),
            largest.join(", "),
            if self.tables.len() > 3 { ", ..." } else { "" }
        )
    }
}

/// A scratch database name for the set: the prefix, the set's name in safe letters, the time.
pub fn scratch_name(set: &str, unix: i64) -> String {
    let safe: String = set
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .take(30)
        .collect();
    format!("{PREFIX}{safe}_{unix}")
}

/// The connection string with another database: a `postgresql://` URL's path replaced, or
/// `dbname=` appended to a `key=value` one (libpq takes the last).
pub fn with_dbname(dsn: &str, dbname: &str) -> String {
    if let Some(scheme_end) = dsn.find("://") {
        let rest = &dsn[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (head, tail) = dsn.split_at(scheme_end + 3 + authority_end);
        let query = tail.find('?').map_or("", |q| &tail[q..]);
        return format!("{head}/{dbname}{query}");
    }
    format!("{dsn} dbname={dbname}")
}

/// Restores `path` into a new scratch database, counts what it holds, and drops it.
pub async fn test_restore(
    set: &BackupConfig,
    server: &PostgresConfig,
    path: &Path,
    format: DumpFormat,
    database: &str,
    progress: &mpsc::Sender<String>,
) -> Result<Restored, String> {
    assert!(database.starts_with(PREFIX), "scratch databases only");
    let (admin, _connection) = postgres::connect(server).await?;
    let _ = progress
        .send(format!("creating {database} on {}", server.name))
        .await;
    admin
        .batch_execute(&format!("CREATE DATABASE \"{database}\""))
        .await
        .map_err(|e| format!("cannot create {database}: {}", postgres::describe(&e)))?;
    let result = restore_and_count(set, server, path, format, database, progress).await;
    let _ = progress.send(format!("dropping {database}")).await;
    let dropped = admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .await
        .map_err(|e| format!("cannot drop {database}: {}", postgres::describe(&e)));
    let restored = result?;
    dropped?;
    Ok(restored)
}

async fn restore_and_count(
    set: &BackupConfig,
    server: &PostgresConfig,
    path: &Path,
    format: DumpFormat,
    database: &str,
    progress: &mpsc::Sender<String>,
) -> Result<Restored, String> {
    let target = with_dbname(&server.dsn, database);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    match format {
        DumpFormat::Custom => {
            let _ = progress.send(format!("pg_restore {name}")).await;
            let args = [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                &target,
            ];
            run_with_dump(&set.pg_restore, &args, path).await?;
        }
        DumpFormat::Plain => {
            let _ = progress.send(format!("psql < {name}")).await;
            let args = ["-q", "-v", "ON_ERROR_STOP=1", "-d", &target];
            run_with_dump(&set.psql, &args, path).await?;
        }
    }
    let _ = progress.send("counting tables and rows".to_string()).await;
    // Counting a big table may take a while: the scratch connection is not held to the
    // instance's short statement timeout.
    let scratch = PostgresConfig {
        dsn: target,
        statement_timeout: std::time::Duration::from_secs(600),
        ..server.clone()
    };
    let (client, _connection) = postgres::connect(&scratch).await?;
    let rows = client
        .query(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables \
             WHERE table_type = 'BASE TABLE' \
             AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| postgres::describe(&e))?;
    let mut tables = Vec::new();
    for row in rows {
        let table: String = row.get(0);
        let count: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .map_err(|e| format!("counting {table}: {}", postgres::describe(&e)))?
            .get(0);
        tables.push((table, count));
    }
    tables.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Restored {
        database: database.to_string(),
        tables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_names_are_prefixed_and_safe_and_dsns_point_at_them() {
        assert_eq!(
            scratch_name("Positivity nightly!", 1_790_000_000),
            "opsdeck_restore_positivity_nightly__1790000000"
        );
        assert_eq!(
            with_dbname("postgresql://u:p@db:5432/app?sslmode=disable", "x"),
            "postgresql://u:p@db:5432/x?sslmode=disable"
        );
        assert_eq!(with_dbname("postgres://db", "x"), "postgres://db/x");
        assert_eq!(
            with_dbname("host=db user=u dbname=app", "x"),
            "host=db user=u dbname=app dbname=x"
        );
    }
}
