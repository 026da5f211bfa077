//! The simulated world as a Kubernetes API server keeps it: objects with resource versions, and
//! a journal of changes that watches are served from. The mirror is built from the same
//! reports the world sends the cockpit, so what `kubectl` and the kube adapter see is what the
//! world did; writes (scale, patch, delete, create) go back to the world as actions.

mod budgets;
mod collection;
pub mod describe_parts;
mod error;
pub mod patch;
pub mod policy;
pub mod render;
pub mod render_config;
pub mod render_hpa;
pub mod render_job;
mod render_misc;
pub mod render_node;
mod render_pod;
mod resource;
pub mod table;
mod usage;
pub mod writes;
mod writes_config;
mod writes_evict;
mod writes_hpa;
mod writes_job;
mod writes_node;
mod writes_resources;
mod writes_scale;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

pub use budgets::{BUDGETS, Budget, VIOLATION};
pub use collection::{Collection, ListQuery, Page, Selector};
pub use policy::Policy;
pub use resource::Resource;

use crate::domain::{K8sEvent, NamespaceInfo, Pod, Report, Workload, WorkloadKind};

/// What happened to an object, as a watch event says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn word(self) -> &'static str {
        match self {
            ChangeKind::Added => "ADDED",
            ChangeKind::Modified => "MODIFIED",
            ChangeKind::Deleted => "DELETED",
        }
    }
}

/// One entry of the journal: a change to one object, at a resource version.
#[derive(Debug)]
pub struct Change {
    pub rv: u64,
    pub resource: Resource,
    pub kind: ChangeKind,
    /// The object as it is after the change (as it was, for a deletion), its
    /// `metadata.resourceVersion` set.
    pub object: Value,
}

/// A watch asked for a version the journal no longer holds: the client must list again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expired {
    pub oldest: u64,
}

/// How many changes the journal keeps for watches that resume.
pub const JOURNAL_DEFAULT: usize = 20_000;
/// How many events are kept, as the API server's event TTL would.
const EVENTS_KEPT: usize = 500;

/// The API server's view of the world.
pub struct ApiMirror {
    rv: u64,
    pub(crate) pods: Collection<Pod>,
    pub(crate) objects: HashMap<Resource, Collection<Value>>,
    journal: VecDeque<Arc<Change>>,
    journal_cap: usize,
    /// Every version at or below this has left the journal.
    trimmed: u64,
    changes: broadcast::Sender<Arc<Change>>,
    /// Set while the initial state is taken in: no journal, no broadcast.
    seeding: bool,
    /// `kubectl.kubernetes.io/restartedAt` of each revision made by a restart, by
    /// (namespace, workload, revision): the world keeps images, not templates.
    pub(crate) restarted_at: BTreeMap<(String, String, u64), String>,
    /// The containers' resources of revisions made by `kubectl set resources`, likewise.
    pub(crate) sizes: render::Sizes,
    /// Each template's containers' resources, by (namespace, ReplicaSet or StatefulSet name),
    /// for the pods it made.
    pod_sizes: HashMap<(String, String), Vec<crate::domain::ContainerResources>>,
    pub policy: Policy,
    /// The nodes as the world last reported them, for their metrics.
    nodes: Vec<crate::domain::Node>,
}

impl ApiMirror {
    pub fn new(journal_cap: usize) -> ApiMirror {
        let (changes, _) = broadcast::channel(4096);
        ApiMirror {
            rv: 1,
            pods: Collection::default(),
            objects: Resource::ALL
                .into_iter()
                .filter(|r| *r != Resource::Pods)
                .map(|r| (r, Collection::default()))
                .collect(),
            journal: VecDeque::new(),
            journal_cap: journal_cap.max(1),
            trimmed: 0,
            changes,
            seeding: false,
            restarted_at: BTreeMap::new(),
            sizes: BTreeMap::new(),
            pod_sizes: HashMap::new(),
            policy: Policy::default(),
            nodes: Vec::new(),
        }
    }

