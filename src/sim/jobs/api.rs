//! The Jobs changed through the simulated API server: one created (its pod started at once),
//! one deleted with its pods, a CronJob suspended or resumed.

use super::{SimJob, previous_fire};
use crate::domain::Report;
use crate::sim::world::World;

impl World {
    /// Starts a Job made through the API (`kubectl create job --from=cronjob/NAME`), its pod
    /// at once; the reports of the change.
    pub(crate) fn create_job(
        &mut self,
        namespace: &str,
        name: &str,
        owner: Option<&str>,
        manual: bool,
    ) -> Vec<Report> {
        self.jobs
            .push(SimJob::start(namespace, name, owner, manual, self.now));
        let mut out = Vec::new();
        let i = self.jobs.len() - 1;
        self.advance_job(i, &mut out);
        self.recount_cronjobs();
        out.push(Report::CronJobs(self.cronjobs.clone()));
        out.push(Report::Jobs(self.job_rows()));
        out
    }

    /// Deletes a Job and, as the background propagation does, its pods.
    pub(crate) fn delete_job(&mut self, namespace: &str, name: &str) -> Option<Vec<Report>> {
        let i = self
            .jobs
            .iter()
            .position(|j| j.job.namespace == namespace && j.job.name == name)?;
        let sim = self.jobs.remove(i);
        let mut out: Vec<Report> = sim
            .pods
            .into_iter()
            .map(|p| Report::PodDelete(p.key))
            .collect();
        self.recount_cronjobs();
        out.push(Report::CronJobs(self.cronjobs.clone()));
        out.push(Report::Jobs(self.job_rows()));
        Some(out)
    }

    /// Deletes one pod of a Job (an eviction by a drain): a finished attempt's pod just goes,
    /// as the API server deletes it; the Job keeps its counts. None when no Job has the pod.
    pub(crate) fn delete_job_pod(&mut self, namespace: &str, name: &str) -> Option<Vec<Report>> {
        let sim = self.jobs.iter_mut().find(|j| {
            j.job.namespace == namespace && j.pods.iter().any(|p| &*p.key.name == name)
        })?;
        let at = sim.pods.iter().position(|p| &*p.key.name == name)?;
        let pod = sim.pods.remove(at);
        Some(vec![Report::PodDelete(pod.key)])
    }

    /// Suspends or resumes a CronJob; whether it changed.
    pub(crate) fn set_suspend(
        &mut self,
        namespace: &str,
        name: &str,
        suspend: bool,
    ) -> Option<bool> {
        let cron = self
            .cronjobs
            .iter_mut()
            .find(|c| c.namespace == namespace && c.name == name)?;
        let changed = cron.suspend != suspend;
        cron.suspend = suspend;
        if !suspend && changed {
            // Resumed, it runs at its next fire, not for those it missed while suspended.
            cron.last_schedule = previous_fire(&cron.schedule, self.now).or(cron.last_schedule);
        }
        Some(changed)
    }
}
