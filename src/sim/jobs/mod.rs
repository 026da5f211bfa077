//! The cluster's CronJobs and the Jobs they run, as the runbooks' maintenance has them:
//! `data/db-backup` nightly, `pos/cache-warmup` every 5 minutes, `data/report-export` each
//! morning, whose last run failed (its backoff limit reached). A Job runs one pod for a few
//! seconds, then it Succeeded (or, for report-export, failed: retried until the limit). Made
//! from the clock and the names alone, without the world's random numbers, so adding them
//! changed nothing else the seed makes; their pods are kept here, not among the world's, so
//! the churn draws over the same pods as before.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::domain::job::{CronJob, Job, JobStatus};
use crate::domain::{Pod, PodKey, PodPhase, Report, UnixTime};

use super::world::World;

mod api;
mod templates;

use templates::fire_before;
pub use templates::{TEMPLATES, Template, previous_fire, scheduled_name, template};

/// The CronJob whose last Job failed.
pub const FAILING: &str = "report-export";
/// Successful and failed Jobs a CronJob keeps (`successfulJobsHistoryLimit`,
/// `failedJobsHistoryLimit` as their defaults are).
const KEEP_SUCCESSFUL: usize = 3;
const KEEP_FAILED: usize = 1;

/// A Job as the simulation runs it: the row, and the pods of its attempts.
#[derive(Debug, Clone)]
pub struct SimJob {
    pub job: Job,
    pub template: Template,
    pub pods: Vec<Pod>,
    /// When the running attempt's pod started.
    pub attempt_started: Option<UnixTime>,
}

