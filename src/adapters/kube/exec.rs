//! A one-off command in a pod's container through the API's exec (WebSocket,
//! `v5.channel.k8s.io` with `v4` as fallback: kube-rs's `ws`), as `kubectl exec POD -c C --
//! CMD` runs it: its output streamed line by line as the action's progress (stderr marked),
//! its exit status the outcome. Only the status is recorded by the audit, never the output.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::AttachParams;
use kube::{Api, Client};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

use crate::actions::executor::ActionError;
use crate::actions::output::{self, Stream};

pub async fn run(
    client: &Client,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    command: &[String],
    progress: mpsc::Sender<String>,
) -> Result<String, ActionError> {
    let mut params = AttachParams::default()
        .stdin(false)
        .stdout(true)
        .stderr(true);
    if let Some(c) = container {
        params = params.container(c);
    }
    let mut process = Api::<Pod>::namespaced(client.clone(), namespace)
        .exec(pod, command.iter().map(String::as_str), &params)
        .await
        .map_err(super::actions::action_error)?;
    let status = process.take_status();
    let out = process
        .stdout()
        .map(|s| lines(s, Stream::Stdout, progress.clone()));
    let err = process
        .stderr()
        .map(|s| lines(s, Stream::Stderr, progress.clone()));
    let (_, _, status) = tokio::join!(
        async {
            if let Some(f) = out {
                f.await
            }
        },
        async {
            if let Some(f) = err {
                f.await
            }
        },
        async {
            match status {
                Some(s) => s.await,
                None => None,
            }
        }
    );
    let _ = process.join().await;
    outcome(status)
}

/// Sends what a stream writes, a line at a time (the last one even without its newline),
/// marked with its stream (`actions::output`).
async fn lines(mut stream: impl AsyncRead + Unpin, which: Stream, progress: mpsc::Sender<String>) {
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    let send = |line: &[u8]| output::line(which, &String::from_utf8_lossy(line));
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        while let Some(at) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=at).collect();
            if progress.send(send(&line[..at])).await.is_err() {
                return;
            }
        }
    }
    if !pending.is_empty() {
        let _ = progress.send(send(&pending)).await;
    }
}

/// The process's end in words: `exit status 0` is success; any other status, or an error from
/// the container runtime, is a failure.
pub fn outcome(status: Option<Status>) -> Result<String, ActionError> {
    let Some(status) = status else {
        return Err(ActionError::Failed(
            "the connection closed before the command's exit status came".into(),
        ));
    };
    if status.status.as_deref() == Some("Success") {
        return Ok("exit status 0".into());
    }
    let code = status
        .details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .and_then(|causes| {
            causes
                .iter()
                .find(|c| c.reason.as_deref() == Some("ExitCode"))
        })
        .and_then(|c| c.message.clone());
    match code {
        Some(code) => Err(ActionError::Failed(format!("exit status {code}"))),
        None => {
            Err(ActionError::Failed(status.message.unwrap_or_else(|| {
                "the command failed without a status".into()
            })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: serde_json::Value) -> Option<Status> {
        Some(serde_json::from_value(json).expect("a Status"))
    }

    #[test]
    fn a_non_zero_exit_code_is_a_failure_that_names_it() {
        let three = status(serde_json::json!({
            "metadata": {}, "status": "Failure", "reason": "NonZeroExitCode",
            "message": "command terminated with non-zero exit code: exit code 3",
            "details": {"causes": [{"reason": "ExitCode", "message": "3"}]},
        }));
        assert_eq!(
            outcome(three),
            Err(ActionError::Failed("exit status 3".into()))
        );
        let ok = status(serde_json::json!({"metadata": {}, "status": "Success"}));
        assert_eq!(outcome(ok), Ok("exit status 0".into()));
        assert!(outcome(None).is_err());
    }
}
