//! `/api/v1/namespaces/{ns}/pods/{name}/exec` over WebSocket, as the API server serves it to
//! kubectl (1.30 and later) and kube-rs: subprotocol `v5.channel.k8s.io` (or
//! `v4.channel.k8s.io`), each binary message one channel's bytes after a channel byte — 0
//! stdin, 1 stdout, 2 stderr, 3 the exit `Status`, 4 resize (`{"Width":..,"Height":..}`), and
//! in v5 255 to close a channel (`[255, 0]`: stdin has ended). The process is the scripted
//! shell (`sim::shell`). A request that is not a WebSocket upgrade is answered as the API
//! server does ("Upgrade request required"); the simulator serves no SPDY.

use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};

use super::kube::{error, gone};
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::Resource;
use crate::sim::kubeapi::writes::ApiError;
use crate::sim::shell::{self, Container, Input, Output, Session};

/// The subprotocols served, best first.
const PROTOCOLS: [&str; 2] = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const STATUS: u8 = 3;
const RESIZE: u8 = 4;
const CLOSE: u8 = 255;

/// What an exec request asks for, from its query (`command` repeats, one per argument).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExecQuery {
    pub command: Vec<String>,
    pub container: Option<String>,
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub tty: bool,
}

impl ExecQuery {
    pub fn parse(query: &str) -> ExecQuery {
        let mut q = ExecQuery::default();
        for (key, value) in pairs(query) {
            let on = value == "true" || value == "1";
            match key.as_str() {
                "command" => q.command.push(value),
                "container" if !value.is_empty() => q.container = Some(value),
                "stdin" => q.stdin = on,
                "stdout" => q.stdout = on,
                "stderr" => q.stderr = on,
                "tty" => q.tty = on,
                _ => {}
            }
        }
        q
    }
}

/// A query string's `key=value` pairs, decoded (`+` is a blank, `%XX` a byte).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The first subprotocol the client offers that is served (the client lists its preference).
pub(super) fn chosen_protocol(headers: &HeaderMap) -> Option<&'static str> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find_map(|offered| PROTOCOLS.iter().find(|p| **p == offered).copied())
}

/// The client's WebSocket key and the subprotocol chosen, or the API server's refusal: 400
/// "Upgrade request required" for a plain request, `refused` when no protocol fits.
pub(super) fn websocket_offer(
    headers: &HeaderMap,
    refused: String,
) -> Result<(axum::http::HeaderValue, &'static str), ApiError> {
    if !is_upgrade(headers) {
        return Err(ApiError {
            code: 400,
            reason: "BadRequest",
            message: "Upgrade request required".into(),
        });
    }
    match (
        headers.get(header::SEC_WEBSOCKET_KEY).cloned(),
        chosen_protocol(headers),
    ) {
        (Some(key), Some(protocol)) => Ok((key, protocol)),
        _ => Err(ApiError::bad_request(refused)),
    }
}

fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

pub async fn serve(
    State(world): State<WorldHandle>,
    Path((ns, name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    mut request: Request,
) -> Response {
    let query = ExecQuery::parse(query.as_deref().unwrap_or(""));
    let headers = request.headers().clone();
    let refused = format!(
        "unable to upgrade connection: the simulator serves exec over WebSocket with {}",
        PROTOCOLS.join(" or ")
    );
    let (key, protocol) = match websocket_offer(&headers, refused) {
        Ok(offer) => offer,
        Err(refusal) => return error(refusal),
    };
    if query.command.is_empty() {
        return error(ApiError::bad_request(
            "you must specify at least 1 command".to_string(),
        ));
    }
    let wanted = name.clone();
    let pod = match permitted_pod(&world, "pods/exec", ns.clone(), name).await {
        Ok(pod) => pod,
        Err(refused) => return refused,
    };
    let names = crate::sim::kubeapi::render::container_names(&pod);
    let container = query.container.clone().unwrap_or_else(|| names[0].clone());
    if !names.contains(&container) || &*pod.status != "Running" {
        return error(ApiError::bad_request(format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        )));
    }
    let container = Container {
        namespace: ns,
        pod: wanted,
        container,
        image: pod.image.to_string(),
    };
    let upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let socket =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
        carry(socket, container, query).await;
    });
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "Upgrade")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .header(header::SEC_WEBSOCKET_PROTOCOL, protocol)
        .body(Body::empty())
        .expect("a valid response")
}

