//! Several cockpits in one war room, in-process, each with its own state, inbox and action
//! runner, against a real redis-server: presence appears, leaves and expires; a note and an
//! action from one appear in the others' timelines; a second operator's action on the same
//! target is refused while the first holds its lease, and allowed after.

mod common;
mod servers;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use opsdeck::actions::audit::Intent;
use opsdeck::actions::executor::{ActionError, Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::app::room::{Connection, RoomState};
use opsdeck::app::runner::Runner;
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, State, update};
use opsdeck::config::WarroomConfig;
use opsdeck::domain::{UnixTime, WorkloadKind};
use opsdeck::warroom::{EventKind, Member};
use servers::Redis;
use tokio::sync::mpsc;

/// Takes its time, so a lease is held for a while.
struct Slow(Duration);

impl Executor for Slow {
    fn permitted<'a>(&'a self, _: &'a Action) -> BoxFuture<'a, Permission> {
        Box::pin(async { Permission::Allowed })
    }
    fn execute<'a>(
        &'a self,
        _: &'a Action,
        _: mpsc::Sender<String>,
    ) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(async move {
            tokio::time::sleep(self.0).await;
            Ok("scaled to 5 replicas".into())
        })
    }
}

struct Cockpit {
    state: State,
    inbox: mpsc::Receiver<Msg>,
    runner: Runner,
}

fn config(redis: &Redis, room: &str) -> WarroomConfig {
    WarroomConfig {
        redis: redis.url(),
        password_env: None,
        room: room.into(),
        heartbeat: Duration::from_millis(200),
        presence_ttl: Duration::from_millis(800),
        lease_ttl: Duration::from_millis(600),
    }
}

fn cockpit(cfg: &WarroomConfig, operator: &str, work: Duration) -> Cockpit {
    let mut settings = (*common::settings("default", "default", false)).clone();
    settings.operator = operator.into();
    // The same demo estate in every cockpit, as the same cluster would be.
    let mut state = common::demo_state_with(Arc::new(settings), (120, 40), 300, 3);
    let (tx, inbox) = mpsc::channel(256);
    let me = Member {
        id: format!("{operator}#1"),
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
        executor: Arc::new(Slow(work)),
        audit: None,
        audit_table: None,
        readonly: false,
        timeout: Duration::from_secs(10),
        inbox: tx,
        cluster: None,
        logs: None,
        room: Some(room),
        prober: Default::default(),
        log_tasks: Default::default(),
    };
    Cockpit {
        state,
        inbox,
        runner,
    }
}

impl Cockpit {
    /// Feeds the inbox to `update` (carrying out notes) until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
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

    /// What the runtime would do with the room's effects.
    fn carry_out(&self, effect: Effect) {
        let room = self.runner.room.as_ref().unwrap();
        match effect {
            Effect::PublishNote(text) => self.runner.publish_note(text),
            Effect::Follow(member) => room.follow(member),
            Effect::SetIncident(incident, note) => room.set_incident(incident, note),
            _ => {}
        }
    }

    /// Keys as typed, then the view announced as the runtime does after each message.
    fn keys(&mut self, msgs: Vec<Msg>) {
        for msg in msgs {
            for effect in update(&mut self.state, msg) {
                self.carry_out(effect);
            }
        }
        let view = opsdeck::app::room::current_view(&self.state);
        self.runner.room.as_ref().unwrap().set_view(view);
    }

    fn members(&self) -> Vec<String> {
        let room = self.state.room.as_ref().unwrap();
        room.members.iter().map(|m| m.operator.clone()).collect()
    }

    fn timeline(&self) -> Vec<(String, Status, String)> {
        self.state
            .timeline
            .iter()
            .map(|e| (e.operator.clone(), e.status.clone(), e.title.clone()))
            .collect()
    }
}

fn intent(operator: &str) -> Intent {
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
    }
}

#[tokio::test]
async fn presence_appears_and_goes_with_the_cockpits() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "wr-presence");
    let mut alice = cockpit(&cfg, "alice@bastion-1", Duration::ZERO);
    let bob = cockpit(&cfg, "bob@laptop", Duration::ZERO);
    alice
        .until("both in the room", |s| {
            s.room.as_ref().unwrap().members.len() == 2
        })
        .await;
    assert_eq!(alice.members(), ["alice@bastion-1", "bob@laptop"]);
    assert_eq!(
        alice.state.room.as_ref().unwrap().connection,
        Connection::Connected
    );
    // Bob quits: gone at the next heartbeat.
    bob.runner.room.as_ref().unwrap().leave().await;
    alice
        .until("bob gone", |s| s.room.as_ref().unwrap().members.len() == 1)
        .await;
    // A cockpit that dies (no leave, no heartbeat) drops out when its entry expires.
    let mut carol = opsdeck::warroom::client::RoomClient::connect(&cfg)
        .await
        .unwrap();
    let dead = Member {
        id: "carol#9".into(),
        operator: "carol@desk".into(),
        host: "desk".into(),
        panel: "Pods".into(),
        readonly: true,
        joined: UnixTime::now().0,
        view: Default::default(),
    };
    carol.announce(&dead, cfg.presence_ttl).await.unwrap();
    alice
        .until("carol seen", |s| {
            s.room.as_ref().unwrap().members.len() == 2
        })
        .await;
    alice
        .until("carol expired", |s| {
            s.room.as_ref().unwrap().members.len() == 1
        })
        .await;
    assert_eq!(alice.members(), ["alice@bastion-1"]);
}

