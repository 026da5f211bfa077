//! The simulated Alertmanager's alerts: some always firing, some that fire and resolve on a
//! schedule (each time they fire again with a new `startsAt`, as Alertmanager lists them), one
//! silenced.

use super::World;
use super::world::SimAlert;
use crate::domain::{Alert, AlertState, Matcher, Severity, Silence, SilenceState, UnixTime};

fn alert(
    name: &str,
    severity: Severity,
    labels: &[(&str, &str)],
    summary: &str,
    description: &str,
    runbook: &str,
    starts_at: UnixTime,
) -> Alert {
    let mut all: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    all.push(("alertname".into(), name.into()));
    all.push(("severity".into(), severity.word().into()));
    all.sort();
    Alert {
        fingerprint: format!(
            "{:016x}",
            all.iter().fold(0u64, |h, (k, v)| {
                k.bytes()
                    .chain(v.bytes())
                    .fold(h, |h, b| h.rotate_left(7) ^ u64::from(b))
            })
        ),
        source: super::CONTEXT.into(),
        name: name.into(),
        severity,
        state: AlertState::Active,
        starts_at,
        summary: summary.into(),
        description: description.into(),
        runbook: Some(runbook.into()),
        labels: all,
        silenced_by: Vec::new(),
    }
}

pub(super) fn alerts(now: UnixTime) -> Vec<SimAlert> {
    let always = |alert| SimAlert {
        alert,
        period: 0,
        on: 0,
        phase: 0,
        condition: None,
        firing_now: true,
    };
    let while_world = |alert, rule: fn(&World) -> bool| SimAlert {
        condition: Some(rule),
        ..always(alert)
    };
    let silenced = alert(
        "NodeDiskPressure",
        Severity::Info,
        &[("node", "worker-07")],
        "worker-07 root disk 81% full",
        "Image garbage collection is behind on worker-07.",
        "demo-runbook.md#22-node-disk-pressure",
        now.plus(-5 * 3600),
    );
    vec![
        while_world(
            alert(
                "KubePodCrashLooping",
                Severity::Critical,
                &[("namespace", "workflow"), ("deployment", "pdf-recognizer")],
                "pdf-recognizer is crash looping (14 restarts)",
                "Container recognizer in workflow/pdf-recognizer restarts repeatedly; check its previous logs.",
                "demo-runbook.md#21-crash-looping-pods",
                now.plus(-38 * 60),
            ),
            World::a_pod_crash_loops,
        ),
        always(alert(
            "HighLatencyP95",
            Severity::Warning,
            &[("namespace", "pos"), ("service", "pos-payment")],
            "pos-payment p95 latency 1.3s above 1s",
            "p95 over the last 5 minutes is above the warning threshold of 1 s.",
            "Section 3.2 - Performance Issues",
            now.plus(-17 * 60),
        )),
        always(alert(
            "RedisMemoryHigh",
            Severity::Warning,
            &[("namespace", "data"), ("instance", "cache")],
            "Redis cache memory near maxmemory",
            "used_memory is above 85% of maxmemory; evictions will start at the limit.",
            "demo-runbook.md#41-redis-memory-high",
            now.plus(-2 * 3600),
        )),
        while_world(
            alert(
                "BackupTooOld",
                Severity::Critical,
                &[("backup", "positivity nightly")],
                "positivity nightly backup older than its 24h RPO",
                "The newest dump in /backups/postgres is older than the recovery point objective.",
                "Backups older than RPO",
                now.plus(-2 * 3600),
            ),
            World::nightly_backup_too_old,
        ),
        always(silenced),
        SimAlert {
            alert: alert(
                "HighErrorRate",
                Severity::Critical,
                &[("namespace", "workflow"), ("service", "pdf-recognizer")],
                "pdf-recognizer error rate above 5%",
                "5xx responses above 5% of requests for 2 minutes.",
                "https://wiki.example.internal/runbooks/pdf-recognizer#error-rate",
                now.plus(-3 * 60),
            ),
            period: 90,
            on: 50,
            phase: 0,
            condition: None,
            firing_now: false,
        },
        while_world(
            alert(
                "PostgresLongRunningQuery",
                Severity::Warning,
                &[("namespace", "data"), ("instance", "positivity-db")],
                "Query running for more than 5 minutes on positivity-db",
                "A query in pg_stat_activity has been active for over 300 s.",
                "Section 4.2 - Long-running queries",
                now.plus(-120),
            ),
            World::a_query_runs_long,
        ),
        SimAlert {
            alert: alert(
                "ServiceHealthCheckFailed",
                Severity::Warning,
                &[("namespace", "workflow"), ("service", "validation-service")],
                "validation-service /health failing",
                "The HTTP health check returned 503.",
                "demo-runbook.md#34-health-check-failing",
                now,
            ),
            period: 60,
            on: 10,
            phase: 10,
            condition: None,
            firing_now: false,
        },
    ]
}

