//! First sight while the pods are still being listed (cluster-wide, or one namespace): the
//! pods listed so far go to the cockpit every `SHOW_EVERY` (the first page on screen within that of its arrival, not after
//! the last page), with how far the list has come against the server's estimate. The estimate
//! is the `remainingItemCount` of a one-pod list asked for beside the watch (the watcher's
//! own pages do not pass their metadata on): one small request per scope, once.

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
    /// The pods listed so far and the progress, when more have come since last shown.
    pub(super) async fn show_progress(&mut self) -> bool {
        // Every scope's pods listed: the first report itself follows, once the rest is. With
        // several namespaces (each small, as a rule) their pods come as upserts, no reset.
        if self.synced || self.scopes.len() > 1 || self.first_lists.iter().all(Option::is_some) {
            return true;
        }
        let held = self
            .first_lists
            .iter()
            .flatten()
            .map(Vec::len)
            .sum::<usize>();
        let listed = held + self.listing.iter().map(Vec::len).sum::<usize>();
        if listed == 0 || listed == self.progress_shown {
            return true;
        }
        self.progress_shown = listed;
        let estimate = self
            .estimates
            .iter()
            .try_fold(0, |sum, e| e.map(|e| sum + e))
            .map(|e| e.max(listed));
        let mut rows = Vec::with_capacity(listed);
        for scope in 0..self.scopes.len() {
            if let Some(Some(done)) = self.first_lists.get(scope) {
                rows.extend(done.iter().cloned());
            }
            rows.extend(self.listing[scope].iter().cloned());
        }
        let progress = ListProgress { listed, estimate };
        self.reporter.send(Report::PodsReset(rows)).await
            && self
                .reporter
                .send(Report::PodsListing(Some(progress)))
                .await
    }
}
