//! A node's drain (on a client that does not retry 429s itself), done as `kubectl drain NODE --ignore-daemonsets --delete-emptydir-data`
//! does it: the pods on the node (a field selector on `spec.nodeName`) sorted by
//! `actions::drain::classify`, refused if one has no controller, then the node cordoned and
//! each pod evicted through the Eviction API. A 429 (a PodDisruptionBudget allows no
//! disruption now) is said once per pod, naming the budget whose selector takes the pod, and
//! asked again every `RETRY_AFTER` until it passes; then each evicted pod is waited for until
//! it is gone (or is a new pod of the same name). The evictions are sent all at once, as
//! kubectl sends them, and counted as they pass (`evicted 3 of 7: ns/pod`). Cancelling drops the future:
//! evictions stop, the node stays cordoned, as after kubectl's Ctrl-C.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{EvictParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;
use tokio::sync::mpsc;

use super::actions::{action_error, describe};
use crate::actions::drain::{self, Disposition, RETRY_AFTER};
use crate::actions::executor::ActionError;

const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The pods of a node, sorted by what the drain does with them.
#[derive(Debug, Default)]
pub struct ServerPlan {
    /// (namespace, name, uid, whether it has an emptyDir volume).
    pub evict: Vec<(String, String, String, bool)>,
    pub skipped: usize,
    pub blockers: Vec<String>,
}

fn disposition(pod: &Pod) -> Disposition {
    let owner = pod
        .metadata
        .owner_references
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|o| o.controller == Some(true))
        .map(|o| o.kind.as_str());
    let mirror = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR_ANNOTATION));
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    drain::classify(owner, mirror, matches!(phase, Some("Succeeded" | "Failed")))
}

fn empty_dir(pod: &Pod) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.volumes.as_deref())
        .unwrap_or_default()
        .iter()
        .any(|v| v.empty_dir.is_some())
}

/// The node's pods as the API server has them, sorted.
pub async fn plan(client: &Client, node: &str) -> Result<ServerPlan, ActionError> {
    let params = ListParams::default().fields(&format!("spec.nodeName={node}"));
    let pods = Api::<Pod>::all(client.clone())
        .list(&params)
        .await
        .map_err(action_error)?;
    let mut plan = ServerPlan::default();
    let mut items = pods.items;
    items.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    for pod in items {
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        match disposition(&pod) {
            Disposition::Evict => {
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                let local = empty_dir(&pod);
                plan.evict.push((ns, name, uid, local));
            }
            Disposition::SkipDaemonSet | Disposition::SkipMirror => plan.skipped += 1,
            Disposition::Blocker => plan.blockers.push(format!("{ns}/{name}")),
        }
    }
    Ok(plan)
}

/// The dry run: the cordon and one eviction checked by the server, and the plan.
pub async fn dry_run(client: &Client, node: &str) -> Result<String, ActionError> {
    let plan = plan(client, node).await?;
    if !plan.blockers.is_empty() {
        return Err(ActionError::Failed(drain::blockers_refusal(&plan.blockers)));
    }
    cordon(client, node, true).await?;
    if let Some((ns, name, _, _)) = plan.evict.first() {
        let params = EvictParams {
            post_options: PostParams {
                dry_run: true,
                ..Default::default()
            },
            ..Default::default()
        };
        match Api::<Pod>::namespaced(client.clone(), ns)
            .evict(name, &params)
            .await
        {
            Ok(_) => {}
            // A budget that says no now is waited for in the drain, not a refusal.
            Err(kube::Error::Api(status)) if status.code == 429 => {}
            Err(e) => return Err(action_error(e)),
        }
    }
    // One line of an 80-column dialog after "permitted; dry run: ".
    Ok(format!(
        "cordon and evictions accepted: {}",
        drain::pods(plan.evict.len())
    ))
}

async fn cordon(client: &Client, node: &str, dry_run: bool) -> Result<(), ActionError> {
    let params = PatchParams {
        dry_run,
        field_manager: Some("opsdeck".into()),
        ..Default::default()
    };
    Api::<Node>::all(client.clone())
        .patch(
            node,
            &params,
            &Patch::Merge(json!({"spec": {"unschedulable": true}})),
        )
        .await
        .map_err(action_error)?;
    Ok(())
}

