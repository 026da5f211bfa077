//! Pods as compact rows, and the store that keeps them keyed for O(1) updates from a watch.

use std::sync::Arc;

use indexmap::IndexMap;

use super::{level::Level, time::UnixTime};

/// Namespace and name: unique within a cluster. Namespaces are shared `Arc<str>`s because a
/// hundred thousand pods live in a handful of namespaces; names are `Arc<str>`s too because
/// each key is held several times (the pod, the store's index, the adapter's sets of known pods
/// and of usage) and a clone must not copy the name (heap profile in the README).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PodKey {
    /// The kubeconfig context (cluster): set by the estate from the reporting source; empty
    /// in what an adapter sends (an adapter watches one cluster).
    pub context: Arc<str>,
    pub namespace: Arc<str>,
    pub name: Arc<str>,
}

impl PodKey {
    /// A key within one cluster, as an adapter names a pod (no context yet).
    pub fn new(namespace: impl Into<Arc<str>>, name: impl Into<Arc<str>>) -> Self {
        Self::in_cluster(super::cluster_row::no_context(), namespace, name)
    }

    /// A key naming its cluster too: how the estate keys pods and how actions find them.
    pub fn in_cluster(
        context: impl Into<Arc<str>>,
        namespace: impl Into<Arc<str>>,
        name: impl Into<Arc<str>>,
    ) -> Self {
        Self {
            context: context.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

/// The fields the panels and actions need; the API object is dropped after conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct Pod {
    pub key: PodKey,
    pub phase: PodPhase,
    /// What `kubectl get pods` prints in STATUS: the phase or a container's waiting reason
    /// (`CrashLoopBackOff`, `ContainerCreating`, ...).
    pub status: Box<str>,
    pub ready_containers: u8,
    pub total_containers: u8,
    /// The containers' names when there are several (a log request must then name one);
    /// empty for the usual single container.
    pub containers: Box<[Box<str>]>,
    pub restarts: u32,
    pub last_restart: Option<UnixTime>,
    /// Why the first container last terminated, with the limit it hit when it was killed for
    /// memory: `OOMKilled (limit 512Mi)`. `None` for a container that never terminated.
    pub last_terminated: Option<Arc<str>>,
    pub node: Arc<str>,
    /// The controlling workload, e.g. `Deployment/pos-order`.
    pub owner: Option<Arc<str>>,
    pub created: UnixTime,
    pub image: Arc<str>,
    /// From the metrics API when the cluster has it.
    pub cpu_millis: Option<u32>,
    pub memory_bytes: Option<u64>,
    /// `status.podIP`: none until the pod has its sandbox (Pending), or after it is gone.
    pub ip: Option<std::net::IpAddr>,
}

/// A restart this recent is news (the Overview's "restarted <1h" counts these too).
pub const RECENT_RESTART_SECS: u64 = 3600;

impl Pod {
    /// Waiting reasons that mean the pod will not come up without help.
    const BROKEN_REASONS: [&'static str; 6] = [
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "Error",
        "OOMKilled",
        "CreateContainerConfigError",
    ];

    pub fn level(&self) -> Level {
        if Self::BROKEN_REASONS.contains(&&*self.status) || self.phase == PodPhase::Failed {
            return Level::Crit;
        }
        match self.phase {
            PodPhase::Unknown => Level::Unknown,
            PodPhase::Pending => Level::Warn,
            PodPhase::Succeeded => Level::Ok,
            PodPhase::Failed => Level::Crit,
            PodPhase::Running if self.ready_containers < self.total_containers => Level::Warn,
            PodPhase::Running => super::level::defaults::POD_RESTARTS
                .level(f64::from(self.restarts))
                .min(Level::Warn),
        }
    }

    /// How alarming the pod's restarts are at `now`: by their count (at most a warning), and a
    /// restart within the last hour is a warning however few there were — one 11 s ago is news
    /// at least as bad as many 15 h ago.
    pub fn restarts_level(&self, now: UnixTime) -> Level {
        let by_count = super::level::defaults::POD_RESTARTS
            .level(f64::from(self.restarts))
            .min(Level::Warn);
        let recent = self.restarts > 0
            && self
                .last_restart
                .is_some_and(|t| t.age_at(now) <= RECENT_RESTART_SECS);
        if recent { Level::Warn } else { by_count }
    }

    pub fn is_crash_looping(&self) -> bool {
        &*self.status == "CrashLoopBackOff"
    }
}

/// All pods, keyed. `membership` changes when pods come or go (indices move), `content` when any
/// pod changes; views cache on these two counters.
#[derive(Debug, Default, Clone)]
pub struct PodStore {
    pods: IndexMap<PodKey, Pod>,
    membership: u64,
    content: u64,
}

impl PodStore {
    pub fn len(&self) -> usize {
        self.pods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }

    pub fn get_index(&self, i: usize) -> Option<&Pod> {
        self.pods.get_index(i).map(|(_, p)| p)
    }

    pub fn index_of(&self, key: &PodKey) -> Option<usize> {
        self.pods.get_index_of(key)
    }

    pub fn get(&self, key: &PodKey) -> Option<&Pod> {
        self.pods.get(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values()
    }

    pub fn membership_generation(&self) -> u64 {
        self.membership
    }

    pub fn content_generation(&self) -> u64 {
        self.content
    }

    pub fn reset(&mut self, pods: Vec<Pod>) {
        // The old entries go before the new ones are indexed, not after: at 100,000 pods that
        // is ~24 MB less at first sight's peak, when the whole list replaces its parts.
        self.pods = IndexMap::new();
        self.pods = pods.into_iter().map(|p| (p.key.clone(), p)).collect();
        self.membership += 1;
        self.content += 1;
    }

    /// Replaces one cluster's pods (their keys already name `context`), keeping the others'.
    pub fn reset_cluster(&mut self, context: &str, pods: Vec<Pod>) {
        if self.pods.keys().all(|k| &*k.context == context) {
            return self.reset(pods);
        }
        self.pods.retain(|k, _| &*k.context != context);
        self.pods
            .extend(pods.into_iter().map(|p| (p.key.clone(), p)));
        self.membership += 1;
        self.content += 1;
    }

    /// Drops one cluster's pods.
    pub fn forget_cluster(&mut self, context: &str) {
        let before = self.pods.len();
        self.pods.retain(|k, _| &*k.context != context);
        if self.pods.len() != before {
            self.membership += 1;
            self.content += 1;
        }
    }

    pub fn upsert(&mut self, pod: Pod) {
        match self.pods.get_mut(&pod.key) {
            Some(existing) => {
                if *existing != pod {
                    *existing = pod;
                    self.content += 1;
                }
            }
            None => {
                self.pods.insert(pod.key.clone(), pod);
                self.membership += 1;
                self.content += 1;
            }
        }
    }

    /// Sets pods' CPU and memory; one content change for the lot, and none if nothing moved.
    pub fn set_usage(&mut self, usage: &[(PodKey, u32, u64)]) {
        let mut changed = false;
        for (key, cpu, memory) in usage {
            if let Some(pod) = self.pods.get_mut(key)
                && (pod.cpu_millis, pod.memory_bytes) != (Some(*cpu), Some(*memory))
            {
                pod.cpu_millis = Some(*cpu);
                pod.memory_bytes = Some(*memory);
                changed = true;
            }
        }
        if changed {
            self.content += 1;
        }
    }

    pub fn delete(&mut self, key: &PodKey) {
        if self.pods.swap_remove(key).is_some() {
            self.membership += 1;
            self.content += 1;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn pod(ns: &str, name: &str, status: &str) -> Pod {
        let phase = match status {
            "Pending" | "ContainerCreating" => PodPhase::Pending,
            "Succeeded" => PodPhase::Succeeded,
            _ => PodPhase::Running,
        };
        Pod {
            key: PodKey::new(ns, name),
            phase,
            status: status.into(),
            ready_containers: u8::from(status == "Running"),
            total_containers: 1,
            containers: Box::default(),
            restarts: 0,
            last_restart: None,
            last_terminated: None,
            node: "worker-01".into(),
            owner: None,
            created: UnixTime(0),
            image: "img:1".into(),
            cpu_millis: None,
            memory_bytes: None,
            ip: None,
        }
    }

    #[test]
    fn a_fresh_restart_is_at_least_as_alarming_as_many_old_ones() {
        let now = UnixTime(100_000);
        let restarted = |count: u32, ago: i64| Pod {
            restarts: count,
            last_restart: Some(now.plus(-ago)),
            ..pod("a", "b", "Running")
        };
        let fresh = restarted(1, 11).restarts_level(now);
        let old_many = restarted(15, 15 * 3600).restarts_level(now);
        assert_eq!(fresh, Level::Warn);
        assert!(fresh >= old_many);
        assert_eq!(restarted(1, 15 * 3600).restarts_level(now), Level::Ok);
        assert_eq!(pod("a", "b", "Running").restarts_level(now), Level::Ok);
    }

    #[test]
    fn levels_follow_status() {
        assert_eq!(pod("a", "b", "Running").level(), Level::Ok);
        assert_eq!(pod("a", "b", "CrashLoopBackOff").level(), Level::Crit);
        assert_eq!(pod("a", "b", "Pending").level(), Level::Warn);
        let mut restarted = pod("a", "b", "Running");
        restarted.restarts = 12;
        assert_eq!(
            restarted.level(),
            Level::Warn,
            "restarts alone warn, never crit"
        );
    }

    #[test]
    fn generations_distinguish_membership_from_content() {
        let mut store = PodStore::default();
        store.upsert(pod("a", "x", "Running"));
        let (m, c) = (store.membership_generation(), store.content_generation());
        store.upsert(pod("a", "x", "Running"));
        assert_eq!(
            (store.membership_generation(), store.content_generation()),
            (m, c),
            "no-op"
        );
        store.upsert(pod("a", "x", "CrashLoopBackOff"));
        assert_eq!(store.membership_generation(), m);
        assert_eq!(store.content_generation(), c + 1);
        store.delete(&PodKey::new("a", "x"));
        assert_eq!(store.membership_generation(), m + 1);
        assert!(store.is_empty());
    }

    #[test]
    fn a_key_held_twice_holds_its_name_once() {
        // The store's index and the pod itself each hold the key (the kube adapter holds it
        // twice more): at 100,000 pods a copied name per clone was ~3 MB each.
        let mut store = PodStore::default();
        store.reset(vec![pod("a", "x", "Running"), pod("a", "y", "Running")]);
        store.upsert(pod("a", "z", "Running"));
        for (key, pod) in &store.pods {
            assert_eq!(key, &pod.key);
            assert!(
                std::ptr::eq(key.name.as_ptr(), pod.key.name.as_ptr()),
                "{} is stored twice",
                key.name
            );
        }
        let key = PodKey::new("a", "x");
        assert!(std::ptr::eq(key.clone().name.as_ptr(), key.name.as_ptr()));
    }
}
