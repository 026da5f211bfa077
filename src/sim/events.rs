//! The world's events as Kubernetes' components record them: the kubelet (pulls, starts,
//! probes, back-off), the scheduler (placements and failures), the controllers (replica sets
//! scaled, pods created). A repeat of the same reason and message about the same object is the
//! same Event, its count up and its last timestamp moved, as client-go's event correlator does.

use indexmap::IndexMap;

use super::event_story::{main_container, pod_hash};
use super::world::World;
use crate::domain::{K8sEvent, Pod, UnixTime};

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
        "SuccessfulRescale" => "horizontal-pod-autoscaler",
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
            context: crate::domain::cluster_row::no_context(),
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
