//! The cluster's events as the cockpit keeps them, for the Events panel and the details panes
//! alike: one entry per Event object (a repeat the API server folds into it updates its count
//! and last seen), at most `max` of them, the newest by last seen.

use indexmap::IndexMap;

use super::workload::K8sEvent;

/// How many events are kept unless `[kubernetes] events_max` says otherwise.
pub const EVENTS_MAX_DEFAULT: usize = 1000;

/// An event's identity: the Event object's namespace and name.
/// Context, namespace and the Event object's name.
pub type EventKey = (std::sync::Arc<str>, String, String);

/// What an event is about, as its `involvedObject` names it: the entry point of a drill-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvolvedObject<'a> {
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
}

#[derive(Debug, Clone)]
pub struct EventStore {
    events: IndexMap<EventKey, K8sEvent>,
    max: usize,
}

impl Default for EventStore {
    fn default() -> Self {
        EventStore {
            events: IndexMap::new(),
            max: EVENTS_MAX_DEFAULT,
        }
    }
}

impl EventStore {
    /// Keeps at most `max` events from now on (at least one).
    pub fn set_max(&mut self, max: usize) {
        self.max = max.max(1);
        self.trim();
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// Takes in events listed or watched: a known one is replaced (its count and last seen
    /// move on), a new one added; then only the newest `max` stay.
    pub fn apply(&mut self, events: Vec<K8sEvent>) {
        for event in events {
            self.events.insert(event.key(), event);
        }
        self.trim();
    }

    /// Drops the oldest by last seen until at most `max` are left.
    fn trim(&mut self) {
        let excess = self.events.len().saturating_sub(self.max);
        if excess == 0 {
            return;
        }
        let mut by_age: Vec<(super::UnixTime, EventKey)> = self
            .events
            .iter()
            .map(|(k, e)| (e.last_seen, k.clone()))
            .collect();
        by_age.sort();
        for (_, key) in by_age.into_iter().take(excess) {
            self.events.shift_remove(&key);
        }
    }

    /// Drops one cluster's events.
    pub fn forget_cluster(&mut self, context: &str) {
        self.events.retain(|k, _| &*k.0 != context);
    }

    pub fn clear(&mut self) {
        self.events.clear();
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn get_index(&self, i: usize) -> Option<&K8sEvent> {
        self.events.get_index(i).map(|(_, e)| e)
    }

    pub fn index_of(&self, key: &EventKey) -> Option<usize> {
        self.events.get_index_of(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &K8sEvent> {
        self.events.values()
    }

    /// The events about one object, newest first.
    pub fn about(&self, context: &str, kind: &str, namespace: &str, name: &str) -> Vec<&K8sEvent> {
        let mut out: Vec<&K8sEvent> = self
            .iter()
            .filter(|e| {
                let o = e.involved();
                &*e.context == context
                    && o.kind == kind
                    && o.namespace == namespace
                    && o.name == name
            })
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
        out
    }

    /// Why the scheduler last could not place a pod (its newest FailedScheduling event).
    pub fn last_scheduling_failure(
        &self,
        context: &str,
        namespace: &str,
        pod: &str,
    ) -> Option<&K8sEvent> {
        self.about(context, "Pod", namespace, pod)
            .into_iter()
            .find(|e| e.reason == "FailedScheduling")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UnixTime;

    fn event(name: &str, object: &str, reason: &str, count: u32, at: i64) -> K8sEvent {
        K8sEvent {
            context: crate::domain::cluster_row::no_context(),
            name: name.into(),
            namespace: "pos".into(),
            object: object.into(),
            reason: reason.into(),
            message: format!("{reason} happened"),
            warning: reason != "Pulled",
            count,
            first_seen: UnixTime(1_000),
            last_seen: UnixTime(at),
            source: "kubelet".into(),
        }
    }

    #[test]
    fn a_repeat_of_an_event_updates_it_instead_of_adding_a_row() {
        let mut store = EventStore::default();
        store.apply(vec![event("a.1", "Pod/a", "BackOff", 3, 1_010)]);
        store.apply(vec![event("a.1", "Pod/a", "BackOff", 4, 1_040)]);
        assert_eq!(store.len(), 1);
        let e = store.iter().next().unwrap();
        assert_eq!((e.count, e.last_seen), (4, UnixTime(1_040)));
    }

    #[test]
    fn only_the_newest_by_last_seen_are_kept() {
        let mut store = EventStore::default();
        store.set_max(2);
        // Arrival order is not age order: a relist brings old events after new ones.
        store.apply(vec![
            event("new.1", "Pod/a", "BackOff", 1, 3_000),
            event("old.1", "Pod/b", "BackOff", 1, 1_000),
            event("mid.1", "Pod/c", "BackOff", 1, 2_000),
        ]);
        let mut kept: Vec<&str> = store.iter().map(|e| e.name.as_str()).collect();
        kept.sort();
        assert_eq!(kept, ["mid.1", "new.1"]);
    }

    #[test]
    fn the_last_scheduling_failure_is_the_newest_failed_scheduling_of_that_pod() {
        let mut store = EventStore::default();
        store.apply(vec![
            event("p.1", "Pod/p", "FailedScheduling", 2, 1_100),
            event("p.2", "Pod/p", "Pulled", 1, 1_300),
            event("p.3", "Pod/p", "FailedScheduling", 1, 1_200),
            event("q.1", "Pod/q", "FailedScheduling", 1, 1_400),
        ]);
        let found = store
            .last_scheduling_failure("", "pos", "p")
            .map(|e| &e.name);
        assert_eq!(found.map(String::as_str), Some("p.3"));
        assert!(store.last_scheduling_failure("", "other", "p").is_none());
        let about: Vec<&str> = store
            .about("", "Pod", "pos", "p")
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(about, ["p.2", "p.3", "p.1"], "newest first");
    }
}
