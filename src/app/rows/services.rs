//! Deployments and statefulsets as rows, with health and KPIs joined by service name.

use std::cmp::Ordering;

use super::{asc_none_last, desc_none_last, f64_key};
use crate::app::table::RowSet;
use crate::domain::{Estate, Workload};

pub const SERVICE_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "KIND",
    "READY",
    "REV",
    "IMAGE",
    "HEALTH",
    "P95",
    "ERRORS",
    "LOG ERR 15M/24H",
    "LOCKDOWN",
];

pub struct ServiceRows<'a>(pub &'a Estate);

impl ServiceRows<'_> {
    fn workload(&self, i: usize) -> &Workload {
        &self.0.workloads[i]
    }
}

impl RowSet for ServiceRows<'_> {
    type Id = (String, String);

    fn len(&self) -> usize {
        self.0.workloads.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.gens.workloads, self.0.gens.workloads)
    }
    fn id(&self, i: usize) -> (String, String) {
        let w = self.workload(i);
        (w.namespace.clone(), w.name.clone())
    }
    fn index_of(&self, id: &(String, String)) -> Option<usize> {
        self.0
            .workloads
            .iter()
            .position(|w| w.namespace == id.0 && w.name == id.1)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let w = self.workload(i);
        for field in [&w.namespace, &w.name, &w.image] {
            out.push_str(field);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (wa, wb) = (self.workload(a), self.workload(b));
        let kpi = |w: &Workload| self.0.kpis_for(w);
        let by = match column {
            0 => Ordering::Equal,
            1 => wa.name.cmp(&wb.name),
            2 => wa.kind.cmp(&wb.kind),
            3 => wb.level().cmp(&wa.level()),
            4 => wa.revision.cmp(&wb.revision),
            5 => wa.image.cmp(&wb.image),
            6 => {
                let up = |w: &Workload| self.0.health_for(w).map(|h| h.up);
                asc_none_last(up(wa), up(wb))
            }
            7 => desc_none_last(
                f64_key(kpi(wa).and_then(|k| k.p95_ms)),
                f64_key(kpi(wb).and_then(|k| k.p95_ms)),
            ),
            8 => desc_none_last(
                f64_key(kpi(wa).and_then(|k| k.error_rate)),
                f64_key(kpi(wb).and_then(|k| k.error_rate)),
            ),
            9 => {
                let logged = |w: &Workload| self.0.log_errors_for(w).map(|e| e.counts);
                desc_none_last(logged(wa), logged(wb))
            }
            10 => self
                .0
                .namespace_locked(&wb.namespace)
                .cmp(&self.0.namespace_locked(&wa.namespace)),
            _ => Ordering::Equal,
        };
        by.then_with(|| (&wa.namespace, &wa.name).cmp(&(&wb.namespace, &wb.name)))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        SERVICE_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 7..=9)
    }
}
