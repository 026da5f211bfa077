//! The Alertmanager API v2 subset opsdeck uses: alerts, silences (list, create, expire) and
//! status, with Alertmanager's field names and status codes.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::adapters::alertmanager::wire::{self, PostableSilence};
use serde_json::{Value, json};

use super::gone;
use crate::domain::{AlertState, Matcher, UnixTime};
use crate::sim::handle::WorldHandle;

type Answer = Result<Json<Value>, (StatusCode, String)>;

pub fn routes() -> Router<WorldHandle> {
    Router::new()
        .route("/api/v2/status", get(status))
        .route("/api/v2/alerts", get(alerts))
        .route("/api/v2/silences", get(silences).post(create_silence))
        .route("/api/v2/silence/{id}", get(silence).delete(expire_silence))
}

async fn status() -> Json<Value> {
    Json(json!({
        "cluster": {"status": "disabled", "peers": []},
        "versionInfo": {"version": "opsdeck-sim", "revision": env!("CARGO_PKG_VERSION")},
        "config": {"original": ""},
        "uptime": crate::sim::clock::now().rfc3339(),
    }))
}

#[derive(Deserialize)]
struct AlertFilter {
    active: Option<bool>,
    silenced: Option<bool>,
    inhibited: Option<bool>,
}

async fn alerts(State(world): State<WorldHandle>, Query(filter): Query<AlertFilter>) -> Answer {
    let alerts = world.call(|w| w.firing_alerts()).await.ok_or_else(gone)?;
    let shown = alerts.iter().filter(|a| match a.state {
        AlertState::Active => filter.active.unwrap_or(true),
        AlertState::Silenced => filter.silenced.unwrap_or(true),
        AlertState::Inhibited => filter.inhibited.unwrap_or(true),
    });
    let shown: Vec<_> = shown.map(wire::alert_from_domain).collect();
    Ok(Json(json!(shown)))
}

async fn silences(State(world): State<WorldHandle>) -> Answer {
    let silences = world.call(|w| w.silences_now()).await.ok_or_else(gone)?;
    let shown: Vec<_> = silences.iter().map(wire::silence_from_domain).collect();
    Ok(Json(json!(shown)))
}

async fn silence(State(world): State<WorldHandle>, Path(id): Path<String>) -> Answer {
    let found = world
        .call(move |w| w.silence_now(&id))
        .await
        .ok_or_else(gone)?;
    let silence = found.ok_or((StatusCode::NOT_FOUND, "silence not found".to_string()))?;
    Ok(Json(json!(wire::silence_from_domain(&silence))))
}

fn bad(message: &str) -> (StatusCode, String) {
    (StatusCode::BAD_REQUEST, message.to_string())
}

async fn create_silence(
    State(world): State<WorldHandle>,
    Json(silence): Json<PostableSilence>,
) -> Answer {
    let starts =
        UnixTime::parse_rfc3339(&silence.starts_at).ok_or_else(|| bad("startsAt is not a time"))?;
    let ends =
        UnixTime::parse_rfc3339(&silence.ends_at).ok_or_else(|| bad("endsAt is not a time"))?;
    if silence.matchers.is_empty() {
        return Err(bad("silence must have at least one matcher"));
    }
    if ends <= starts {
        return Err(bad("end time must not be before start time"));
    }
    if silence.created_by.trim().is_empty() || silence.comment.trim().is_empty() {
        return Err(bad("createdBy and comment are required"));
    }
    let matchers: Vec<Matcher> = silence.matchers.into_iter().map(Matcher::from).collect();
    let (by, comment) = (silence.created_by, silence.comment);
    let id = match silence.id {
        // An update, as Alertmanager does it: 404 for an unknown id.
        Some(id) => world
            .call(move |w| w.update_silence(&id, matchers, &by, &comment, starts, ends))
            .await
            .ok_or_else(gone)?
            .ok_or((StatusCode::NOT_FOUND, "silence not found".to_string()))?,
        None => world
            .call(move |w| w.create_silence(matchers, &by, &comment, starts, ends))
            .await
            .ok_or_else(gone)?,
    };
    Ok(Json(json!({ "silenceID": id })))
}

async fn expire_silence(State(world): State<WorldHandle>, Path(id): Path<String>) -> Answer {
    world
        .call(move |w| w.expire_silence(&id))
        .await
        .ok_or_else(gone)?
        .map_err(|e| (StatusCode::NOT_FOUND, e))?;
    Ok(Json(json!({})))
}
