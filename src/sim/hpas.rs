//! The simulated HorizontalPodAutoscalers and their controller. Each scales one deployment of
//! the demo on CPU: the workload has a CPU demand (millicores, the whole workload's, moving
//! slowly with the clock), shared by its replicas, so the utilisation is that demand over the
//! replicas' requests, and the HPA wants `ceil(demand / (request × target))` replicas within
//! its bounds. A manual scale changes the replicas but not the demand: after a few ticks the
//! controller sets them back, as a real HPA does. Nothing here draws a random number, so the
//! seed makes the same world as before there were HPAs.

use super::world::World;
use crate::domain::{Hpa, Report, WorkloadKind, resources};

/// The deployments the demo autoscales, with their CPU targets (percent of requests).
const AUTOSCALED: &[(&str, u32)] = &[
    ("pos-catalog", 80),
    ("workflow-worker", 70),
    ("core-agent", 75),
];

/// Ticks a deviation from the wanted replicas lasts before the controller corrects it.
pub(super) const RESCALE_AFTER_TICKS: u32 = 3;

/// The demand swings by this share of one replica's target load either way (so the wanted
/// count stays put while nobody changes anything), over this many ticks.
const SWING: f64 = 0.3;
const PERIOD_TICKS: u64 = 120;

pub(crate) struct SimHpa {
    pub hpa: Hpa,
    /// The workload's CPU demand at the middle of its swing, millicores.
    pub demand_millis: f64,
    /// Ticks the replicas have differed from the wanted count.
    pub off_for: u32,
}

impl World {
    /// The demo's HPAs, on deployments as they were generated: the bounds around the
    /// replicas, the demand such that the replicas are what the HPA wants.
    pub(super) fn make_hpas(&self) -> Vec<SimHpa> {
        AUTOSCALED
            .iter()
            .filter_map(|(name, target)| {
                let w = &self.workloads[self.workload_index_by_name(name)?].workload;
                let request = request_millis(w)? as f64;
                let n = f64::from(w.desired.max(1));
                Some(SimHpa {
                    hpa: Hpa {
                        context: crate::domain::cluster_row::no_context(),
                        namespace: w.namespace.clone(),
                        name: w.name.clone(),
                        target_kind: WorkloadKind::Deployment,
                        target_name: w.name.clone(),
                        min: (w.desired / 2).max(1),
                        max: (w.desired * 2).max(w.desired + 2),
                        current: w.desired,
                        desired: w.desired,
                        cpu_target_pct: Some(*target),
                        cpu_current_pct: None,
                        created: w.created.plus(86_400),
                    },
                    demand_millis: (n - 0.5) * request * f64::from(*target) / 100.0,
                    off_for: 0,
                })
            })
            .collect()
    }

    /// The HPAs' rows, their status as of now.
    pub(crate) fn hpa_rows(&self) -> Vec<Hpa> {
        self.hpas.iter().map(|h| h.hpa.clone()).collect()
    }

    /// One sync of every HPA: the metric, the wanted replicas, and a rescale of a workload
    /// that has been off them for `RESCALE_AFTER_TICKS`. Returns the reports of what changed.
    pub(super) fn step_hpas(&mut self) -> Vec<Report> {
        let mut reports = Vec::new();
        let before = self.hpa_rows();
        for i in 0..self.hpas.len() {
            let (namespace, target) = (&self.hpas[i].hpa.namespace, &self.hpas[i].hpa.target_name);
            let Some(index) = self.workload_index(namespace, target) else {
                continue;
            };
            let w = &self.workloads[index].workload;
            let replicas = w.desired;
            let request = request_millis(w);
            let tick = self.tick;
            let h = &mut self.hpas[i];
            let target = h.hpa.cpu_target_pct.unwrap_or(80);
            let (utilisation, wanted) = match request {
                Some(request) => {
                    let per_replica = request as f64 * f64::from(target) / 100.0;
                    let demand = h.demand_millis + SWING * per_replica * swing(tick);
                    let utilisation = (replicas > 0)
                        .then(|| (demand * 100.0 / (f64::from(replicas) * request as f64)).round());
                    (utilisation, (demand / per_replica).ceil() as u32)
                }
                None => (None, replicas),
            };
            let wanted = wanted.clamp(h.hpa.min, h.hpa.max.max(h.hpa.min));
            h.hpa.cpu_current_pct = utilisation.map(|u| u as u32);
            h.hpa.current = replicas;
            h.hpa.desired = wanted;
            h.off_for = if replicas == wanted { 0 } else { h.off_for + 1 };
            if h.off_for >= RESCALE_AFTER_TICKS {
                h.off_for = 0;
                h.hpa.current = wanted;
                let why = if wanted > replicas { "above" } else { "below" };
                let hpa = h.hpa.name.clone();
                let namespace = h.hpa.namespace.clone();
                reports.extend(self.scale(index, wanted));
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
                self.record(
                    super::events::NewEvent {
                        namespace: &namespace,
                        object: format!("HorizontalPodAutoscaler/{hpa}"),
                        reason: "SuccessfulRescale",
                        message: format!(
                            "New size: {wanted}; reason: cpu resource utilization (percentage of request) {why} target"
                        ),
                        warning: false,
                    },
                    1,
                    (self.now, self.now),
                );
            }
        }
        if self.hpa_rows() != before {
            reports.push(Report::Hpas(self.hpa_rows()));
        }
        reports
    }

