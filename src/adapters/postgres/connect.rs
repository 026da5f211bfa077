//! Connecting to one PostgreSQL instance: the DSN's settings with our application name, the
//! statement timeout and the password (DSN, PGPASSWORD or ~/.pgpass), TLS when asked for, and
//! a deadline on the whole of it.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Client, NoTls};

use super::{OWN_APPLICATION_NAME, pgpass, tls};
use crate::config::PostgresConfig;

/// How long connecting may take in all (TCP, TLS, authentication, the first query): a server
/// that accepts the connection and then says nothing is not waited for.
pub(super) const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

pub(super) fn no_answer(what: &str, within: Duration) -> String {
    format!("did not answer {what} within {} s", within.as_secs_f64())
}

/// An operator-readable reason, without the connection string.
pub fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// The connection settings with our application name, timeouts and the password filled in.
fn settings(cfg: &PostgresConfig) -> Result<tokio_postgres::Config, String> {
    let mut config: tokio_postgres::Config = cfg
        .dsn
        .parse()
        .map_err(|e: tokio_postgres::Error| format!("the DSN is not valid ({})", describe(&e)))?;
    config.application_name(OWN_APPLICATION_NAME);
    config.connect_timeout(Duration::from_secs(5));
    config.options(format!(
        "-c statement_timeout={}",
        cfg.statement_timeout.as_millis()
    ));
    if config.get_password().is_none() {
        if let Some(password) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
            config.password(password);
        } else if let Some(text) = pgpass::path().and_then(|p| std::fs::read_to_string(p).ok()) {
            let host = match config.get_hosts().first() {
                Some(Host::Tcp(h)) => h.clone(),
                _ => "localhost".to_string(),
            };
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let user = config.get_user().unwrap_or_default().to_string();
            let dbname = config.get_dbname().unwrap_or(&user).to_string();
            if let Some(password) = pgpass::lookup(&text, &host, port, &dbname, &user) {
                config.password(password);
            }
        }
    }
    Ok(config)
}

fn tls() -> Result<tls::MakeRustls, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tls::MakeRustls::new(config))
}

/// Connects; TLS when the DSN asks for it (any sslmode but `disable`; `prefer` falls back to
/// plain when the server has no TLS).
/// Gives up after `CONNECT_DEADLINE`: a server that accepts and then says nothing is not
/// waited for.
pub async fn connect(cfg: &PostgresConfig) -> Result<(Client, JoinHandle<()>), String> {
    tokio::time::timeout(CONNECT_DEADLINE, connect_unbounded(cfg))
        .await
        .unwrap_or_else(|_| Err(no_answer("the connection", CONNECT_DEADLINE)))
}

async fn connect_unbounded(cfg: &PostgresConfig) -> Result<(Client, JoinHandle<()>), String> {
    let config = settings(cfg)?;
    let (client, connection): (Client, JoinHandle<()>) = match config.get_ssl_mode() {
        SslMode::Disable => {
            let (client, connection) = config.connect(NoTls).await.map_err(|e| describe(&e))?;
            (
                client,
                tokio::spawn(async move {
                    let _ = connection.await;
                }),
            )
        }
        _ => {
            let (client, connection) = config.connect(tls()?).await.map_err(|e| describe(&e))?;
            (
                client,
                tokio::spawn(async move {
                    let _ = connection.await;
                }),
            )
        }
    };
    Ok((client, connection))
}
