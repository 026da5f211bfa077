//! The simulator's TLS, as a real API server's: a CA it makes at start (or keeps beside the
//! kubeconfig it writes, so a restarted simulator is the same cluster to its clients), a server
//! certificate for the loopback names signed by it, client certificates it signs for `--auth
//! cert`, and a listener that does the handshakes off the accept loop and tells the handlers
//! who the client certificate says the caller is.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a handshake may take before the connection is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Certificates are valid from a day before they are made: a client whose clock is some
/// minutes (or hours) behind still accepts them, as with a real cluster's.
const BACKDATE: time::Duration = time::Duration::days(1);
const VALID_FOR: time::Duration = time::Duration::days(365);

/// The cluster's CA: its certificate (what kubeconfigs carry) and the key that signs.
pub struct Authority {
    pub cert_pem: String,
    key: KeyPair,
}

/// What a restarted simulator needs to be the same cluster: its CA and the secret its tokens
/// are made from. Kept in a file readable by its owner only.
#[derive(Serialize, Deserialize)]
pub struct Identity {
    pub ca_cert: String,
    pub ca_key: String,
    pub secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot make a certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("the client certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("{0}")]
    Pem(#[from] rustls::pki_types::pem::Error),
}

fn ca_params() -> Result<CertificateParams, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "opsdeck-sim CA");
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    dated(&mut params);
    Ok(params)
}

fn dated(params: &mut CertificateParams) {
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - BACKDATE;
    params.not_after = now + VALID_FOR;
}

impl Authority {
    pub fn generate() -> Result<Authority, TlsError> {
        let key = KeyPair::generate()?;
        let cert_pem = ca_params()?.self_signed(&key)?.pem();
        Ok(Authority { cert_pem, key })
    }

    /// The CA a previous run kept. Signing needs only the key and the CA's name, which is
    /// always the same, so the certificates it signs chain to the kept CA certificate.
    pub fn restore(identity: &Identity) -> Result<Authority, TlsError> {
        Ok(Authority {
            cert_pem: identity.ca_cert.clone(),
            key: KeyPair::from_pem(&identity.ca_key)?,
        })
    }

    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    fn issuer(&self) -> Result<Issuer<'_, &KeyPair>, TlsError> {
        Ok(Issuer::new(ca_params()?, &self.key))
    }

    /// A server certificate for the loopback names and `ip`: (certificate PEM, key PEM).
    pub fn server_cert(&self, ip: std::net::IpAddr) -> Result<(String, String), TlsError> {
        let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        if !ip.is_unspecified() && ip.to_string() != "127.0.0.1" {
            names.push(ip.to_string());
        }
        let mut params = CertificateParams::new(names)?;
        params
            .distinguished_name
            .push(DnType::CommonName, "opsdeck-sim API server");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        dated(&mut params);
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer()?)?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// A client certificate for `user` (its common name, as Kubernetes reads it) in `group`
    /// (its organisation): (certificate PEM, key PEM).
    pub fn client_cert(&self, user: &str, group: &str) -> Result<(String, String), TlsError> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, user);
        params
            .distinguished_name
            .push(DnType::OrganizationName, group);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        dated(&mut params);
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer()?)?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// The server's TLS configuration; with `client_auth`, a client certificate signed by this
    /// CA is required.
    pub fn server_config(
        &self,
        ip: std::net::IpAddr,
        client_auth: bool,
    ) -> Result<rustls::ServerConfig, TlsError> {
        let (cert, key) = self.server_cert(ip)?;
        let chain = vec![
            CertificateDer::from_pem_slice(cert.as_bytes())?,
            CertificateDer::from_pem_slice(self.cert_pem.as_bytes())?,
        ];
        let key = PrivateKeyDer::from_pem_slice(key.as_bytes())?;
        let builder = rustls::ServerConfig::builder();
        let mut config = if client_auth {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(CertificateDer::from_pem_slice(self.cert_pem.as_bytes())?)?;
            let verifier =
                rustls::server::WebPkiClientVerifier::builder(Arc::new(roots)).build()?;
            builder
                .with_client_cert_verifier(verifier)
                .with_single_cert(chain, key)?
        } else {
            builder.with_no_client_auth().with_single_cert(chain, key)?
        };
        // HTTP/1.1 only, as the simulator's server speaks.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// Reads the identity a previous run kept at `path`, if there is one that parses.
pub fn load_identity(path: &Path) -> Option<Identity> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Keeps the identity at `path`, readable by its owner only.
pub fn save_identity(path: &Path, identity: &Identity) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let text = serde_json::to_string(identity).map_err(std::io::Error::other)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// Who is at the other end of a connection: the address, and the user and groups its client
/// certificate names (common name, organisations), when it showed one.
#[derive(Debug, Clone, Default)]
pub struct Peer {
    pub addr: Option<SocketAddr>,
    pub cert_user: Option<(String, Vec<String>)>,
}

impl Connected<IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        stream.remote_addr().clone()
    }
}

impl Connected<IncomingStream<'_, TcpListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Peer {
            addr: Some(*stream.remote_addr()),
            cert_user: None,
        }
    }
}

/// Plain HTTP, each connection accepted told to `accepted` (the request counters).
pub struct CountedListener<F> {
    pub inner: TcpListener,
    pub accepted: F,
}

impl<F: Fn() + Send + 'static> axum::serve::Listener for CountedListener<F> {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let accepted = axum::serve::Listener::accept(&mut self.inner).await;
        (self.accepted)();
        accepted
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl<F: Fn() + Send + 'static> Connected<IncomingStream<'_, CountedListener<F>>> for Peer {
    fn connect_info(stream: IncomingStream<'_, CountedListener<F>>) -> Self {
        Peer {
            addr: Some(*stream.remote_addr()),
            cert_user: None,
        }
    }
}

/// A TLS listener: a task accepts and handshakes (each handshake on its own task, so a slow
/// client holds up nobody), and hands over the finished connections.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, Peer)>,
    local: SocketAddr,
}

impl TlsListener {
    /// `accepted` is told of every TCP connection accepted (the request counters).
    pub fn new(
        listener: TcpListener,
        config: rustls::ServerConfig,
        accepted: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (tcp, addr) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::debug!("simulator accept: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if tx.is_closed() {
                    return;
                }
                accepted();
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let handshake =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await;
                    let stream = match handshake {
                        Ok(Ok(stream)) => stream,
                        // A client that does not trust the CA ends here; it says why itself.
                        Ok(Err(e)) => {
                            tracing::debug!("simulator TLS handshake with {addr}: {e}");
                            return;
                        }
                        Err(_) => return,
                    };
                    let cert_user = stream
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|chain| chain.first())
                        .and_then(|cert| subject_of(cert.as_ref()));
                    let peer = Peer {
                        addr: Some(addr),
                        cert_user,
                    };
                    let _ = tx.send((stream, peer)).await;
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = Peer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(accepted) => accepted,
            // The accept task ended: nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(Peer {
            addr: Some(self.local),
            cert_user: None,
        })
    }
}

/// The user (common name) and groups (organisations) of a verified client certificate.
fn subject_of(der: &[u8]) -> Option<(String, Vec<String>)> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject = cert.subject();
    let text = |a: &x509_parser::x509::AttributeTypeAndValue<'_>| a.as_str().ok().map(String::from);
    let user = subject.iter_common_name().next().and_then(text)?;
    let groups = subject.iter_organization().filter_map(text).collect();
    Some((user, groups))
}
