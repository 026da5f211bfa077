//! PodDisruptionBudgets as the API server keeps them (policy/v1), and the question an eviction
//! asks of them. The demo has one, on `pos-catalog`, that lets one of its pods be down at a
//! time: a drain of a node with two of them evicts the first, is refused the second (429)
//! until the first one's replacement is Ready elsewhere, then goes on.

use serde_json::{Value, json};

use super::collection::Key;
use super::writes::ApiError;
use super::{ApiMirror, Resource};
use crate::domain::{Pod, PodPhase, UnixTime};

/// A budget: the pods of workload `app` in `namespace` (selector `app=<app>`), of which
/// `max_unavailable` may be down, or `min_available` must be up.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub namespace: &'static str,
    pub name: &'static str,
    pub app: &'static str,
    pub min_available: Option<u32>,
    pub max_unavailable: Option<u32>,
}

/// The demo's budgets.
pub const BUDGETS: &[Budget] = &[Budget {
    namespace: "pos",
    name: "pos-catalog",
    app: "pos-catalog",
    min_available: None,
    max_unavailable: Some(1),
}];

/// What the API server says when a budget forbids an eviction (kubectl prints it).
pub const VIOLATION: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// When the budgets were made.
const BORN: UnixTime = UnixTime(1_760_000_000);

/// Whether a pod counts as healthy for a budget: running and ready.
fn healthy(pod: &Pod) -> bool {
    pod.phase == PodPhase::Running && pod.ready_containers == pod.total_containers
}

fn belongs(budget: &Budget, pod: &Pod) -> bool {
    &*pod.key.namespace == budget.namespace
        && pod
            .owner
            .as_deref()
            .and_then(|o| o.split_once('/'))
            .is_some_and(|(_, name)| name == budget.app)
}

impl ApiMirror {
    /// The budget objects again, their status counted from the pods and the workload's
    /// replicas; only those that changed are journalled.
    pub(super) fn refresh_budgets(&mut self) {
        for budget in BUDGETS {
            let object = self.render_budget(budget);
            self.upsert_value(Resource::PodDisruptionBudgets, object);
        }
    }

    /// Whether a change to this pod can change a budget's status.
    pub(super) fn budgeted(pod: &Pod) -> bool {
        BUDGETS.iter().any(|b| belongs(b, pod))
    }

    fn render_budget(&self, budget: &Budget) -> Value {
        let pods: Vec<&Pod> = self
            .pods
            .iter_in(Some(budget.namespace))
            .map(|e| &e.object)
            .filter(|p| belongs(budget, p))
            .collect();
        let key: Key = (budget.namespace.into(), budget.app.into());
        let expected = self.objects[&Resource::Deployments]
            .get(&key)
            .or_else(|| self.objects[&Resource::StatefulSets].get(&key))
            .and_then(|e| e.object["spec"]["replicas"].as_u64())
            .unwrap_or(pods.len() as u64);
        let current = pods.iter().filter(|p| healthy(p)).count() as u64;
        let desired = match (budget.min_available, budget.max_unavailable) {
            (Some(min), _) => u64::from(min),
            (None, Some(max)) => expected.saturating_sub(u64::from(max)),
            (None, None) => 0,
        };
        let mut spec = json!({"selector": {"matchLabels": {"app": budget.app}}});
        if let Some(min) = budget.min_available {
            spec["minAvailable"] = json!(min);
        }
        if let Some(max) = budget.max_unavailable {
            spec["maxUnavailable"] = json!(max);
        }
        json!({
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {
                "name": budget.name, "namespace": budget.namespace,
                "uid": super::render::uid(&["PodDisruptionBudget", budget.namespace, budget.name]),
                "creationTimestamp": BORN.rfc3339(),
                "generation": 1,
            },
            "spec": spec,
            "status": {
                "observedGeneration": 1,
                "currentHealthy": current,
                "desiredHealthy": desired,
                "expectedPods": expected,
                "disruptionsAllowed": current.saturating_sub(desired),
                "conditions": [{
                    "type": "DisruptionAllowed",
                    "status": if current > desired { "True" } else { "False" },
                    "reason": if current > desired { "SufficientPods" } else { "InsufficientPods" },
                    "lastTransitionTime": BORN.rfc3339(),
                    "message": "",
                    "observedGeneration": 1,
                }],
            },
        })
    }

    /// Whether the budgets let this pod be evicted now: 429 with the API server's message
    /// when one that selects it allows no disruption. A pod that is not healthy does not count
    /// against its budget, and may go while the budget is met (`IfHealthyBudget`).
    pub fn eviction_allowed(&self, pod: &Pod) -> Result<(), ApiError> {
        for budget in BUDGETS.iter().filter(|b| belongs(b, pod)) {
            let key: Key = (budget.namespace.into(), budget.name.into());
            let Some(entry) = self.objects[&Resource::PodDisruptionBudgets].get(&key) else {
                continue;
            };
            let status = &entry.object["status"];
            let allowed = status["disruptionsAllowed"].as_u64().unwrap_or(0);
            let current = status["currentHealthy"].as_u64().unwrap_or(0);
            let desired = status["desiredHealthy"].as_u64().unwrap_or(0);
            let ok = if healthy(pod) {
                allowed > 0
            } else {
                current >= desired
            };
            if !ok {
                // The real server adds the budget's name as a cause; clients (kubectl,
                // opsdeck) find the budget by its selector, as the message names none.
                return Err(ApiError {
                    code: 429,
                    reason: "TooManyRequests",
                    message: VIOLATION.into(),
                });
            }
        }
        Ok(())
    }
}