/// The silence the estate starts with: someone already muted the disk-pressure reminder.
pub(super) fn standing_silences(world: &mut World) {
    let now = world.now;
    world.create_silence(
        vec![
            Matcher::equal("alertname", "NodeDiskPressure"),
            Matcher::equal("node", "worker-07"),
        ],
        "m.okafor@bastion-1",
        "Image GC fix rolls out Tuesday; disk is not growing",
        now.plus(-3 * 3600),
        now.plus(2 * 86_400),
    );
}

fn matches(matcher: &Matcher, labels: &[(String, String)]) -> bool {
    let value = labels
        .iter()
        .find(|(k, _)| *k == matcher.name)
        .map_or("", |(_, v)| v.as_str());
    // The simulator compares regex matchers literally: its own silences never use them.
    (value == matcher.value) == matcher.is_equal
}

impl World {
    fn silence_state(&self, silence: &Silence) -> SilenceState {
        if silence.ends_at <= self.now {
            SilenceState::Expired
        } else if silence.starts_at > self.now {
            SilenceState::Pending
        } else {
            SilenceState::Active
        }
    }

    /// Every silence with its state as of now.
    pub fn silences_now(&self) -> Vec<Silence> {
        self.silences
            .iter()
            .map(|s| Silence {
                state: self.silence_state(s),
                ..s.clone()
            })
            .collect()
    }

    /// Creates a silence and returns its id, as `POST /api/v2/silences` does.
    pub fn create_silence(
        &mut self,
        matchers: Vec<Matcher>,
        created_by: &str,
        comment: &str,
        starts_at: UnixTime,
        ends_at: UnixTime,
    ) -> String {
        let id = format!(
            "{:08x}-sim0-4000-8000-{:012x}",
            self.next_silence, self.next_silence
        );
        self.next_silence += 1;
        self.silences.push(Silence {
            id: id.clone(),
            source: super::CONTEXT.into(),
            matchers,
            created_by: created_by.into(),
            comment: comment.into(),
            starts_at,
            ends_at,
            state: SilenceState::Active,
        });
        self.last_alerts = self.firing_alerts();
        id
    }

    /// `POST /api/v2/silences` with an id, as Alertmanager does it: an active silence with
    /// the same matchers and start (a pending one: a start not in the past) is changed in
    /// place and keeps its id; otherwise the old one is expired, if active, and a new one made.
    /// `None` for an unknown id.
    pub fn update_silence(
        &mut self,
        id: &str,
        matchers: Vec<Matcher>,
        created_by: &str,
        comment: &str,
        starts_at: UnixTime,
        ends_at: UnixTime,
    ) -> Option<String> {
        let now = self.now;
        let state = self.silence_now(id)?.state;
        let silence = self.silences.iter_mut().find(|s| s.id == id)?;
        let in_place = silence.matchers == matchers
            && match state {
                SilenceState::Active => silence.starts_at == starts_at && ends_at > now,
                SilenceState::Pending => starts_at >= now,
                SilenceState::Expired => false,
            };
        if in_place {
            silence.starts_at = starts_at;
            silence.ends_at = ends_at;
            silence.comment = comment.into();
            silence.created_by = created_by.into();
            self.last_alerts = self.firing_alerts();
            return Some(id.to_string());
        }
        if state == SilenceState::Active {
            silence.ends_at = now;
        }
        Some(self.create_silence(matchers, created_by, comment, starts_at, ends_at))
    }

