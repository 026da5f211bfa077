//! Actions applied to the simulated world, as a Kubernetes API server, an Alertmanager, a
//! PostgreSQL or a backup tool would apply them: the result shows up in the next reports, not
//! by the cockpit assuming it. Backups, verifications and test-restores take a few ticks.

use super::world::{World, source};
use crate::actions::executor::ActionError;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::{
    BackupItem, Matcher, Report, SessionState, SourceKind, SourceReport, Verification,
};

/// What applying an action did.
pub enum Applied {
    /// Done at once: what to tell the operator, and what changed.
    Done(String, Vec<SourceReport>),
    /// Started; progresses with the ticks.
    Job(Job),
}

#[derive(Debug, Clone)]
pub struct Job {
    pub kind: ActionKind,
    pub set: String,
    pub ticks_left: u32,
    pub ticks_total: u32,
}

impl Job {
    fn verb(&self) -> &'static str {
        match self.kind {
            ActionKind::TakeBackup => "dumping",
            ActionKind::VerifyBackup => "verifying",
            _ => "restoring into a scratch database",
        }
    }

    /// One tick of progress, as a line for the operator.
    pub fn progress(&mut self) -> String {
        self.ticks_left = self.ticks_left.saturating_sub(1);
        let done = (self.ticks_total - self.ticks_left) * 100 / self.ticks_total.max(1);
        format!("{} \"{}\": {done}%", self.verb(), self.set)
    }
}