    /// Takes in the world's initial reports without journalling them.
    pub fn seed(&mut self, reports: &[Report]) {
        self.seeding = true;
        for report in reports {
            self.absorb(report);
        }
        self.seed_drain_objects();
        self.seeding = false;
        self.trimmed = self.rv;
    }

    /// Takes in objects the world keeps for the API only (ConfigMaps and Secrets), without
    /// journalling them, as `seed` does.
    pub fn seed_values(&mut self, values: Vec<(Resource, Value)>) {
        self.seeding = true;
        for (resource, value) in values {
            self.upsert_value(resource, value);
        }
        self.seeding = false;
        self.trimmed = self.rv;
    }

    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    /// Takes in one report of the world's Kubernetes source.
    pub fn absorb(&mut self, report: &Report) {
        match report {
            Report::PodsReset(pods) => {
                let keep: std::collections::HashSet<_> =
                    pods.iter().map(collection::key_of).collect();
                let gone: Vec<_> = self
                    .pods
                    .keys()
                    .filter(|k| !keep.contains(*k))
                    .cloned()
                    .collect();
                for key in gone {
                    self.delete_pod(&key);
                }
                for pod in pods {
                    self.upsert_pod(pod.clone());
                }
            }
            Report::PodUpsert(pod) => self.upsert_pod(pod.clone()),
            Report::PodDelete(key) => {
                self.delete_pod(&(key.namespace.to_string(), key.name.to_string()));
            }
            Report::Workloads(workloads) => {
                for w in workloads {
                    self.absorb_workload(w);
                }
                // A budget's expected pods are its workload's replicas.
                self.refresh_budgets();
            }
            Report::Namespaces(namespaces) => self.absorb_namespaces(namespaces),
            Report::Nodes(nodes) => {
                for node in nodes {
                    self.upsert_value(Resource::Nodes, render_node::node(node));
                }
                self.nodes = nodes.clone();
            }
            Report::Events(events) => {
                for event in events {
                    self.absorb_event(event);
                }
            }
            Report::Hpas(hpas) => self.absorb_hpas(hpas),
            Report::CronJobs(cronjobs) => {
                let objects = cronjobs.iter().map(render_job::cronjob).collect();
                self.replace_all(Resource::CronJobs, objects);
            }
            Report::Jobs(jobs) => {
                let objects = jobs.iter().map(render_job::job).collect();
                self.replace_all(Resource::Jobs, objects);
            }
            _ => {}
        }
    }

    fn upsert_pod(&mut self, pod: Pod) {
        let key = collection::key_of(&pod);
        let rv = self.rv + 1;
        if let Some(kind) = self.pods.upsert(key, pod.clone(), rv) {
            self.rv = rv;
            let object = self.render_pod(&pod, rv);
            self.journal_change(Resource::Pods, kind, object);
            if Self::budgeted(&pod) {
                self.refresh_budgets();
            }
        }
    }

    /// The objects a drain meets that the world's reports do not carry: the budgets and the
    /// DaemonSet whose pods the world runs on every node.
    fn seed_drain_objects(&mut self) {
        self.refresh_budgets();
        let (ns, name) = crate::sim::daemonsets::DAEMONSET;
        let owner = format!("DaemonSet/{name}");
        let pods: Vec<&Pod> = self
            .pods
            .iter_in(Some(ns))
            .map(|e| &e.object)
            .filter(|p| p.owner.as_deref() == Some(owner.as_str()))
            .collect();
        if !pods.is_empty() {
            let object = crate::sim::daemonsets::daemonset(&pods, crate::sim::clock::now());
            self.upsert_value(Resource::DaemonSets, object);
        }
    }

