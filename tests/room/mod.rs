//! Cockpits in one war room, in-process, each with its own state, inbox and action runner, for
//! the tests against a real redis-server: the harness `warroom_cockpits.rs` and
//! `warroom_follow.rs` share.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use opsdeck::actions::audit::Intent;
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::app::room::RoomState;
use opsdeck::app::runner::Runner;
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, State, update};
use opsdeck::config::WarroomConfig;
use opsdeck::domain::{UnixTime, WorkloadKind};
use opsdeck::warroom::Member;
use tokio::sync::mpsc;

use super::common;
use super::servers::Redis;

pub struct Cockpit {
    pub state: State,
    pub inbox: mpsc::Receiver<Msg>,
    pub runner: Runner,
}

pub fn config(redis: &Redis, room: &str) -> WarroomConfig {
    WarroomConfig {
        redis: redis.url(),
        password_env: None,
        room: room.into(),
        heartbeat: Duration::from_millis(200),
        presence_ttl: Duration::from_millis(800),
        lease_ttl: Duration::from_millis(600),
        request_expiry: Duration::from_secs(600),
    }
}

pub fn cockpit(cfg: &WarroomConfig, operator: &str, work: Duration) -> Cockpit {
    cockpit_with(cfg, operator, work, "1", Default::default(), None)
}

/// A cockpit with these guardrails (in its dialog and its runner) and audit log, as member
/// `{operator}#{n}` (one operator may run two cockpits).
pub fn cockpit_with(
    cfg: &WarroomConfig,
    operator: &str,
    work: Duration,
    n: &str,
    guardrails: opsdeck::config::Guardrails,
    audit: Option<opsdeck::actions::audit::AuditLog>,
) -> Cockpit {
    let guardrails = Arc::new(guardrails);
    let mut settings = (*common::settings("default", "default", false)).clone();
    settings.operator = operator.into();
    settings.guardrails = guardrails.clone();
    // The same demo estate in every cockpit, as the same cluster would be.
    let mut state = common::demo_state_with(Arc::new(settings), (120, 40), 300, 3);
    let (tx, inbox) = mpsc::channel(256);
    let me = Member {
        id: format!("{operator}#{n}"),
        operator: operator.into(),
        host: "bastion-1".into(),
        panel: "Overview".into(),
        readonly: false,
        joined: UnixTime::now().0,
        view: Default::default(),
    };
    state.room = Some(RoomState::new(&cfg.room, &me.id));
    let room = opsdeck::warroom::task::spawn(cfg.clone(), me, tx.clone());
    let runner = Runner {
        // Takes its time, so a lease is held for a while.
        executor: Arc::new(common::Answers {
            after: work,
            answer: "scaled to 5 replicas",
        }),
        audit,
        audit_table: None,
        readonly: false,
        guardrails,
        timeout: Duration::from_secs(10),
        inbox: tx,
        cluster: None,
        logs: None,
        room: Some(room),
        prober: Default::default(),
        log_tasks: Default::default(),
        in_flight: Default::default(),
        forwards: Default::default(),
    };
    Cockpit {
        state,
        inbox,
        runner,
    }
}

impl Cockpit {
    /// Feeds the inbox to `update` (carrying out notes) until `done` holds.
    pub async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            if let Ok(Some(msg)) = tokio::time::timeout(left, self.inbox.recv()).await {
                for effect in update(&mut self.state, msg) {
                    self.carry_out(effect);
                }
            }
        }
    }

    /// As `until`, with every effect carried out as the runtime would, actions executed too.
    pub async fn run_until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            if let Ok(Some(msg)) = tokio::time::timeout(left, self.inbox.recv()).await {
                self.apply(msg);
            }
        }
    }

    /// One message through `update`, its effects carried out, actions executed too.
    pub fn apply(&mut self, msg: Msg) {
        for effect in update(&mut self.state, msg) {
            match effect {
                Effect::Execute { seq, intent } => self.runner.execute(seq, *intent),
                Effect::RequestApproval { seq, intent } => {
                    self.runner.request_approval(seq, &intent)
                }
                Effect::DecideRequest {
                    id,
                    approve,
                    reason,
                } => self.runner.decide_request(id, approve, reason),
                Effect::Audit(records) => self.runner.audit_records(records),
                effect => self.carry_out(effect),
            }
        }
    }

    /// What the runtime would do with the room's effects.
    pub fn carry_out(&self, effect: Effect) {
        let room = self.runner.room.as_ref().unwrap();
        match effect {
            Effect::PublishNote(text) => self.runner.publish_note(text),
            Effect::Follow(member) => room.follow(member),
            Effect::SetIncident(incident, note) => room.set_incident(incident, note),
            _ => {}
        }
    }

    /// Keys as typed, then the view announced as the runtime does after each message.
    pub fn keys(&mut self, msgs: Vec<Msg>) {
        for msg in msgs {
            for effect in update(&mut self.state, msg) {
                self.carry_out(effect);
            }
        }
        let view = opsdeck::app::room::current_view(&self.state);
        self.runner.room.as_ref().unwrap().set_view(view);
    }

    pub fn members(&self) -> Vec<String> {
        let room = self.state.room.as_ref().unwrap();
        room.members.iter().map(|m| m.operator.clone()).collect()
    }

    pub fn timeline(&self) -> Vec<(String, Status, String)> {
        self.state
            .timeline
            .iter()
            .map(|e| (e.operator.clone(), e.status.clone(), e.title.clone()))
            .collect()
    }
}

pub fn intent(operator: &str) -> Intent {
    Intent {
        id: format!("{operator}-1"),
        operator: operator.into(),
        action: Action {
            kind: ActionKind::Scale { replicas: 5 },
            target: Target::Workload {
                namespace: "pos".into(),
                kind: WorkloadKind::Deployment.into(),
                name: "pos-order".into(),
            },
            context: "prod-eu".into(),
        },
        change: "replicas 3 → 5".into(),
        cli: "kubectl -n pos scale deployment/pos-order --replicas=5".into(),
        confirmed_by: "button".into(),
        guard: Default::default(),
    }
}

/// `[[guardrails]]`: every scale needs a second operator.
pub fn two_person_scales() -> opsdeck::config::Guardrails {
    let toml = "[[guardrails]]\nactions = [\"scale\"]\ntwo_person = true\n";
    let path = std::path::Path::new("/etc/opsdeck.toml");
    let config = opsdeck::config::Config::parse(path, toml).expect("config parses");
    opsdeck::config::Guardrails {
        rules: config.guardrails,
        path: Some(path.into()),
    }
}
