//! Queries run for a checklist's steps rather than watched: a SQL query's single value on a
//! `[[postgres]]` instance (read-only, under its statement timeout), a PromQL instant query.

use std::time::{Duration, Instant};

use super::def::Check;
use crate::config::{PostgresConfig, PrometheusConfig};
use crate::domain::{SourceId, SourceKind, UnixTime};

/// Longest a probe may take, connection included.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    Sql { postgres: String, query: String },
    Promql { query: String },
}

impl Probe {
    pub fn of(check: &Check) -> Option<Probe> {
        match check {
            Check::Sql {
                postgres, query, ..
            } => Some(Probe::Sql {
                postgres: postgres.clone(),
                query: query.clone(),
            }),
            Check::Promql { query, .. } => Some(Probe::Promql {
                query: query.clone(),
            }),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProbeError {
    pub message: String,
    /// What it needs is not in the config: the step does not apply here.
    pub not_configured: bool,
}

impl ProbeError {
    fn failed(message: impl Into<String>) -> Self {
        ProbeError {
            message: crate::ui::text::clean(&crate::domain::redact::urls(&message.into()))
                .into_owned(),
            not_configured: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProbeAnswer {
    pub result: Result<Option<f64>, ProbeError>,
    pub at: UnixTime,
    pub took_ms: u64,
}

/// Runs probes with the config's connections.
#[derive(Debug, Clone, Default)]
pub struct Prober {
    pub postgres: Vec<PostgresConfig>,
    pub prometheus: Option<PrometheusConfig>,
    /// The demo's simulated sources: shown in the cockpit, but they answer no SQL or PromQL,
    /// and a step on them must say so rather than call them unconfigured.
    pub simulated: Vec<SourceId>,
}

impl Prober {
    pub async fn run(&self, probe: &Probe) -> ProbeAnswer {
        let started = Instant::now();
        let result = match tokio::time::timeout(PROBE_TIMEOUT, self.answer(probe)).await {
            Ok(result) => result,
            Err(_) => Err(ProbeError::failed(format!(
                "no answer within {} s",
                PROBE_TIMEOUT.as_secs()
            ))),
        };
        ProbeAnswer {
            result,
            at: UnixTime::now(),
            took_ms: started.elapsed().as_millis() as u64,
        }
    }

    fn is_simulated(&self, kind: SourceKind, name: &str) -> bool {
        self.simulated
            .iter()
            .any(|s| s.kind == kind && s.name == name)
    }

    async fn answer(&self, probe: &Probe) -> Result<Option<f64>, ProbeError> {
        match probe {
            Probe::Sql { postgres, query } => {
                let Some(cfg) = self.postgres.iter().find(|p| &p.name == postgres) else {
                    let message = if self.is_simulated(SourceKind::Postgres, postgres) {
                        format!(
                            "`{postgres}` is the demo's simulated instance and runs no SQL \
                             (a [[postgres]] named `{postgres}` on a real server would answer)"
                        )
                    } else {
                        format!("no [[postgres]] named `{postgres}` is configured")
                    };
                    return Err(ProbeError {
                        message,
                        not_configured: true,
                    });
                };
                sql_value(cfg, query).await.map_err(ProbeError::failed)
            }
            Probe::Promql { query } => {
                let Some(prometheus) = &self.prometheus else {
                    let message = if self
                        .simulated
                        .iter()
                        .any(|s| s.kind == SourceKind::Prometheus)
                    {
                        "the demo's Prometheus is simulated and answers no PromQL \
                         (a real [prometheus] would)"
                    } else {
                        "no [prometheus] is configured"
                    };
                    return Err(ProbeError {
                        message: message.into(),
                        not_configured: true,
                    });
                };
                crate::adapters::prometheus::instant(&prometheus.url, query)
                    .await
                    .map_err(ProbeError::failed)
            }
        }
    }
}

/// The first column of the first row, as a number; a read-only session, so a checklist can
/// never change data.
pub async fn sql_value(cfg: &PostgresConfig, query: &str) -> Result<Option<f64>, String> {
    let (client, connection) = crate::adapters::postgres::connect(cfg)
        .await
        .map_err(|e| format!("{}: {e}", cfg.name))?;
    let result = async {
        client
            .batch_execute("SET default_transaction_read_only = on")
            .await
            .map_err(|e| crate::adapters::postgres::describe(&e))?;
        let messages = client
            .simple_query(query)
            .await
            .map_err(|e| crate::adapters::postgres::describe(&e))?;
        let row = messages.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        });
        let Some(text) = row.and_then(|r| r.get(0)) else {
            return Ok(None);
        };
        text.trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("the first column is `{text}`, not a number"))
    }
    .await;
    drop(client);
    connection.abort();
    result
}
