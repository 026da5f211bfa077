//! The world's events as Kubernetes' components record them: the kubelet (pulls, starts,
//! probes, back-off), the scheduler (placements and failures), the controllers (replica sets
//! scaled, pods created). A repeat of the same reason and message about the same object is the
//! same Event, its count up and its last timestamp moved, as client-go's event correlator does.

use indexmap::IndexMap;

use super::actions::Applied;
use super::world::World;
use crate::actions::Action;
use crate::actions::executor::ActionError;
use crate::domain::{K8sEvent, Pod, Report, SourceKind, SourceReport, UnixTime};

/// How many distinct events the world remembers for counting repeats (the API server keeps
/// fewer; one forgotten here starts again from a count of 1, as after the server's TTL).
const REMEMBERED: usize = 2_000;

/// What the world remembers of an event it recorded.
#[derive(Debug, Clone)]
struct Seen {
    name: String,
    count: u32,
    first: UnixTime,
}

/// The events recorded so far, by (namespace, object, reason, message).
#[derive(Debug, Default)]
pub(super) struct EventLog {
    seen: IndexMap<(String, String, String, String), Seen>,
    /// Makes names unique when two events start in the same second.
    next: u64,
}

/// An event about to be recorded.
pub(super) struct NewEvent<'a> {
    pub namespace: &'a str,
    /// `Kind/name`.
    pub object: String,
    pub reason: &'a str,
    pub message: String,
    pub warning: bool,
}

/// The component that reports an event of this reason about this object (`Kind/name`).
fn component(reason: &str, object: &str) -> &'static str {
    match reason {
        "Scheduled" | "FailedScheduling" => "default-scheduler",
        "ScalingReplicaSet" => "deployment-controller",
        "SuccessfulCreate" | "SuccessfulDelete" if object.starts_with("StatefulSet/") => {
            "statefulset-controller"
        }
        "SuccessfulCreate" | "SuccessfulDelete" => "replicaset-controller",
        _ => "kubelet",
    }
}

impl World {
    /// Records an event that happened `times` times, the first at `first`, the last at `last`.
    pub(super) fn record(
        &mut self,
        event: NewEvent<'_>,
        times: u32,
        (first, last): (UnixTime, UnixTime),
    ) {
        let log = &mut self.event_log;
        let key = (
            event.namespace.to_string(),
            event.object.clone(),
            event.reason.to_string(),
            event.message.clone(),
        );
        let seen = match log.seen.shift_remove(&key) {
            Some(mut seen) => {
                seen.count += times;
                seen
            }
            None => {
                log.next += 1;
                let object_name = event.object.split_once('/').map_or("", |(_, n)| n);
                // As the API server names them: the object, then a unique hex number.
                let nanos = first.0.max(0) as u64 * 1_000_000_000 + log.next;
                Seen {
                    name: format!("{object_name}.{nanos:x}"),
                    count: times.max(1),
                    first,
                }
            }
        };
        let event_object = key.1.clone();
        log.seen.insert(key, seen.clone());
        while log.seen.len() > REMEMBERED {
            log.seen.shift_remove_index(0);
        }
        self.new_events.push(K8sEvent {
            name: seen.name,
            namespace: event.namespace.to_string(),
            object: event.object,
            reason: event.reason.to_string(),
            message: event.message,
            warning: event.warning,
            count: seen.count,
            first_seen: seen.first,
            last_seen: last,
            source: component(event.reason, &event_object).to_string(),
        });
    }

    /// Records an event about a pod, once, now.
    pub(super) fn event(&mut self, pod: &Pod, reason: &str, message: String, warning: bool) {
        let now = self.now;
        let namespace = pod.key.namespace.clone();
        self.record(
            NewEvent {
                namespace: &namespace,
                object: format!("Pod/{}", pod.key.name),
                reason,
                message,
                warning,
            },
            1,
            (now, now),
        );
    }