/// Runs the process and carries its streams over the socket; its exit status goes last, on
/// the status channel, then the socket is closed.
async fn carry<S>(socket: WebSocketStream<S>, container: Container, query: ExecQuery)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = socket.split();
    let argv = query.command.clone();
    let program = argv[0].clone();
    if !shell::exists(&container, &program) {
        let status = not_found_status(&program);
        let _ = sink
            .send(channel(STATUS, status.to_string().as_bytes()))
            .await;
        close(&mut sink).await;
        return;
    }
    let (out_tx, mut out_rx) = mpsc::channel::<Output>(64);
    let (in_tx, in_rx) = mpsc::channel::<Input>(64);
    if !query.stdin {
        let _ = in_tx.send(Input::Eof).await;
    }
    let process = tokio::spawn(Session::new(container, query.tty, out_tx, in_rx).run(argv.clone()));
    // The client closing the connection ends the process, as a terminal's hangup does.
    let hangup = process.abort_handle();
    let reader = tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let Message::Binary(bytes) = message else {
                if matches!(message, Message::Close(_)) {
                    break;
                }
                continue;
            };
            let input = match bytes.first() {
                Some(&STDIN) if bytes.len() > 1 => Input::Data(bytes[1..].to_vec()),
                Some(&RESIZE) => match resize(&bytes[1..]) {
                    Some(size) => size,
                    None => continue,
                },
                Some(&CLOSE) if bytes.get(1) == Some(&STDIN) => Input::Eof,
                _ => continue,
            };
            if in_tx.send(input).await.is_err() {
                break;
            }
        }
        let _ = in_tx.send(Input::Eof).await;
        hangup.abort();
    });
    while let Some(output) = out_rx.recv().await {
        let message = match output {
            Output::Stdout(b) if query.stdout || query.tty => channel(STDOUT, &b),
            Output::Stderr(b) if query.stderr => channel(STDERR, &b),
            _ => continue,
        };
        if sink.send(message).await.is_err() {
            // The client has gone: so does the process.
            process.abort();
            reader.abort();
            return;
        }
    }
    let code = process.await.unwrap_or(137);
    let status = exit_status(code, &argv);
    let _ = sink
        .send(channel(STATUS, status.to_string().as_bytes()))
        .await;
    close(&mut sink).await;
    reader.abort();
}

/// Closes as the API server does, with a normal closure's code: client-go takes a close
/// without one (1005) as an error.
pub(super) async fn close<S>(sink: &mut S)
where
    S: futures::Sink<Message> + Unpin,
{
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.close().await;
}

pub(super) fn channel(number: u8, bytes: &[u8]) -> Message {
    let mut data = Vec::with_capacity(bytes.len() + 1);
    data.push(number);
    data.extend_from_slice(bytes);
    Message::binary(data)
}

fn resize(json: &[u8]) -> Option<Input> {
    let size: Value = serde_json::from_slice(json).ok()?;
    Some(Input::Resize {
        width: size["Width"].as_u64()?.min(u16::MAX as u64) as u16,
        height: size["Height"].as_u64()?.min(u16::MAX as u64) as u16,
    })
}

/// The `Status` the API server sends for a process's end: `Success`, or `NonZeroExitCode`
/// with the code as an `ExitCode` cause (kubectl exits with it).
pub fn exit_status(code: i32, argv: &[String]) -> Value {
    if code == 0 {
        return json!({"metadata": {}, "status": "Success"});
    }
    json!({
        "metadata": {},
        "status": "Failure",
        "message": format!(
            "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
            argv.join(" ")
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}

/// The container runtime's answer for a program that is not in the image.
fn not_found_status(program: &str) -> Value {
    json!({
        "metadata": {},
        "status": "Failure",
        "message": format!(
            "Internal error occurred: error executing command in container: failed to exec in container: \
             OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": \
             executable file not found in $PATH: unknown"
        ),
        "reason": "InternalError",
        "code": 500,
    })
}

/// The pod a `create` on `subresource` (`pods/exec`, `pods/portforward`) is for, authorized
/// first as the API server does; the refusal as the answer to send.
pub(super) async fn permitted_pod(
    world: &WorldHandle,
    subresource: &'static str,
    namespace: String,
    name: String,
) -> Result<crate::domain::Pod, Response> {
    let wanted = name.clone();
    let found = world
        .call(move |w| {
            let api = w.api.as_ref()?;
            let allowed = w.guard("create", subresource, &namespace, &name);
            Some((allowed, api.pod(&namespace, &name)))
        })
        .await;
    let Some(Some((allowed, pod))) = found else {
        return Err(gone());
    };
    allowed.map_err(error)?;
    pod.ok_or_else(|| error(ApiError::not_found(Resource::Pods, &wanted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_keeps_every_command_argument_in_order() {
        let q = ExecQuery::parse(
            "command=sh&command=-c&command=echo+%22a%26b%22%3B+exit+3&container=redis&stdin=true&stdout=true&tty=false",
        );
        assert_eq!(q.command, ["sh", "-c", "echo \"a&b\"; exit 3"]);
        assert_eq!(q.container.as_deref(), Some("redis"));
        assert!(q.stdin && q.stdout && !q.stderr && !q.tty);
    }

    #[test]
    fn the_clients_first_served_protocol_is_chosen() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            "v5.channel.k8s.io, v4.channel.k8s.io"
                .parse()
                .expect("a header"),
        );
        assert_eq!(chosen_protocol(&headers), Some("v5.channel.k8s.io"));
        headers.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            "channel.k8s.io,v4.channel.k8s.io"
                .parse()
                .expect("a header"),
        );
        assert_eq!(chosen_protocol(&headers), Some("v4.channel.k8s.io"));
        headers.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            "SPDY/3.1".parse().expect("a header"),
        );
        assert_eq!(chosen_protocol(&headers), None);
    }

    #[test]
    fn a_non_zero_exit_is_kubectls_exit_code_cause() {
        let status = exit_status(3, &["sh".into(), "-c".into(), "exit 3".into()]);
        assert_eq!(status["reason"], "NonZeroExitCode");
        assert_eq!(status["details"]["causes"][0]["message"], "3");
        assert_eq!(exit_status(0, &[])["status"], "Success");
    }
}
