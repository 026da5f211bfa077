//! TLS for PostgreSQL on the process's one rustls (aws-lc-rs): a small `MakeTlsConnect` over
//! tokio-rustls. It replaces tokio-postgres-rustls, which compiled `ring` beside aws-lc only to
//! hash the server's certificate for SCRAM channel binding; here sha2 (already built for
//! tokio-postgres's SCRAM) does that.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use sha2::Digest;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
use tokio_rustls::TlsConnector;

/// Makes one TLS connector per connection, verifying the server's name against `domain`.
#[derive(Clone)]
pub struct MakeRustls {
    config: Arc<ClientConfig>,
}

impl MakeRustls {
    pub fn new(config: ClientConfig) -> Self {
        MakeRustls {
            config: Arc::new(config),
        }
    }
}

impl<S> MakeTlsConnect<S> for MakeRustls
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = rustls::pki_types::InvalidDnsNameError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnect, Self::Error> {
        Ok(RustlsConnect {
            name: ServerName::try_from(domain.to_string())?,
            connector: TlsConnector::from(self.config.clone()),
        })
    }
}

pub struct RustlsConnect {
    name: ServerName<'static>,
    connector: TlsConnector,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let stream = self.connector.connect(self.name, stream).await?;
            Ok(RustlsStream(stream))
        })
    }
}

pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S> tokio_postgres::tls::TlsStream for RustlsStream<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    /// `tls-server-end-point` (RFC 5929): the server certificate hashed with its signature's
    /// hash (SHA-1 and MD5 taken up to SHA-256), so SCRAM-SHA-256-PLUS can bind to this TLS.
    fn channel_binding(&self) -> ChannelBinding {
        let (_, session) = self.0.get_ref();
        let Some(cert) = session.peer_certificates().and_then(|c| c.first()) else {
            return ChannelBinding::none();
        };
        let cert = cert.as_ref();
        match signature_hash(cert) {
            Some(Hash::Sha256) => {
                ChannelBinding::tls_server_end_point(sha2::Sha256::digest(cert).to_vec())
            }
            Some(Hash::Sha384) => {
                ChannelBinding::tls_server_end_point(sha2::Sha384::digest(cert).to_vec())
            }
            Some(Hash::Sha512) => {
                ChannelBinding::tls_server_end_point(sha2::Sha512::digest(cert).to_vec())
            }
            None => ChannelBinding::none(),
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// The hash of a DER certificate's signature algorithm (the `signatureAlgorithm` after the
/// `tbsCertificate`), or `None` for one RFC 5929 gives no hash for (e.g. RSASSA-PSS).
fn signature_hash(cert: &[u8]) -> Option<Hash> {
    let (outer, _) = der_element(cert, 0x30)?;
    let (_tbs, rest) = der_element(outer, 0x30)?;
    let (algorithm, _) = der_element(rest, 0x30)?;
    let (oid, _) = der_element(algorithm, 0x06)?;
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    const ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    match oid {
        // md5 (4), sha1 (5), sha256 (11) with RSA; sha384 (12), sha512 (13).
        [p @ .., 4 | 5 | 11] if p == RSA => Some(Hash::Sha256),
        [p @ .., 12] if p == RSA => Some(Hash::Sha384),
        [p @ .., 13] if p == RSA => Some(Hash::Sha512),
        [p @ .., 2] if p == ECDSA => Some(Hash::Sha256),
        [p @ .., 3] if p == ECDSA => Some(Hash::Sha384),
        [p @ .., 4] if p == ECDSA => Some(Hash::Sha512),
        o if o == ED25519 => Some(Hash::Sha512),
        _ => None,
    }
}

/// The content of the DER element at the start of `input` if its tag is `tag`, and what follows.
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = if len < 0x80 {
        (usize::from(len), rest)
    } else {
        let octets = usize::from(len & 0x7f);
        if octets == 0 || octets > 4 || rest.len() < octets {
            return None;
        }
        let len = rest[..octets]
            .iter()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (len, &rest[octets..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate's outer structure with the given signature algorithm OID (the structure is
    /// what the parser walks; a real certificate is checked end to end against PostgreSQL).
    fn cert_with(oid: &[u8]) -> Vec<u8> {
        let tbs = [0x30, 0x03, 0x02, 0x01, 0x02];
        let mut algorithm = vec![0x06, oid.len() as u8];
        algorithm.extend_from_slice(oid);
        algorithm.extend_from_slice(&[0x05, 0x00]);
        let mut body = tbs.to_vec();
        body.push(0x30);
        body.push(algorithm.len() as u8);
        body.extend(algorithm);
        body.extend_from_slice(&[0x03, 0x02, 0x00, 0xff]);
        let mut cert = vec![0x30, 0x81, body.len() as u8];
        cert.extend(body);
        cert
    }

    #[test]
    fn signature_hashes_as_rfc_5929_names_them() {
        let rsa = |n: u8| cert_with(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, n]);
        assert_eq!(signature_hash(&rsa(11)), Some(Hash::Sha256));
        assert_eq!(
            signature_hash(&rsa(5)),
            Some(Hash::Sha256),
            "SHA-1 is taken up"
        );
        assert_eq!(signature_hash(&rsa(12)), Some(Hash::Sha384));
        assert_eq!(signature_hash(&rsa(13)), Some(Hash::Sha512));
        assert_eq!(
            signature_hash(&rsa(10)),
            None,
            "RSASSA-PSS names no hash here"
        );
        let ecdsa = |n: u8| cert_with(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, n]);
        assert_eq!(signature_hash(&ecdsa(2)), Some(Hash::Sha256));
        assert_eq!(signature_hash(&ecdsa(3)), Some(Hash::Sha384));
        assert_eq!(
            signature_hash(&cert_with(&[0x2b, 0x65, 0x70])),
            Some(Hash::Sha512)
        );
        assert_eq!(signature_hash(b"not a certificate"), None);
        assert_eq!(signature_hash(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
    }
}
