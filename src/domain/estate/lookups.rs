//! What the panels look up in the estate: a workload's health check, KPIs and error counts,
//! the freshness of a kind of source.

use super::Estate;
use crate::domain::UnixTime;
use crate::domain::workload::{ServiceHealth, ServiceKpis, Workload};

impl Estate {
    /// The health check of a workload: configured as `namespace/name` or as its plain name.
    pub fn health_for(&self, workload: &Workload) -> Option<&ServiceHealth> {
        self.health
            .get(&workload.qualified_name())
            .or_else(|| self.health.get(&workload.name))
    }

    /// ERROR lines in a workload's pods' logs, once some were read.
    pub fn log_errors_for(&self, workload: &Workload) -> Option<crate::domain::WorkloadErrors> {
        if let Some(queried) = &self.queried_errors {
            return queried.for_workload(&workload.namespace, &workload.name);
        }
        self.log_errors.for_workload(
            &workload.context,
            &workload.namespace,
            &workload.owner_ref(),
        )
    }

    /// The KPIs of a workload: configured for `namespace/name` or for its plain name. None
    /// while Prometheus is unreachable: its last figures are not passed off as current.
    pub fn kpis_for(&self, workload: &Workload) -> Option<&ServiceKpis> {
        if self.kpis_unreachable() {
            return None;
        }
        self.kpis
            .get(&workload.qualified_name())
            .or_else(|| self.kpis.get(&workload.name))
    }

    /// The KPIs of a service by its configured name (a standalone health check's row), None
    /// while Prometheus is unreachable.
    pub fn kpis_named(&self, service: &str) -> Option<&ServiceKpis> {
        if self.kpis_unreachable() {
            return None;
        }
        self.kpis.get(service)
    }

    /// Every Prometheus source is unreachable (KPIs come from Prometheus alone).
    fn kpis_unreachable(&self) -> bool {
        let mut prometheus = self
            .sources
            .iter()
            .filter(|(id, _)| id.kind == crate::domain::SourceKind::Prometheus)
            .peekable();
        prometheus.peek().is_some() && prometheus.all(|(_, f)| f.unreachable.is_some())
    }

    /// Freshness of the worst source of a kind, for an area's tile.
    pub fn freshness_of(
        &self,
        kind: crate::domain::SourceKind,
        now: UnixTime,
    ) -> Option<crate::domain::FreshnessView> {
        self.sources
            .iter()
            .filter(|(id, _)| id.kind == kind)
            .map(|(_, f)| f.view(now))
            .max_by_key(|v| v.level())
    }
}
