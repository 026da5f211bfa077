//! Pods as rows: searchable by every column but AGE.

use std::cmp::Ordering;

use super::desc_none_last;
use crate::app::table::RowSet;
use crate::domain::time::format_bytes;
use crate::domain::{Pod, PodKey, PodStore};

pub const POD_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "NODE",
    "CPU",
    "MEMORY",
];

pub struct PodRows<'a>(pub &'a PodStore);

impl PodRows<'_> {
    fn pod(&self, i: usize) -> &Pod {
        self.0
            .get_index(i)
            .expect("pod index from the table's own order")
    }
}

impl RowSet for PodRows<'_> {
    type Id = PodKey;

    fn len(&self) -> usize {
        self.0.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.membership_generation(), self.0.content_generation())
    }
    fn id(&self, i: usize) -> PodKey {
        self.pod(i).key.clone()
    }
    fn index_of(&self, id: &PodKey) -> Option<usize> {
        self.0.index_of(id)
    }
    /// Every column as drawn but AGE, which changes by the second.
    fn search_text(&self, i: usize, out: &mut String) {
        use std::fmt::Write;
        let p = self.pod(i);
        for field in [&*p.key.namespace, &*p.key.name, &*p.status, &*p.node] {
            out.push_str(field);
            out.push(' ');
        }
        let _ = write!(
            out,
            "{}/{} {} ",
            p.ready_containers, p.total_containers, p.restarts
        );
        if let Some(m) = p.cpu_millis {
            let _ = write!(out, "{m}m ");
        }
        if let Some(bytes) = p.memory_bytes {
            out.push_str(&format_bytes(bytes));
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (a, b) = (self.pod(a), self.pod(b));
        let by = match column {
            0 => Ordering::Equal,
            1 => a.key.name.cmp(&b.key.name),
            2 => (a.ready_containers, a.total_containers)
                .cmp(&(b.ready_containers, b.total_containers)),
            3 => b
                .level()
                .cmp(&a.level())
                .then_with(|| a.status.cmp(&b.status)),
            4 => b.restarts.cmp(&a.restarts),
            5 => b.created.cmp(&a.created),
            6 => a.node.cmp(&b.node),
            7 => desc_none_last(a.cpu_millis, b.cpu_millis),
            8 => desc_none_last(a.memory_bytes, b.memory_bytes),
            _ => Ordering::Equal,
        };
        // Namespace and name, then the cluster: the key's own order puts the cluster first.
        by.then_with(|| (&a.key.namespace, &a.key.name).cmp(&(&b.key.namespace, &b.key.name)))
            .then_with(|| a.key.context.cmp(&b.key.context))
    }
    fn content_affects_order(&self, column: usize) -> bool {
        !matches!(column, 0 | 1 | 5)
    }
    fn columns(&self) -> &'static [&'static str] {
        POD_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 4 | 7 | 8)
    }
}
