//! How the simulated world changes from one tick to the next: a rollout that progresses, a pod
//! that keeps crash-looping, random restarts and readiness flaps, alerts that fire and resolve,
//! database sessions that come and go, Redis memory that drifts near its limit.

use super::world::{World, image_ref, source};
use super::{catalog, names};
use crate::domain::{
    K8sEvent, Pod, PodKey, PodPhase, Report, Revision, SessionState, SourceKind, SourceReport,
    UnixTime, WorkloadKind,
};

impl World {
    /// Advances the world to `now` by one tick and returns what changed, as reports.
    pub fn step(&mut self, now: UnixTime) -> Vec<SourceReport> {
        self.now = now;
        self.tick += 1;
        let k8s = source(SourceKind::Kubernetes, super::CONTEXT);
        let mut pod_reports: Vec<Report> = Vec::new();

        self.finish_starting_pods(&mut pod_reports);
        self.restore_flapping_pods(&mut pod_reports);
        self.advance_rollout(&mut pod_reports);
        self.advance_crash_loop(&mut pod_reports);
        for _ in 0..self.churn {
            self.random_pod_change(&mut pod_reports);
        }

        let before = self.workload_rows();
        self.recount_workloads();
        let after = self.workload_rows();

        let mut out: Vec<SourceReport> = pod_reports
            .into_iter()
            .map(|report| SourceReport {
                source: k8s.clone(),
                at: now,
                report,
            })
            .collect();
        if before != after {
            out.push(SourceReport {
                source: k8s.clone(),
                at: now,
                report: Report::Workloads(after),
            });
        }
        if !self.new_events.is_empty() {
            out.push(SourceReport {
                source: k8s.clone(),
                at: now,
                report: Report::Events(std::mem::take(&mut self.new_events)),
            });
        }
        if out.is_empty() {
            out.push(SourceReport {
                source: k8s,
                at: now,
                report: Report::Alive,
            });
        }

        let alerts = self.firing_alerts();
        let am = source(SourceKind::Alertmanager, super::CONTEXT);
        let report = if alerts != self.last_alerts {
            self.last_alerts = alerts.clone();
            Report::Alerts(alerts)
        } else {
            Report::Alive
        };
        out.push(SourceReport {
            source: am,
            at: now,
            report,
        });

        if self.tick % self.poll_every == 0 {
            self.churn_sessions();
            self.drift_redis();
            out.extend(self.polled_reports());
        }
        self.advance_backups();
        out.push(SourceReport {
            source: source(SourceKind::Backups, super::CONTEXT),
            at: now,
            report: Report::Backups(self.backups.clone()),
        });
        out
    }

    /// Reports that only confirm every source is alive: what a frozen world sends.
    pub fn heartbeats(&self, now: UnixTime) -> Vec<SourceReport> {
        self.sources()
            .into_iter()
            .map(|source| SourceReport {
                source,
                at: now,
                report: Report::Alive,
            })
            .collect()
    }

    fn event(&mut self, pod: &Pod, reason: &str, message: String, warning: bool) {
        self.new_events.push(K8sEvent {
            namespace: pod.key.namespace.to_string(),
            object: format!("Pod/{}", pod.key.name),
            reason: reason.into(),
            message,
            warning,
            count: 1,
            last_seen: self.now,
        });
    }

    fn finish_starting_pods(&mut self, out: &mut Vec<Report>) {
        let mut done = Vec::new();
        self.starting.retain_mut(|(key, left)| {
            *left = left.saturating_sub(1);
            if *left == 0 {
                done.push(key.clone());
            }
            *left > 0
        });
        for key in done {
            if let Some(pod) = self.pods.get_mut(&key) {
                pod.phase = PodPhase::Running;
                pod.status = "Running".into();
                pod.ready_containers = pod.total_containers;
                let pod = pod.clone();
                self.event(&pod, "Started", "Started container".into(), false);
                out.push(Report::PodUpsert(pod));
            }
        }
    }

    fn restore_flapping_pods(&mut self, out: &mut Vec<Report>) {
        for key in std::mem::take(&mut self.flapping) {
            if let Some(pod) = self.pods.get_mut(&key) {
                pod.ready_containers = pod.total_containers;
                out.push(Report::PodUpsert(pod.clone()));
            }
        }
    }