impl World {
    pub fn apply(&mut self, action: &Action) -> Result<Applied, ActionError> {
        let not_found = || ActionError::NotFound(action.target.key());
        let now = self.now;
        let k8s = move |report| SourceReport {
            source: source(SourceKind::Kubernetes, super::CONTEXT),
            at: now,
            report,
        };
        match (&action.kind, &action.target) {
            (
                ActionKind::Scale { replicas },
                Target::Workload {
                    namespace, name, ..
                },
            ) => {
                let index = self.workload_index(namespace, name).ok_or_else(not_found)?;
                let mut reports = self.scale(index, *replicas);
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
                Ok(Applied::Done(
                    format!("scaled to {replicas} replicas"),
                    reports.into_iter().map(k8s).collect(),
                ))
            }
            (
                ActionKind::RolloutRestart,
                Target::Workload {
                    namespace, name, ..
                },
            ) => {
                let index = self.workload_index(namespace, name).ok_or_else(not_found)?;
                let image = self.workloads[index].workload.image.clone();
                let revision = self.push_revision(index, image, "kubectl rollout restart".into());
                let mut reports = self.restart_statefulset_pods(index);
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
                Ok(Applied::Done(
                    format!("restart rolling out as revision {revision}"),
                    reports.into_iter().map(k8s).collect(),
                ))
            }
            (
                ActionKind::Rollback { to_revision },
                Target::Workload {
                    namespace, name, ..
                },
            ) => {
                let index = self.workload_index(namespace, name).ok_or_else(not_found)?;
                let history = &mut self.workloads[index].workload.history;
                let position = history
                    .iter()
                    .position(|r| r.number == *to_revision)
                    .ok_or_else(|| {
                        ActionError::NotFound(format!(
                            "revision {to_revision} of {namespace}/{name}"
                        ))
                    })?;
                // As Kubernetes does: the chosen revision's template becomes the newest revision.
                let chosen = history.remove(position);
                let cause = chosen
                    .change_cause
                    .clone()
                    .unwrap_or_else(|| format!("rollback to revision {to_revision}"));
                let revision = self.push_revision(index, chosen.image.clone(), cause);
                let mut reports = self.restart_statefulset_pods(index);
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
                Ok(Applied::Done(
                    format!(
                        "rolled back to revision {to_revision}'s {} (now revision {revision})",
                        chosen.image
                    ),
                    reports.into_iter().map(k8s).collect(),
                ))
            }
            (ActionKind::Lockdown | ActionKind::LiftLockdown, Target::Namespace { namespace }) => {
                let lock = matches!(action.kind, ActionKind::Lockdown);
                let ns = self
                    .namespaces
                    .iter_mut()
                    .find(|n| &n.name == namespace)
                    .ok_or_else(not_found)?;
                if ns.locked_down == lock {
                    return Err(ActionError::Failed(format!(
                        "{namespace} is {} locked down",
                        if lock { "already" } else { "not" }
                    )));
                }
                ns.locked_down = lock;
                let report = Report::Namespaces(self.namespaces.clone());
                let message = if lock {
                    format!(
                        "NetworkPolicy {} created in {namespace}",
                        crate::actions::LOCKDOWN_POLICY
                    )
                } else {
                    format!(
                        "NetworkPolicy {} deleted from {namespace}",
                        crate::actions::LOCKDOWN_POLICY
                    )
                };
                Ok(Applied::Done(message, vec![k8s(report)]))
            }
            (ActionKind::RestartPod, Target::Pod { namespace, name }) => {
                let key = crate::domain::PodKey::new(namespace.as_str(), name.as_str());
                let pod = self.pods.shift_remove(&key).ok_or_else(not_found)?;
                let mut reports = vec![Report::PodDelete(key)];
                let owner_index = pod
                    .owner
                    .as_deref()
                    .and_then(|o| self.workloads.iter().position(|w| &*w.owner == o));
                let message = match owner_index {
                    Some(index) => {
                        let replacement = self.new_pod(index, &pod);
                        let message = format!("deleted; {} is starting", replacement.key.name);
                        reports.push(Report::PodUpsert(replacement));
                        message
                    }
                    None => "deleted".to_string(),
                };
                self.recount_workloads();
                reports.push(Report::Workloads(self.workload_rows()));
                Ok(Applied::Done(
                    message,
                    reports.into_iter().map(k8s).collect(),
                ))
            }
            (
                ActionKind::Silence { .. } | ActionKind::ExpireSilence { .. },
                Target::Alert { fingerprint, .. },
            ) => {
                if !self
                    .last_alerts
                    .iter()
                    .any(|a| &a.fingerprint == fingerprint)
                {
                    return Err(not_found());
                }
                let message = match &action.kind {
                    ActionKind::ExpireSilence { silence } => {
                        // That silence and no other, as the adapter does through the API.
                        let state = self.silence_now(silence).map(|s| s.state);
                        if state == Some(crate::domain::SilenceState::Expired) {
                            return Err(ActionError::Failed(format!(
                                "silence {silence} had already expired"
                            )));
                        }
                        self.expire_silence(silence).map_err(ActionError::Failed)?;
                        format!("expired silence {silence}")
                    }
                    ActionKind::Silence {
                        matchers,
                        duration_secs,
                        comment,
                    } => {
                        let until = now.plus(*duration_secs as i64);
                        let matchers = matchers.iter().map(|(k, v)| Matcher::equal(k, v)).collect();
                        let id = self.create_silence(matchers, "operator", comment, now, until);
                        format!("silence {id} until {} UTC", until.clock_utc())
                    }
                    other => {
                        return Err(ActionError::Failed(format!(
                            "{} is not a silence",
                            other.name()
                        )));
                    }
                };
                self.last_alerts = self.firing_alerts();
                let am = source(SourceKind::Alertmanager, super::CONTEXT);
                let reports = vec![
                    SourceReport {
                        source: am.clone(),
                        at: now,
                        report: Report::Alerts(self.last_alerts.clone()),
                    },
                    SourceReport {
                        source: am,
                        at: now,
                        report: Report::Silences(self.silences_now()),
                    },
                ];
                Ok(Applied::Done(message, reports))
            }
            (
                ActionKind::CancelQuery | ActionKind::TerminateBackend,
                Target::PgBackend { instance, pid },
            ) => {
                let pg = self
                    .postgres
                    .iter_mut()
                    .find(|p| &p.name == instance)
                    .ok_or_else(not_found)?;
                let position = pg
                    .sessions
                    .iter()
                    .position(|s| s.pid == *pid)
                    .ok_or_else(not_found)?;
                let message = if matches!(action.kind, ActionKind::CancelQuery) {
                    let s = &mut pg.sessions[position];
                    if !matches!(s.state, SessionState::Active | SessionState::Waiting) {
                        return Err(ActionError::Failed(format!(
                            "pid {pid} has no query running"
                        )));
                    }
                    s.state = SessionState::Idle;
                    s.wait_event = Some("Client: ClientRead".into());
                    s.xact_start = None;
                    format!("pg_cancel_backend({pid}) returned true")
                } else {
                    pg.sessions.remove(position);
                    format!("pg_terminate_backend({pid}) returned true")
                };
                // Whoever waited on its locks goes on.
                for s in &mut pg.sessions {
                    if s.blocked_by.contains(pid) {
                        s.blocked_by.retain(|b| b != pid);
                        if s.blocked_by.is_empty() && s.state == SessionState::Waiting {
                            s.state = SessionState::Active;
                            s.wait_event = None;
                        }
                    }
                }
                let report = SourceReport {
                    source: source(SourceKind::Postgres, instance),
                    at: self.now,
                    report: Report::Postgres(pg.clone()),
                };
                Ok(Applied::Done(message, vec![report]))
            }
            (
                kind
                @ (ActionKind::TakeBackup | ActionKind::VerifyBackup | ActionKind::TestRestore),
                Target::BackupSet { name },
            ) => {
                if !self.backups.iter().any(|b| &b.name == name) {
                    return Err(not_found());
                }
                let ticks = match kind {
                    ActionKind::TakeBackup => 4,
                    ActionKind::VerifyBackup => 2,
                    _ => 5,
                };
                Ok(Applied::Job(Job {
                    kind: kind.clone(),
                    set: name.clone(),
                    ticks_left: ticks,
                    ticks_total: ticks,
                }))
            }
            (kind, target) => Err(ActionError::Failed(format!(
                "{} does not apply to {}",
                kind.name(),
                target.key()
            ))),
        }
    }

