//! Following and incidents across cockpits against a real redis-server: a follower mirrors the
//! presenter's panel, filter and selection until a key; an incident's banner shows on every
//! cockpit until it is closed.

mod common;
mod room;
mod servers;

use std::time::Duration;

use opsdeck::app::room::Connection;
use opsdeck::app::{Effect, update};
use opsdeck::domain::UnixTime;
use room::{cockpit, config};
use servers::Redis;

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