    /// The silence with this id, with its state as of now (`GET /api/v2/silence/{id}`).
    pub fn silence_now(&self, id: &str) -> Option<Silence> {
        self.silences_now().into_iter().find(|s| s.id == id)
    }

    /// Ends a silence now, as `DELETE /api/v2/silence/{id}` does; one that has already expired
    /// stays as it is, and the answer is the same (Alertmanager 0.25 answers 200 too).
    pub fn expire_silence(&mut self, id: &str) -> Result<(), String> {
        let now = self.now;
        let silence = self
            .silences
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| format!("silence {id} not found"))?;
        if silence.ends_at <= now {
            return Ok(());
        }
        silence.ends_at = now;
        self.last_alerts = self.firing_alerts();
        Ok(())
    }

    /// An alert that starts firing again (or for the first time since the world began) is a
    /// new alert from Prometheus, with a new `startsAt`; Alertmanager lists it from then, not
    /// from the earlier episode's start.
    pub(super) fn start_new_alert_episodes(&mut self) {
        let (tick, now) = (self.tick, self.now);
        let firing: Vec<bool> = self.alerts.iter().map(|a| a.firing(self)).collect();
        for (sim, firing) in self.alerts.iter_mut().zip(firing) {
            if tick > 0 && firing && !sim.firing_now {
                sim.alert.starts_at = now;
            }
            sim.firing_now = firing;
        }
    }

    /// Evaluates every alert's rule, as at the world's start (no new episodes).
    pub(super) fn evaluate_alerts(&mut self) {
        let firing: Vec<bool> = self.alerts.iter().map(|a| a.firing(self)).collect();
        for (sim, firing) in self.alerts.iter_mut().zip(firing) {
            sim.firing_now = firing;
        }
    }

    /// KubePodCrashLooping's rule: a container failing over and over.
    fn a_pod_crash_loops(&self) -> bool {
        self.pods
            .values()
            .any(|p| p.is_crash_looping() || (&*p.status == "Error" && p.restarts >= 3))
    }

    /// BackupTooOld's rule: the nightly set's newest complete backup is older than its RPO.
    fn nightly_backup_too_old(&self) -> bool {
        self.backups
            .iter()
            .find(|b| b.name == "positivity nightly")
            .is_some_and(|set| {
                set.latest()
                    .is_none_or(|b| b.created.age_at(self.now) > set.rpo_secs)
            })
    }

    /// PostgresLongRunningQuery's rule: a query active on positivity-db for over 300 s.
    fn a_query_runs_long(&self) -> bool {
        self.postgres
            .iter()
            .filter(|pg| pg.name == "positivity-db")
            .flat_map(|pg| &pg.sessions)
            .any(|s| {
                s.state == crate::domain::SessionState::Active
                    && s.query_start.is_some_and(|t| t.age_at(self.now) > 300)
            })
    }

    /// Firing alerts as Alertmanager shows them: silenced while an active silence matches.
    pub fn firing_alerts(&self) -> Vec<Alert> {
        self.alerts
            .iter()
            .filter(|a| a.firing_now)
            .map(|a| {
                let mut alert = a.alert.clone();
                alert.silenced_by = self
                    .silences
                    .iter()
                    .filter(|s| self.silence_state(s) == SilenceState::Active)
                    .filter(|s| s.matchers.iter().all(|m| matches(m, &alert.labels)))
                    .map(|s| s.id.clone())
                    .collect();
                if !alert.silenced_by.is_empty() {
                    alert.state = AlertState::Silenced;
                }
                alert
            })
            .collect()
    }
}