/// The budget whose selector takes this pod's labels, by name.
async fn budget_of(client: &Client, ns: &str, name: &str) -> Option<String> {
    let pod = Api::<Pod>::namespaced(client.clone(), ns)
        .get(name)
        .await
        .ok()?;
    let labels = pod.metadata.labels.unwrap_or_default();
    let budgets = Api::<PodDisruptionBudget>::namespaced(client.clone(), ns)
        .list(&ListParams::default())
        .await
        .ok()?;
    budgets.items.into_iter().find_map(|b| {
        let selector = b.spec?.selector?;
        let wanted: BTreeMap<String, String> = selector.match_labels.unwrap_or_default();
        let matches = selector.match_expressions.unwrap_or_default().is_empty()
            && !wanted.is_empty()
            && wanted.iter().all(|(k, v)| labels.get(k) == Some(v));
        matches.then(|| b.metadata.name.unwrap_or_default())
    })
}

/// Drains `node`; progress lines as each pod goes. What was done, in a sentence.
pub async fn run(
    client: &Client,
    node: &str,
    progress: mpsc::Sender<String>,
) -> Result<String, ActionError> {
    let plan = plan(client, node).await?;
    if !plan.blockers.is_empty() {
        return Err(ActionError::Failed(drain::blockers_refusal(&plan.blockers)));
    }
    cordon(client, node, false).await?;
    let total = plan.evict.len();
    let _ = progress
        .send(format!(
            "cordoned; evicting {}, {} left (DaemonSet)",
            drain::pods(total),
            drain::pods(plan.skipped)
        ))
        .await;
    // All at once, as kubectl does: a budget then lets one through and holds the rest, each
    // retried until the one before it is replaced.
    let mut evictions: FuturesUnordered<_> = plan
        .evict
        .iter()
        .map(|(ns, name, _, local)| {
            let progress = progress.clone();
            async move {
                evict(client, ns, name, &progress)
                    .await
                    .map(|()| (ns, name, *local))
            }
        })
        .collect();
    let mut done = 0;
    while let Some(result) = evictions.next().await {
        let (ns, name, local) = result.map_err(|e| {
            ActionError::Failed(format!(
                "{e} ({done} of {total} evicted; the node stays cordoned)"
            ))
        })?;
        done += 1;
        let data = if local {
            " (its emptyDir data deleted)"
        } else {
            ""
        };
        let _ = progress
            .send(format!("evicted {done} of {total}: {ns}/{name}{data}"))
            .await;
    }
    wait_gone(client, &plan.evict).await?;
    Ok(format!(
        // Short: the timeline's line starts with the action's title, which names the node.
        "drained: {} evicted, {} left (DaemonSet)",
        drain::pods(total),
        drain::pods(plan.skipped)
    ))
}

/// Evicts one pod, asking again after each 429 (said once, naming the budget).
async fn evict(
    client: &Client,
    ns: &str,
    name: &str,
    progress: &mpsc::Sender<String>,
) -> Result<(), String> {
    let api = Api::<Pod>::namespaced(client.clone(), ns);
    let mut blocked = false;
    loop {
        match api.evict(name, &EvictParams::default()).await {
            Ok(_) => return Ok(()),
            // Gone already (its controller replaced it, or someone deleted it).
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(()),
            Err(kube::Error::Api(status)) if status.code == 429 => {
                if !blocked {
                    blocked = true;
                    let budget = budget_of(client, ns, name)
                        .await
                        .unwrap_or_else(|| "(unnamed)".into());
                    let _ = progress
                        .send(format!("blocked by PDB {budget}, retrying: {ns}/{name}"))
                        .await;
                }
                tokio::time::sleep(RETRY_AFTER).await;
            }
            Err(e) => return Err(format!("evicting {ns}/{name}: {}", describe(&e))),
        }
    }
}

/// Waits until every evicted pod is gone: not found, or a new pod under the same name (a
/// StatefulSet's), as kubectl's wait for deletion judges it.
async fn wait_gone(
    client: &Client,
    pods: &[(String, String, String, bool)],
) -> Result<(), ActionError> {
    for (ns, name, uid, _) in pods {
        let api = Api::<Pod>::namespaced(client.clone(), ns);
        loop {
            match api.get_opt(name).await.map_err(action_error)? {
                Some(p) if p.metadata.uid.as_deref() == Some(uid.as_str()) => {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                _ => break,
            }
        }
    }
    Ok(())
}
