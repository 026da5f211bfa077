//! The Kubernetes API subset opsdeck and kubectl use, served from the world's API mirror:
//! discovery, list (paged, or as a Table for kubectl), watch (from a resource version; 410 when
//! it is too old), get, patch, the scale subresource, delete, create, evictions (policy/v1),
//! SelfSubjectAccessReview,
//! `dryRun=All`, metrics.k8s.io, and Velero's backups (`kube_velero`).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};

use super::kube_discovery as discovery;
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::patch::PatchType;
use crate::sim::kubeapi::table;
use crate::sim::kubeapi::writes::ApiError;
use crate::sim::kubeapi::{ListQuery, Resource, Selector};

pub fn routes() -> Router<WorldHandle> {
    Router::new()
        .route("/version", get(discovery::version))
        .route("/api", get(discovery::core_versions))
        .route("/apis", get(discovery::groups))
        .route(
            "/api/v1/namespaces/{ns}/pods/{name}/exec",
            any(super::kube_exec::serve),
        )
        .route(
            "/api/v1/namespaces/{ns}/pods/{name}/portforward",
            any(super::kube_portforward::serve),
        )
        .route("/api/{*rest}", any(serve))
        .route("/apis/{*rest}", any(serve))
}

/// What a request's path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiPath {
    pub(super) group: String,
    version: String,
    pub(super) namespace: Option<String>,
    /// Empty for a group-version's discovery document.
    pub(super) resource: String,
    pub(super) name: Option<String>,
    pub(super) subresource: Option<String>,
}

pub(super) fn parse_path(path: &str) -> Option<ApiPath> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segments.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        _ => (None, rest),
    };
    let at = |i: usize| rest.get(i).map(|s| s.to_string());
    if rest.len() > 3 {
        return None;
    }
    Some(ApiPath {
        group: group.into(),
        version: version.into(),
        namespace,
        resource: at(0).unwrap_or_default(),
        name: at(1),
        subresource: at(2),
    })
}

