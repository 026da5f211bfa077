//! Alertmanager (API v2): one task per configured Alertmanager polls its alerts (Alertmanager
//! has no watch) and carries out silences and their expiry. Credentials come from environment
//! variables and are never shown.

use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::actions::executor::{ActionError, Executor, Permission, ask};
use crate::actions::{Action, ActionKind, Target};
use crate::config::AlertmanagerConfig;
use crate::domain::{Alert, Report, Silence, SourceId, SourceKind, SourceReport, UnixTime};

pub mod wire;

use wire::{GettableAlert, GettableSilence, PostableSilence, WireMatcher};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The HTTP side: base URL, client, credentials.
#[derive(Clone)]
struct Api {
    base: String,
    client: reqwest::Client,
    basic: Option<(String, String)>,
    bearer: Option<String>,
}

impl Api {
    fn new(cfg: &AlertmanagerConfig) -> Result<Api, String> {
        let mut builder = reqwest::Client::builder().timeout(REQUEST_TIMEOUT);
        if let Some(pem) = &cfg.ca_pem {
            let ca = reqwest::Certificate::from_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
            builder = builder.tls_certs_merge([ca]);
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        let env = |var: &Option<String>| var.as_ref().and_then(|v| std::env::var(v).ok());
        Ok(Api {
            base: cfg.url.trim_end_matches('/').to_string(),
            client,
            basic: cfg
                .username
                .clone()
                .map(|u| (u, env(&cfg.password_env).unwrap_or_default())),
            bearer: env(&cfg.bearer_token_env),
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some((user, password)) = &self.basic {
            request = request.basic_auth(user, Some(password));
        }
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        request
    }

    /// Sends and checks the status; the body on success. Errors name the status, never the
    /// credentials.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<String, String> {
        let response = request.send().await.map_err(|e| {
            if e.is_connect() {
                "cannot connect".to_string()
            } else if e.is_timeout() {
                "no answer within 5s".into()
            } else {
                e.to_string()
            }
        })?;
        let status = response.status();
        let body = response.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!(
                "HTTP {}: {}",
                status.as_u16(),
                body.trim().chars().take(200).collect::<String>()
            ));
        }
        Ok(body)
    }

    /// Every alert, silenced and inhibited ones included, as Alertmanager sends them.
    async fn raw_alerts(&self) -> Result<Vec<GettableAlert>, String> {
        let path = "/api/v2/alerts?active=true&silenced=true&inhibited=true";
        let body = self.send(self.request(reqwest::Method::GET, path)).await?;
        serde_json::from_str(&body).map_err(|e| format!("unexpected answer: {e}"))
    }

    async fn alerts(&self, source: &str) -> Result<Vec<Alert>, String> {
        Ok(self
            .raw_alerts()
            .await?
            .into_iter()
            .map(|a| wire::alert_to_domain(source, a))
            .collect())
    }

    async fn silences(&self, source: &str) -> Result<Vec<Silence>, String> {
        let body = self
            .send(self.request(reqwest::Method::GET, "/api/v2/silences"))
            .await?;
        let silences: Vec<GettableSilence> =
            serde_json::from_str(&body).map_err(|e| format!("unexpected answer: {e}"))?;
        Ok(silences
            .into_iter()
            .map(|s| wire::silence_to_domain(source, s))
            .collect())
    }

    async fn silence(
        &self,
        matchers: &[(String, String)],
        duration_secs: u64,
        comment: &str,
        created_by: &str,
    ) -> Result<String, String> {
        let now = UnixTime::now();
        let body = PostableSilence {
            id: None,
            matchers: matchers
                .iter()
                .map(|(name, value)| WireMatcher {
                    name: name.clone(),
                    value: value.clone(),
                    is_regex: false,
                    is_equal: true,
                })
                .collect(),
            starts_at: now.rfc3339(),
            ends_at: now.plus(duration_secs as i64).rfc3339(),
            created_by: created_by.into(),
            comment: comment.into(),
        };
        let id = self.post_silence(&body).await?;
        Ok(format!(
            "silence {id} until {} UTC",
            now.plus(duration_secs as i64).clock_utc()
        ))
    }

    /// Posts a silence (new, or with an id to update it) and returns the id Alertmanager gave.
    async fn post_silence(&self, silence: &PostableSilence) -> Result<String, String> {
        let body = serde_json::to_string(silence).map_err(|e| e.to_string())?;
        let request = self
            .request(reqwest::Method::POST, "/api/v2/silences")
            .header("content-type", "application/json")
            .body(body);
        let answer = self.send(request).await?;
        serde_json::from_str::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v["silenceID"].as_str().map(String::from))
            .ok_or_else(|| format!("unexpected answer: {answer}"))
    }

    /// Makes the one silence the dialog named last until `duration_secs` from now: posted
    /// back with its id, its matchers and its start exactly as Alertmanager gave them, so that
    /// Alertmanager updates it in place rather than replacing it.
    async fn extend(&self, id: &str, duration_secs: u64, comment: &str) -> Result<String, String> {
        let path = silence_path(id)?;
        let body = self.send(self.request(reqwest::Method::GET, &path)).await?;
        let current: GettableSilence =
            serde_json::from_str(&body).map_err(|e| format!("unexpected answer: {e}"))?;
        if current.status.state == "expired" {
            return Err(format!("silence {id} has expired; make a new one"));
        }
        let until = UnixTime::now().plus(duration_secs as i64);
        let body = PostableSilence {
            id: Some(current.id.clone()),
            matchers: current.matchers,
            starts_at: current.starts_at,
            ends_at: until.rfc3339(),
            created_by: current.created_by,
            comment: comment.into(),
        };
        let new_id = self.post_silence(&body).await?;
        let until = until.clock_utc();
        Ok(if new_id == id {
            format!("silence {id} extended until {until} UTC")
        } else {
            // Alertmanager replaced it (it could not update it in place): say which is which.
            format!("silence {id} replaced by {new_id}, until {until} UTC")
        })
    }

    /// Expires the one silence the dialog named, and no other that matches the alert too.
    async fn expire(&self, id: &str) -> Result<String, String> {
        let path = silence_path(id)?;
        // Alertmanager answers 200 to expiring a silence that has already expired: ask first,
        // so that the outcome says what happened.
        let body = self.send(self.request(reqwest::Method::GET, &path)).await?;
        let silence: GettableSilence =
            serde_json::from_str(&body).map_err(|e| format!("unexpected answer: {e}"))?;
        if silence.status.state == "expired" {
            return Err(format!("silence {id} had already expired"));
        }
        // Alertmanager 0.25: DELETE /api/v2/silence/{id} (singular).
        self.send(self.request(reqwest::Method::DELETE, &path))
            .await?;
        Ok(format!("expired silence {id}"))
    }
}

