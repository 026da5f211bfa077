//! What the simulator's clients cost it: every request counted per Kubernetes verb, resource
//! and client (the User-Agent header), the TCP connections accepted, and the requests refused
//! with 429 by `--max-inflight`. Read at `GET /debug/requests`, printed by `opsdeck sim` on
//! exit and on SIGUSR1, in one stable text format (`render`) that scripts parse.
//!
//! The format, one record a line, fields separated by one tab (`\t` here):
//!
//! ```text
//! connections\t<accepted TCP connections>
//! throttled\t<requests answered 429 by --max-inflight>
//! total\t<requests>
//! request\t<verb>\t<resource>\t<user agent>\t<count>
//! ```
//!
//! `request` lines are sorted by verb, resource, user agent. The verb is the API server's
//! (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`); the resource is kubectl's
//! `plural.group` (`pods`, `deployments.apps`, `pods.metrics.k8s.io`) with `/subresource`
//! (`pods/log`), or the path for a non-resource URL (`/version`, `/api/v2/alerts`). A missing User-Agent reads `-`; tabs and line ends in one become spaces.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// `(verb, resource, user agent)`.
type Key = (String, String, String);

#[derive(Debug, Default)]
pub struct RequestCounts {
    requests: Mutex<BTreeMap<Key, u64>>,
    connections: AtomicU64,
    throttled: AtomicU64,
}

impl RequestCounts {
    pub fn connection_accepted(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
    }

    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    fn count(&self, key: Key) {
        *self
            .requests
            .lock()
            .expect("not poisoned")
            .entry(key)
            .or_default() += 1;
    }

    /// Every request line's key and count.
    pub fn requests(&self) -> Vec<(String, String, String, u64)> {
        self.requests
            .lock()
            .expect("not poisoned")
            .iter()
            .map(|((v, r, u), n)| (v.clone(), r.clone(), u.clone(), *n))
            .collect()
    }

    /// The counts in the documented format (see the module's comment).
    pub fn render(&self) -> String {
        let requests = self.requests();
        let total: u64 = requests.iter().map(|r| r.3).sum();
        let mut out = format!(
            "connections\t{}\nthrottled\t{}\ntotal\t{total}\n",
            self.connections(),
            self.throttled.load(Ordering::Relaxed),
        );
        for (verb, resource, agent, n) in requests {
            out.push_str(&format!("request\t{verb}\t{resource}\t{agent}\t{n}\n"));
        }
        out
    }
}

/// The middleware that counts each request before it is served.
pub async fn count(
    State(counts): State<std::sync::Arc<RequestCounts>>,
    request: Request,
    next: Next,
) -> Response {
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|a| a.to_str().ok())
        .map(|a| a.replace(['\t', '\n', '\r'], " "))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "-".into());
    let (verb, resource) = classify(request.method(), request.uri());
    if resource != "/debug/requests" {
        counts.count((verb.to_string(), resource, agent));
    }
    next.run(request).await
}

/// Whether the API server would call this request long-running (a watch, a log, exec...):
/// those are not held against `--max-inflight`, as kube-apiserver's
/// `--max-requests-inflight` does not count them.
pub fn long_running(method: &Method, uri: &axum::http::Uri) -> bool {
    let (verb, resource) = classify(method, uri);
    verb == "watch"
        || ["/log", "/exec", "/attach", "/portforward", "/proxy"]
            .iter()
            .any(|s| resource.ends_with(s))
}

