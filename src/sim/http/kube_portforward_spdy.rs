//! `kubectl port-forward` against the simulator: the SPDY/3.1 session (`spdy.rs`) as the API
//! server serves it, over an HTTP upgrade to `SPDY/3.1` (kubectl's default) or tunnelled
//! through a WebSocket (subprotocol `SPDY/3.1+portforward.k8s.io`, each binary message a
//! piece of the SPDY byte stream; kubectl with `KUBECTL_PORT_FORWARD_WEBSOCKETS=true`). Per
//! local connection kubectl opens an error stream and a data stream (headers `streamtype`,
//! `port`, `requestid`); each is answered with a SYN_REPLY, the data stream's request gets the
//! pod's HTTP responder's answer, then both streams are finished. PINGs are echoed.

use std::collections::HashMap;
use std::future::Future;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use super::spdy::{self, FLAG_FIN, Frame, Headers};
use crate::sim::shell::Container;

/// The WebSocket subprotocol kubectl asks for, the SPDY session tunnelled in it.
pub const TUNNEL_PROTOCOL: &str = "SPDY/3.1+portforward.k8s.io";

/// A data stream being answered: the request read so far.
struct DataStream {
    request: Vec<u8>,
    answered: bool,
}

/// The SPDY byte stream, whatever carries it.
pub trait Pipe: Send {
    /// The next bytes that came, or `None` when the client has gone.
    fn recv(&mut self) -> impl Future<Output = Option<Vec<u8>>> + Send;
    /// Sends one frame; false when the client has gone.
    fn send(&mut self, frame: Vec<u8>) -> impl Future<Output = bool> + Send;
}

/// SPDY in a WebSocket's binary messages.
pub struct Tunnel<S>(pub WebSocketStream<S>);

impl<S> Pipe for Tunnel<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    async fn recv(&mut self) -> Option<Vec<u8>> {
        loop {
            match self.0.next().await? {
                Ok(Message::Binary(bytes)) => return Some(bytes.to_vec()),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            }
        }
    }

    async fn send(&mut self, frame: Vec<u8>) -> bool {
        self.0.send(Message::Binary(frame.into())).await.is_ok()
    }
}

/// SPDY on the upgraded connection itself.
pub struct Raw<T>(pub T);

impl<T> Pipe for Raw<T>
where
    T: AsyncRead + AsyncWrite + Unpin + Send,
{
    async fn recv(&mut self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 16 * 1024];
        match self.0.read(&mut buf).await {
            Ok(0) | Err(_) => None,
            Ok(n) => {
                buf.truncate(n);
                Some(buf)
            }
        }
    }

    async fn send(&mut self, frame: Vec<u8>) -> bool {
        self.0.write_all(&frame).await.is_ok() && self.0.flush().await.is_ok()
    }
}

pub async fn serve(mut pipe: impl Pipe, container: Container) {
    let mut headers = Headers::default();
    let mut inbound = Vec::new();
    let mut data_streams: HashMap<u32, DataStream> = HashMap::new();
    while let Some(bytes) = pipe.recv().await {
        inbound.extend_from_slice(&bytes);
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
                if !pipe.send(frame).await {
                    return;
                }
            }
        }
    }
}
