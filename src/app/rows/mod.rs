//! Each panel's rows as a [`RowSet`]: which fields a filter searches, how each column sorts, and
//! the column names the table shows. Pure functions over the estate, one file per panel.

mod alerts;
mod backups;
mod configs;
mod events;
mod jobs;
mod nodes;
mod pods;
mod services;
mod sessions;

use std::cmp::Ordering;

pub use alerts::{ALERT_COLUMNS, AlertLens, AlertRows, Grouping, selected_alert};
pub use backups::{BACKUP_COLUMNS, BackupRows};
pub use configs::{
    CONFIG_COLUMNS, ConfigId, ConfigRows, id_of as config_id, used_by, used_by_text, users,
};
pub use events::{EVENT_COLUMNS, EventRows, LAST_SEEN_COLUMN, event_type};
pub use jobs::{JOB_COLUMNS, JOB_NAME_COLUMN, JobRow, JobRows};
pub use nodes::{NODE_COLUMNS, NodeRows, node_in_trouble, pods_on};
pub use pods::{POD_COLUMNS, PodRows};
pub use services::{SERVICE_COLUMNS, ServiceId, ServiceRow, ServiceRows};
pub use sessions::{BLOCKING_COLUMN, SESSION_COLUMNS, SessionRows};

/// Ascending, with rows that have no value last.
pub(super) fn asc_none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Descending (largest first: the worst latency, the longest query), rows without a value last.
pub(super) fn desc_none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

pub(super) fn f64_key(value: Option<f64>) -> Option<i64> {
    value.map(|v| (v * 1_000_000.0) as i64)
}
