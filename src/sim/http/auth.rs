//! Authentication and authorization in front of the simulated Kubernetes API, as a real API
//! server does them: who the caller is (a bearer token, a client certificate, a token from the
//! exec plugin that expires, or anyone in `--auth none`), then whether the policy lets that user
//! do the verb on the resource in the namespace. 401 and 403 answer as kube-apiserver does.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use serde_json::json;

use super::tls::Peer;
use crate::sim::kubeapi::Policy;

/// How clients prove who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuthMode {
    /// A bearer token in the kubeconfig (the default: what a service account's kubeconfig has)
    #[default]
    Token,
    /// A client certificate the simulator signs
    Cert,
    /// An exec credential plugin (a script the simulator writes) printing short-lived tokens
    Exec,
    /// Anyone is the simulator's user
    None,
}

/// The logged-in user, for the handlers (SelfSubjectAccessReview answers for them).
#[derive(Debug, Clone)]
pub struct User(pub String);

/// What the gate knows: the mode, the user its credentials name, the secret its tokens carry,
/// and the policy.
pub struct Gate {
    pub mode: AuthMode,
    pub user: String,
    pub secret: String,
    pub policy: Policy,
}

const EXEC_PREFIX: &str = "sim-exec";

/// A user and their groups.
type Who = (String, Vec<String>);

/// `kubectl auth whoami`'s question, answered from what the gate found.
fn self_subject_review(who: &Who) -> Response {
    super::kube::reply(
        201,
        &json!({
            "kind": "SelfSubjectReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {},
            "status": {"userInfo": {"username": who.0, "groups": who.1}},
        }),
    )
}

impl Gate {
    /// The static bearer token of `--auth token`.
    pub fn token(&self) -> String {
        format!("sim-token.{}", self.secret)
    }

    /// Who the request is from (user, groups), or why it is not accepted (401), and when its
    /// credential expires (an exec token's), in seconds since the epoch.
    fn authenticate(&self, request: &Request) -> Result<(Who, Option<u64>), &'static str> {
        let (user, expiry) = self.user_of(request)?;
        let groups = match &user {
            (_, Some(groups)) => groups.clone(),
            (_, None) => Vec::new(),
        };
        let mut all = groups;
        all.push("system:authenticated".into());
        Ok(((user.0, all), expiry))
    }

    #[allow(clippy::type_complexity)]
    fn user_of(
        &self,
        request: &Request,
    ) -> Result<((String, Option<Vec<String>>), Option<u64>), &'static str> {
        let bearer = request
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match self.mode {
            AuthMode::None => Ok(((self.user.clone(), None), None)),
            AuthMode::Token => match bearer {
                Some(token) if token == self.token() => Ok(((self.user.clone(), None), None)),
                _ => Err("no valid bearer token"),
            },
            AuthMode::Cert => request
                .extensions()
                .get::<ConnectInfo<Peer>>()
                .and_then(|c| c.0.cert_user.clone())
                .map(|(user, groups)| ((user, Some(groups)), None))
                .ok_or("no client certificate"),
            AuthMode::Exec => {
                let token = bearer.ok_or("no bearer token")?;
                let expiry = exec_token_expiry(token, &self.secret).ok_or("not a token we made")?;
                if expiry <= crate::sim::clock::now().0 as u64 {
                    return Err("the token has expired");
                }
                Ok(((self.user.clone(), None), Some(expiry)))
            }
        }
    }
}

/// The expiry an exec token carries (`sim-exec.<expiry>.<secret>`), when it is one of ours.
fn exec_token_expiry(token: &str, secret: &str) -> Option<u64> {
    let rest = token.strip_prefix(EXEC_PREFIX)?.strip_prefix('.')?;
    let (expiry, their_secret) = rest.split_once('.')?;
    (their_secret == secret).then_some(())?;
    expiry.parse().ok()
}

/// The RBAC question a request asks: verb, resource (with subresource), namespace (`""`
/// cluster-wide); `None` for what every authenticated user may do (discovery, access reviews).
fn attributes(method: &Method, uri: &axum::http::Uri) -> Option<(String, String, String)> {
    let api = super::kube::parse_path(uri.path())?;
    if api.resource.is_empty() || api.group == "authorization.k8s.io" {
        return None;
    }
    let watch = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "watch=true" || p == "watch=1"));
    let verb = match (method, &api.name) {
        (&Method::GET, Some(_)) => "get",
        (&Method::GET, None) if watch => "watch",
        (&Method::GET, None) => "list",
        (&Method::POST, _) => "create",
        (&Method::PUT, _) => "update",
        (&Method::PATCH, _) => "patch",
        (&Method::DELETE, Some(_)) => "delete",
        (&Method::DELETE, None) => "deletecollection",
        _ => return None,
    };
    let resource = match &api.subresource {
        Some(sub) => format!("{}/{sub}", api.resource),
        None => api.resource.clone(),
    };
    // `/api/v1/namespaces/pos` names the namespace object itself: cluster-scoped.
    let namespace = api.namespace.clone().unwrap_or_default();
    Some((verb.into(), resource, namespace))
}

fn status(code: u16, reason: &str, message: String) -> Response {
    super::kube::reply(
        code,
        &json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": message,
            "reason": reason,
            "code": code,
        }),
    )
}

