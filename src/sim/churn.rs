//! How the simulated world changes from one tick to the next: a rollout that progresses, a pod
//! that keeps crash-looping, random restarts and readiness flaps, alerts that fire and resolve,
//! database sessions that come and go, Redis memory that drifts near its limit.

use super::catalog;
use super::workloads::image_ref;
use super::world::{World, source};
use crate::domain::{Pod, PodPhase, Report, SourceKind, SourceReport, UnixTime};

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
        self.retry_scheduling();
        for _ in 0..self.churn {
            self.random_pod_change(&mut pod_reports);
        }
        // After the churn, so the seed's draws come in the order they always did.
        pod_reports.extend(self.step_hpas());
        self.advance_jobs(&mut pod_reports);

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

        self.start_new_alert_episodes();
        let alerts = self.firing_alerts();
        let am = source(SourceKind::Alertmanager, super::CONTEXT);
        if alerts != self.last_alerts {
            self.last_alerts = alerts.clone();
            out.push(SourceReport {
                source: am.clone(),
                at: now,
                report: Report::Alerts(alerts),
            });
            out.push(SourceReport {
                source: am,
                at: now,
                report: Report::Silences(self.silences_now()),
            });
        } else {
            out.push(SourceReport {
                source: am,
                at: now,
                report: Report::Alive,
            });
        }

        if self.tick % self.poll_every == 0 {
            self.churn_sessions();
            self.drift_redis();
            out.extend(self.polled_reports());
        }
        // Ages move with the clock on screen; the sets themselves change only when a dump lands.
        let velero = self.advance_velero();
        let report = if self.advance_backups() | velero {
            Report::Backups(self.backups.clone())
        } else {
            Report::Alive
        };
        out.push(SourceReport {
            source: source(SourceKind::Backups, super::CONTEXT),
            at: now,
            report,
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
                pod.ip = Some(super::names::pod_ip(&pod.key.namespace, &pod.key.name));
                let pod = pod.clone();
                self.container_started(&pod);
                out.push(Report::PodUpsert(pod));
            }
        }
    }

    fn restore_flapping_pods(&mut self, out: &mut Vec<Report>) {
        for (key, left) in std::mem::take(&mut self.flapping) {
            if left > 1 {
                self.flapping.push((key, left - 1));
            } else if let Some(pod) = self.pods.get_mut(&key) {
                pod.ready_containers = pod.total_containers;
                out.push(Report::PodUpsert(pod.clone()));
            }
        }
    }

    /// The pods with a reason to restart: the first few of each flaky workload (by name, so the
    /// same ones every tick), never the crash-looping one, which has its own story.
    fn flaky_pods(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for workload in catalog::FLAKY {
            let mut pods: Vec<(usize, &Pod)> = self
                .pods
                .values()
                .enumerate()
                .filter(|(_, p)| {
                    p.owner
                        .as_deref()
                        .and_then(|o| o.split_once('/'))
                        .is_some_and(|(_, name)| name == *workload)
                        && !p.is_crash_looping()
                        && &*p.status != "Error"
                })
                .collect();
            pods.sort_by(|a, b| a.1.key.name.cmp(&b.1.key.name));
            out.extend(
                pods.iter()
                    .take(catalog::FLAKY_PODS_PER_WORKLOAD)
                    .map(|(i, _)| *i),
            );
        }
        out
    }

    /// Every other tick, replaces one pod of each deployment whose pods are not all on its
    /// current revision (a rollout, a restart, a rollback). The demo's own rollout starts again
    /// a while after it finishes.
    fn advance_rollout(&mut self, out: &mut Vec<Report>) {
        if let Some(left) = self.next_rollout_in.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.next_rollout_in = None;
                if let Some(index) = self.workload_index_by_name(catalog::ROLLING_OUT) {
                    self.start_rollout(index);
                }
            }
        }
        if self.tick % 2 != 0 {
            return;
        }
        for index in 0..self.workloads.len() {
            let old = self.outdated_pod(index);
            match old {
                Some(old) => {
                    self.pods.shift_remove(&old.key);
                    let container = super::event_story::main_container(&old);
                    self.event(
                        &old,
                        "Killing",
                        format!("Stopping container {container}"),
                        false,
                    );
                    out.push(Report::PodDelete(old.key.clone()));
                    let pod = self.new_pod(index, &old);
                    out.push(Report::PodUpsert(pod));
                }
                None => {
                    let demo_rollout = self.workloads[index].workload.name == catalog::ROLLING_OUT;
                    if demo_rollout
                        && self.next_rollout_in.is_none()
                        && self.rollout_was_running(index)
                    {
                        self.next_rollout_in = Some(90);
                    }
                }
            }
        }
    }

    /// Whether the workload's last revision is younger than the time a rollout takes, so that
    /// the demo's next rollout is scheduled once per finished rollout.
    fn rollout_was_running(&self, index: usize) -> bool {
        let w = &self.workloads[index].workload;
        w.history
            .last()
            .is_some_and(|r| r.created.age_at(self.now) < 10 * 60)
    }

    pub(super) fn start_rollout(&mut self, index: usize) {
        let next = self.workloads[index]
            .workload
            .history
            .iter()
            .map(|r| r.number)
            .max()
            .unwrap_or(0)
            + 1;
        let version = format!("2.3.{next}");
        let image = image_ref(self.workloads[index].image_repo, &version);
        self.push_revision(index, image, "CI deploy from main".into());
    }

    /// The crash-looping container, as the kubelet shows it: waiting in CrashLoopBackOff most of
    /// the time (27 s of 30 here), `Error` for the few seconds after each crash.
    fn advance_crash_loop(&mut self, out: &mut Vec<Report>) {
        let phase = self.tick % 30;
        if phase != 0 && phase != 3 {
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
        if pod.is_crash_looping() != (phase == 0) {
            return;
        }
        if pod.is_crash_looping() {
            pod.status = "Error".into();
        } else {
            pod.status = "CrashLoopBackOff".into();
            pod.restarts += 1;
            pod.last_restart = Some(now);
        }
        let pod = pod.clone();
        if pod.is_crash_looping() {
            self.event(&pod, "BackOff", super::event_story::back_off(&pod), true);
        } else {
            // The back-off ran out: the kubelet started the container again, and it crashed.
            self.container_started(&pod);
        }
        out.push(Report::PodUpsert(pod));
    }

    /// Now and then (one chance in `CHANGE_ODDS` per draw) one of the flaky pods restarts or
    /// fails its readiness probe for a while, as real ones do: a few pods with a reason, not
    /// every pod in turn.
    fn random_pod_change(&mut self, out: &mut Vec<Report>) {
        const CHANGE_ODDS: u32 = 40;
        if self.rng.u32(..CHANGE_ODDS) != 0 {
            return;
        }
        let flaky = self.flaky_pods();
        if flaky.is_empty() {
            return;
        }
        let i = flaky[self.rng.usize(..flaky.len())];
        let restart = self.rng.bool();
        let unready_for = self.rng.u8(10..40);
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
            self.flapping.push((pod.key.clone(), unready_for));
        }
        let pod = pod.clone();
        if restart {
            let container = super::event_story::main_container(&pod);
            self.event(
                &pod,
                "Unhealthy",
                "Liveness probe failed: HTTP probe failed with statuscode: 500".into(),
                true,
            );
            self.event(
                &pod,
                "Killing",
                format!("Container {container} failed liveness probe, will be restarted"),
                false,
            );
            self.container_started(&pod);
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
}
