//! The simulated workloads and their pods: replicas shared out to reach the requested pod count,
//! revision histories, and the pods that tell the demo's story (one crash-looping, one that
//! cannot be scheduled).

use super::world::{SimWorkload, World};
use super::{catalog, names};
use crate::domain::{Pod, PodKey, PodPhase, Revision, UnixTime, Workload, WorkloadKind};

impl World {
    /// Puts the pods that make the demo tell a story into their state: one crash-looping, one
    /// that cannot be scheduled.
    pub(super) fn mark_special_pods(&mut self) {
        let now = self.now;
        let (mut crash_looping, mut pending) = (None, None);
        if let Some(pod) = self
            .pods
            .values_mut()
            .find(|p| owner_is(p, catalog::CRASH_LOOPING))
        {
            pod.status = "CrashLoopBackOff".into();
            pod.ready_containers = 0;
            pod.restarts = 14;
            pod.last_restart = Some(now.plus(-40));
            crash_looping = Some(pod.clone());
        }
        if let Some(pod) = self
            .pods
            .values_mut()
            .rev()
            .find(|p| owner_is(p, catalog::UNSCHEDULABLE))
        {
            pod.phase = PodPhase::Pending;
            pod.status = "Pending".into();
            pod.ready_containers = 0;
            pod.created = now.plus(-540);
            pod.node = "".into();
            pod.cpu_millis = None;
            pod.memory_bytes = None;
            pod.ip = None;
            pending = Some(pod.clone());
        }
        self.story_events(crash_looping, pending);
    }

    /// Recomputes ready and updated replicas of every workload from its pods.
    pub(super) fn recount_workloads(&mut self) {
        let mut counts: std::collections::HashMap<&str, (u32, u32)> =
            std::collections::HashMap::new();
        let current: std::collections::HashMap<&str, String> = self
            .workloads
            .iter()
            .map(|w| (&*w.owner, current_prefix(w)))
            .collect();
        for pod in self.pods.values() {
            let Some(owner) = pod.owner.as_deref() else {
                continue;
            };
            let entry = counts.entry(owner).or_default();
            if pod.phase == PodPhase::Running && pod.ready_containers == pod.total_containers {
                entry.0 += 1;
            }
            // A statefulset's prefix is empty: its pods are replaced in place.
            if current
                .get(owner)
                .is_some_and(|prefix| pod.key.name.starts_with(prefix.as_str()))
            {
                entry.1 += 1;
            }
        }
        for w in &mut self.workloads {
            let (ready, updated) = counts.get(&*w.owner).copied().unwrap_or_default();
            w.workload.ready = ready;
            w.workload.updated = updated;
        }
    }
}

fn owner_is(pod: &Pod, workload: &str) -> bool {
    pod.owner
        .as_deref()
        .and_then(|o| o.split_once('/'))
        .is_some_and(|(_, n)| n == workload)
}

/// Replicas per workload so that the estate has `total` pods: statefulsets keep their count,
/// deployments share the rest by weight, at least one each.
pub(super) fn allocate_replicas(total: usize) -> Vec<u32> {
    let fixed: u32 = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::StatefulSet)
        .map(|w| w.replicas)
        .sum();
    let weights: u32 = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::Deployment)
        .map(|w| w.replicas)
        .sum();
    let deployments = catalog::WORKLOADS
        .iter()
        .filter(|w| w.kind == WorkloadKind::Deployment)
        .count() as u32;
    let budget = (total as u32).saturating_sub(fixed).max(deployments);
    let mut out: Vec<u32> = catalog::WORKLOADS
        .iter()
        .map(|w| match w.kind {
            WorkloadKind::StatefulSet => w.replicas,
            WorkloadKind::Deployment => 1 + (budget - deployments) * w.replicas / weights,
        })
        .collect();
    let mut assigned: u32 = out.iter().sum();
    let mut i = 0;
    let n = out.len();
    while assigned < budget + fixed {
        if catalog::WORKLOADS[i % n].kind == WorkloadKind::Deployment {
            out[i % n] += 1;
            assigned += 1;
        }
        i += 1;
    }
    out
}

pub(super) fn make_workload(
    rng: &mut fastrand::Rng,
    spec: &catalog::WorkloadSpec,
    replicas: u32,
    now: UnixTime,
) -> SimWorkload {
    let first = rng.u64(2..12);
    let count = spec.versions.len() as u64;
    let history: Vec<Revision> = spec
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let back = (count - i as u64) as i64;
            Revision {
                number: first + i as u64,
                image: image_ref(spec.image, v),
                change_cause: Some(
                    catalog::CHANGE_CAUSES[(first as usize + i) % catalog::CHANGE_CAUSES.len()]
                        .into(),
                ),
                created: if spec.name == catalog::ROLLING_OUT && back == 1 {
                    now.plus(-900)
                } else {
                    now.plus(-back * 86_400 * 3 - rng.i64(0..86_400))
                },
            }
        })
        .collect();
    let current = history.last().cloned().unwrap_or(Revision {
        number: first,
        image: spec.image.into(),
        change_cause: None,
        created: now,
    });
    let (cpu, mem) = match spec.kind {
        WorkloadKind::StatefulSet => (400, 2 * 1024 * 1024 * 1024),
        WorkloadKind::Deployment => (rng.u32(50..400), rng.u64(128..1024) * 1024 * 1024),
    };
    SimWorkload {
        owner: format!("{}/{}", spec.kind.api_kind(), spec.name).into(),
        workload: Workload {
            context: crate::domain::cluster_row::no_context(),
            kind: spec.kind,
            namespace: spec.namespace.into(),
            name: spec.name.into(),
            desired: replicas,
            ready: 0,
            updated: 0,
            revision: current.number,
            image: current.image.clone(),
            history,
            created: now.plus(-200 * 86_400),
            service: catalog::service(spec),
            // Sized as the namespace's pods always were: no random number drawn.
            containers: {
                let names: Vec<&str> = std::iter::once(spec.name)
                    .chain(spec.sidecars.iter().copied())
                    .collect();
                super::kubeapi::describe_parts::default_containers(spec.namespace, &names)
            },
            config_refs: super::configs::refs_of(spec.namespace, spec.name),
        },
        image_repo: spec.image,
        health_port: spec.health_port,
        p95_ms: spec.p95_ms,
        error_rate: spec.error_rate,
        cpu_millis: cpu,
        memory_bytes: mem,
    }
}

