//! The API server's errors in words an operator can act on (never a token or a header), and as
//! the executor's `ActionError`s.

use crate::actions::executor::ActionError;

/// An API error in words an operator can act on; never a token or a header.
pub fn describe(e: &kube::Error) -> String {
    if let Some(problem) = certificate_problem(e) {
        return format!(
            "the API server's certificate is not trusted ({problem}): check the cluster's \
             certificate-authority(-data) in the kubeconfig"
        );
    }
    match e {
        kube::Error::Api(status) => format!("{} ({})", status.message, status.code),
        kube::Error::HyperError(e) => format!("cannot reach the API server: {e}"),
        kube::Error::Service(e) => format!("cannot reach the API server: {e}"),
        other => other.to_string(),
    }
}

/// What rustls said of the server's certificate, when that is why the connection failed; it
/// sits deep in the error's sources (kube, hyper, the connector, rustls).
fn certificate_problem(e: &kube::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = source {
        let text = error.to_string();
        if text.contains("invalid peer certificate") {
            return Some(text);
        }
        source = error.source();
    }
    None
}

pub(super) fn action_error(e: kube::Error) -> ActionError {
    match &e {
        kube::Error::Api(status) if status.code == 403 => {
            ActionError::NotPermitted(status.message.clone())
        }
        kube::Error::Api(status) if status.code == 404 => {
            ActionError::NotFound(status.message.clone())
        }
        _ => ActionError::Failed(describe(&e)),
    }
}
