//! Kinds with few objects, kept whole in reflector stores and sent as one report when they
//! change: workloads (with their Services), namespaces, nodes, HorizontalPodAutoscalers,
//! CronJobs, Jobs, ConfigMaps and Secrets. Each is a [`Kept`] in a file of its own, opened
//! through an [`Opener`] and listed in [`KINDS`]; adding a kind is that file and one line there
//! (numerous kinds, such as pods, are delta streams instead: `watch/pods.rs`).

mod configs;
mod hpas;
mod jobs;
mod namespaces;
mod nodes;
mod workloads;

use std::collections::HashSet;

use futures::stream::{BoxStream, StreamExt};
use kube::runtime::reflector::{self, Store};
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;

use super::failures::{failure, forbidden, kind_words};
use super::{Step, Update, watched};
use crate::domain::Report;

/// A group of kept kinds sent as one report.
pub(super) trait Kept: Send + Sync {
    /// Whether the cockpit's first report waits for its first lists (what the Pods and
    /// Services panels need at first sight).
    fn needed_first(&self) -> bool {
        false
    }
    /// The report of what its stores hold now.
    fn report(&self) -> Report;
}

/// Opens a group's reflectors.
pub(super) type Open = fn(&mut Opener) -> Box<dyn Kept>;

/// Every group of kept kinds, in the order their reports go.
pub(super) const KINDS: &[Open] = &[
    workloads::open,
    namespaces::open,
    nodes::open,
    hpas::open,
    jobs::open_cronjobs,
    jobs::open_jobs,
    configs::open,
];

/// Opens reflectors for one group: one per watched scope, or one for the whole cluster. Each
/// reflector's first list is pending until complete.
pub(super) struct Opener<'a> {
    pub client: &'a Client,
    pub scopes: &'a [Option<String>],
    pub(super) group: usize,
    pub(super) streams: &'a mut Vec<BoxStream<'static, Update>>,
    pub(super) pending: &'a mut HashSet<usize>,
}

impl Opener<'_> {
    /// One reflector per watched scope (the whole cluster, or each configured namespace).
    pub fn per_scope<K>(&mut self) -> Vec<Store<K>>
    where
        K: Resource<Scope = k8s_openapi::NamespaceResourceScope>
            + Clone
            + DeserializeOwned
            + std::fmt::Debug
            + Send
            + Sync
            + 'static,
        K::DynamicType: Eq + std::hash::Hash + Clone + Default,
    {
        let scopes = self.scopes.to_vec();
        scopes
            .iter()
            .map(|scope| {
                let api = super::api::<K>(self.client, scope);
                self.reflect(api)
            })
            .collect()
    }

    /// One reflector over the whole cluster.
    pub fn cluster<K>(&mut self) -> Store<K>
    where
        K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
        K::DynamicType: Eq + std::hash::Hash + Clone + Default,
    {
        self.reflect(Api::<K>::all(self.client.clone()))
    }

    fn reflect<K>(&mut self, api: Api<K>) -> Store<K>
    where
        K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
        K::DynamicType: Eq + std::hash::Hash + Clone + Default,
    {
        let (store, writer) = reflector::store();
        let id = self.streams.len();
        self.pending.insert(id);
        self.streams.push(reflected(writer, api, self.group, id));
        store
    }
}

/// A reflector as a stream of `Changed` updates.
fn reflected<K>(
    store: reflector::store::Writer<K>,
    api: Api<K>,
    group: usize,
    stream: usize,
) -> BoxStream<'static, Update>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone + Default,
{
    // What `reflector::reflector` does, with the relist step let through.
    let mut store = store;
    watched(api)
        .map(move |step| match step {
            Ok(Step::Event(event)) => {
                store.apply_watcher_event(&event);
                Update::Changed {
                    group,
                    stream,
                    ready: matches!(event, kube::runtime::watcher::Event::InitDone),
                }
            }
            Ok(Step::Relist(why)) => Update::Relisting(why),
            Err(e) if forbidden(&e) => Update::NotPermitted {
                kind: kind_words(&K::plural(&Default::default())),
                stream: Some((group, stream)),
            },
            Err(e) => failure(&e),
        })
        .boxed()
}

/// The objects of every scope's store.
pub(super) fn everything<K>(stores: &[Store<K>]) -> Vec<std::sync::Arc<K>>
where
    K: kube::runtime::reflector::Lookup + Clone + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone,
{
    stores.iter().flat_map(Store::state).collect()
}