pub(super) fn image_ref(repo: &str, version: &str) -> String {
    if repo.contains(':') {
        repo.to_string()
    } else {
        format!("{repo}:{version}")
    }
}

/// Deployment pods of the current revision start with `name-hash-`; statefulsets have no hash.
fn current_prefix(w: &SimWorkload) -> String {
    match w.workload.kind {
        WorkloadKind::Deployment => {
            format!(
                "{}-{}-",
                w.workload.name,
                names::template_hash(&w.workload.name, w.workload.revision)
            )
        }
        WorkloadKind::StatefulSet => String::new(),
    }
}

impl World {
    pub(super) fn workload_index_by_name(&self, name: &str) -> Option<usize> {
        self.workloads.iter().position(|w| w.workload.name == name)
    }

    pub(super) fn workload_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.workloads
            .iter()
            .position(|w| w.workload.namespace == namespace && w.workload.name == name)
    }

    /// A pod of the workload not on its current revision, if any.
    pub(super) fn outdated_pod(&self, index: usize) -> Option<Pod> {
        let w = &self.workloads[index];
        if w.workload.kind != WorkloadKind::Deployment {
            return None;
        }
        let prefix = current_prefix(w);
        self.pods
            .values()
            .find(|p| p.owner.as_ref() == Some(&w.owner) && !p.key.name.starts_with(&prefix))
            .cloned()
    }

    /// The workload's pods, oldest first.
    pub(super) fn pods_of(&self, index: usize) -> Vec<Pod> {
        let owner = &self.workloads[index].owner;
        let mut pods: Vec<Pod> = self
            .pods
            .values()
            .filter(|p| p.owner.as_ref() == Some(owner))
            .cloned()
            .collect();
        pods.sort_by_key(|p| (p.created, p.key.name.clone()));
        pods
    }

    /// Creates a pod for the workload on its current revision, starting up: a deployment's gets
    /// a fresh name, a statefulset's takes `name` (its ordinal). `like` gives namespace and node.
    pub(super) fn new_pod(&mut self, index: usize, like: &Pod) -> Pod {
        let w = &self.workloads[index];
        let name = match w.workload.kind {
            WorkloadKind::Deployment => loop {
                let name = format!("{}{}", current_prefix(w), names::suffix(&mut self.rng, 5));
                if !self
                    .pods
                    .contains_key(&PodKey::new(like.key.namespace.clone(), name.as_str()))
                {
                    break name;
                }
            },
            WorkloadKind::StatefulSet => like.key.name.to_string(),
        };
        let drawn = self.rng.usize(..catalog::NODES.len());
        let node = self.schedulable_node(drawn);
        let pod = Pod {
            key: PodKey {
                context: crate::domain::cluster_row::no_context(),
                namespace: like.key.namespace.clone(),
                name: name.into(),
            },
            phase: PodPhase::Pending,
            status: "ContainerCreating".into(),
            ready_containers: 0,
            total_containers: like.total_containers,
            containers: like.containers.clone(),
            restarts: 0,
            last_restart: None,
            last_terminated: None,
            node: node.into(),
            owner: Some(w.owner.clone()),
            created: self.now,
            image: w.workload.image.as_str().into(),
            cpu_millis: Some(w.cpu_millis),
            memory_bytes: Some(w.memory_bytes),
            // Given when it runs (`churn.rs`), as a CNI gives it once the sandbox is up.
            ip: None,
        };
        self.starting.push((pod.key.clone(), 2));
        self.pods.insert(pod.key.clone(), pod.clone());
        self.pod_created(index, &pod, node);
        pod
    }

    /// Makes `image` the workload's new revision; its pods are then replaced a few at a time.
    pub(super) fn push_revision(
        &mut self,
        index: usize,
        image: String,
        change_cause: String,
    ) -> u64 {
        let now = self.now;
        let w = &mut self.workloads[index].workload;
        let next = w
            .history
            .iter()
            .map(|r| r.number)
            .max()
            .unwrap_or(w.revision)
            + 1;
        w.history.push(Revision {
            number: next,
            image: image.clone(),
            change_cause: Some(change_cause),
            created: now,
        });
        w.revision = next;
        w.image = image;
        let (namespace, name) = (w.namespace.clone(), w.name.clone());
        let set = format!("{name}-{}", names::template_hash(&name, next));
        self.scaled_replica_set(&namespace, &name, &set, 0, 1);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_add_up_to_the_requested_pod_count() {
        for total in [1, 22, 300, 10_000, 100_000] {
            let sum: u32 = allocate_replicas(total).iter().sum();
            let minimum = catalog::WORKLOADS.len() as u32;
            assert_eq!(sum, (total as u32).max(minimum), "total {total}");
        }
    }
}
