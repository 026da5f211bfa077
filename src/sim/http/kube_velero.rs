//! Velero's `velero.io/v1` backups over HTTP: list (with a schedule's label selector), get one,
//! create one. The world keeps them (`sim::velero`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::Method;
use axum::response::Response;
use serde_json::Value;

use super::kube::{answer, error, gone, reply};
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::writes::ApiError;

pub(super) async fn serve(
    world: WorldHandle,
    method: Method,
    ns: String,
    name: Option<String>,
    params: &HashMap<String, String>,
    body: &Bytes,
) -> Response {
    match (method, name) {
        (Method::GET, Some(name)) => {
            answer(world.call(move |w| w.velero_backup(&ns, &name)).await, 200)
        }
        (Method::GET, None) => {
            let selector = params.get("labelSelector").cloned();
            match world
                .call(move |w| w.velero_backups(&ns, selector.as_deref()))
                .await
            {
                Some(list) => reply(200, &list),
                None => gone(),
            }
        }
        _ => {
            let Ok(body) = serde_json::from_slice::<Value>(body) else {
                return error(ApiError::bad_request("the body is not JSON"));
            };
            answer(
                world
                    .call(move |w| w.create_velero_backup(&ns, &body))
                    .await,
                201,
            )
        }
    }
}
