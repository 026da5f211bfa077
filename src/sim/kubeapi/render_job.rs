//! CronJobs and Jobs as the API server's JSON (batch/v1): the template each runs comes from
//! the simulator's own (`sim::jobs::TEMPLATES`), the rest from the rows.

use serde_json::{Map, Value, json};

use super::render::uid;
use crate::domain::job::{CronJob, INSTANTIATE_ANNOTATION, Job, JobStatus};
use crate::sim::jobs::{Template, template};

/// The label the API server puts on a Job and its pods (and its older spelling).
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";

fn pod_template(t: &Template, container: &str) -> Value {
    let args = if t.fails {
        vec!["export", "--to", "s3://reports/daily"]
    } else {
        vec!["run"]
    };
    json!({
        "metadata": {"labels": {"app": container}},
        "spec": {
            "containers": [{"name": container, "image": t.image, "args": args,
                            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}],
            "restartPolicy": "Never",
        },
    })
}

fn job_spec(t: &Template, container: &str) -> Value {
    json!({
        "completions": 1, "parallelism": 1, "backoffLimit": t.backoff_limit,
        "template": pod_template(t, container),
    })
}

pub fn cronjob(c: &CronJob) -> Value {
    let t = template(&c.namespace, Some(&c.name));
    let active: Vec<Value> = c
        .active
        .iter()
        .map(|name| {
            json!({"apiVersion": "batch/v1", "kind": "Job", "name": name,
                   "namespace": c.namespace, "uid": uid(&["Job", &c.namespace, name])})
        })
        .collect();
    let mut status = Map::new();
    if !active.is_empty() {
        status.insert("active".into(), json!(active));
    }
    if let Some(t) = c.last_schedule {
        status.insert("lastScheduleTime".into(), json!(t.rfc3339()));
    }
    if let Some(t) = c.last_successful {
        status.insert("lastSuccessfulTime".into(), json!(t.rfc3339()));
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {
            "name": c.name, "namespace": c.namespace,
            "uid": uid(&["CronJob", &c.namespace, &c.name]),
            "generation": 1,
            "creationTimestamp": c.created.rfc3339(),
            "labels": {"app": c.name},
        },
        "spec": {
            "schedule": c.schedule,
            "suspend": c.suspend,
            "concurrencyPolicy": "Allow",
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1,
            "jobTemplate": {
                "metadata": {"labels": {"app": c.name}},
                "spec": job_spec(&t, &c.name),
            },
        },
        "status": status,
    })
}

pub fn job(j: &Job) -> Value {
    let t = template(&j.namespace, j.owner.as_deref());
    let container = j.owner.clone().unwrap_or_else(|| j.name.clone());
    let uid_of = uid(&["Job", &j.namespace, &j.name]);
    let mut labels = Map::new();
    labels.insert("app".into(), json!(container));
    labels.insert(JOB_NAME_LABEL.into(), json!(j.name));
    labels.insert("job-name".into(), json!(j.name));
    labels.insert("batch.kubernetes.io/controller-uid".into(), json!(uid_of));
    let mut metadata = json!({
        "name": j.name, "namespace": j.namespace, "uid": uid_of,
        "creationTimestamp": j.created.rfc3339(), "labels": labels,
    });
    if j.manual {
        metadata["annotations"] = json!({ INSTANTIATE_ANNOTATION: "manual" });
    }
    if let Some(owner) = &j.owner {
        let mut r = json!({
            "apiVersion": "batch/v1", "kind": "CronJob", "name": owner,
            "uid": uid(&["CronJob", &j.namespace, owner]), "controller": true,
        });
        // The controller blocks the owner's deletion; kubectl's `create job --from` does not.
        if !j.manual {
            r["blockOwnerDeletion"] = json!(true);
        }
        metadata["ownerReferences"] = json!([r]);
    }
    let mut status = Map::new();
    if let Some(t) = j.started {
        status.insert("startTime".into(), json!(t.rfc3339()));
    }
    if let Some(t) = j.completed {
        status.insert("completionTime".into(), json!(t.rfc3339()));
    }
    for (key, n) in [
        ("active", j.active),
        ("succeeded", j.succeeded),
        ("failed", j.failed),
    ] {
        if n > 0 {
            status.insert(key.into(), json!(n));
        }
    }
    status.insert("ready".into(), json!(j.active));
    let since = j.completed.or(j.started).unwrap_or(j.created).rfc3339();
    let condition = match j.status {
        JobStatus::Complete => Some(json!({"type": "Complete", "status": "True",
            "lastProbeTime": since, "lastTransitionTime": since})),
        JobStatus::Failed => Some(json!({"type": "Failed", "status": "True",
            "reason": j.reason.as_deref().unwrap_or("BackoffLimitExceeded"),
            "message": "Job has reached the specified backoff limit",
            "lastProbeTime": since, "lastTransitionTime": since})),
        JobStatus::Suspended => Some(json!({"type": "Suspended", "status": "True",
            "reason": "JobSuspended", "message": "Job suspended",
            "lastProbeTime": since, "lastTransitionTime": since})),
        JobStatus::Running => None,
    };
    if let Some(c) = condition {
        status.insert("conditions".into(), json!([c]));
    }
    let mut spec = job_spec(&t, &container);
    // The selector and the template's labels the API server adds, by which `kubectl logs
    // job/NAME` finds the pods.
    spec["selector"] = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid_of}});
    let template_labels = &mut spec["template"]["metadata"]["labels"];
    template_labels["batch.kubernetes.io/controller-uid"] = json!(uid_of);
    template_labels[JOB_NAME_LABEL] = json!(j.name);
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": spec,
        "status": status,
    })
}
