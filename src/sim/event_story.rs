//! What Kubernetes' components say when the world changes: the story's events at the start,
//! the scheduler retrying a Pending pod, controllers creating and deleting pods, the kubelet
//! stopping containers; recorded through `World::record` (events.rs), which counts repeats.

use super::actions::Applied;
use super::events::NewEvent;
use super::world::World;
use crate::actions::Action;
use crate::actions::executor::ActionError;
use crate::domain::{Pod, Report, SourceKind, SourceReport};
impl World {
    /// Carries out an action; its reports include the events it made (a scale's
    /// ScalingReplicaSet, the pods created and stopped), so that they reach the API's view and
    /// the cockpit with the change, also while the world is frozen.
    pub fn apply(&mut self, action: &Action) -> Result<Applied, ActionError> {
        let mut applied = self.apply_action(action)?;
        if let Applied::Done(_, reports) = &mut applied
            && !self.new_events.is_empty()
        {
            reports.push(SourceReport {
                source: super::world::source(SourceKind::Kubernetes, super::CONTEXT),
                at: self.now,
                report: Report::Events(std::mem::take(&mut self.new_events)),
            });
        }
        Ok(applied)
    }

    /// The events behind the demo's story at the start: the crash-looping pod restarted 14
    /// times and backing off, the Pending pod refused by the scheduler for 9 minutes.
    pub(super) fn story_events(&mut self, crash_looping: Option<Pod>, pending: Option<Pod>) {
        let now = self.now;
        if let Some(pod) = crash_looping {
            let namespace = pod.key.namespace.to_string();
            let object = format!("Pod/{}", pod.key.name);
            let container = main_container(&pod);
            let first = now.plus(-38 * 60);
            let started = pod.last_restart.unwrap_or(now);
            let lines = [
                (
                    "Pulled",
                    format!(
                        "Container image \"{}\" already present on machine",
                        pod.image
                    ),
                    false,
                    15,
                    started,
                ),
                (
                    "Created",
                    format!("Created container {container}"),
                    false,
                    15,
                    started,
                ),
                (
                    "Started",
                    format!("Started container {container}"),
                    false,
                    15,
                    started,
                ),
                ("BackOff", back_off(&pod), true, 61, now.plus(-10)),
            ];
            for (reason, message, warning, times, last) in lines {
                let event = NewEvent {
                    namespace: &namespace,
                    object: object.clone(),
                    reason,
                    message,
                    warning,
                };
                self.record(event, times, (first, last));
            }
        }
        if let Some(pod) = pending {
            let namespace = pod.key.namespace.to_string();
            let event = NewEvent {
                namespace: &namespace,
                object: format!("Pod/{}", pod.key.name),
                reason: "FailedScheduling",
                message: self.scheduling_failure(),
                warning: true,
            };
            self.record(event, 31, (pod.created, now.plus(-20)));
        }
    }

    /// The scheduler tries again every 20 seconds or so: a Pending pod's FailedScheduling
    /// count rises while no node has the memory.
    pub(super) fn retry_scheduling(&mut self) {
        if self.tick % 20 != 0 {
            return;
        }
        let pending: Vec<Pod> = self
            .pods
            .values()
            .filter(|p| p.phase == crate::domain::PodPhase::Pending && p.node.is_empty())
            .cloned()
            .collect();
        for pod in pending {
            let message = self.scheduling_failure();
            self.event(&pod, "FailedScheduling", message, true);
        }
    }

    /// A workload scaled from `from` to `to` pods: a deployment's controller scales its
    /// current replica set.
    pub(super) fn scaled(&mut self, index: usize, from: u32, to: u32) {
        let w = &self.workloads[index].workload;
        if w.kind != crate::domain::WorkloadKind::Deployment || from == to {
            return;
        }
        let set = format!(
            "{}-{}",
            w.name,
            super::names::template_hash(&w.name, w.revision)
        );
        let (namespace, name) = (w.namespace.clone(), w.name.clone());
        self.scaled_replica_set(&namespace, &name, &set, from, to);
    }

    /// A pod of workload `index` deleted by its controller (scaled down): the controller says
    /// so, the kubelet stops its container.
    pub(super) fn pod_deleted(&mut self, index: usize, pod: &Pod) {
        let w = &self.workloads[index].workload;
        let (owner, message) = match w.kind {
            crate::domain::WorkloadKind::Deployment => {
                let set = pod
                    .key
                    .name
                    .rsplit_once('-')
                    .map_or(&*pod.key.name, |(s, _)| s);
                (
                    format!("ReplicaSet/{set}"),
                    format!("Deleted pod: {}", pod.key.name),
                )
            }
            crate::domain::WorkloadKind::StatefulSet => (
                format!("StatefulSet/{}", w.name),
                format!(
                    "delete Pod {} in StatefulSet {} successful",
                    pod.key.name, w.name
                ),
            ),
        };
        let namespace = pod.key.namespace.to_string();
        let now = self.now;
        let event = NewEvent {
            namespace: &namespace,
            object: owner,
            reason: "SuccessfulDelete",
            message,
            warning: false,
        };
        self.record(event, 1, (now, now));
        let container = main_container(pod);
        self.event(
            pod,
            "Killing",
            format!("Stopping container {container}"),
            false,
        );
    }

    /// A pod created for workload `index`: its controller says so, the scheduler places it.
    pub(super) fn pod_created(&mut self, index: usize, pod: &Pod, node: &str) {
        let w = &self.workloads[index].workload;
        let (owner, message) = match w.kind {
            crate::domain::WorkloadKind::Deployment => {
                let set = pod
                    .key
                    .name
                    .rsplit_once('-')
                    .map_or(&*pod.key.name, |(s, _)| s);
                (
                    format!("ReplicaSet/{set}"),
                    format!("Created pod: {}", pod.key.name),
                )
            }
            crate::domain::WorkloadKind::StatefulSet => (
                format!("StatefulSet/{}", w.name),
                format!(
                    "create Pod {} in StatefulSet {} successful",
                    pod.key.name, w.name
                ),
            ),
        };
        let namespace = pod.key.namespace.to_string();
        let now = self.now;
        let event = NewEvent {
            namespace: &namespace,
            object: owner,
            reason: "SuccessfulCreate",
            message,
            warning: false,
        };
        self.record(event, 1, (now, now));
        let message = format!(
            "Successfully assigned {}/{} to {node}",
            pod.key.namespace, pod.key.name
        );
        self.event(pod, "Scheduled", message, false);
    }
}

/// The kubelet's message while a crashed container waits to be started again.
pub(super) fn back_off(pod: &Pod) -> String {
    format!(
        "Back-off restarting failed container {} in pod {}_{}",
        main_container(pod),
        pod.key.name,
        pod.key.namespace
    )
}

pub(super) fn pod_hash(pod: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    pod.key.name.hash(&mut h);
    h.finish()
}

/// The pod's main container (its workload's name), as the kubelet names it in messages.
pub(super) fn main_container(pod: &Pod) -> String {
    super::kubeapi::render::container_names(pod).swap_remove(0)
}