/// The request's verb and resource, as the API server's request info names them.
pub fn classify(method: &Method, uri: &axum::http::Uri) -> (&'static str, String) {
    let path = uri.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, rest) = match segments.as_slice() {
        ["api", "v2", ..] => ("", None), // Alertmanager's API
        ["api", _version, rest @ ..] => ("", Some(rest)),
        ["apis", group, _version, rest @ ..] => (*group, Some(rest)),
        _ => ("", None),
    };
    let rest = match rest {
        Some(["namespaces", _ns, rest @ ..]) if !rest.is_empty() => rest,
        Some(rest) if !rest.is_empty() => rest,
        _ => {
            let verb = non_resource_verb(method);
            return (verb, path.to_string());
        }
    };
    // kubectl's `resource.group` (`deployments.apps`); the core group's have no suffix.
    let plural = match group {
        "" => rest[0].to_string(),
        group => format!("{}.{group}", rest[0]),
    };
    let resource = match rest {
        [_, _name, sub] => format!("{plural}/{sub}"),
        _ => plural,
    };
    let named = rest.len() > 1;
    let watching = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .any(|kv| kv == "watch=true" || kv == "watch=1");
    let verb = match *method {
        Method::GET if watching => "watch",
        Method::GET if named => "get",
        Method::GET => "list",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if named => "delete",
        Method::DELETE => "deletecollection",
        _ => "other",
    };
    (verb, resource)
}

fn non_resource_verb(method: &Method) -> &'static str {
    match *method {
        Method::GET => "get",
        Method::POST => "post",
        Method::PUT => "put",
        Method::PATCH => "patch",
        Method::DELETE => "delete",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb_of(method: Method, uri: &str) -> (&'static str, String) {
        classify(&method, &uri.parse().unwrap())
    }

    #[test]
    fn requests_are_named_by_the_api_servers_verbs_and_resources() {
        let cases = [
            (Method::GET, "/api/v1/pods?limit=500", "list", "pods"),
            (
                Method::GET,
                "/api/v1/pods?watch=true&resourceVersion=9",
                "watch",
                "pods",
            ),
            (
                Method::GET,
                "/api/v1/namespaces/pos/pods/a/log",
                "get",
                "pods/log",
            ),
            (
                Method::GET,
                "/apis/apps/v1/namespaces/pos/deployments/web",
                "get",
                "deployments.apps",
            ),
            (
                Method::PATCH,
                "/apis/apps/v1/namespaces/pos/deployments/web/scale",
                "patch",
                "deployments.apps/scale",
            ),
            (
                Method::GET,
                "/apis/metrics.k8s.io/v1beta1/pods",
                "list",
                "pods.metrics.k8s.io",
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/pos/pods/a",
                "delete",
                "pods",
            ),
            (Method::GET, "/api/v1/namespaces", "list", "namespaces"),
            (Method::GET, "/api/v1/namespaces/pos", "get", "namespaces"),
            (Method::GET, "/version", "get", "/version"),
            (Method::GET, "/apis/apps/v1", "get", "/apis/apps/v1"),
            (Method::GET, "/api/v2/alerts", "get", "/api/v2/alerts"),
        ];
        for (method, uri, verb, resource) in cases {
            assert_eq!(verb_of(method, uri), (verb, resource.to_string()), "{uri}");
        }
    }

    #[test]
    fn watches_and_logs_are_long_running_lists_are_not() {
        let long = |m: Method, u: &str| long_running(&m, &u.parse().unwrap());
        assert!(long(Method::GET, "/api/v1/pods?watch=true"));
        assert!(long(
            Method::GET,
            "/api/v1/namespaces/a/pods/b/log?follow=true"
        ));
        assert!(!long(Method::GET, "/api/v1/pods?limit=500"));
        assert!(!long(Method::GET, "/apis/metrics.k8s.io/v1beta1/pods"));
    }

    #[test]
    fn the_rendering_is_one_tab_separated_record_a_line() {
        let counts = RequestCounts::default();
        counts.connection_accepted();
        counts.count(("list".into(), "pods".into(), "opsdeck/1".into()));
        counts.count(("list".into(), "pods".into(), "opsdeck/1".into()));
        counts.count(("get".into(), "/version".into(), "-".into()));
        assert_eq!(
            counts.render(),
            "connections\t1\nthrottled\t0\ntotal\t3\n\
             request\tget\t/version\t-\t1\n\
             request\tlist\tpods\topsdeck/1\t2\n"
        );
    }
}