    /// Replaces one pod of the old revision with one of the new every other tick; when the
    /// rollout is done, a new one starts a while later.
    fn advance_rollout(&mut self, out: &mut Vec<Report>) {
        let Some(index) = self
            .workloads
            .iter()
            .position(|w| w.workload.name == catalog::ROLLING_OUT)
        else {
            return;
        };
        if let Some(left) = self.next_rollout_in.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.next_rollout_in = None;
                self.start_rollout(index);
            }
            return;
        }
        if self.tick % 2 != 0 {
            return;
        }
        let w = &self.workloads[index];
        let image = w.workload.image.clone();
        let owner = w.owner.clone();
        let old = self
            .pods
            .values()
            .find(|p| p.owner.as_ref() == Some(&owner) && *p.image != *image)
            .cloned();
        let Some(old) = old else {
            self.next_rollout_in = Some(90);
            return;
        };
        self.pods.shift_remove(&old.key);
        self.event(
            &old,
            "Killing",
            "Stopping container (rollout)".into(),
            false,
        );
        out.push(Report::PodDelete(old.key.clone()));
        let hash = names::template_hash(
            &self.workloads[index].workload.name,
            self.workloads[index].workload.revision,
        );
        let name = format!(
            "{}-{hash}-{}",
            self.workloads[index].workload.name,
            names::suffix(&mut self.rng, 5)
        );
        let pod = Pod {
            key: PodKey {
                namespace: old.key.namespace.clone(),
                name: name.into(),
            },
            phase: PodPhase::Pending,
            status: "ContainerCreating".into(),
            ready_containers: 0,
            restarts: 0,
            last_restart: None,
            created: self.now,
            image: image.as_str().into(),
            node: catalog_node(&mut self.rng),
            ..old
        };
        self.starting.push((pod.key.clone(), 2));
        self.event(
            &pod,
            "Scheduled",
            format!("Successfully assigned to {}", pod.node),
            false,
        );
        self.pods.insert(pod.key.clone(), pod.clone());
        out.push(Report::PodUpsert(pod));
    }

    fn start_rollout(&mut self, index: usize) {
        let w = &mut self.workloads[index].workload;
        let next = w.revision + 1;
        let version = format!("2.3.{}", next);
        let image = image_ref(self.workloads[index].image_repo, &version);
        let w = &mut self.workloads[index].workload;
        w.history.push(Revision {
            number: next,
            image: image.clone(),
            change_cause: Some("CI deploy from main".into()),
            created: self.now,
        });
        w.revision = next;
        w.image = image;
        let name = w.name.clone();
        let namespace = w.namespace.clone();
        self.new_events.push(K8sEvent {
            namespace,
            object: format!("Deployment/{name}"),
            reason: "ScalingReplicaSet".into(),
            message: format!(
                "Scaled up replica set {name}-{} to 1",
                names::template_hash(&name, next)
            ),
            warning: false,
            count: 1,
            last_seen: self.now,
        });
    }

    fn advance_crash_loop(&mut self, out: &mut Vec<Report>) {
        if self.tick % 10 != 0 {
            return;
        }
        let now = self.now;
        let Some(pod) = self
            .pods
            .values_mut()
            .find(|p| p.is_crash_looping() || &*p.status == "Error")
        else {
            return;
        };
        if pod.is_crash_looping() {
            pod.status = "Error".into();
        } else {
            pod.status = "CrashLoopBackOff".into();
            pod.restarts += 1;
            pod.last_restart = Some(now);
        }
        let pod = pod.clone();
        if pod.is_crash_looping() {
            self.event(
                &pod,
                "BackOff",
                "Back-off restarting failed container recognizer in pod".into(),
                true,
            );
        }
        out.push(Report::PodUpsert(pod));
    }

    fn random_pod_change(&mut self, out: &mut Vec<Report>) {
        if self.pods.is_empty() {
            return;
        }
        let i = self.rng.usize(..self.pods.len());
        let restart = self.rng.bool();
        let now = self.now;
        let Some((_, pod)) = self.pods.get_index_mut(i) else {
            return;
        };
        if pod.phase != PodPhase::Running || pod.ready_containers < pod.total_containers {
            return;
        }
        if restart {
            pod.restarts += 1;
            pod.last_restart = Some(now);
        } else {
            pod.ready_containers = 0;
            self.flapping.push(pod.key.clone());
        }
        let pod = pod.clone();
        if restart {
            self.event(
                &pod,
                "Restarted",
                "Container restarted after liveness probe failure".into(),
                true,
            );
        } else {
            self.event(
                &pod,
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503".into(),
                true,
            );
        }
        out.push(Report::PodUpsert(pod));
    }

    /// Ends a few sessions and starts as many, so the count wanders around its level; the
    /// long-running query and its lock story stay.
    fn churn_sessions(&mut self) {
        let now = self.now;
        for pg in &mut self.postgres {
            let keep = 3.min(pg.sessions.len());
            let churn = self.rng.usize(0..4);
            for _ in 0..churn {
                if pg.sessions.len() > keep {
                    let i = self.rng.usize(keep..pg.sessions.len());
                    pg.sessions.swap_remove(i);
                }
            }
            let target = if pg.name == "positivity-db" { 168 } else { 38 };
            while pg.sessions.len() < target + self.rng.usize(0..3) - 1 {
                self.next_pid += self.rng.i32(1..30);
                let mut s = pg.sessions[pg.sessions.len() - 1].clone();
                s.pid = self.next_pid;
                s.state = if self.rng.f32() < 0.25 {
                    SessionState::Active
                } else {
                    SessionState::Idle
                };
                s.query_start = Some(now);
                s.xact_start = (s.state == SessionState::Active).then_some(now);
                s.blocked_by.clear();
                pg.sessions.push(s);
            }
            for s in pg.sessions.iter_mut().skip(keep) {
                if self.rng.f32() < 0.1 {
                    s.state = match s.state {
                        SessionState::Active => SessionState::Idle,
                        _ => SessionState::Active,
                    };
                    s.query_start = Some(now);
                    s.wait_event =
                        (s.state == SessionState::Idle).then(|| "Client: ClientRead".into());
                }
            }
        }
    }

    fn drift_redis(&mut self) {
        let r = &mut self.redis;
        // A slow swell between 84% and 91% of maxmemory over about five minutes.
        let phase = (self.tick % 300) as f64 / 300.0 * std::f64::consts::TAU;
        let ratio = 0.875 + 0.035 * phase.sin();
        r.used_memory = (r.maxmemory as f64 * ratio) as u64;
        r.ops_per_sec = self.rng.u64(4_200..6_400);
        let hits = r.ops_per_sec * 93 / 100;
        r.keyspace_hits += hits * self.poll_every;
        r.keyspace_misses += (r.ops_per_sec - hits) * self.poll_every;
        if ratio > 0.9 {
            r.evicted_keys += self.rng.u64(10..200);
        }
        r.expired_keys += self.rng.u64(50..400);
        r.connected_clients = self.rng.u32(130..160);
        r.ping_ms = 0.2 + self.rng.f64() * 0.4;
        r.uptime_secs += self.poll_every;
    }

    /// The hourly set takes a new dump when its newest is an hour old; the nightly stays stale.
    fn advance_backups(&mut self) {
        let now = self.now;
        for set in &mut self.backups {
            if set.name != "workflow hourly" {
                continue;
            }
            if set.age_secs(now).is_some_and(|a| a >= 3600) {
                let size = set.latest().map_or(1 << 30, |b| b.size_bytes + (1 << 20));
                set.items.insert(
                    0,
                    crate::domain::BackupItem {
                        name: format!("workflow_{}.sql.gz", now.0 / 60),
                        created: now,
                        size_bytes: size,
                    },
                );
                set.items.truncate(48);
            }
        }
    }
}

