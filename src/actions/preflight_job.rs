//! Preflight of the Jobs panel's actions: run a CronJob now, suspend or resume it, delete a
//! finished Job. The target is there, the action makes sense for it (a running Job is not
//! deleted from here: that would kill its pod mid-run), and the operator is told what changes.

use super::preflight::Refusal;
use super::{Action, ActionKind, Target};
use crate::domain::job::human_duration;
use crate::domain::{Estate, UnixTime};

/// The change line and warnings of a CronJob or Job action, or why it cannot be done.
pub(super) fn describe(
    action: &Action,
    estate: &Estate,
    now: UnixTime,
) -> Result<(String, Vec<String>), Refusal> {
    let gone = || Refusal::TargetGone(action.target.key());
    match (&action.kind, &action.target) {
        (kind, Target::CronJob { namespace, name }) => {
            let cron = estate
                .cronjobs
                .iter()
                .find(|c| {
                    *c.context == *action.context && &c.namespace == namespace && &c.name == name
                })
                .ok_or_else(gone)?;
            match kind {
                ActionKind::RunCronJob { job } => {
                    if estate.jobs.iter().any(|j| {
                        *j.context == *action.context && &j.namespace == namespace && &j.name == job
                    }) {
                        return Err(Refusal::Invalid(format!(
                            "a Job {job} exists already: try again in a second"
                        )));
                    }
                    let mut warnings = Vec::new();
                    if !cron.active.is_empty() {
                        warnings.push(format!(
                            "{} of its Jobs still running ({}): this one runs beside it.",
                            cron.active.len(),
                            cron.active.join(", ")
                        ));
                    }
                    if cron.suspend {
                        warnings.push(
                            "It is suspended: this run goes ahead, the schedule stays off.".into(),
                        );
                    }
                    Ok((
                        format!(
                            "Job {job} from {name}'s template, annotated cronjob.kubernetes.io/instantiate=manual"
                        ),
                        warnings,
                    ))
                }
                ActionKind::SuspendCronJob if cron.suspend => {
                    Err(Refusal::Invalid("already suspended".into()))
                }
                ActionKind::SuspendCronJob => {
                    let mut warnings = vec![format!(
                        "No Job is started at its schedule ({}) until it is resumed.",
                        cron.schedule
                    )];
                    if !cron.active.is_empty() {
                        warnings.push(format!(
                            "Its running Jobs ({}) run on.",
                            cron.active.join(", ")
                        ));
                    }
                    Ok((
                        format!("cronjob {name}: spec.suspend false → true"),
                        warnings,
                    ))
                }
                ActionKind::ResumeCronJob if !cron.suspend => {
                    Err(Refusal::Invalid("not suspended".into()))
                }
                ActionKind::ResumeCronJob => Ok((
                    format!("cronjob {name}: spec.suspend true → false"),
                    vec![format!(
                        "The next Job starts at its schedule ({}); the runs it missed are not made up.",
                        cron.schedule
                    )],
                )),
                _ => Err(Refusal::Invalid("not an action on a CronJob".into())),
            }
        }
        (ActionKind::DeleteJob, Target::Job { namespace, name }) => {
            let job = estate
                .jobs
                .iter()
                .find(|j| {
                    *j.context == *action.context && &j.namespace == namespace && &j.name == name
                })
                .ok_or_else(gone)?;
            if !job.status.finished() {
                let running = job
                    .duration(now)
                    .map_or(String::new(), |d| format!(" for {}", human_duration(d)));
                return Err(Refusal::Invalid(format!(
                    "still {}{running}: deleting it would stop its pod mid-run",
                    job.status.word()
                )));
            }
            let pods = estate
                .pods
                .iter()
                .filter(|p| {
                    *p.key.context == *action.context
                        && *p.key.namespace == **namespace
                        && p.owner.as_deref() == Some(format!("Job/{name}").as_str())
                })
                .count();
            Ok((
                format!(
                    "job {name} ({}) and its {pods} pod(s) deleted (propagationPolicy=Background)",
                    job.status.word()
                ),
                vec!["Its pods' logs go with them.".into()],
            ))
        }
        _ => Err(Refusal::Invalid("not an action on a Job".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::{CronJob, Job, JobStatus};

    fn estate() -> Estate {
        let cronjobs = vec![CronJob {
            context: "demo".into(),
            namespace: "pos".into(),
            name: "cache-warmup".into(),
            schedule: "*/5 * * * *".into(),
            suspend: false,
            active: vec!["cache-warmup-1".into()],
            last_schedule: None,
            last_successful: None,
            created: UnixTime(0),
        }];
        let job = |name: &str, status| Job {
            context: "demo".into(),
            namespace: "pos".into(),
            name: name.into(),
            owner: Some("cache-warmup".into()),
            manual: false,
            completions: 1,
            succeeded: 0,
            failed: 0,
            active: 0,
            status,
            reason: None,
            started: Some(UnixTime(1_000)),
            completed: None,
            created: UnixTime(1_000),
        };
        Estate {
            cronjobs,
            jobs: vec![
                job("cache-warmup-1", JobStatus::Running),
                job("cache-warmup-0", JobStatus::Complete),
            ],
            ..Estate::default()
        }
    }

    fn on(kind: ActionKind, target: Target) -> Action {
        Action {
            kind,
            target,
            context: "demo".into(),
        }
    }

    fn cron() -> Target {
        Target::CronJob {
            namespace: "pos".into(),
            name: "cache-warmup".into(),
        }
    }

    fn job(name: &str) -> Target {
        Target::Job {
            namespace: "pos".into(),
            name: name.into(),
        }
    }

    #[test]
    fn a_running_job_is_not_deleted_and_a_finished_one_is() {
        let estate = estate();
        let refused = describe(
            &on(ActionKind::DeleteJob, job("cache-warmup-1")),
            &estate,
            UnixTime(1_252),
        );
        assert_eq!(
            refused,
            Err(Refusal::Invalid(
                "still Running for 4m12s: deleting it would stop its pod mid-run".into()
            ))
        );
        let (change, _) = describe(
            &on(ActionKind::DeleteJob, job("cache-warmup-0")),
            &estate,
            UnixTime(0),
        )
        .expect("finished");
        assert!(change.contains("propagationPolicy=Background"), "{change}");
        assert!(matches!(
            describe(
                &on(ActionKind::DeleteJob, job("nope")),
                &estate,
                UnixTime(0)
            ),
            Err(Refusal::TargetGone(_))
        ));
    }

    #[test]
    fn suspend_and_resume_are_refused_when_already_so() {
        let mut estate = estate();
        let (change, warnings) = describe(
            &on(ActionKind::SuspendCronJob, cron()),
            &estate,
            UnixTime(0),
        )
        .expect("suspend");
        assert_eq!(change, "cronjob cache-warmup: spec.suspend false → true");
        assert!(
            warnings.iter().any(|w| w.contains("cache-warmup-1")),
            "{warnings:?}"
        );
        assert!(describe(&on(ActionKind::ResumeCronJob, cron()), &estate, UnixTime(0)).is_err());
        estate.cronjobs[0].suspend = true;
        assert_eq!(
            describe(
                &on(ActionKind::SuspendCronJob, cron()),
                &estate,
                UnixTime(0)
            ),
            Err(Refusal::Invalid("already suspended".into()))
        );
        assert!(describe(&on(ActionKind::ResumeCronJob, cron()), &estate, UnixTime(0)).is_ok());
    }

    #[test]
    fn run_now_names_its_job_and_refuses_a_name_taken() {
        let estate = estate();
        let run = |job: &str| on(ActionKind::RunCronJob { job: job.into() }, cron());
        let (change, warnings) =
            describe(&run("cache-warmup-manual-x"), &estate, UnixTime(0)).expect("run");
        assert!(change.starts_with("Job cache-warmup-manual-x from cache-warmup's template"));
        assert!(warnings[0].contains("still running"), "{warnings:?}");
        assert!(describe(&run("cache-warmup-0"), &estate, UnixTime(0)).is_err());
        assert_eq!(
            run("cache-warmup-manual-x").cli(),
            "kubectl -n pos create job cache-warmup-manual-x --from=cronjob/cache-warmup"
        );
    }
}
