//! The watch's pod and event streams: lists held until the first report can be whole, then
//! deltas; a relist of one namespace of several replaces only its pods.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::runtime::watcher;

use super::{Metrics, Pod, Watch};
use crate::adapters::kube::convert;
use crate::domain::{PodKey, Report};

impl Watch {
    pub(super) async fn on_pod(&mut self, scope: usize, event: watcher::Event<Pod>) -> bool {
        match event {
            watcher::Event::Init => {
                self.listing[scope].clear();
                // A first list begun again: its first part replaces what was shown of it.
                self.listing_shown = 0;
                true
            }
            watcher::Event::InitApply(p) => {
                if !self.first_page_logged {
                    // With `first pod rows drawn` (the runtime), what first sight costs the
                    // cockpit once the API server has answered (`scripts/bench-cockpit`).
                    self.first_page_logged = true;
                    tracing::info!("first page of pods arrived");
                }
                let row = self.convert(&p);
                self.listing[scope].push(row);
                true
            }
            watcher::Event::InitDone => {
                // A relist is complete: the next report settles the source's state.
                self.relisting = None;
                let pods = std::mem::take(&mut self.listing[scope]);
                if !self.synced {
                    self.first_lists[scope] = Some(pods);
                    return self.try_sync().await;
                }
                self.replace_scope(scope, pods).await
            }
            watcher::Event::Apply(p) => {
                let row = self.convert(&p);
                if let Some(Some(held)) = self.first_lists.get_mut(scope) {
                    held.retain(|p| p.key != row.key);
                    held.push(row);
                    return true;
                }
                self.known[scope].insert(row.key.clone());
                self.reporter.send(Report::PodUpsert(row)).await
            }
            watcher::Event::Delete(p) => {
                let key = convert::pod_key(&p.metadata);
                if let Some(Some(held)) = self.first_lists.get_mut(scope) {
                    held.retain(|p| p.key != key);
                    return true;
                }
                self.known[scope].remove(&key);
                self.usage.remove(&key);
                self.reporter.send(Report::PodDelete(key)).await
            }
        }
    }

    /// A scope's pods after a relist: the whole set when there is one scope, else that
    /// namespace's deletions and upserts.
    pub(super) async fn replace_scope(
        &mut self,
        scope: usize,
        pods: Vec<crate::domain::Pod>,
    ) -> bool {
        let keys: HashSet<PodKey> = pods.iter().map(|p| p.key.clone()).collect();
        let gone: Vec<PodKey> = self.known[scope].difference(&keys).cloned().collect();
        self.known[scope] = keys;
        if self.scopes.len() == 1 {
            return self.reporter.send(Report::PodsReset(pods)).await;
        }
        for key in gone {
            if !self.reporter.send(Report::PodDelete(key)).await {
                return false;
            }
        }
        for pod in pods {
            if !self.reporter.send(Report::PodUpsert(pod)).await {
                return false;
            }
        }
        true
    }

    /// Sends the first report once everything has been listed, so the cockpit's first sight
    /// of the cluster is whole: pods with their usage, workloads, namespaces, events.
    pub(super) async fn try_sync(&mut self) -> bool {
        if self.synced || self.first_lists.iter().any(Option::is_none) || !self.first_kinds_listed()
        {
            return true;
        }
        self.synced = true;
        // The pods' keys before their usage is read, so that each usage row takes the key its
        // pod holds (`usage.rs`), not a fresh copy of 100,000 names kept until the next poll.
        for (known, pods) in self.known.iter_mut().zip(&self.first_lists) {
            *known = pods.iter().flatten().map(|p| p.key.clone()).collect();
        }
        // Usage joins the first sight only when a panel shows it; else it is read when one opens.
        let wanted = self.metrics_wanted.borrow().pods;
        if wanted {
            match self.poll_metrics().await {
                Err(Metrics::Missing) => {
                    tracing::info!(
                        "no metrics.k8s.io on this cluster: pod CPU and memory show n/a"
                    );
                    self.metrics_missing = true;
                }
                Err(Metrics::NotPermitted) => {
                    self.not_permitted(crate::domain::kube_access::METRICS.into(), None)
                }
                _ => {}
            }
        }
        let lists = std::mem::take(&mut self.first_lists);
        self.first_lists = vec![None; self.scopes.len()];
        // Shown in part while listing: the whole set replaces the part (a pod shown then may
        // have gone since), in one report whatever the scopes.
        let mut whole = Vec::new();
        for (scope, pods) in lists.into_iter().enumerate() {
            let mut pods = pods.unwrap_or_default();
            for pod in &mut pods {
                if let Some((cpu, memory)) = self.usage.get(&pod.key) {
                    pod.cpu_millis = Some(*cpu);
                    pod.memory_bytes = Some(*memory);
                }
            }
            if self.progress_shown > 0 {
                // Moved, not copied, when it is the only one (a second list at the peak).
                if whole.is_empty() {
                    whole = pods;
                } else {
                    whole.extend(pods);
                }
            } else if !self.replace_scope(scope, pods).await {
                return false;
            }
        }
        if self.progress_shown > 0
            && !(self.reporter.send(Report::PodsReset(whole)).await
                && self.reporter.send(Report::PodsListing(None)).await)
        {
            return false;
        }
        self.flush().await && self.send_events().await
    }

    pub(super) fn convert(&mut self, p: &Pod) -> crate::domain::Pod {
        let key = convert::pod_key(&p.metadata);
        let usage = self.usage.get(&key).copied();
        convert::pod(p, usage, &mut self.strings)
    }

    pub(super) async fn on_event(&mut self, event: watcher::Event<CoreEvent>) -> bool {
        match event {
            watcher::Event::Init => {
                self.events.clear();
                true
            }
            watcher::Event::InitApply(e) => {
                self.events.push(convert::event(&e));
                // A big cluster lists many thousands: hold no more than the store keeps.
                if self.events.len() >= 2 * self.events_max {
                    self.keep_newest_events();
                }
                true
            }
            watcher::Event::InitDone => {
                self.events_listed = true;
                self.send_events().await
            }
            watcher::Event::Apply(e) => {
                self.events.push(convert::event(&e));
                self.send_events().await
            }
            watcher::Event::Delete(_) => true,
        }
    }

    /// Sends the events gathered, once the events and the pods have been listed: a source
    /// shows as live when its first report arrives, and that should be its pods.
    pub(super) async fn send_events(&mut self) -> bool {
        if !(self.synced && self.events_listed) || self.events.is_empty() {
            return true;
        }
        self.keep_newest_events();
        let events = std::mem::take(&mut self.events);
        self.reporter.send(Report::Events(events)).await
    }

    /// Keeps the newest `events_max` of the events gathered, oldest first.
    fn keep_newest_events(&mut self) {
        self.events.sort_by_key(|e| e.last_seen);
        let excess = self.events.len().saturating_sub(self.events_max);
        self.events.drain(..excess);
    }
}
