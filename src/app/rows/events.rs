//! The cluster's events as rows, newest first (as `kubectl get events --sort-by=.lastTimestamp`
//! read from the bottom); with the Warnings toggle on, Normal events are left out.

use std::cmp::Ordering;

use crate::app::table::RowSet;
use crate::domain::{EventKey, EventStore, K8sEvent};

pub const EVENT_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "LAST SEEN",
    "TYPE",
    "REASON",
    "OBJECT",
    "COUNT",
    "MESSAGE",
];

/// The column the panel starts sorted by: LAST SEEN, newest first.
pub const LAST_SEEN_COLUMN: usize = 1;

pub struct EventRows<'a> {
    pub events: &'a EventStore,
    pub generation: u64,
    /// Only Warnings are shown.
    pub warnings_only: bool,
}

impl EventRows<'_> {
    fn event(&self, i: usize) -> &K8sEvent {
        self.events
            .get_index(i)
            .expect("event index from the table's own order")
    }
}

/// `Warning` or `Normal`, as the API says it.
pub fn event_type(e: &K8sEvent) -> &'static str {
    if e.warning { "Warning" } else { "Normal" }
}

impl RowSet for EventRows<'_> {
    type Id = EventKey;

    fn len(&self) -> usize {
        self.events.len()
    }
    /// The toggle is part of it, so that turning it recomputes the rows shown.
    fn generation(&self) -> (u64, u64) {
        let g = self.generation * 2 + u64::from(self.warnings_only);
        (g, g)
    }
    fn id(&self, i: usize) -> EventKey {
        self.event(i).key()
    }
    fn index_of(&self, id: &EventKey) -> Option<usize> {
        self.events.index_of(id)
    }
    /// Every column as drawn but LAST SEEN, which changes by the second.
    fn search_text(&self, i: usize, out: &mut String) {
        let e = self.event(i);
        for field in [
            e.namespace.as_str(),
            event_type(e),
            &e.reason,
            &e.object,
            &e.message,
        ] {
            out.push_str(field);
            out.push(' ');
        }
        out.push_str(&format!("x{}", e.count));
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.event(a), self.event(b));
        let by = match column {
            0 => x.namespace.cmp(&y.namespace),
            1 => y.last_seen.cmp(&x.last_seen),
            // Warnings first.
            2 => y.warning.cmp(&x.warning),
            3 => x.reason.cmp(&y.reason),
            4 => x.object.cmp(&y.object),
            5 => y.count.cmp(&x.count),
            6 => x.message.cmp(&y.message),
            _ => Ordering::Equal,
        };
        by.then_with(|| y.last_seen.cmp(&x.last_seen))
            .then_with(|| x.name.cmp(&y.name))
            .then_with(|| x.context.cmp(&y.context))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        EVENT_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 1 | 5)
    }
    fn hides_some(&self) -> bool {
        self.warnings_only
    }
    fn hidden(&self, i: usize) -> bool {
        self.warnings_only && !self.event(i).warning
    }
}
