//! First sight while the pods are still being listed (cluster-wide, or one namespace): every
//! `SHOW_EVERY` the pods listed since the last report go to the cockpit (the first page on
//! screen within that of its arrival, not after the last page), with how far the list has come
//! against the server's estimate. The estimate is the `remainingItemCount` of a one-pod list
//! asked for beside the watch (the watcher's own pages do not pass their metadata on): one
//! small request per scope, once.

use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use kube::Api;
use kube::api::ListParams;

use super::{Pod, Update, Watch};
use crate::domain::{ListProgress, Report};

/// How often the pods listed so far are shown while the first list goes on.
pub(super) const SHOW_EVERY: Duration = Duration::from_millis(100);

/// The estimate of the scope's pods, as one update (`None` when the server gives none).
pub(super) fn estimate(scope: usize, api: Api<Pod>) -> BoxStream<'static, Update> {
    futures::stream::once(async move {
        let page = api.list(&ListParams::default().limit(1)).await;
        let estimate = page.ok().map(|list| {
            list.items.len() + list.metadata.remaining_item_count.unwrap_or(0).max(0) as usize
        });
        Update::Estimate(scope, estimate)
    })
    .boxed()
}

impl Watch {
    /// The pods listed since last shown and the progress, when more have come.
    pub(super) async fn show_progress(&mut self) -> bool {
        // Every scope's pods listed: the first report itself follows, once the rest is. With
        // several namespaces (each small, as a rule) their pods come as upserts, no reset.
        if self.synced || self.scopes.len() > 1 || self.first_lists[0].is_some() {
            return true;
        }
        let listing = &self.listing[0];
        let listed = listing.len();
        // Only what came since the last report, each pod copied once: the whole list so far at
        // every report made the cockpit receive 100,000 pods dozens of times, and the
        // allocator kept that peak (README, Performance). The first part of a list replaces
        // what the cockpit held (an earlier login's, or a list cut short and begun again).
        let Some(new) = listing
            .get(self.listing_shown..)
            .filter(|new| !new.is_empty())
        else {
            return true;
        };
        let new = new.to_vec();
        let report = match self.listing_shown {
            0 => Report::PodsReset(new),
            _ => Report::PodsListed(new),
        };
        self.listing_shown = listed;
        self.progress_shown = listed;
        let estimate = self.estimates[0].map(|e| e.max(listed));
        let progress = ListProgress { listed, estimate };
        self.reporter.send(report).await
            && self
                .reporter
                .send(Report::PodsListing(Some(progress)))
                .await
    }
}