pub(super) fn reply(code: u16, value: &Value) -> Response {
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

pub(super) fn error(e: ApiError) -> Response {
    reply(e.code, &e.status())
}

pub(super) fn gone() -> Response {
    let (code, message) = super::gone();
    error(ApiError {
        code: code.as_u16(),
        reason: "ServiceUnavailable",
        message,
    })
}

fn not_found(path: &str) -> Response {
    error(ApiError {
        code: 404,
        reason: "NotFound",
        message: format!("the server could not find the requested resource ({path})"),
    })
}

fn query_of(
    params: &HashMap<String, String>,
    namespace: Option<String>,
) -> Result<ListQuery, ApiError> {
    let selector = |key: &str| {
        Selector::parse(params.get(key).map_or("", String::as_str)).map_err(ApiError::bad_request)
    };
    Ok(ListQuery {
        namespace,
        labels: selector("labelSelector")?,
        fields: selector("fieldSelector")?,
        limit: params.get("limit").and_then(|l| l.parse().ok()),
        continue_from: params.get("continue").cloned().filter(|c| !c.is_empty()),
    })
}

pub(super) fn flag(params: &HashMap<String, String>, key: &str) -> bool {
    params.get(key).is_some_and(|v| v == "true" || v == "1")
}

// An axum handler: each argument is an extractor (the request's parts), not a parameter to bundle.
#[allow(clippy::too_many_arguments)]
async fn serve(
    State(world): State<WorldHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    Extension(limits): Extension<super::HttpOptions>,
    user: Option<axum::Extension<super::auth::User>>,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let Some(api) = parse_path(path) else {
        return not_found(path);
    };
    if api.resource.is_empty() {
        return match discovery::resources(&api.group, &api.version) {
            Some(list) => reply(200, &list),
            None => not_found(path),
        };
    }
    match (api.group.as_str(), api.resource.as_str()) {
        ("authorization.k8s.io", "selfsubjectaccessreviews") if method == Method::POST => {
            let Ok(body) = serde_json::from_slice::<Value>(&body) else {
                return error(ApiError::bad_request("the body is not JSON"));
            };
            // Answered for the user the gate let in (the simulator's user when served open).
            let user = user.map_or_else(|| crate::sim::kubeapi::policy::USER.into(), |u| u.0.0);
            return match world
                .call(move |w| w.api.as_ref().map(|_| w.api_access_review(&body, &user)))
                .await
            {
                Some(Some(review)) => reply(201, &review),
                _ => gone(),
            };
        }
        ("velero.io", "backups") => {
            let ns = api.namespace.clone().unwrap_or_default();
            return super::kube_velero::serve(world, method, ns, api.name.clone(), &params, &body)
                .await;
        }
        ("metrics.k8s.io", "nodes") if method == Method::GET => {
            return match world
                .call(|w| w.api.as_ref().map(|a| a.node_metrics()))
                .await
            {
                Some(Some(list)) => reply(200, &list),
                _ => gone(),
            };
        }
        ("metrics.k8s.io", "pods") if method == Method::GET => {
            let ns = api.namespace.clone();
            return match world
                .call(move |w| w.api.as_ref().map(|a| a.pod_metrics(ns.as_deref())))
                .await
            {
                Some(Some(list)) => reply(200, &list),
                _ => gone(),
            };
        }
        _ => {}
    }
    let Some(resource) = Resource::find(&api.group, &api.resource) else {
        return not_found(path);
    };
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|a| a.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let dry_run = params.get("dryRun").is_some_and(|d| d == "All");
    let ns = api.namespace.clone().unwrap_or_default();
    let name = api.name.clone();
    let sub = api.subresource.clone();
    match (method, name, sub.as_deref()) {
        (Method::GET, None, None) => {
            let mut query = match query_of(&params, api.namespace.clone()) {
                Ok(q) => q,
                Err(e) => return error(e),
            };
            // `--page-size-limit`: a page may hold fewer than asked (the client pages on).
            if let (Some(limit), Some(most)) = (query.limit.as_mut(), limits.page_size_limit) {
                *limit = (*limit).min(most);
            }
            if flag(&params, "watch") {
                super::kube_watch::watch(world, resource, query, &params, limits.watch_timeout)
                    .await
            } else {
                let include = table::Include::of(params.get("includeObject"));
                list(world, resource, query, &accept, include).await
            }
        }
        (Method::GET, Some(name), None) => {
            let answer = world
                .call(move |w| w.api.as_ref().map(|a| a.get(resource, &ns, &name)))
                .await;
            match answer {
                Some(Some(Some(object))) if table::wants_table(&accept) => {
                    let rv = object["metadata"]["resourceVersion"]
                        .as_str()
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(0);
                    reply(
                        200,
                        &table::table(resource, &[object], rv, None, crate::sim::clock::now()),
                    )
                }
                Some(Some(Some(object))) => reply(200, &object),
                Some(Some(None)) => error(ApiError::not_found(
                    resource,
                    api.name.as_deref().unwrap_or(""),
                )),
                _ => gone(),
            }
        }
        (Method::GET, Some(name), Some("log")) if resource == Resource::Pods => {
            super::kube_logs::serve(world, ns, name, &params).await
        }
        (Method::POST, Some(name), Some("eviction")) if resource == Resource::Pods => {
            // A policy/v1 Eviction; a dry run may be asked in its deleteOptions (kubectl's
            // `--dry-run=server`) or as the query's `dryRun`.
            let eviction: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let dry_run = dry_run
                || eviction["deleteOptions"]["dryRun"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|v| v == "All"));
            answer(
                world.call(move |w| w.api_evict(&ns, &name, dry_run)).await,
                201,
            )
        }
        (Method::GET, Some(name), Some("scale")) => answer(
            world.call(move |w| w.api_scale(resource, &ns, &name)).await,
            200,
        ),
        (method @ (Method::PATCH | Method::PUT), Some(name), Some("scale")) => {
            let kind = if method == Method::PATCH {
                match PatchType::from_content_type(&content_type) {
                    Some(k) => Some(k),
                    None => return unsupported(&content_type),
                }
            } else {
                None
            };
            let Ok(body) = serde_json::from_slice::<Value>(&body) else {
                return error(ApiError::bad_request("the body is not JSON"));
            };
            answer(
                world
                    .call(move |w| w.api_scale_write(resource, &ns, &name, kind, &body, dry_run))
                    .await,
                200,
            )
        }
        (Method::PATCH, Some(name), None) => {
            let Some(kind) = PatchType::from_content_type(&content_type) else {
                return unsupported(&content_type);
            };
            let Ok(body) = serde_json::from_slice::<Value>(&body) else {
                return error(ApiError::bad_request("the body is not JSON"));
            };
            answer(
                world
                    .call(move |w| w.api_patch(resource, &ns, &name, kind, &body, dry_run))
                    .await,
                200,
            )
        }
        (Method::DELETE, Some(name), None) => {
            // DeleteOptions may come as a body, and say dryRun there (kube-rs does).
            let options: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let dry_run = dry_run
                || options["dryRun"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|v| v == "All"));
            answer(
                world
                    .call(move |w| w.api_delete(resource, &ns, &name, dry_run))
                    .await,
                200,
            )
        }
        (Method::POST, None, None) => {
            let Ok(body) = serde_json::from_slice::<Value>(&body) else {
                return error(ApiError::bad_request("the body is not JSON"));
            };
            answer(
                world
                    .call(move |w| w.api_create(resource, &ns, &body, dry_run))
                    .await,
                201,
            )
        }
        _ => error(ApiError {
            code: 405,
            reason: "MethodNotAllowed",
            message: format!(
                "the simulator does not serve this request on {}",
                resource.plural()
            ),
        }),
    }
}