    /// The kubelet starting a pod's main container: the image pulled for a new pod (already
    /// on the node when it restarts), the container created, started.
    pub(super) fn container_started(&mut self, pod: &Pod) {
        let container = main_container(pod);
        let image = pod.image.to_string();
        if pod.restarts == 0 {
            self.event(pod, "Pulling", format!("Pulling image \"{image}\""), false);
            // From the name, not the world's random numbers, which the rest of the story uses.
            let secs = 0.8 + (pod_hash(pod) % 2000) as f64 / 1000.0;
            let message = format!(
                "Successfully pulled image \"{image}\" in {secs:.3}s ({secs:.3}s including waiting)"
            );
            self.event(pod, "Pulled", message, false);
        } else {
            let message = format!("Container image \"{image}\" already present on machine");
            self.event(pod, "Pulled", message, false);
        }
        self.event(
            pod,
            "Created",
            format!("Created container {container}"),
            false,
        );
        self.event(
            pod,
            "Started",
            format!("Started container {container}"),
            false,
        );
    }

    /// What the scheduler says of a pod no node can take: every node short of memory.
    pub(super) fn scheduling_failure(&self) -> String {
        let nodes = super::catalog::NODES.len();
        format!(
            "0/{nodes} nodes are available: {nodes} Insufficient memory. preemption: 0/{nodes} \
             nodes are available: {nodes} No preemption victims found for incoming pod."
        )
    }

    /// The deployment controller's line for a replica set scaled from `from` to `to`.
    pub(super) fn scaled_replica_set(
        &mut self,
        namespace: &str,
        deployment: &str,
        set: &str,
        from: u32,
        to: u32,
    ) {
        let direction = if to >= from { "up" } else { "down" };
        let namespace = namespace.to_string();
        self.record(
            NewEvent {
                namespace: &namespace,
                object: format!("Deployment/{deployment}"),
                reason: "ScalingReplicaSet",
                message: format!("Scaled {direction} replica set {set} to {to} from {from}"),
                warning: false,
            },
            1,
            (self.now, self.now),
        );
    }
}

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

fn pod_hash(pod: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    pod.key.name.hash(&mut h);
    h.finish()
}

/// The pod's main container (its workload's name), as the kubelet names it in messages.
pub(super) fn main_container(pod: &Pod) -> String {
    super::kubeapi::render::container_names(pod).swap_remove(0)
}

#[cfg(test)]
mod tests {
    use crate::config::DemoConfig;
    use crate::domain::{Estate, K8sEvent, UnixTime};
    use crate::sim::World;

    const T0: UnixTime = UnixTime(1_790_000_000);

    fn find<'a>(estate: &'a Estate, reason: &str) -> &'a K8sEvent {
        estate
            .events
            .iter()
            .find(|e| e.reason == reason)
            .unwrap_or_else(|| panic!("a {reason} event"))
    }

    #[test]
    fn a_crash_looping_pods_back_off_is_one_event_whose_count_rises() {
        let config = DemoConfig {
            seed: 3,
            pods: 200,
            ..DemoConfig::default()
        };
        let mut world = World::generate(&config, 2, T0);
        let mut estate = Estate::default();
        for r in world.initial_reports() {
            estate.apply(r);
        }
        let first = find(&estate, "BackOff").clone();
        let scheduling = find(&estate, "FailedScheduling").clone();
        assert_eq!(first.source, "kubelet");
        assert_eq!(scheduling.source, "default-scheduler");
        assert!(
            scheduling
                .message
                .starts_with("0/12 nodes are available: 12 Insufficient memory.")
        );
        for i in 1..=65 {
            for r in world.step(T0.plus(i)) {
                estate.apply(r);
            }
        }
        let backoffs: Vec<&K8sEvent> = estate
            .events
            .iter()
            .filter(|e| e.reason == "BackOff")
            .collect();
        assert_eq!(
            backoffs.len(),
            1,
            "one Event, not one per back-off: {backoffs:?}"
        );
        let now = backoffs[0];
        assert_eq!(now.name, first.name);
        assert_eq!(now.first_seen, first.first_seen);
        assert!(
            now.count >= first.count + 2,
            "{} then {}",
            first.count,
            now.count
        );
        assert!(now.last_seen > first.last_seen);
        let retried = find(&estate, "FailedScheduling");
        assert_eq!(retried.name, scheduling.name);
        assert!(
            retried.count > scheduling.count,
            "the scheduler tries again"
        );
        // The restarts in between: the kubelet started the container again each time.
        let started = estate
            .events
            .iter()
            .find(|e| e.reason == "Started" && e.object == first.object)
            .expect("Started");
        assert!(started.count > 15, "{}", started.count);
    }
}