fn hash(parts: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// A pod's suffix from its Job's name and attempt: five of the characters Kubernetes uses.
fn pod_suffix(job: &str, attempt: u32) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = hash((job, attempt));
    (0..5)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// A finished Job of the history the simulator starts with (its pods long gone).
fn finished(t: &Template, fire: UnixTime, failed: bool) -> SimJob {
    let started = fire.plus(1);
    let took = t.run_secs + (hash((t.cronjob, fire.0)) % 20) as i64;
    SimJob {
        job: Job {
            context: crate::domain::cluster_row::no_context(),
            namespace: t.namespace.into(),
            name: scheduled_name(t.cronjob, fire),
            owner: Some(t.cronjob.into()),
            manual: false,
            completions: 1,
            succeeded: u32::from(!failed),
            failed: if failed { t.backoff_limit + 1 } else { 0 },
            active: 0,
            status: if failed {
                JobStatus::Failed
            } else {
                JobStatus::Complete
            },
            reason: failed.then(|| "BackoffLimitExceeded".into()),
            started: Some(started),
            completed: (!failed).then(|| started.plus(took)),
            created: fire,
        },
        template: *t,
        pods: Vec::new(),
        attempt_started: None,
    }
}

/// The CronJobs and their history at `now`: no Job running, the last fire's run finished.
pub(super) fn make(now: UnixTime) -> (Vec<CronJob>, Vec<SimJob>) {
    let mut cronjobs = Vec::new();
    let mut jobs = Vec::new();
    for (i, t) in TEMPLATES.iter().enumerate() {
        // A fire whose run would still be going is left to the first step to start.
        let Some(last) = previous_fire(t.schedule, now.plus(-(t.run_secs + 30))) else {
            continue;
        };
        let mut history = Vec::new();
        if t.cronjob == FAILING {
            history.push(finished(t, last, true));
            if let Some(before) = fire_before(t.schedule, last) {
                history.push(finished(t, before, false));
            }
        } else {
            let mut fire = Some(last);
            for _ in 0..KEEP_SUCCESSFUL.min(if t.schedule.starts_with("*/") { 3 } else { 1 }) {
                let Some(f) = fire else { break };
                history.push(finished(t, f, false));
                fire = fire_before(t.schedule, f);
            }
        }
        let last_successful = history
            .iter()
            .filter(|j| j.job.status == JobStatus::Complete)
            .filter_map(|j| j.job.completed)
            .max();
        cronjobs.push(CronJob {
            context: crate::domain::cluster_row::no_context(),
            namespace: t.namespace.into(),
            name: t.cronjob.into(),
            schedule: t.schedule.into(),
            suspend: false,
            active: Vec::new(),
            last_schedule: Some(last),
            last_successful,
            created: now.plus(-(86_400 * (90 - 20 * i as i64))),
        });
        jobs.extend(history);
    }
    (cronjobs, jobs)
}

impl SimJob {
    /// A Job started now from `template` (by its CronJob's schedule or by hand).
    pub fn start(
        namespace: &str,
        name: &str,
        owner: Option<&str>,
        manual: bool,
        now: UnixTime,
    ) -> SimJob {
        SimJob {
            job: Job {
                context: crate::domain::cluster_row::no_context(),
                namespace: namespace.into(),
                name: name.into(),
                owner: owner.map(str::to_string),
                manual,
                completions: 1,
                succeeded: 0,
                failed: 0,
                active: 0,
                status: JobStatus::Running,
                reason: None,
                started: Some(now),
                completed: None,
                created: now,
            },
            template: template(namespace, owner),
            pods: Vec::new(),
            attempt_started: None,
        }
    }

    fn new_pod(&mut self, node: Arc<str>, now: UnixTime) -> Pod {
        let attempt = self.job.failed;
        let name = format!("{}-{}", self.job.name, pod_suffix(&self.job.name, attempt));
        self.attempt_started = Some(now);
        self.job.active = 1;
        let ip = crate::sim::names::pod_ip(&self.job.namespace, &name);
        Pod {
            key: PodKey::new(self.job.namespace.as_str(), name),
            phase: PodPhase::Running,
            status: "Running".into(),
            ready_containers: 1,
            total_containers: 1,
            // The template's container, named after the CronJob (`render_job`).
            containers: Box::new([self.job.owner.as_deref().unwrap_or(&self.job.name).into()]),
            restarts: 0,
            last_restart: None,
            node,
            owner: Some(format!("Job/{}", self.job.name).into()),
            created: now,
            image: self.template.image.into(),
            cpu_millis: Some(150),
            memory_bytes: Some(96 << 20),
            ip: Some(ip),
            last_terminated: None,
        }
    }
}

impl World {
    /// One tick of the CronJobs: fires that came start their Job, attempts that ran their time
    /// end; old Jobs beyond the history limits go with their pods. Reports what changed.
    pub(super) fn advance_jobs(&mut self, out: &mut Vec<Report>) {
        self.advance_jobs_firing(out, true);
    }

    /// A frozen world's tick: no CronJob fires by itself, but a Job started through the API
    /// runs to its end (its pod completes), so what the operator started can be watched.
    pub fn run_started_jobs(&mut self, now: UnixTime) -> Vec<crate::domain::SourceReport> {
        self.now = now;
        let mut out = Vec::new();
        self.advance_jobs_firing(&mut out, false);
        let source = super::world::source(crate::domain::SourceKind::Kubernetes, super::CONTEXT);
        out.into_iter()
            .map(|report| crate::domain::SourceReport {
                source: source.clone(),
                at: now,
                report,
            })
            .collect()
    }

    fn advance_jobs_firing(&mut self, out: &mut Vec<Report>, fire: bool) {
        let now = self.now;
        let before = (self.cronjobs.clone(), self.job_rows());
        for i in (0..self.cronjobs.len()).filter(|_| fire) {
            let cron = &self.cronjobs[i];
            if cron.suspend {
                continue;
            }
            let Some(fire) = previous_fire(&cron.schedule, now) else {
                continue;
            };
            if cron.last_schedule.is_some_and(|l| l >= fire) {
                continue;
            }
            let (ns, name) = (cron.namespace.clone(), cron.name.clone());
            let job_name = scheduled_name(&name, fire);
            self.cronjobs[i].last_schedule = Some(fire);
            if !self
                .jobs
                .iter()
                .any(|j| j.job.namespace == ns && j.job.name == job_name)
            {
                let mut job = SimJob::start(&ns, &job_name, Some(&name), false, now);
                job.job.created = fire;
                self.jobs.push(job);
            }
        }
        for i in 0..self.jobs.len() {
            self.advance_job(i, out);
        }
        self.trim_history(out);
        self.recount_cronjobs();
        if (self.cronjobs.clone(), self.job_rows()) != before {
            out.push(Report::CronJobs(self.cronjobs.clone()));
            out.push(Report::Jobs(self.job_rows()));
        }
    }

    fn advance_job(&mut self, i: usize, out: &mut Vec<Report>) {
        let now = self.now;
        if self.jobs[i].job.status != JobStatus::Running {
            return;
        }
        let Some(started) = self.jobs[i].attempt_started else {
            let drawn = (hash(&self.jobs[i].job.name) % 1024) as usize;
            let node: Arc<str> = self.schedulable_node(drawn).into();
            let pod = self.jobs[i].new_pod(node, now);
            out.push(Report::PodUpsert(pod.clone()));
            self.jobs[i].pods.push(pod);
            return;
        };
        let sim = &mut self.jobs[i];
        if now.0 < started.0 + sim.template.run_secs {
            return;
        }
        let Some(pod) = sim.pods.last_mut() else {
            return;
        };
        pod.ready_containers = 0;
        sim.job.active = 0;
        sim.attempt_started = None;
        if sim.template.fails {
            pod.phase = PodPhase::Failed;
            pod.status = "Error".into();
            out.push(Report::PodUpsert(pod.clone()));
            sim.job.failed += 1;
            if sim.job.failed > sim.template.backoff_limit {
                sim.job.status = JobStatus::Failed;
                sim.job.reason = Some("BackoffLimitExceeded".into());
            }
        } else {
            pod.phase = PodPhase::Succeeded;
            pod.status = "Completed".into();
            out.push(Report::PodUpsert(pod.clone()));
            sim.job.succeeded = 1;
            sim.job.status = JobStatus::Complete;
            sim.job.completed = Some(now);
            if let Some(owner) = sim.job.owner.clone() {
                let ns = sim.job.namespace.clone();
                if let Some(cron) = self
                    .cronjobs
                    .iter_mut()
                    .find(|c| c.namespace == ns && c.name == owner)
                {
                    cron.last_successful = Some(now);
                }
            }
        }
    }

    /// Each CronJob keeps its newest successful and failed Jobs (by creation), as the
    /// controller does; a Job made by hand is kept until it is deleted.
    fn trim_history(&mut self, out: &mut Vec<Report>) {
        let mut gone = Vec::new();
        for cron in &self.cronjobs {
            for (status, keep) in [
                (JobStatus::Complete, KEEP_SUCCESSFUL),
                (JobStatus::Failed, KEEP_FAILED),
            ] {
                let mut mine: Vec<usize> = (0..self.jobs.len())
                    .filter(|&i| {
                        let j = &self.jobs[i].job;
                        j.namespace == cron.namespace
                            && j.owner.as_deref() == Some(cron.name.as_str())
                            && !j.manual
                            && j.status == status
                    })
                    .collect();
                mine.sort_by_key(|&i| std::cmp::Reverse(self.jobs[i].job.created));
                gone.extend(mine.into_iter().skip(keep));
            }
        }
        gone.sort_unstable();
        for i in gone.into_iter().rev() {
            let sim = self.jobs.remove(i);
            out.extend(sim.pods.into_iter().map(|p| Report::PodDelete(p.key)));
        }
    }

    /// Each CronJob's active Jobs, from the Jobs running.
    fn recount_cronjobs(&mut self) {
        for cron in &mut self.cronjobs {
            cron.active = self
                .jobs
                .iter()
                .filter(|j| {
                    j.job.namespace == cron.namespace
                        && j.job.owner.as_deref() == Some(cron.name.as_str())
                        && j.job.status == JobStatus::Running
                })
                .map(|j| j.job.name.clone())
                .collect();
        }
    }

    pub(crate) fn job_rows(&self) -> Vec<Job> {
        self.jobs.iter().map(|j| j.job.clone()).collect()
    }
}

#[cfg(test)]
mod tests;