/// The middleware in front of the Kubernetes routes.
pub async fn guard(State(gate): State<Arc<Gate>>, mut request: Request, next: Next) -> Response {
    let ((user, groups), expiry) = match gate.authenticate(&request) {
        Ok(who) => who,
        Err(why) => {
            tracing::debug!("simulator: 401 for {}: {why}", request.uri().path());
            return status(401, "Unauthorized", "Unauthorized".into());
        }
    };
    let path = request.uri().path();
    if request.method() == Method::POST
        && path.starts_with("/apis/authentication.k8s.io/")
        && path.ends_with("/selfsubjectreviews")
    {
        return self_subject_review(&(user, groups));
    }
    if let Some((verb, resource, namespace)) = attributes(request.method(), request.uri()) {
        let group = super::kube::parse_path(request.uri().path())
            .map(|a| a.group)
            .unwrap_or_default();
        if let Err(why) = gate
            .policy
            .check_in_group(&user, &verb, &resource, &group, &namespace)
        {
            let scope = match namespace.as_str() {
                "" => "at the cluster scope".to_string(),
                ns => format!("in the namespace \"{ns}\""),
            };
            let message = format!(
                "{resource} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" {scope}: {why}"
            );
            return status(403, "Forbidden", message);
        }
    }
    let watch = request
        .uri()
        .query()
        .is_some_and(|q| q.contains("watch=true"));
    request.extensions_mut().insert(User(user));
    let response = next.run(request).await;
    match expiry {
        // A watch lasts as long as the credential that opened it: the client must log in
        // again to go on, as with an API server that checks tokens on long requests.
        Some(expiry) if watch => {
            let left = expiry.saturating_sub(crate::sim::clock::now().0 as u64);
            let (parts, body) = response.into_parts();
            let ends = tokio::time::sleep(Duration::from_secs(left));
            let stream = body.into_data_stream().take_until(ends);
            Response::from_parts(parts, axum::body::Body::from_stream(stream))
        }
        _ => response,
    }
}

/// How the simulator is served: TLS or plain HTTP, how clients log in, as whom, and where
/// the kubeconfig goes (the identity and the exec plugin are kept beside it).
#[derive(Debug, Clone)]
pub struct Security {
    pub tls: bool,
    pub auth: AuthMode,
    pub user: String,
    pub token_ttl: Duration,
    pub kubeconfig: Option<PathBuf>,
    /// How demanding the server is (`--max-inflight`, `--page-size-limit`).
    pub limits: super::HttpOptions,
}

impl Security {
    /// Plain HTTP, anyone is the simulator's user: what in-process tests use.
    pub fn open() -> Security {
        Security {
            tls: false,
            auth: AuthMode::None,
            user: crate::sim::kubeapi::policy::USER.into(),
            token_ttl: Duration::from_secs(600),
            kubeconfig: None,
            limits: super::HttpOptions::default(),
        }
    }

    /// HTTPS with a bearer token: the demo's.
    pub fn demo() -> Security {
        Security {
            tls: true,
            auth: AuthMode::Token,
            ..Security::open()
        }
    }

    /// Where the CA and token secret are kept for the next run: beside the kubeconfig.
    pub fn identity_file(&self) -> Option<PathBuf> {
        self.kubeconfig.as_ref().map(|k| beside(k, "sim-identity"))
    }

    /// The exec plugin's path.
    pub fn plugin_file(&self) -> Option<PathBuf> {
        self.kubeconfig.as_ref().map(|k| beside(k, "credential.sh"))
    }
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kubeconfig".into());
    path.with_file_name(format!("{name}.{suffix}"))
}

/// The exec credential plugin: prints an ExecCredential whose token the simulator accepts for
/// `ttl` from when it runs. POSIX sh and `date` only.
pub fn plugin_script(secret: &str, ttl: Duration) -> String {
    format!(
        "#!/bin/sh\n\
         # Written by opsdeck sim: a short-lived token for the simulated cluster.\n\
         exp=$(( $(date +%s) + {ttl} ))\n\
         printf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{EXEC_PREFIX}.%s.{secret}\",\"expirationTimestamp\":\"%s\"}}}}\\n' \"$exp\" \"$(date -u -d \"@$exp\" +%Y-%m-%dT%H:%M:%SZ)\"\n",
        ttl = ttl.as_secs().max(1),
    )
}

/// Writes the plugin, executable by its owner only.
pub fn write_plugin(path: &Path, secret: &str, ttl: Duration) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o700)
        .open(&partial)?;
    file.write_all(plugin_script(secret, ttl).as_bytes())?;
    drop(file);
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_ask_the_verbs_kubectl_would_be_checked_for() {
        let ask = |m: Method, uri: &str| attributes(&m, &uri.parse().unwrap());
        let triple = |v: &str, r: &str, n: &str| Some((v.into(), r.into(), n.into()));
        assert_eq!(ask(Method::GET, "/api/v1/pods"), triple("list", "pods", ""));
        assert_eq!(
            ask(Method::GET, "/api/v1/namespaces/pos/pods?watch=true&x=1"),
            triple("watch", "pods", "pos")
        );
        assert_eq!(
            ask(
                Method::PATCH,
                "/apis/apps/v1/namespaces/pos/deployments/a/scale"
            ),
            triple("patch", "deployments/scale", "pos")
        );
        assert_eq!(
            ask(Method::GET, "/api/v1/namespaces/pos"),
            triple("get", "namespaces", "")
        );
        assert_eq!(ask(Method::GET, "/apis/apps/v1"), None);
        assert_eq!(
            ask(
                Method::POST,
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
            ),
            None
        );
    }

    #[test]
    fn exec_tokens_carry_their_expiry_and_only_ours_count() {
        assert_eq!(
            exec_token_expiry("sim-exec.1700.s3cret", "s3cret"),
            Some(1700)
        );
        assert_eq!(exec_token_expiry("sim-exec.1700.other", "s3cret"), None);
        assert_eq!(exec_token_expiry("sim-token.s3cret", "s3cret"), None);
    }
}
