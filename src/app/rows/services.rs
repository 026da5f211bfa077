//! Deployments and statefulsets as rows, with health and KPIs joined by service name, and the
//! health checks that match no workload as rows of kind `http`.

use std::cmp::Ordering;

use super::{asc_none_last, desc_none_last, f64_key};
use crate::app::table::RowSet;
use crate::domain::{Estate, Level, ServiceHealth, ServiceKpis, Workload, http_checks};

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
    "HPA",
];

/// One row of the Services panel: a workload, or a health check that matches none (a service
/// outside Kubernetes), kind `http`.
#[derive(Debug, Clone, Copy)]
pub enum ServiceRow<'a> {
    Workload(&'a Workload),
    Check(&'a ServiceHealth),
}

impl<'a> ServiceRow<'a> {
    /// The namespace, or the one a standalone check was configured with (`ns/name`).
    pub fn namespace(&self) -> Option<&'a str> {
        match self {
            ServiceRow::Workload(w) => Some(&w.namespace),
            ServiceRow::Check(h) => http_checks::split(&h.service).0,
        }
    }
    pub fn name(&self) -> &'a str {
        match self {
            ServiceRow::Workload(w) => &w.name,
            ServiceRow::Check(h) => http_checks::split(&h.service).1,
        }
    }
    pub fn workload(&self) -> Option<&'a Workload> {
        match self {
            ServiceRow::Workload(w) => Some(w),
            ServiceRow::Check(_) => None,
        }
    }
    pub fn health(&self, estate: &'a Estate) -> Option<&'a ServiceHealth> {
        match self {
            ServiceRow::Workload(w) => estate.health_for(w),
            ServiceRow::Check(h) => Some(h),
        }
    }
    pub fn kpis(&self, estate: &'a Estate) -> Option<&'a ServiceKpis> {
        match self {
            ServiceRow::Workload(w) => estate.kpis_for(w),
            ServiceRow::Check(h) => estate.kpis_named(&h.service),
        }
    }
    /// The row's state: a workload's readiness; a standalone check's answer.
    pub fn level(&self) -> Level {
        match self {
            ServiceRow::Workload(w) => w.level(),
            ServiceRow::Check(h) if h.up => Level::Ok,
            ServiceRow::Check(_) => Level::Crit,
        }
    }
}

/// A Services row's identity: context, namespace and name (a standalone check's namespace is
/// empty).
pub type ServiceId = (String, String, String);

pub struct ServiceRows<'a>(pub &'a Estate);

impl<'a> ServiceRows<'a> {
    /// Workloads first, then the standalone checks.
    pub fn row(&self, i: usize) -> Option<ServiceRow<'a>> {
        let estate = self.0;
        match estate.workloads.get(i) {
            Some(w) => Some(ServiceRow::Workload(w)),
            None => {
                let name = estate.standalone_checks.get(i - estate.workloads.len())?;
                estate.health.get(name).map(ServiceRow::Check)
            }
        }
    }

    fn at(&self, i: usize) -> ServiceRow<'a> {
        self.row(i).expect("a row index within len()")
    }
}

impl RowSet for ServiceRows<'_> {
    type Id = ServiceId;

    fn len(&self) -> usize {
        self.0.workloads.len() + self.0.standalone_checks.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.gens.workloads, self.0.gens.workloads)
    }
    /// Context, namespace and name.
    fn id(&self, i: usize) -> ServiceId {
        match self.at(i) {
            ServiceRow::Workload(w) => (w.context.to_string(), w.namespace.clone(), w.name.clone()),
            // No namespace is empty: a check cannot be taken for a workload.
            ServiceRow::Check(h) => (String::new(), String::new(), h.service.clone()),
        }
    }
    fn index_of(&self, id: &ServiceId) -> Option<usize> {
        let estate = self.0;
        if id.1.is_empty() {
            let j = estate.standalone_checks.iter().position(|c| *c == id.2)?;
            return Some(estate.workloads.len() + j);
        }
        estate
            .workloads
            .iter()
            .position(|w| *w.context == *id.0 && w.namespace == id.1 && w.name == id.2)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        match self.at(i) {
            ServiceRow::Workload(w) => {
                for field in [&w.namespace, &w.name, &w.image] {
                    out.push_str(field);
                    out.push(' ');
                }
                // KIND, READY and REV as drawn; health and KPIs change without the rows'
                // generation, so they are not searched.
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!(
                        "{} {}/{} {}",
                        w.kind.short(),
                        w.ready,
                        w.desired,
                        w.revision
                    ),
                );
            }
            ServiceRow::Check(h) => {
                out.push_str(&h.service);
                out.push_str(" http");
            }
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let estate = self.0;
        let (ra, rb) = (self.at(a), self.at(b));
        let (wa, wb) = (ra.workload(), rb.workload());
        let by = match column {
            0 => Ordering::Equal,
            1 => ra.name().cmp(rb.name()),
            2 => wa.map(|w| w.kind).cmp(&wb.map(|w| w.kind)),
            3 => rb.level().cmp(&ra.level()),
            4 => asc_none_last(wa.map(|w| w.revision), wb.map(|w| w.revision)),
            5 => asc_none_last(wa.map(|w| &w.image), wb.map(|w| &w.image)),
            6 => asc_none_last(
                ra.health(estate).map(|h| h.up),
                rb.health(estate).map(|h| h.up),
            ),
            7 => desc_none_last(
                f64_key(ra.kpis(estate).and_then(|k| k.p95_ms)),
                f64_key(rb.kpis(estate).and_then(|k| k.p95_ms)),
            ),
            8 => desc_none_last(
                f64_key(ra.kpis(estate).and_then(|k| k.error_rate)),
                f64_key(rb.kpis(estate).and_then(|k| k.error_rate)),
            ),
            9 => {
                let logged = |w: Option<&Workload>| {
                    w.and_then(|w| estate.log_errors_for(w)).map(|e| e.counts)
                };
                desc_none_last(logged(wa), logged(wb))
            }
            10 => {
                let locked = |w: Option<&Workload>| {
                    w.is_some_and(|w| estate.namespace_locked(&w.context, &w.namespace))
                };
                locked(wb).cmp(&locked(wa))
            }
            11 => {
                let scaled = |w: Option<&Workload>| {
                    w.and_then(|w| crate::domain::hpa::of(&estate.hpas, w))
                        .map(|h| h.current)
                };
                desc_none_last(scaled(wa), scaled(wb))
            }
            _ => Ordering::Equal,
        };
        // Workloads before standalone checks, then by namespace and name, then by cluster.
        by.then_with(|| wa.is_none().cmp(&wb.is_none()))
            .then_with(|| (ra.namespace(), ra.name()).cmp(&(rb.namespace(), rb.name())))
            .then_with(|| wa.map(|w| &w.context).cmp(&wb.map(|w| &w.context)))
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
