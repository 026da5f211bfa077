//! A pod's log through the API server, line by line, with kubectl's options; `follow` keeps
//! the stream open. The lines are text from outside: whoever draws them must clean them.

use futures::io::AsyncBufReadExt;
use futures::stream::{BoxStream, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::LogParams;

use crate::config::KubernetesConfig;

pub use crate::domain::LogOptions;

/// The log's lines; the stream ends when the log does (or, following, when the container dies
/// or the connection drops). Errors are for the operator.
/// A one-off read with a client of its own (a connection of its own too): the cockpit reads
/// through its cluster's shared client instead (`lines_with`, `switch.rs`).
pub async fn lines(
    cfg: &KubernetesConfig,
    namespace: &str,
    pod: &str,
    options: &LogOptions,
) -> Result<BoxStream<'static, Result<String, String>>, String> {
    lines_with(super::client(cfg).await?, namespace, pod, options).await
}

/// `client` is the cluster's shared one (`shared.rs`): a log read opens no connection of its own.
pub async fn lines_with(
    client: kube::Client,
    namespace: &str,
    pod: &str,
    options: &LogOptions,
) -> Result<BoxStream<'static, Result<String, String>>, String> {
    let params = LogParams {
        container: options.container.clone(),
        follow: options.follow,
        previous: options.previous,
        since_seconds: options.since_seconds.map(|s| s as i64),
        tail_lines: options.tail_lines.map(|t| t as i64),
        timestamps: options.timestamps,
        ..LogParams::default()
    };
    let reader = Api::<Pod>::namespaced(client, namespace)
        .log_stream(pod, &params)
        .await
        .map_err(|e| super::actions::describe(&e))?;
    Ok(reader
        .lines()
        .map(|line| line.map_err(|e| format!("log stream: {e}")))
        .boxed())
}
