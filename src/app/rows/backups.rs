//! Backup sets as rows, stalest first.

use std::cmp::Ordering;

use super::{asc_none_last, desc_none_last};
use crate::app::table::RowSet;
use crate::domain::{BackupSet, Estate, UnixTime};

pub const BACKUP_COLUMNS: &[&str] = &["SET", "KIND", "NEWEST", "RPO", "SIZE", "COUNT", "VERIFIED"];

pub struct BackupRows<'a> {
    pub estate: &'a Estate,
    pub now: UnixTime,
}

impl BackupRows<'_> {
    fn set(&self, i: usize) -> &BackupSet {
        &self.estate.backups[i]
    }
}

impl RowSet for BackupRows<'_> {
    type Id = String;

    fn len(&self) -> usize {
        self.estate.backups.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.estate.gens.backups, self.estate.gens.backups)
    }
    fn id(&self, i: usize) -> String {
        self.set(i).name.clone()
    }
    fn index_of(&self, id: &String) -> Option<usize> {
        self.estate.backups.iter().position(|b| &b.name == id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let s = self.set(i);
        for field in [&s.name, &s.kind, &s.location] {
            out.push_str(field);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.set(a), self.set(b));
        let by = match column {
            0 => x.name.cmp(&y.name),
            1 => x.kind.cmp(&y.kind),
            2 => desc_none_last(x.age_secs(self.now), y.age_secs(self.now)),
            3 => x.rpo_secs.cmp(&y.rpo_secs),
            4 => desc_none_last(
                x.latest().and_then(|i| i.size_bytes),
                y.latest().and_then(|i| i.size_bytes),
            ),
            5 => y.items.len().cmp(&x.items.len()),
            6 => asc_none_last(
                x.newest_verification().map(|v| v.ok),
                y.newest_verification().map(|v| v.ok),
            ),
            _ => Ordering::Equal,
        };
        by.then_with(|| x.name.cmp(&y.name))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        BACKUP_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 2 | 4 | 5)
    }
}