#[tokio::test]
async fn a_note_and_an_action_reach_the_other_timeline_and_the_lease_refuses_a_second_operator() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "wr-timeline");
    let mut alice = cockpit(&cfg, "alice@bastion-1", Duration::from_millis(1500));
    let mut bob = cockpit(&cfg, "bob@laptop", Duration::ZERO);
    for c in [&mut alice, &mut bob] {
        c.until("connected", |s| {
            s.room.as_ref().unwrap().connection == Connection::Connected
        })
        .await;
    }
    // Alice types a note: her timeline has it at once, Bob's when the room delivers it.
    update(&mut alice.state, common::ch('n'));
    for msg in common::typed("pos-payment p95 up since 09:10") {
        update(&mut alice.state, msg);
    }
    for effect in update(
        &mut alice.state,
        common::key(crossterm::event::KeyCode::Enter),
    ) {
        if let Effect::PublishNote(text) = effect {
            alice.runner.publish_note(text);
        }
    }
    assert_eq!(alice.state.timeline.len(), 1);
    bob.until("alice's note", |s| !s.timeline.is_empty()).await;
    assert_eq!(
        bob.timeline(),
        [(
            "alice@bastion-1".into(),
            Status::Note,
            "pos-payment p95 up since 09:10".into()
        )]
    );

    // Alice scales pos/pos-order (it takes 1.5 s); Bob tries the same target meanwhile.
    let running = {
        let runner = alice.runner.clone();
        tokio::spawn(async move { runner.run(1, &intent("alice@bastion-1")).await })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    bob.runner.check_permission(1, intent("bob@laptop").action);
    let refused = bob.runner.run(2, &intent("bob@laptop")).await.unwrap_err();
    let ActionError::Failed(why) = refused else {
        panic!("{refused:?}")
    };
    assert!(
        why.starts_with("pos/pos-order is being scaled by alice@bastion-1 (since "),
        "{why}"
    );
    let permission = loop {
        match tokio::time::timeout(Duration::from_secs(5), bob.inbox.recv()).await {
            Ok(Some(Msg::Permission { permission, .. })) => break permission,
            Ok(Some(other)) => {
                update(&mut bob.state, other);
            }
            _ => panic!("no permission answer"),
        }
    };
    assert!(
        matches!(&permission, Permission::Held(w) if w.contains("is being scaled by alice@bastion-1")),
        "{permission:?}"
    );
    assert_eq!(running.await.unwrap(), Ok("scaled to 5 replicas".into()));
    // Released: now Bob may.
    assert_eq!(
        bob.runner.run(3, &intent("bob@laptop")).await,
        Ok("scaled to 5 replicas".into())
    );
    bob.until("alice's outcome", |s| {
        s.timeline.iter().any(|e| {
            e.status == Status::Remote(EventKind::Outcome) && e.operator == "alice@bastion-1"
        })
    })
    .await;
    let alices: Vec<_> = bob
        .timeline()
        .into_iter()
        .filter(|(who, ..)| who == "alice@bastion-1")
        .map(|(_, status, title)| (status, title))
        .collect();
    assert_eq!(
        alices,
        [
            (Status::Note, "pos-payment p95 up since 09:10".into()),
            (
                Status::Remote(EventKind::Intent),
                "Scale deployment pos/pos-order: replicas 3 → 5".into()
            ),
            (
                Status::Remote(EventKind::Outcome),
                "Scale deployment pos/pos-order: scaled to 5 replicas".into()
            ),
        ]
    );
    // Bob's own actions are his: the room does not repeat them in his timeline.
    assert!(bob.timeline().iter().all(|(who, ..)| who != "bob@laptop"));
}

