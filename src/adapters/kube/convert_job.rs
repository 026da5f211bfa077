//! CronJobs and Jobs (batch/v1) as the Jobs panel's rows: a CronJob's schedule, suspension,
//! active Jobs and last runs; a Job's counts, times, the condition that says how it ended, and
//! the CronJob that controls it.

use k8s_openapi::api::batch::v1::{CronJob as KubeCronJob, Job as KubeJob};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::domain::UnixTime;
use crate::domain::job::{CronJob, INSTANTIATE_ANNOTATION, Job, JobStatus};

fn time(t: Option<&Time>) -> Option<UnixTime> {
    t.map(|t| UnixTime(t.0.as_second()))
}

pub fn cronjob(c: &KubeCronJob) -> CronJob {
    let spec = &c.spec;
    let status = c.status.as_ref();
    CronJob {
        context: crate::domain::cluster_row::no_context(),
        namespace: c.metadata.namespace.clone().unwrap_or_default(),
        name: c.metadata.name.clone().unwrap_or_default(),
        schedule: spec.schedule.clone(),
        suspend: spec.suspend.unwrap_or(false),
        active: status
            .and_then(|s| s.active.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|r| r.name.clone())
            .collect(),
        last_schedule: time(status.and_then(|s| s.last_schedule_time.as_ref())),
        last_successful: time(status.and_then(|s| s.last_successful_time.as_ref())),
        created: time(c.metadata.creation_timestamp.as_ref()).unwrap_or(UnixTime(0)),
    }
}

pub fn job(j: &KubeJob) -> Job {
    let status = j.status.as_ref();
    let condition = |kind: &str| {
        status
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .find(|c| c.type_ == kind && c.status == "True")
    };
    // As the API server's STATUS column decides it.
    let (state, reason) = if condition("Complete").is_some() {
        (JobStatus::Complete, None)
    } else if let Some(c) = condition("Failed") {
        (JobStatus::Failed, c.reason.clone())
    } else if condition("Suspended").is_some() {
        (JobStatus::Suspended, None)
    } else {
        (JobStatus::Running, None)
    };
    let owner = j
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.kind == "CronJob" && o.controller == Some(true))
        .map(|o| o.name.clone());
    let manual = j
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(INSTANTIATE_ANNOTATION))
        .is_some_and(|v| v == "manual");
    let count = |n: Option<i32>| n.unwrap_or(0).max(0) as u32;
    Job {
        context: crate::domain::cluster_row::no_context(),
        namespace: j.metadata.namespace.clone().unwrap_or_default(),
        name: j.metadata.name.clone().unwrap_or_default(),
        owner,
        manual,
        completions: j
            .spec
            .as_ref()
            .and_then(|s| s.completions)
            .unwrap_or(1)
            .max(0) as u32,
        succeeded: count(status.and_then(|s| s.succeeded)),
        failed: count(status.and_then(|s| s.failed)),
        active: count(status.and_then(|s| s.active)),
        status: state,
        reason,
        started: time(status.and_then(|s| s.start_time.as_ref())),
        completed: time(status.and_then(|s| s.completion_time.as_ref())),
        created: time(j.metadata.creation_timestamp.as_ref()).unwrap_or(UnixTime(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_job_reads_its_reason_and_its_cronjob() {
        let j: KubeJob = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "report-export-1", "namespace": "data",
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob",
                    "name": "report-export", "uid": "u", "controller": true}]},
            "spec": {"template": {"spec": {"containers": []}}},
            "status": {"failed": 3, "startTime": "2026-12-01T06:30:01Z",
                "conditions": [{"type": "Failed", "status": "True",
                    "reason": "BackoffLimitExceeded"}]},
        }))
        .expect("a Job");
        let row = job(&j);
        assert_eq!(row.status, JobStatus::Failed);
        assert_eq!(row.reason.as_deref(), Some("BackoffLimitExceeded"));
        assert_eq!(row.owner.as_deref(), Some("report-export"));
        assert_eq!((row.failed, row.completions, row.manual), (3, 1, false));
        assert!(row.completed.is_none() && row.started.is_some());
    }
}