    /// Finishes a backup job: the new dump, the verification, or the test-restore's counts.
    pub fn finish_job(&mut self, job: &Job) -> Result<(String, Vec<SourceReport>), ActionError> {
        let now = self.now;
        let set = self
            .backups
            .iter_mut()
            .find(|b| b.name == job.set)
            .ok_or_else(|| ActionError::NotFound(format!("backup/{}", job.set)))?;
        let message = match job.kind {
            ActionKind::TakeBackup => {
                let size = set.latest().map_or(1 << 30, |b| b.size_bytes + (3 << 20));
                let prefix = set.latest().map_or("backup_".to_string(), |b| {
                    b.name
                        .trim_end_matches(|c: char| !c.is_alphabetic() && c != '_')
                        .to_string()
                });
                let name = format!("{prefix}{}.dump.gz", now.0 / 60);
                set.items.insert(
                    0,
                    BackupItem {
                        name: name.clone(),
                        created: now,
                        size_bytes: size,
                        complete: true,
                        note: None,
                    },
                );
                format!(
                    "{name} written ({})",
                    crate::domain::time::format_bytes(size)
                )
            }
            ActionKind::VerifyBackup => {
                let file = set.latest().map(|b| b.name.clone()).unwrap_or_default();
                set.verification = Some(Verification {
                    at: now,
                    ok: true,
                    detail: "gzip ok; pg_restore --list: 214 entries".into(),
                });
                format!("{file}: gzip ok, table of contents has 214 entries")
            }
            _ => {
                let scratch = format!("opsdeck_restore_{}", now.0);
                format!("restored into {scratch}: 214 tables, 1204331 rows; {scratch} dropped")
            }
        };
        let report = SourceReport {
            source: source(SourceKind::Backups, super::CONTEXT),
            at: now,
            report: Report::Backups(self.backups.clone()),
        };
        Ok((message, vec![report]))
    }

    /// Adds or removes pods to reach `replicas`: new ones start up, the newest go first.
    fn scale(&mut self, index: usize, replicas: u32) -> Vec<Report> {
        self.workloads[index].workload.desired = replicas;
        let pods = self.pods_of(index);
        let mut reports = Vec::new();
        let current = pods.len() as u32;
        if replicas > current {
            let like = match pods.last() {
                Some(p) => p.clone(),
                None => return reports,
            };
            for i in current..replicas {
                let mut template = like.clone();
                if self.workloads[index].workload.kind == crate::domain::WorkloadKind::StatefulSet {
                    template.key.name =
                        format!("{}-{i}", self.workloads[index].workload.name).into();
                }
                reports.push(Report::PodUpsert(self.new_pod(index, &template)));
            }
        } else {
            // Statefulsets shed their highest ordinals, deployments their newest pods.
            let mut doomed = pods;
            doomed.sort_by(|a, b| b.created.cmp(&a.created).then(b.key.name.cmp(&a.key.name)));
            for pod in doomed.into_iter().take((current - replicas) as usize) {
                self.pods.shift_remove(&pod.key);
                reports.push(Report::PodDelete(pod.key));
            }
        }
        reports
    }

    /// Statefulset pods have no template hash in their names: restart them in place.
    pub(super) fn restart_statefulset_pods(&mut self, index: usize) -> Vec<Report> {
        if self.workloads[index].workload.kind != crate::domain::WorkloadKind::StatefulSet {
            return Vec::new();
        }
        let pods = self.pods_of(index);
        pods.iter()
            .map(|p| Report::PodUpsert(self.new_pod(index, p)))
            .collect()
    }
}