    fn delete_pod(&mut self, key: &(String, String)) {
        if let Some(pod) = self.pods.remove(key) {
            self.rv += 1;
            let object = self.render_pod(&pod.object, self.rv);
            self.journal_change(Resource::Pods, ChangeKind::Deleted, object);
            if Self::budgeted(&pod.object) {
                self.refresh_budgets();
            }
        }
    }

    /// Upserts a rendered object (without its resource version).
    pub(crate) fn upsert_value(&mut self, resource: Resource, object: Value) {
        let key = render::key_of_value(&object);
        let rv = self.rv + 1;
        let collection = self.objects.get_mut(&resource).expect("every resource");
        if let Some(kind) = collection.upsert(key, object.clone(), rv) {
            self.rv = rv;
            self.journal_change(resource, kind, render::with_rv(object, rv));
        }
    }

    pub(crate) fn delete_value(&mut self, resource: Resource, key: &(String, String)) {
        let collection = self.objects.get_mut(&resource).expect("every resource");
        if let Some(entry) = collection.remove(key) {
            self.rv += 1;
            let object = render::with_rv(entry.object, self.rv);
            self.journal_change(resource, ChangeKind::Deleted, object);
        }
    }

    /// Makes a kind's objects exactly `objects`: those not among them are deleted.
    fn replace_all(&mut self, resource: Resource, objects: Vec<Value>) {
        let keep: std::collections::HashSet<(String, String)> =
            objects.iter().map(render::key_of_value).collect();
        let gone: Vec<(String, String)> = self.objects[&resource]
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            self.delete_value(resource, &key);
        }
        for object in objects {
            self.upsert_value(resource, object);
        }
    }

    fn absorb_workload(&mut self, w: &Workload) {
        let resource = match w.kind {
            WorkloadKind::Deployment => Resource::Deployments,
            WorkloadKind::StatefulSet => Resource::StatefulSets,
        };
        let object = render::workload(w, &self.restarted_at);
        self.upsert_value(resource, object);
        if let Some(service) = &w.service {
            self.upsert_value(Resource::Services, render::service(w, service));
        }
        if w.kind != WorkloadKind::Deployment {
            self.pod_sizes
                .insert((w.namespace.clone(), w.name.clone()), w.containers.clone());
            return;
        }
        for r in &w.history {
            let set = format!(
                "{}-{}",
                w.name,
                crate::sim::names::template_hash(&w.name, r.number)
            );
            let sizes = render::sizes_of(w, r.number, &self.sizes);
            self.pod_sizes.insert((w.namespace.clone(), set), sizes);
        }
        let sets = render::replica_sets(w, &self.restarted_at, &self.sizes);
        let names: std::collections::HashSet<(String, String)> =
            sets.iter().map(render::key_of_value).collect();
        let prefix = format!("{}-", w.name);
        let stale: Vec<(String, String)> = self.objects[&Resource::ReplicaSets]
            .keys_in(&w.namespace)
            .filter(|k| k.1.starts_with(&prefix) && !names.contains(*k))
            .filter(|k| {
                // Only this deployment's sets: the rest of the name is the hash alone.
                !k.1[prefix.len()..].contains('-')
            })
            .cloned()
            .collect();
        for key in stale {
            self.delete_value(Resource::ReplicaSets, &key);
        }
        for set in sets {
            self.upsert_value(Resource::ReplicaSets, set);
        }
    }

    /// A pod as the API serves it, its containers sized by the template that made it.
    fn render_pod(&self, pod: &Pod, rv: u64) -> serde_json::Value {
        let sizes = render::template_owner(pod)
            .and_then(|owner| self.pod_sizes.get(&(pod.key.namespace.to_string(), owner)))
            .filter(|s| !s.is_empty());
        render::pod_sized(pod, rv, sizes.map(Vec::as_slice))
    }

    /// The HPAs as the world has them: each upserted (a status change is a modification, as
    /// the controller's writes are), those gone deleted.
    fn absorb_hpas(&mut self, hpas: &[crate::domain::Hpa]) {
        let keep: std::collections::HashSet<(String, String)> = hpas
            .iter()
            .map(|h| (h.namespace.clone(), h.name.clone()))
            .collect();
        let gone: Vec<(String, String)> = self.objects[&Resource::HorizontalPodAutoscalers]
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            self.delete_value(Resource::HorizontalPodAutoscalers, &key);
        }
        for h in hpas {
            self.upsert_value(Resource::HorizontalPodAutoscalers, render_hpa::hpa(h));
        }
    }

    fn absorb_namespaces(&mut self, namespaces: &[NamespaceInfo]) {
        for ns in namespaces {
            self.upsert_value(Resource::Namespaces, render::namespace(&ns.name));
            let key = (ns.name.clone(), crate::actions::LOCKDOWN_POLICY.to_string());
            if ns.locked_down {
                let existing = self.objects[&Resource::NetworkPolicies].get(&key).is_some();
                if !existing {
                    let now = crate::sim::clock::now();
                    self.upsert_value(
                        Resource::NetworkPolicies,
                        render::lockdown_policy(&ns.name, now),
                    );
                }
            } else {
                self.delete_value(Resource::NetworkPolicies, &key);
            }
        }
    }

    fn absorb_event(&mut self, event: &K8sEvent) {
        let object = render::event(event, self.rv + 1);
        self.upsert_value(Resource::Events, object);
        let events = self.objects.get_mut(&Resource::Events).expect("events");
        while events.len() > EVENTS_KEPT {
            events.pop_oldest();
        }
    }

    fn journal_change(&mut self, resource: Resource, kind: ChangeKind, object: Value) {
        if self.seeding {
            return;
        }
        let change = Arc::new(Change {
            rv: self.rv,
            resource,
            kind,
            object,
        });
        self.journal.push_back(change.clone());
        while self.journal.len() > self.journal_cap {
            if let Some(old) = self.journal.pop_front() {
                self.trimmed = old.rv;
            }
        }
        // No receivers is fine: nobody is watching.
        let _ = self.changes.send(change);
    }

    /// The changes after `rv` still in the journal, and a receiver for those to come; both
    /// taken at once so nothing falls between them.
    #[allow(clippy::type_complexity)]
    pub fn watch_from(
        &self,
        rv: u64,
    ) -> Result<(Vec<Arc<Change>>, broadcast::Receiver<Arc<Change>>), Expired> {
        // A version from before the journal, or from another life of the server (it restarted
        // and counts from 1 again): the client must list afresh.
        if rv < self.trimmed || rv > self.rv {
            return Err(Expired {
                oldest: self.trimmed,
            });
        }
        let backlog = self.journal.iter().filter(|c| c.rv > rv).cloned().collect();
        Ok((backlog, self.changes.subscribe()))
    }

    /// One page of a list, objects rendered with their resource versions.
    pub fn list(&self, resource: Resource, query: &ListQuery) -> Page {
        match resource {
            Resource::Pods => self
                .pods
                .page(query, self.rv, |p, rv| self.render_pod(p, rv)),
            other => {
                self.objects[&other].page(query, self.rv, |v, rv| render::with_rv(v.clone(), rv))
            }
        }
    }

    /// A pod as the world has it (for its logs).
    pub fn pod(&self, namespace: &str, name: &str) -> Option<Pod> {
        self.pods
            .get(&(namespace.to_string(), name.to_string()))
            .map(|e| e.object.clone())
    }

    /// One object, rendered, or `None`.
    pub fn get(&self, resource: Resource, namespace: &str, name: &str) -> Option<Value> {
        let key = (namespace.to_string(), name.to_string());
        match resource {
            Resource::Pods => self
                .pods
                .get(&key)
                .map(|e| self.render_pod(&e.object, e.rv)),
            other => self.objects[&other]
                .get(&key)
                .map(|e| render::with_rv(e.object.clone(), e.rv)),
        }
    }
}

#[cfg(test)]
mod tests;
