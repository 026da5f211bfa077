//! Actions applied to the simulated world, as a Kubernetes API server, an Alertmanager, a
//! PostgreSQL or a backup tool would apply them: the result shows up in the next reports, not
//! by the cockpit assuming it. Backups, verifications and test-restores take a few ticks.

pub use super::backup_jobs::Job;
use super::world::{World, source};
use crate::actions::executor::ActionError;
use crate::actions::{Action, ActionKind, Target};
use crate::domain::{Matcher, Report, SessionState, SourceKind, SourceReport};

/// What applying an action did.
pub enum Applied {
    /// Done at once: what to tell the operator, and what changed.
    Done(String, Vec<SourceReport>),
    /// Started; progresses with the ticks.
    Job(Job),
}

impl World {
    /// The action's own change; `apply` adds the events it made.
    pub(super) fn apply_action(&mut self, action: &Action) -> Result<Applied, ActionError> {
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
                let container = super::event_story::main_container(&pod);
                self.event(
                    &pod,
                    "Killing",
                    format!("Stopping container {container}"),
                    false,
                );
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
                ActionKind::Silence { .. }
                | ActionKind::ExpireSilence { .. }
                | ActionKind::ExtendSilence { .. },
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
                    ActionKind::ExtendSilence {
                        silence,
                        duration_secs,
                        comment,
                    } => {
                        // As the adapter does through the API: the same matchers and start.
                        let current = self
                            .silence_now(silence)
                            .filter(|s| s.state != crate::domain::SilenceState::Expired)
                            .ok_or_else(|| {
                                ActionError::Failed(format!("silence {silence} has expired"))
                            })?;
                        let until = now.plus(*duration_secs as i64);
                        let id = self
                            .update_silence(
                                silence,
                                current.matchers,
                                &current.created_by,
                                comment,
                                current.starts_at,
                                until,
                            )
                            .ok_or_else(not_found)?;
                        format!("silence {id} extended until {} UTC", until.clock_utc())
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
                    s.state_change = Some(now);
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
                pg.count_blocked();
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
                let set = self
                    .backups
                    .iter()
                    .find(|b| &b.name == name)
                    .ok_or_else(not_found)?;
                super::backup_jobs::start(kind, set, now).map(Applied::Job)
            }
            (kind, target) => Err(ActionError::Failed(format!(
                "{} does not apply to {}",
                kind.name(),
                target.key()
            ))),
        }
    }

    /// Adds or removes pods to reach `replicas`: new ones start up, the newest go first.
    pub(super) fn scale(&mut self, index: usize, replicas: u32) -> Vec<Report> {
        self.workloads[index].workload.desired = replicas;
        let pods = self.pods_of(index);
        let mut reports = Vec::new();
        let current = pods.len() as u32;
        self.scaled(index, current, replicas);
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
                self.pod_deleted(index, &pod);
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