/// `/api/v2/silence/{id}` (Alertmanager 0.25: singular). Ids come from Alertmanager (UUIDs);
/// anything else must not reach the URL's path.
fn silence_path(id: &str) -> Result<String, String> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("{id:?} is not a silence id"));
    }
    Ok(format!("/api/v2/silence/{id}"))
}

struct Command {
    action: Action,
    reply: oneshot::Sender<Result<String, ActionError>>,
}

/// Starts the Alertmanager's task; returns the executor for silences on it.
pub fn spawn(
    cfg: AlertmanagerConfig,
    refresh: Duration,
    operator: String,
    reports: mpsc::Sender<SourceReport>,
) -> AlertmanagerExecutor {
    let (commands, inbox) = mpsc::channel(8);
    // The inbox outlives a panicked run: the next run takes it over, queued commands included.
    let inbox = std::sync::Arc::new(tokio::sync::Mutex::new(inbox));
    let reporter = super::Reporter::new(
        SourceId::new(SourceKind::Alertmanager, &cfg.name),
        reports.clone(),
    );
    super::supervise::supervise(
        reporter,
        move || {
            let (cfg, operator, reports, inbox) = (
                cfg.clone(),
                operator.clone(),
                reports.clone(),
                inbox.clone(),
            );
            async move { run(cfg, refresh, operator, reports, inbox.lock_owned().await).await }
        },
        super::supervise::unreachable,
    );
    AlertmanagerExecutor { commands }
}

async fn run(
    cfg: AlertmanagerConfig,
    refresh: Duration,
    operator: String,
    reports: mpsc::Sender<SourceReport>,
    mut commands: tokio::sync::OwnedMutexGuard<mpsc::Receiver<Command>>,
) {
    let reporter =
        super::Reporter::new(SourceId::new(SourceKind::Alertmanager, &cfg.name), reports);
    let api = match Api::new(&cfg) {
        Ok(api) => api,
        Err(e) => {
            reporter
                .send(Report::Unreachable(format!("cannot set up HTTP: {e}")))
                .await;
            return;
        }
    };
    let mut ticker = tokio::time::interval(refresh);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            command = commands.recv() => {
                let Some(Command { action, reply }) = command else { return };
                let result = match (&action.kind, &action.target) {
                    (ActionKind::Silence { matchers, duration_secs, comment }, Target::Alert { .. }) => {
                        api.silence(matchers, *duration_secs, comment, &operator).await
                    }
                    (ActionKind::ExpireSilence { silence }, Target::Alert { .. }) => api.expire(silence).await,
                    (ActionKind::ExtendSilence { silence, duration_secs, comment }, Target::Alert { .. }) => {
                        api.extend(silence, *duration_secs, comment).await
                    }
                    (kind, _) => Err(format!("{} is not an Alertmanager action", kind.name())),
                };
                let _ = reply.send(result.map_err(ActionError::Failed));
                // Poll right away so the cockpit shows the change.
            }
        }
        let polled = match api.alerts(&cfg.name).await {
            Ok(alerts) => api
                .silences(&cfg.name)
                .await
                .map(|silences| [Report::Alerts(alerts), Report::Silences(silences)]),
            Err(reason) => Err(reason),
        };
        let reports = match polled {
            Ok(reports) => reports.to_vec(),
            Err(reason) => vec![Report::Unreachable(reason)],
        };
        for report in reports {
            if !reporter.send(report).await {
                return;
            }
        }
    }
}

#[derive(Clone)]
pub struct AlertmanagerExecutor {
    commands: mpsc::Sender<Command>,
}

impl Executor for AlertmanagerExecutor {
    fn permitted<'a>(&'a self, _: &'a Action) -> BoxFuture<'a, Permission> {
        // Alertmanager has no per-user rights; a refused request shows at execution.
        Box::pin(async { Permission::Allowed })
    }

    fn execute<'a>(
        &'a self,
        action: &'a Action,
        _: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            let make = |reply| Command {
                action: action.clone(),
                reply,
            };
            let stopped = || {
                Err(ActionError::Unavailable(
                    "the Alertmanager adapter has stopped".into(),
                ))
            };
            ask(&self.commands, make, stopped).await
        })
    }
}
