//! HorizontalPodAutoscalers (autoscaling/v2) as the Services panel joins them onto their
//! workloads: replicas now and wanted, the bounds, and the CPU metric against its target. A
//! workload an HPA owns has its replicas set by the HPA, so a manual scale is undone.

use super::time::UnixTime;
use super::workload::{Workload, WorkloadKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hpa {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub namespace: String,
    pub name: String,
    /// `scaleTargetRef`: the workload it scales.
    pub target_kind: WorkloadKind,
    pub target_name: String,
    pub min: u32,
    pub max: u32,
    /// `status.currentReplicas` and `status.desiredReplicas`.
    pub current: u32,
    pub desired: u32,
    /// The CPU utilisation target and its current value, percent of the pods' requests.
    pub cpu_target_pct: Option<u32>,
    pub cpu_current_pct: Option<u32>,
    pub created: UnixTime,
}

impl Hpa {
    pub fn scales(&self, w: &Workload) -> bool {
        self.context == w.context
            && self.namespace == w.namespace
            && self.target_kind == w.kind
            && self.target_name == w.name
    }

    /// The Services panel's HPA column: `3/2–10 cpu 71%/80%` (replicas, min–max, the metric).
    pub fn column(&self) -> String {
        let pct = |p: Option<u32>| p.map_or("?".to_string(), |p| format!("{p}%"));
        let metric = match self.cpu_target_pct {
            Some(_) => format!(
                " cpu {}/{}",
                pct(self.cpu_current_pct),
                pct(self.cpu_target_pct)
            ),
            None => String::new(),
        };
        format!("{}/{}–{}{metric}", self.current, self.min, self.max)
    }
}

/// The HPA that scales `w`, if any.
pub fn of<'a>(hpas: &'a [Hpa], w: &Workload) -> Option<&'a Hpa> {
    hpas.iter().find(|h| h.scales(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_says_replicas_bounds_and_the_metric_against_its_target() {
        let mut h = Hpa {
            context: crate::domain::cluster_row::no_context(),
            namespace: "pos".into(),
            name: "pos-catalog".into(),
            target_kind: WorkloadKind::Deployment,
            target_name: "pos-catalog".into(),
            min: 2,
            max: 10,
            current: 3,
            desired: 3,
            cpu_target_pct: Some(80),
            cpu_current_pct: Some(71),
            created: UnixTime(0),
        };
        assert_eq!(h.column(), "3/2–10 cpu 71%/80%");
        h.cpu_current_pct = None;
        assert_eq!(h.column(), "3/2–10 cpu ?/80%");
        h.cpu_target_pct = None;
        assert_eq!(h.column(), "3/2–10");
    }
}