fn catalog_node(rng: &mut fastrand::Rng) -> std::sync::Arc<str> {
    catalog::NODES[rng.usize(..catalog::NODES.len())].into()
}

#[allow(dead_code)]
fn is_deployment(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::Deployment
}

#[cfg(test)]
mod tests {
    use crate::config::DemoConfig;
    use crate::domain::{Estate, Level, SourceKind, UnixTime};
    use crate::sim::World;

    const T0: UnixTime = UnixTime(1_790_000_000);

    fn estate_after(seed: u64, steps: i64) -> Estate {
        let config = DemoConfig {
            seed,
            pods: 300,
            ..DemoConfig::default()
        };
        let mut world = World::generate(&config, 2, T0);
        let mut estate = Estate::default();
        for r in world.initial_reports() {
            estate.apply(r);
        }
        for i in 1..=steps {
            for r in world.step(T0.plus(i)) {
                estate.apply(r);
            }
        }
        estate
    }

    fn fingerprint(e: &Estate) -> Vec<String> {
        let mut pods: Vec<String> = e
            .pods
            .iter()
            .map(|p| {
                format!(
                    "{}/{} {} {}",
                    p.key.namespace, p.key.name, p.status, p.restarts
                )
            })
            .collect();
        pods.sort();
        pods
    }