    /// Sets an HPA's bounds (a patch of `spec.minReplicas` / `spec.maxReplicas`); the
    /// controller brings the replicas within them at its next syncs.
    pub(crate) fn set_hpa_bounds(
        &mut self,
        namespace: &str,
        name: &str,
        min: u32,
        max: u32,
    ) -> Option<Vec<Report>> {
        let h = self
            .hpas
            .iter_mut()
            .find(|h| h.hpa.namespace == namespace && h.hpa.name == name)?;
        h.hpa.min = min;
        h.hpa.max = max;
        Some(vec![Report::Hpas(self.hpa_rows())])
    }
}

/// The first container's CPU request, in millicores.
fn request_millis(w: &crate::domain::Workload) -> Option<u64> {
    let cpu = w.containers.first()?.requests.cpu.as_deref()?;
    resources::cpu_millis(cpu).filter(|m| *m > 0)
}

/// A triangle wave in [-1, 1] over `PERIOD_TICKS`.
fn swing(tick: u64) -> f64 {
    let phase = (tick % PERIOD_TICKS) as f64 / PERIOD_TICKS as f64;
    if phase < 0.5 {
        4.0 * phase - 1.0
    } else {
        3.0 - 4.0 * phase
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DemoConfig;
    use crate::domain::UnixTime;

    fn world() -> World {
        let config = DemoConfig {
            seed: 7,
            pods: 300,
            ..DemoConfig::default()
        };
        World::generate(&config, 5, UnixTime(1_790_000_000))
    }

    #[test]
    fn the_demo_autoscales_three_deployments_and_wants_what_they_have() {
        let mut w = world();
        assert_eq!(w.hpas.len(), 3);
        for tick in 0..PERIOD_TICKS {
            let reports = w.step_hpas();
            assert!(
                !reports
                    .iter()
                    .any(|r| matches!(r, Report::PodUpsert(_) | Report::PodDelete(_))),
                "tick {tick}: nothing rescales by itself"
            );
            for h in &w.hpas {
                assert_eq!(h.hpa.desired, h.hpa.current, "{}", h.hpa.name);
                let pct = h.hpa.cpu_current_pct.expect("a metric");
                assert!(pct > 0 && pct <= h.hpa.cpu_target_pct.unwrap(), "{pct}");
            }
        }
    }

    #[test]
    fn a_manual_scale_is_undone_after_a_few_ticks() {
        let mut w = world();
        let index = w.workload_index("pos", "pos-catalog").unwrap();
        let before = w.workloads[index].workload.desired;
        let _ = w.scale(index, before + 3);
        for _ in 1..RESCALE_AFTER_TICKS {
            w.step_hpas();
            assert_eq!(w.workloads[index].workload.desired, before + 3);
        }
        let reports = w.step_hpas();
        assert_eq!(w.workloads[index].workload.desired, before);
        assert!(reports.iter().any(|r| matches!(r, Report::PodDelete(_))));
        assert!(w.new_events.iter().any(|e| e.reason == "SuccessfulRescale"
            && e.object == "HorizontalPodAutoscaler/pos-catalog"));
    }

    #[test]
    fn raised_bounds_bring_the_replicas_up_to_the_minimum() {
        let mut w = world();
        let index = w.workload_index("pos", "pos-catalog").unwrap();
        let before = w.workloads[index].workload.desired;
        w.set_hpa_bounds("pos", "pos-catalog", before + 2, before + 5)
            .unwrap();
        for _ in 0..RESCALE_AFTER_TICKS {
            w.step_hpas();
        }
        assert_eq!(w.workloads[index].workload.desired, before + 2);
    }
}
