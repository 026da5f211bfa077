//! The war room's Redis protocol against a real redis-server, with several cockpits' clients in
//! one room (each test its own room): presence that appears, leaves and expires; notes through
//! the room's stream, read back in order and as they come; leases that refuse a second holder,
//! are renewed and released only by theirs, and expire when their holder is gone.

mod servers;

use std::time::Duration;

use opsdeck::config::WarroomConfig;
use opsdeck::domain::UnixTime;
use opsdeck::warroom::client::{RoomClient, read_after};
use opsdeck::warroom::lease::Holder;
use opsdeck::warroom::{EventKind, Member};
use servers::Redis;

fn config(redis: &Redis, room: &str) -> WarroomConfig {
    WarroomConfig {
        redis: redis.url(),
        password_env: None,
        room: room.into(),
        heartbeat: Duration::from_millis(200),
        presence_ttl: Duration::from_millis(600),
        lease_ttl: Duration::from_millis(600),
        request_expiry: Duration::from_secs(600),
    }
}

fn member(id: &str, operator: &str) -> Member {
    Member {
        id: id.into(),
        operator: operator.into(),
        host: "bastion-1".into(),
        panel: "Services".into(),
        readonly: false,
        joined: UnixTime::now().0,
        view: Default::default(),
    }
}

#[tokio::test]
async fn presence_appears_leaves_and_expires() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "presence");
    let mut alice = RoomClient::connect(&cfg).await.unwrap();
    let mut bob = RoomClient::connect(&cfg).await.unwrap();
    let (a, b) = (member("a1", "alice@bastion-1"), member("b1", "bob@laptop"));
    alice.announce(&a, Duration::from_secs(10)).await.unwrap();
    bob.announce(&b, Duration::from_millis(400)).await.unwrap();
    let seen: Vec<_> = alice
        .members()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.operator)
        .collect();
    assert_eq!(seen, ["alice@bastion-1", "bob@laptop"]);
    // Bob stops announcing (a crashed cockpit): his entry expires.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(alice.members().await.unwrap(), std::slice::from_ref(&a));
    // Alice quits: gone at once.
    alice.leave(&a.id).await.unwrap();
    assert!(bob.members().await.unwrap().is_empty());
}

#[tokio::test]
async fn notes_reach_every_cockpit_in_order() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "notes");
    let mut alice = RoomClient::connect(&cfg).await.unwrap();
    let bob = RoomClient::connect(&cfg).await.unwrap();
    let a = member("a1", "alice@bastion-1");
    alice
        .publish(&a, EventKind::Note, "pos-payment p95 up since 09:10")
        .await
        .unwrap();
    let first = alice
        .publish(
            &a,
            EventKind::Intent,
            "roll back pos/pos-order to revision 13",
        )
        .await
        .unwrap();
    let mut reader = bob.reader().await.unwrap();
    let mut bob = bob;
    let history = bob.recent(10).await.unwrap();
    let texts: Vec<_> = history.iter().map(|e| (e.kind, e.text.as_str())).collect();
    assert_eq!(
        texts,
        [
            (EventKind::Note, "pos-payment p95 up since 09:10"),
            (EventKind::Intent, "roll back pos/pos-order to revision 13")
        ]
    );
    assert_eq!(history[0].who, "alice@bastion-1");
    assert_eq!(history[1].id, first);
    // Bob waits for what comes next; Alice's outcome arrives while he waits.
    let keys = bob.keys.clone();
    let waiting = tokio::spawn(async move {
        read_after(&mut reader, &keys, &first, Duration::from_secs(5)).await
    });
    // Longer than a connection's default answer time: the read must still be waiting.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    alice
        .publish(&a, EventKind::Outcome, "rolled back (2.1 s)")
        .await
        .unwrap();
    let got = waiting.await.unwrap().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].kind, got[0].text.as_str(), got[0].member.as_str()),
        (EventKind::Outcome, "rolled back (2.1 s)", "a1")
    );
}

#[tokio::test]
async fn a_lease_refuses_a_second_holder_until_released_or_expired() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "leases");
    let mut alice = RoomClient::connect(&cfg).await.unwrap();
    let mut bob = RoomClient::connect(&cfg).await.unwrap();
    let target = "deployment/pos/pos-order";
    let holder = |token: &str, operator: &str| Holder {
        token: token.into(),
        operator: operator.into(),
        doing: "rolled back".into(),
        since: UnixTime::now().0,
    };
    let (a, b) = (
        holder("t-a", "alice@bastion-1"),
        holder("t-b", "bob@laptop"),
    );
    let ttl = Duration::from_millis(600);
    assert_eq!(alice.acquire(target, &a, ttl).await.unwrap(), Ok(()));
    let refused = bob.acquire(target, &b, ttl).await.unwrap().unwrap_err();
    assert_eq!(refused, a);
    assert_eq!(
        refused.describe("pos/pos-order", UnixTime(a.since + 40)),
        "pos/pos-order is being rolled back by alice@bastion-1 (since 40 s)"
    );
    assert!(
        !bob.release(target, &b).await.unwrap(),
        "only the holder releases"
    );
    // Renewed while the action runs, it outlives its first TTL.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(alice.renew(target, &a, ttl).await.unwrap());
    }
    assert_eq!(bob.holder(target).await.unwrap(), Some(a.clone()));
    assert!(alice.release(target, &a).await.unwrap());
    assert_eq!(bob.acquire(target, &b, ttl).await.unwrap(), Ok(()));
    // Bob's cockpit dies: his lease expires and Alice may act; Bob's late renewal fails.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(alice.acquire(target, &a, ttl).await.unwrap(), Ok(()));
    assert!(
        !bob.renew(target, &b, ttl).await.unwrap(),
        "not his any more"
    );
    assert_eq!(alice.holder(target).await.unwrap(), Some(a));
}