    #[test]
    fn same_seed_same_estate_and_churn() {
        assert_eq!(
            fingerprint(&estate_after(7, 30)),
            fingerprint(&estate_after(7, 30))
        );
        assert_ne!(
            fingerprint(&estate_after(7, 30)),
            fingerprint(&estate_after(8, 30))
        );
    }

    #[test]
    fn the_demo_estate_tells_its_story() {
        let e = estate_after(42, 0);
        assert_eq!(e.pods.len(), 300);
        let statuses: Vec<&str> = e.pods.iter().map(|p| &*p.status).collect();
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == "CrashLoopBackOff")
                .count(),
            1
        );
        assert_eq!(statuses.iter().filter(|s| **s == "Pending").count(), 1);
        let rolling: Vec<_> = e
            .workloads
            .iter()
            .filter(|w| w.rollout_in_progress())
            .map(|w| w.name.as_str())
            .collect();
        assert_eq!(rolling, ["pos-order"]);
        for ns in ["pos", "workflow", "agents", "data"] {
            assert!(e.namespaces.contains_key(ns), "{ns}");
        }
        assert_eq!(e.postgres.len(), 2);
        let longest = e.postgres[0]
            .sessions
            .iter()
            .filter_map(|s| s.running_secs(T0))
            .max()
            .unwrap();
        assert!(longest > 300, "one long-running query, got {longest}s");
        assert_eq!(e.redis[0].level(), Level::Warn, "Redis near its limit");
        let stale: Vec<_> = e
            .backups
            .iter()
            .filter(|b| !b.within_rpo(T0))
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(stale, ["positivity nightly"]);
        assert!(
            e.alerts
                .iter()
                .any(|a| a.severity == crate::domain::Severity::Critical)
        );
        assert!(e.sources.keys().any(|s| s.kind == SourceKind::Postgres));
    }

    #[test]
    fn churn_restarts_pods_fires_and_resolves_alerts_and_finishes_the_rollout() {
        let start = estate_after(42, 0);
        let later = estate_after(42, 200);
        let restarts = |e: &Estate| e.pods.iter().map(|p| u64::from(p.restarts)).sum::<u64>();
        assert!(restarts(&later) > restarts(&start));
        assert_eq!(later.pods.len(), 300, "rollout replaces pods one for one");
        let alert_names = |e: &Estate| e.alerts.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
        let mut seen = std::collections::BTreeSet::new();
        let config = DemoConfig::default();
        let mut world = World::generate(&config, 2, T0);
        let mut estate = Estate::default();
        for r in world.initial_reports() {
            estate.apply(r);
        }
        let mut counts = std::collections::BTreeSet::new();
        for i in 1..=200 {
            for r in world.step(T0.plus(i)) {
                estate.apply(r);
            }
            counts.insert(estate.alerts.len());
            seen.extend(alert_names(&estate));
        }
        assert!(
            counts.len() > 1,
            "alerts fire and resolve: counts seen {counts:?}"
        );
        let pos_order = later
            .workloads
            .iter()
            .find(|w| w.name == "pos-order")
            .unwrap();
        assert!(
            !pos_order.rollout_in_progress()
                || pos_order.revision
                    > start
                        .workloads
                        .iter()
                        .find(|w| w.name == "pos-order")
                        .unwrap()
                        .revision
        );
    }
}