#[tokio::test]
async fn a_follower_mirrors_the_presenters_panel_filter_and_selection_until_a_key() {
    use crossterm::event::KeyCode;
    use opsdeck::app::Panel;
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "wr-follow");
    let mut alice = cockpit(&cfg, "alice@bastion-1", Duration::ZERO);
    let mut bob = cockpit(&cfg, "bob@laptop", Duration::ZERO);
    bob.state.follow = Some(("alice@bastion-1".into(), None));
    alice
        .until("connected", |s| {
            s.room.as_ref().unwrap().connection == Connection::Connected
        })
        .await;
    let mut keys = vec![common::ch('2'), common::ch('/')];
    keys.extend(common::typed("pdf"));
    keys.extend([
        common::key(KeyCode::Enter),
        common::ch('j'),
        common::key(KeyCode::Enter),
    ]);
    alice.keys(keys);
    assert_eq!(alice.state.tables.pods.selected, 1);
    bob.until("bob mirrors alice", |s| {
        s.panel == Panel::Pods && s.tables.pods.filter == "pdf" && s.details
    })
    .await;
    assert_eq!(bob.state.tables.pods.selected, 1);
    assert_eq!(
        bob.state.selected_pod().map(|p| p.key.clone()),
        alice.state.selected_pod().map(|p| p.key.clone()),
        "the same row"
    );
    // Alice moves on: Bob follows.
    alice.keys(vec![common::ch('6')]);
    bob.until("bob on Backups", |s| s.panel == Panel::Backups)
        .await;
    // A key leaves follow mode: Alice's next move is not mirrored.
    let effects = update(&mut bob.state, common::ch('x'));
    assert!(
        matches!(effects.as_slice(), [Effect::Follow(None)]),
        "{effects:?}"
    );
    assert!(bob.state.follow.is_none());
    assert_eq!(bob.state.panel, Panel::Backups, "the key did nothing else");
}

#[tokio::test]
async fn an_incident_opened_in_one_cockpit_shows_its_banner_on_all_until_closed() {
    use crossterm::event::KeyCode;
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "wr-incident");
    let mut alice = cockpit(&cfg, "alice@bastion-1", Duration::ZERO);
    let mut bob = cockpit(&cfg, "bob@laptop", Duration::ZERO);
    let mut carol = cockpit(&cfg, "carol@desk", Duration::ZERO);
    for c in [&mut alice, &mut bob, &mut carol] {
        c.until("connected", |s| {
            s.room.as_ref().unwrap().connection == Connection::Connected
        })
        .await;
    }
    let mut keys = vec![common::ch('I')];
    keys.extend(common::typed("P1 checkout failing"));
    keys.push(common::key(KeyCode::Enter));
    alice.keys(keys);
    assert_eq!(
        alice.state.incident.as_ref().unwrap().title,
        "checkout failing"
    );
    for c in [&mut bob, &mut carol] {
        c.until("the incident", |s| s.incident.is_some()).await;
        c.state.now = UnixTime(c.state.incident.as_ref().unwrap().opened_at + 75);
        let screen = opsdeck::snapshot::to_text(&opsdeck::snapshot::render(&mut c.state));
        let banner = screen.lines().next().unwrap();
        assert!(
            banner.contains("P1 INCIDENT  checkout failing  00:01:15  opened by alice@bastion-1"),
            "{banner}"
        );
    }
    // Closed with its resolution: the banners go, the timelines say so.
    let mut keys = vec![common::ch('I')];
    keys.extend(common::typed("rolled back pos-order"));
    keys.push(common::key(KeyCode::Enter));
    alice.keys(keys);
    assert!(alice.state.incident.is_none());
    bob.until("closed", |s| s.incident.is_none()).await;
    bob.until("the closing note", |s| s.timeline.len() >= 2)
        .await;
    let notes: Vec<_> = bob.timeline().into_iter().map(|(_, _, t)| t).collect();
    assert_eq!(notes[0], "opened a P1 incident: checkout failing");
    assert!(
        notes[1].starts_with("closed the P1 incident after ")
            && notes[1].ends_with(": rolled back pos-order"),
        "{notes:?}"
    );
}

#[test]
fn a_dialog_held_by_another_operator_asks_again_until_the_lease_is_gone() {
    use crossterm::event::KeyCode;
    let mut state = common::demo_state((120, 40));
    update(&mut state, common::ch('3'));
    update(&mut state, common::key(KeyCode::Down));
    let effects = update(&mut state, common::ch('s'));
    let Some(Effect::CheckPermission { seq, .. }) = effects.into_iter().next() else {
        panic!("the dialog asks for permission")
    };
    let held = "pos/pos-order is being scaled by alice@bastion-1 (since 4 s)";
    update(
        &mut state,
        Msg::Permission {
            seq,
            permission: Permission::Held(held.into()),
        },
    );
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled());
    assert_eq!(dialog.permission, Some(Permission::Held(held.into())));
    let even = UnixTime(state.now.0 + 2 - state.now.0 % 2);
    let asked = update(&mut state, Msg::Tick(even));
    assert!(
        matches!(asked.as_slice(), [Effect::CheckPermission { seq: s, .. }] if *s == seq),
        "{asked:?}"
    );
    assert!(
        update(&mut state, Msg::Tick(even)).is_empty(),
        "once a second at most"
    );
    assert!(
        update(&mut state, Msg::Tick(even.plus(1))).is_empty(),
        "every other second"
    );
    update(
        &mut state,
        Msg::Permission {
            seq,
            permission: Permission::Allowed,
        },
    );
    assert!(
        update(&mut state, Msg::Tick(even.plus(2))).is_empty(),
        "free: no more asking"
    );
    assert_eq!(
        state.dialog.as_ref().unwrap().permission,
        Some(Permission::Allowed)
    );
}
