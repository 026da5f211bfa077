//! `kubectl port-forward` against the simulator: the SPDY/3.1 session (`spdy.rs`) that kubectl
//! 1.30+ tunnels through a WebSocket (subprotocol `SPDY/3.1+portforward.k8s.io`, each binary
//! message a piece of the SPDY byte stream), as the API server serves it. Per local
//! connection kubectl opens an error stream and a data stream (headers `streamtype`, `port`,
//! `requestid`); each is answered with a SYN_REPLY, the data stream's request gets the pod's
//! HTTP responder's answer, then both streams are finished. PINGs are echoed.

use std::collections::HashMap;

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use super::spdy::{self, FLAG_FIN, Frame, Headers};
use crate::sim::shell::Container;

/// The WebSocket subprotocol kubectl asks for, the SPDY session tunnelled in it.
pub const TUNNEL_PROTOCOL: &str = "SPDY/3.1+portforward.k8s.io";

/// A data stream being answered: its port and the request read so far.
struct DataStream {
    request: Vec<u8>,
    answered: bool,
}

pub async fn serve<S>(socket: WebSocketStream<S>, container: Container)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = socket.split();
    let mut headers = Headers::default();
    let mut inbound = Vec::new();
    let mut data_streams: HashMap<u32, DataStream> = HashMap::new();
    while let Some(Ok(message)) = stream.next().await {
        match message {
            Message::Binary(bytes) => inbound.extend_from_slice(&bytes),
            Message::Close(_) => break,
            _ => continue,
        }
        while let Some(frame) = spdy::take_frame(&mut inbound) {
            let mut out = Vec::new();
            match frame {
                Frame::Control {
                    kind: spdy::SYN_STREAM,
                    payload,
                    ..
                } => {
                    let Some(id) = spdy::be32(&payload, 0).map(|id| id & 0x7fff_ffff) else {
                        return;
                    };
                    let Ok(pairs) = headers.read(payload.get(10..).unwrap_or_default()) else {
                        return;
                    };
                    let kind = pairs
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("streamtype"))
                        .map(|(_, v)| v.as_str());
                    let mut reply = id.to_be_bytes().to_vec();
                    reply.extend(headers.write(&[]));
                    out.push(spdy::control(spdy::SYN_REPLY, 0, &reply));
                    match kind {
                        Some("data") => {
                            data_streams.insert(
                                id,
                                DataStream {
                                    request: Vec::new(),
                                    answered: false,
                                },
                            );
                        }
                        // Nothing goes wrong behind the responder: the error stream ends empty.
                        _ => out.push(spdy::data(id, FLAG_FIN, &[])),
                    }
                }
                Frame::Control {
                    kind: spdy::PING,
                    payload,
                    ..
                } => out.push(spdy::control(spdy::PING, 0, &payload)),
                Frame::Control {
                    kind: spdy::GOAWAY, ..
                } => return,
                Frame::Control {
                    kind: spdy::RST_STREAM,
                    payload,
                    ..
                } => {
                    if let Some(id) = spdy::be32(&payload, 0) {
                        data_streams.remove(&(id & 0x7fff_ffff));
                    }
                }
                // SETTINGS, WINDOW_UPDATE and the rest change nothing for a small answer.
                Frame::Control { .. } => {}
                Frame::Data {
                    stream: id, data, ..
                } => {
                    let Some(ds) = data_streams.get_mut(&id).filter(|d| !d.answered) else {
                        continue;
                    };
                    ds.request.extend_from_slice(&data);
                    if let Some(end) = ds.request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&ds.request[..end]).into_owned();
                        let answer = super::kube_portforward::http_answer(&head, &container);
                        out.push(spdy::data(id, 0, answer.as_bytes()));
                        out.push(spdy::data(id, FLAG_FIN, &[]));
                        ds.answered = true;
                    }
                }
            }
            for frame in out {
                if sink.send(Message::Binary(frame.into())).await.is_err() {
                    return;
                }
            }
        }
    }
    let _ = sink.close().await;
}
