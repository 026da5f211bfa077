//! The simulated services' HTTP health checks and Prometheus KPIs. validation-service drops out
//! now and then; pdf-recognizer is slow and failing; moqui-server runs outside the cluster
//! (under systemd, as in the runbooks), so its check matches no workload.

use super::world::World;
use crate::domain::{ServiceHealth, ServiceKpis};

impl World {
    pub(super) fn health(&self) -> Vec<ServiceHealth> {
        let mut rng = fastrand::Rng::with_seed(self.tick ^ 0x5eed);
        let outside = ServiceHealth {
            service: "moqui-server".into(),
            url: "http://moqui.erp.internal:8080/health".into(),
            up: true,
            status_code: Some(200),
            latency_ms: rng.u32(20..60),
            last_error: None,
            checked_at: self.now,
        };
        let in_cluster = self.workloads.iter().filter_map(|w| {
            let port = w.health_port?;
            let name = &w.workload.name;
            // validation-service drops out now and then, like the runbooks' flaky checks.
            let down = name == "validation-service" && self.tick % 60 >= 50;
            let slow = w.p95_ms > 1500.0;
            Some(ServiceHealth {
                service: w.workload.qualified_name(),
                url: format!("http://{name}.{}:{port}/health", w.workload.namespace),
                up: !down,
                status_code: Some(if down { 503 } else { 200 }),
                latency_ms: if slow {
                    rng.u32(700..900)
                } else {
                    rng.u32(3..40)
                },
                last_error: down.then(|| "HTTP 503 Service Unavailable".to_string()),
                checked_at: self.now,
            })
        });
        in_cluster.chain([outside]).collect()
    }

    pub(super) fn kpis(&self) -> Vec<ServiceKpis> {
        let mut rng = fastrand::Rng::with_seed(self.tick ^ 0xc0ffee);
        self.workloads
            .iter()
            .filter(|w| w.health_port.is_some())
            .map(|w| {
                let jitter = 0.9 + rng.f64() * 0.2;
                ServiceKpis {
                    p95_history: self.p95_history(w.p95_ms),
                    history_secs: 3600,
                    p95_ms: Some((w.p95_ms * jitter).round()),
                    error_rate: Some(w.error_rate * jitter),
                    requests_per_s: Some(f64::from(w.workload.ready) * (20.0 + rng.f64() * 5.0)),
                    ..ServiceKpis::new(w.workload.qualified_name())
                }
            })
            .collect()
    }

    /// An hour of p95 at one point a minute: the service's level with a slow swell and noise,
    /// moving on with the ticks like a real graph.
    fn p95_history(&self, p95_ms: f64) -> Vec<Option<f64>> {
        let minute = self.tick / 30;
        (0..60u64)
            .map(|i| {
                let t = (minute + i) as f64;
                let noise = fastrand::Rng::with_seed(minute + i).f64() * 0.15;
                Some((p95_ms * (0.8 + 0.25 * (t / 9.0).sin().abs() + noise)).round())
            })
            .collect()
    }
}
