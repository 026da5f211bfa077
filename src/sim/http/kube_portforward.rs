//! `/api/v1/namespaces/{ns}/pods/{name}/portforward?ports=P` over WebSocket, as the API server
//! serves it to kube-rs (`v4.channel.k8s.io` framing): per port, a data channel (2·i) and an
//! error channel (2·i+1), each opened by a frame carrying the port (u16, little endian). Behind
//! every port of every simulated pod is a tiny HTTP responder: `GET /` or `/health…` answers
//! the pod's health body, anything else 404; one request per connection, then it closes.
//! kubectl's way, SPDY tunnelled in the WebSocket, is `kube_portforward_spdy.rs`.

use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::kube::error;
use super::kube_exec::{channel, close, pairs, websocket_offer};
use crate::sim::handle::WorldHandle;
use crate::sim::kubeapi::writes::ApiError;
use crate::sim::shell::{Container, health_body};

/// The ports a request names (`ports=8080` or `ports=80,1234`, possibly repeated).
fn ports_of(query: &str) -> Result<Vec<u16>, String> {
    let mut ports = Vec::new();
    for (key, value) in pairs(query) {
        if key == "ports" {
            for p in value.split(',').filter(|p| !p.is_empty()) {
                ports.push(
                    p.trim()
                        .parse::<u16>()
                        .map_err(|_| format!("invalid port {p:?}"))?,
                );
            }
        }
    }
    if ports.is_empty() {
        return Err("at least one port must be given".into());
    }
    Ok(ports)
}

pub async fn serve(
    State(world): State<WorldHandle>,
    Path((ns, name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    mut request: Request,
) -> Response {
    let headers = request.headers().clone();
    if let Some(key) = spdy_tunnel_offer(&headers) {
        return serve_spdy(world, ns, name, Some(key), request).await;
    }
    if is_spdy_upgrade(&headers) {
        return serve_spdy(world, ns, name, None, request).await;
    }
    let refused = "unable to upgrade connection: the simulator serves port-forward over WebSocket (v4.channel.k8s.io)".to_string();
    let (key, protocol) = match websocket_offer(&headers, refused) {
        Ok(offer) => offer,
        Err(refusal) => return error(refusal),
    };
    let ports = match ports_of(query.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return error(ApiError::bad_request(e)),
    };
    let container = match forwarded_container(&world, ns, name).await {
        Ok(container) => container,
        Err(refused) => return refused,
    };
    let upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let socket =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
        respond(socket, &container, &ports).await;
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

/// The WebSocket key when the client asks for kubectl's SPDY tunnel.
fn spdy_tunnel_offer(headers: &axum::http::HeaderMap) -> Option<axum::http::HeaderValue> {
    use super::kube_portforward_spdy::TUNNEL_PROTOCOL;
    let websocket = headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == TUNNEL_PROTOCOL);
    (websocket && offered)
        .then(|| headers.get(header::SEC_WEBSOCKET_KEY).cloned())
        .flatten()
}

/// kubectl's own way: `Upgrade: SPDY/3.1` with the port-forward stream protocol.
fn is_spdy_upgrade(headers: &axum::http::HeaderMap) -> bool {
    let spdy = headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("SPDY/3.1"));
    let portforward = headers
        .get_all("X-Stream-Protocol-Version")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PORTFORWARD_PROTOCOL);
    spdy && portforward
}

/// The stream protocol kubectl's SPDY port-forward names.
const PORTFORWARD_PROTOCOL: &str = "portforward.k8s.io";

/// kubectl's port-forward, SPDY over the upgraded connection or (with the WebSocket's `key`)
/// tunnelled in a WebSocket: the ports come in the streams' headers, not the query.
async fn serve_spdy(
    world: WorldHandle,
    ns: String,
    name: String,
    key: Option<axum::http::HeaderValue>,
    mut request: Request,
) -> Response {
    let container = match forwarded_container(&world, ns, name).await {
        Ok(container) => container,
        Err(refused) => return refused,
    };
    let upgrade = hyper::upgrade::on(&mut request);
    let tunnelled = key.is_some();
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        use super::kube_portforward_spdy::{Raw, Tunnel, serve};
        let io = TokioIo::new(upgraded);
        if tunnelled {
            let socket = WebSocketStream::from_raw_socket(io, Role::Server, None).await;
            serve(Tunnel(socket), container).await;
        } else {
            serve(Raw(io), container).await;
        }
    });
    let Some(key) = key else {
        return Response::builder()
            .status(StatusCode::SWITCHING_PROTOCOLS)
            .header(header::UPGRADE, "SPDY/3.1")
            .header(header::CONNECTION, "Upgrade")
            .header("X-Stream-Protocol-Version", PORTFORWARD_PROTOCOL)
            .body(Body::empty())
            .expect("a valid response");
    };
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "Upgrade")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .header(
            header::SEC_WEBSOCKET_PROTOCOL,
            super::kube_portforward_spdy::TUNNEL_PROTOCOL,
        )
        .body(Body::empty())
        .expect("a valid response")
}

/// Opens every port's channels, then answers the first HTTP request that comes on any of them.
async fn respond<S>(socket: WebSocketStream<S>, container: &Container, ports: &[u16])
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = socket.split();
    for (i, port) in ports.iter().enumerate() {
        for ch in [2 * i as u8, 2 * i as u8 + 1] {
            if sink.send(channel(ch, &port.to_le_bytes())).await.is_err() {
                return;
            }
        }
    }
    let mut requests: Vec<Vec<u8>> = vec![Vec::new(); ports.len()];
    while let Some(Ok(message)) = stream.next().await {
        let Message::Binary(bytes) = message else {
            if matches!(message, Message::Close(_)) {
                return;
            }
            continue;
        };
        let Some((&ch, data)) = bytes.split_first() else {
            continue;
        };
        let Some(request) = requests.get_mut(ch as usize / 2).filter(|_| ch % 2 == 0) else {
            continue;
        };
        request.extend_from_slice(data);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).into_owned();
            let answer = http_answer(&head, container);
            let _ = sink.send(channel(ch, answer.as_bytes())).await;
            close(&mut sink).await;
            return;
        }
    }
}

/// The responder's answer to a request's head.
pub(super) fn http_answer(head: &str, container: &Container) -> String {
    let path = head
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or("/");
    let (status, body) = if path == "/" || path.starts_with("/health") {
        ("200 OK", health_body(container))
    } else {
        ("404 Not Found", "not found\n".to_string())
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// The pod a port-forward reaches, as both of its protocols need it: permitted to this user
/// (`create pods/portforward`) and Running, else the API server's refusal.
async fn forwarded_container(
    world: &WorldHandle,
    ns: String,
    name: String,
) -> Result<Container, Response> {
    let wanted = name.clone();
    let pod = super::kube_exec::permitted_pod(world, "pods/portforward", ns.clone(), name).await?;
    if &*pod.status != "Running" {
        return Err(error(ApiError::bad_request(format!(
            "unable to upgrade connection: pod {wanted} is not running"
        ))));
    }
    let names = crate::sim::kubeapi::render::container_names(&pod);
    Ok(Container {
        namespace: ns,
        pod: wanted,
        container: names[0].clone(),
        image: pod.image.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_read_from_a_list_or_repeats() {
        assert_eq!(ports_of("ports=80%2C1234"), Ok(vec![80, 1234]));
        assert_eq!(ports_of("ports=8080&ports=9090"), Ok(vec![8080, 9090]));
        assert!(ports_of("").is_err());
        assert!(ports_of("ports=http").is_err());
    }
}
