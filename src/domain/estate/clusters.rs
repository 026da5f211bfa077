//! The estate's side of several clusters watched at once: each cluster's rows forgotten on its
//! own, the sources' contexts interned, the clusters' first lists and refusals taken together.

use std::sync::Arc;

use super::Estate;
use crate::domain::report::SourceId;

impl Estate {
    /// Drops everything a cluster said and the source itself (after a context switch).
    pub fn forget_cluster(&mut self, source: &SourceId) {
        use crate::domain::cluster_row::forget_cluster as forget;
        let context = source.name.as_str();
        self.sources.remove(source);
        self.contexts.remove(context);
        self.pods.forget_cluster(context);
        forget(&mut self.workloads, context);
        forget(&mut self.namespaces, context);
        forget(&mut self.nodes, context);
        forget(&mut self.hpas, context);
        self.node_usage.retain(|(c, _), _| &**c != context);
        forget(&mut self.cronjobs, context);
        forget(&mut self.jobs, context);
        forget(&mut self.configs, context);
        self.events.forget_cluster(context);
        self.log_errors.forget_cluster(context);
        self.pods_listings.remove(context);
        self.pods_listing = self.merged_listing();
        self.kube_access_by.remove(context);
        self.kube_access = self.merged_access();
        self.standalone_checks =
            crate::domain::http_checks::standalone(&self.workloads, &self.health);
        self.gens.nodes += 1;
        self.gens.jobs += 1;
        self.gens.configs += 1;
        self.gens.workloads += 1;
        self.gens.namespaces += 1;
        self.gens.events += 1;
        self.gens.services += 1;
        self.gens.sources += 1;
    }

    /// The interned context of a Kubernetes source.
    pub(super) fn context_of(&mut self, source: &SourceId) -> Arc<str> {
        self.contexts
            .entry(source.name.clone())
            .or_insert_with(|| Arc::from(source.name.as_str()))
            .clone()
    }

    /// Every cluster's first list together: pods listed, and the estimate when each gave one.
    pub(super) fn merged_listing(&self) -> Option<crate::domain::ListProgress> {
        let mut all = self.pods_listings.values();
        let first = *all.next()?;
        Some(all.fold(first, |a, b| crate::domain::ListProgress {
            listed: a.listed + b.listed,
            estimate: a.estimate.zip(b.estimate).map(|(x, y)| x + y),
        }))
    }

    /// Every cluster's refusals together.
    pub(super) fn merged_access(&self) -> crate::domain::report::KubeAccess {
        let mut access = crate::domain::report::KubeAccess::default();
        for a in self.kube_access_by.values() {
            if let Some(n) = a.namespaces {
                access.namespaces = Some(access.namespaces.unwrap_or(0) + n);
            }
            access.not_permitted.extend(a.not_permitted.iter().cloned());
        }
        access.not_permitted.sort();
        access.not_permitted.dedup();
        access
    }

    /// Whether a namespace of one cluster is locked down (an opsdeck deny-all policy).
    pub fn namespace_locked(&self, context: &str, namespace: &str) -> bool {
        self.namespaces
            .iter()
            .any(|n| &*n.context == context && n.name == namespace && n.locked_down)
    }

    /// The contexts of the Kubernetes sources, in order: more than one when several clusters
    /// are watched at once.
    pub fn kube_contexts(&self) -> impl Iterator<Item = &str> {
        self.sources
            .keys()
            .filter(|id| id.kind == crate::domain::SourceKind::Kubernetes)
            .map(|id| id.name.as_str())
    }
}
