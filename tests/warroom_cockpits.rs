//! Several cockpits in one war room against a real redis-server: presence appears, leaves and
//! expires; a note and an action from one appear in the others' timelines; a second operator's
//! action on the same target is refused while the first holds its lease (its dialog asking
//! again), and allowed after.

mod common;
mod room;
mod servers;

use std::time::Duration;

use opsdeck::actions::executor::{ActionError, Permission};
use opsdeck::app::room::Connection;
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, update};
use opsdeck::domain::UnixTime;
use opsdeck::warroom::{EventKind, Member};
use room::{cockpit, config, intent};
use servers::Redis;

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