fn unsupported(content_type: &str) -> Response {
    error(ApiError {
        code: 415,
        reason: "UnsupportedMediaType",
        message: format!(
            "the simulator takes merge, strategic-merge and JSON patches, not `{content_type}`"
        ),
    })
}

pub(super) fn answer(result: Option<Result<Value, ApiError>>, ok: u16) -> Response {
    match result {
        Some(Ok(object)) => reply(ok, &object),
        Some(Err(e)) => error(e),
        None => gone(),
    }
}

async fn list(
    world: WorldHandle,
    resource: Resource,
    query: ListQuery,
    accept: &str,
    include: table::Include,
) -> Response {
    let page = world
        .call(move |w| w.api.as_ref().map(|a| a.list(resource, &query)))
        .await;
    let Some(Some(page)) = page else {
        return gone();
    };
    if table::wants_table(accept) {
        let table = table::table(
            resource,
            &page.items,
            page.rv,
            page.continue_token.as_deref(),
            crate::sim::clock::now(),
        );
        return reply(200, &table::include_objects(table, &page.items, include));
    }
    let mut metadata = json!({"resourceVersion": page.rv.to_string()});
    if let Some(token) = &page.continue_token {
        metadata["continue"] = json!(token);
    }
    if let Some(remaining) = page.remaining {
        metadata["remainingItemCount"] = json!(remaining);
    }
    reply(
        200,
        &json!({
            "kind": format!("{}List", resource.kind()),
            "apiVersion": resource.api_version(),
            "metadata": metadata,
            "items": page.items,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_group_namespace_resource_and_subresource() {
        let p = parse_path("/apis/apps/v1/namespaces/pos/deployments/pos-order/scale").unwrap();
        assert_eq!(
            (
                p.group.as_str(),
                p.namespace.as_deref(),
                p.resource.as_str()
            ),
            ("apps", Some("pos"), "deployments")
        );
        assert_eq!(
            (p.name.as_deref(), p.subresource.as_deref()),
            (Some("pos-order"), Some("scale"))
        );
        let all = parse_path("/api/v1/pods").unwrap();
        assert_eq!(
            (all.group.as_str(), all.namespace, all.resource.as_str()),
            ("", None, "pods")
        );
        let ns = parse_path("/api/v1/namespaces/pos").unwrap();
        assert_eq!(
            (ns.resource.as_str(), ns.name.as_deref()),
            ("namespaces", Some("pos"))
        );
        assert_eq!(parse_path("/apis/apps/v1").unwrap().resource, "");
        assert!(parse_path("/healthz").is_none());
    }
}
