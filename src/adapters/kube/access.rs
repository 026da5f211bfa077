//! Limited rights: many operators may read pods only in their team's namespaces. When the
//! cluster-wide list is forbidden, the namespaces this user may read are found (from those it
//! may list, each asked with a SelfSubjectAccessReview) and watched one by one.

use futures::stream::{self, StreamExt};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{ListParams, PostParams};
use kube::{Api, Client};

use super::slim::SlimPod;

/// Access reviews in flight at once while the namespaces are sorted out.
const REVIEWS_AT_ONCE: usize = 8;

/// Where the watches look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scopes {
    pub scopes: Vec<Option<String>>,
    /// How many namespaces are watched because the cluster-wide view is forbidden.
    pub namespaces: Option<usize>,
}

pub(super) fn is_forbidden(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(status) if status.code == 403)
}

/// The configured namespaces; else the whole cluster when its pods may be listed; else the
/// namespaces whose pods this user may list and watch. `Err` says what the operator must do.
pub(super) async fn scopes(client: &Client, configured: &[String]) -> Result<Scopes, String> {
    if !configured.is_empty() {
        return Ok(Scopes {
            scopes: configured.iter().cloned().map(Some).collect(),
            namespaces: None,
        });
    }
    let whole = Scopes {
        scopes: vec![None],
        namespaces: None,
    };
    let probe = Api::<SlimPod>::all(client.clone())
        .list_metadata(&ListParams::default().limit(1))
        .await;
    match probe {
        Err(e) if is_forbidden(&e) => {}
        // Anything else is the watches' to report (and retry).
        _ => return Ok(whole),
    }
    let listed = Api::<Namespace>::all(client.clone())
        .list_metadata(&ListParams::default())
        .await;
    let names: Vec<String> = match listed {
        Ok(list) => list
            .items
            .into_iter()
            .filter_map(|n| n.metadata.name)
            .collect(),
        Err(e) if is_forbidden(&e) => {
            return Err(
                "pods: no cluster-wide access, and namespaces may not be listed: \
                 set [kubernetes] namespaces (or --namespace) to those you may read"
                    .into(),
            );
        }
        Err(e) => return Err(super::actions::describe(&e)),
    };
    let readable: Vec<String> = stream::iter(names)
        .map(|ns| async move {
            let list = may(client, "list", &ns).await;
            let watch = may(client, "watch", &ns).await;
            (list && watch).then_some(ns)
        })
        .buffered(REVIEWS_AT_ONCE)
        .filter_map(|ns| async move { ns })
        .collect()
        .await;
    if readable.is_empty() {
        return Err(
            "pods: no cluster-wide access, and no namespace whose pods you may list and watch"
                .into(),
        );
    }
    Ok(Scopes {
        namespaces: Some(readable.len()),
        scopes: readable.into_iter().map(Some).collect(),
    })
}

/// Whether this user may `verb` pods in `namespace`; a review that fails counts as no.
async fn may(client: &Client, verb: &str, namespace: &str) -> bool {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                namespace: Some(namespace.into()),
                verb: Some(verb.into()),
                resource: Some("pods".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    Api::<SelfSubjectAccessReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await
        .ok()
        .and_then(|r| r.status)
        .is_some_and(|s| s.allowed)
}
