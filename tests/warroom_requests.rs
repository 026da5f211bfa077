//! The two-person rule through the war room, against a real redis-server: cockpits in-process,
//! each with its own state, inbox, runner and room task. A scale a `two_person` rule covers is
//! posted as a request; a second operator approves it from the Requests list (the requester's
//! cockpit runs it then, and the audit names both), or rejects it with a reason (nothing runs);
//! a request expires (nothing runs, and it cannot be approved after); the requester's own
//! operator cannot approve it, from any cockpit; the runner refuses an intent without a true
//! approval. And the Redis protocol underneath: a request is decided once.

mod common;
mod room;
mod servers;

use std::time::Duration;

use common::{ch, key, typed};
use crossterm::event::KeyCode;
use opsdeck::actions::audit::{AuditLog, Phase};
use opsdeck::actions::executor::ActionError;
use opsdeck::actions::guardrails::Approval;
use opsdeck::app::dialog::Focus;
use opsdeck::app::pane::PaneKind;
use opsdeck::app::room::Connection;
use opsdeck::app::timeline::Status;
use opsdeck::app::{Effect, Msg, Panel, State};
use opsdeck::config::WarroomConfig;
use opsdeck::snapshot::{render, to_text};
use opsdeck::warroom::EventKind;
use opsdeck::warroom::client::RoomClient;
use opsdeck::warroom::requests::{Decide, Decided, Verdict};
use room::{Cockpit, cockpit_with, config, two_person_scales};
use servers::Redis;

fn two_person(cfg: &WarroomConfig, operator: &str, n: &str, audit: Option<AuditLog>) -> Cockpit {
    cockpit_with(cfg, operator, Duration::ZERO, n, two_person_scales(), audit)
}

async fn connected(cockpits: &mut [&mut Cockpit]) {
    for c in cockpits.iter_mut() {
        c.run_until("connected", |s| {
            s.room.as_ref().unwrap().connection == Connection::Connected
        })
        .await;
    }
}

fn press(c: &mut Cockpit, msgs: Vec<Msg>) {
    for msg in msgs {
        c.apply(msg);
    }
}

/// Opens the scale of pos-catalog to 7 replicas, permitted, and confirms it: the request is
/// asked of the room. Returns the dialog's number.
fn ask_scale(c: &mut Cockpit) -> u64 {
    c.state.panel = Panel::Services;
    press(c, vec![ch('/')]);
    press(c, typed("pos-catalog"));
    press(c, vec![key(KeyCode::Enter), ch('s')]);
    press(c, typed("7"));
    common::allow(&mut c.state);
    let dialog = c.state.dialog.as_mut().expect("the scale dialog");
    assert!(dialog.asks_second_operator(), "{:?}", dialog.guard);
    assert!(dialog.confirm_enabled(), "{:?}", dialog.blocked_because());
    dialog.focus = Focus::Confirm;
    let seq = dialog.seq;
    let effects = opsdeck::app::update(&mut c.state, key(KeyCode::Enter));
    let [Effect::RequestApproval { intent, .. }] = effects.as_slice() else {
        panic!("a request, not an execution: {effects:?}")
    };
    assert_eq!(intent.guard.approval, None);
    c.runner.request_approval(seq, intent);
    seq
}

/// The request's number once the room has it.
async fn posted(c: &mut Cockpit, seq: u64) -> u64 {
    c.run_until("the request posted", |s| {
        s.requests
            .waiting
            .get(&seq)
            .is_some_and(|w| w.request.is_some())
    })
    .await;
    c.state.requests.waiting[&seq].request.unwrap()
}

fn entry(state: &State, seq: u64) -> &opsdeck::app::timeline::Entry {
    state.timeline.iter().find(|e| e.seq == seq).expect("entry")
}

fn open_requests(c: &mut Cockpit) {
    press(c, vec![ch(':')]);
    press(c, typed("requests"));
    press(c, vec![key(KeyCode::Enter)]);
    assert!(
        matches!(
            c.state.pane.as_ref().map(|p| &p.kind),
            Some(PaneKind::Requests { .. })
        ),
        "the Requests list is open"
    );
}

fn audit_in(dir: &tempfile::TempDir) -> AuditLog {
    AuditLog::new(dir.path().join("audit.jsonl"))
}

#[tokio::test]
async fn approved_by_a_second_cockpit_the_action_runs_on_the_requesters_and_the_audit_names_both() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-approve");
    let dir = tempfile::tempdir().unwrap();
    let mut alice = two_person(&cfg, "alice", "1", Some(audit_in(&dir)));
    let bobs = tempfile::tempdir().unwrap();
    let mut bob = two_person(&cfg, "bob", "1", Some(audit_in(&bobs)));
    connected(&mut [&mut alice, &mut bob]).await;

    let seq = ask_scale(&mut alice);
    let n = posted(&mut alice, seq).await;
    let Status::Running { progress: Some(p) } = &entry(&alice.state, seq).status else {
        panic!("{:?}", entry(&alice.state, seq))
    };
    assert!(
        p.starts_with(&format!("request {n}: waiting for approval until ")),
        "{p}"
    );
    assert!(
        audit_in(&dir).read().unwrap().0.is_empty(),
        "nothing done yet"
    );

    // Bob's cockpit lists it and its timeline says who asks for what.
    bob.run_until("alice's request listed", |s| {
        s.requests.pending.iter().any(|r| r.id == n)
    })
    .await;
    bob.run_until("alice's request in the timeline", |s| {
        s.timeline
            .iter()
            .any(|e| e.status == Status::Remote(EventKind::Request))
    })
    .await;
    let asked = bob
        .state
        .timeline
        .iter()
        .find(|e| e.status == Status::Remote(EventKind::Request))
        .unwrap();
    assert!(
        asked.title.starts_with(
            "⧗ alice asks a second operator: Scale deployment pos/pos-catalog: replicas "
        ) && asked.title.contains(&format!("→ 7 (request {n}, expires ")),
        "{}",
        asked.title
    );

    // Enter opens the same dialog, approving; its change is Alice's.
    open_requests(&mut bob);
    let list = to_text(&render(&mut bob.state));
    assert!(
        list.contains(&format!(
            "#{n} alice asks: Scale deployment pos/pos-catalog"
        )) && list.contains("context demo")
            && list.contains("enter opens the chosen one to approve · R rejects it with a reason"),
        "{list}"
    );
    press(&mut bob, vec![key(KeyCode::Enter)]);
    let shown = to_text(&render(&mut bob.state));
    let asked_by = format!("Asked by    alice (request {n}, expires ");
    assert!(
        shown.contains(" Approve: Scale deployment pos/pos-catalog ")
            && shown.contains(&asked_by)
            && shown.contains("Operator    bob (approving)")
            && shown.contains("[ Approve ]"),
        "{shown}"
    );
    let dialog = bob.state.dialog.as_mut().expect("the approval dialog");
    let request = dialog.approving.clone().expect("approving");
    assert_eq!(request.operator, "alice");
    assert_eq!(
        dialog.preview.as_ref().unwrap().change,
        request.change,
        "the requester's preview"
    );
    assert!(dialog.confirm_enabled(), "{:?}", dialog.blocked_because());
    dialog.focus = Focus::Confirm;
    press(&mut bob, vec![key(KeyCode::Enter)]);
    bob.run_until("bob's decision noted", |s| {
        s.timeline
            .iter()
            .any(|e| e.title.starts_with(&format!("✔ bob approved request {n}")))
    })
    .await;

    // Bob's own audit has what he did: the approval of request n, Alice's, on its target.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let bobs_records = loop {
        let (records, _) = audit_in(&bobs).read().unwrap();
        if records.len() >= 2 || std::time::Instant::now() > deadline {
            break records;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(bobs_records.len(), 2, "{bobs_records:?}");
    let (intent, outcome) = (&bobs_records[0], &bobs_records[1]);
    assert_eq!(
        (
            intent.phase,
            intent.operator.as_str(),
            intent.action.as_str()
        ),
        (Phase::Intent, "bob", "approve-request")
    );
    assert_eq!(intent.request, Some(n));
    assert_eq!(intent.target, "pos/deployment/pos-catalog");
    assert!(
        intent
            .change
            .as_deref()
            .unwrap()
            .starts_with(&format!("request {n} of alice: ")),
        "{intent:?}"
    );
    assert_eq!(
        (
            outcome.phase,
            outcome.result.as_deref(),
            outcome.id.as_str()
        ),
        (Phase::Outcome, Some("ok"), intent.id.as_str())
    );

    // Alice's cockpit runs it: her timeline names both, and so does her audit.
    alice
        .run_until("the scale done", |s| {
            matches!(entry(s, seq).status, Status::Succeeded(_))
        })
        .await;
    assert_eq!(entry(&alice.state, seq).operator, "alice, approved by bob");
    let (records, _) = audit_in(&dir).read().unwrap();
    let phases: Vec<_> = records
        .iter()
        .map(|r| (r.phase, r.approved_by.as_deref(), r.request))
        .collect();
    assert_eq!(
        phases,
        [
            (Phase::Intent, Some("bob"), Some(n)),
            (Phase::Outcome, Some("bob"), Some(n))
        ]
    );
    assert_eq!(records[0].operator, "alice");
    assert_eq!(records[1].result.as_deref(), Some("ok"));
    let printed = opsdeck::audit_cli::table(&records, &Default::default());
    assert!(
        printed.contains(&format!("→ 7 (approved by bob, request {n})")),
        "opsdeck audit names the approver:\n{printed}"
    );
    // Bob sees the intent go by with both names.
    bob.run_until("alice's intent, approved", |s| {
        s.timeline.iter().any(|e| {
            e.status == Status::Remote(EventKind::Intent)
                && e.title
                    .ends_with(&format!("→ 7 (approved by bob, request {n})"))
        })
    })
    .await;
}

#[tokio::test]
async fn rejected_with_a_reason_nothing_runs_and_the_requester_reads_why() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-reject");
    let dir = tempfile::tempdir().unwrap();
    let mut alice = two_person(&cfg, "alice", "1", Some(audit_in(&dir)));
    let mut bob = two_person(&cfg, "bob", "1", None);
    connected(&mut [&mut alice, &mut bob]).await;
    let seq = ask_scale(&mut alice);
    let n = posted(&mut alice, seq).await;
    bob.run_until("listed", |s| s.requests.pending.iter().any(|r| r.id == n))
        .await;
    open_requests(&mut bob);
    press(&mut bob, vec![ch('R')]);
    press(&mut bob, typed("not during the sale"));
    press(&mut bob, vec![key(KeyCode::Enter)]);
    alice
        .run_until("the rejection", |s| {
            matches!(entry(s, seq).status, Status::Failed(_))
        })
        .await;
    assert_eq!(
        entry(&alice.state, seq).status,
        Status::Failed(format!(
            "rejected by bob (request {n}): not during the sale"
        ))
    );
    assert!(alice.state.running.is_empty(), "the target is free again");
    assert!(
        audit_in(&dir).read().unwrap().0.is_empty(),
        "nothing was done"
    );
    bob.run_until("gone from the list", |s| s.requests.pending.is_empty())
        .await;
}

#[tokio::test]
async fn an_expired_request_runs_nothing_and_cannot_be_approved_after() {
    let Some(redis) = Redis::shared() else { return };
    let mut cfg = config(redis, "tp-expire");
    cfg.request_expiry = Duration::from_secs(1);
    let dir = tempfile::tempdir().unwrap();
    let mut alice = two_person(&cfg, "alice", "1", Some(audit_in(&dir)));
    connected(&mut [&mut alice]).await;
    let seq = ask_scale(&mut alice);
    let n = posted(&mut alice, seq).await;
    alice
        .run_until("the expiry", |s| {
            matches!(entry(s, seq).status, Status::Failed(_))
        })
        .await;
    assert_eq!(
        entry(&alice.state, seq).status,
        Status::Failed(format!("request {n} expired: nobody approved it"))
    );
    let mut client = RoomClient::connect(&cfg).await.unwrap();
    let late = client.decide(n, Decide::Approve, "bob", "").await.unwrap();
    assert!(
        matches!(&late, Decided::Already(d) if d.kind == Verdict::Expired),
        "{late:?}"
    );
    assert!(client.pending_requests().await.unwrap().is_empty());
    assert!(audit_in(&dir).read().unwrap().0.is_empty());
}

#[tokio::test]
async fn the_requesters_own_operator_cannot_approve_it_from_another_cockpit() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-self");
    let mut alice = two_person(&cfg, "alice", "1", None);
    let mut again = two_person(&cfg, "alice", "2", None);
    connected(&mut [&mut alice, &mut again]).await;
    let seq = ask_scale(&mut alice);
    let n = posted(&mut alice, seq).await;
    again
        .run_until("listed", |s| s.requests.pending.iter().any(|r| r.id == n))
        .await;
    open_requests(&mut again);
    press(&mut again, vec![key(KeyCode::Enter)]);
    assert!(
        again.state.dialog.is_none(),
        "no approval dialog for her own"
    );
    let notice = again.state.notices.last().map(|n| n.text.clone());
    assert_eq!(
        notice.as_deref(),
        Some(
            format!(
                "request {n} is yours: another operator must approve it (the same name in another cockpit is still you)"
            )
            .as_str()
        )
    );
    // Redis refuses it too, whoever sends it; the request stays pending.
    let mut client = RoomClient::connect(&cfg).await.unwrap();
    let own = client
        .decide(n, Decide::Approve, "alice", "")
        .await
        .unwrap();
    assert_eq!(own, Decided::SelfApproval);
    let pending = client.pending_requests().await.unwrap();
    assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), [n]);
}

#[tokio::test]
async fn the_runner_refuses_a_two_person_action_without_a_true_approval() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-runner");
    let dir = tempfile::tempdir().unwrap();
    let mut alice = two_person(&cfg, "alice", "1", Some(audit_in(&dir)));
    connected(&mut [&mut alice]).await;
    let mut intent = room::intent("alice");
    let refused = alice.runner.run(1, &intent).await.unwrap_err();
    let ActionError::Guardrail(why) = refused else {
        panic!("{refused:?}")
    };
    assert!(
        why.ends_with("two-person rule: a second operator must approve it in the war room first"),
        "{why}"
    );
    // An approval the room never gave.
    intent.guard.approval = Some(Approval {
        by: "bob".into(),
        request: 999_999,
    });
    let refused = alice.runner.run(2, &intent).await.unwrap_err();
    assert_eq!(
        refused,
        ActionError::Guardrail("two-person rule: request 999999 is not in the war room".into())
    );
    // A real approval, of another action (5 replicas approved, 9 asked to run).
    let mut client = RoomClient::connect(&cfg).await.unwrap();
    alice.runner.request_approval(3, &room::intent("alice"));
    let n = loop {
        match tokio::time::timeout(Duration::from_secs(5), alice.inbox.recv()).await {
            Ok(Some(Msg::Room(opsdeck::warroom::task::RoomUpdate::RequestPosted {
                request,
                ..
            }))) => break request.id,
            Ok(Some(_)) => {}
            _ => panic!("not posted"),
        }
    };
    let approved = client.decide(n, Decide::Approve, "bob", "").await.unwrap();
    assert!(matches!(approved, Decided::Now(_)), "{approved:?}");
    intent.guard.approval = Some(Approval {
        by: "bob".into(),
        request: n,
    });
    intent.action.kind = opsdeck::actions::ActionKind::Scale { replicas: 9 };
    let refused = alice.runner.run(4, &intent).await.unwrap_err();
    assert_eq!(
        refused,
        ActionError::Guardrail(format!(
            "two-person rule: request {n} approved another action or operator than this one"
        ))
    );
    assert!(audit_in(&dir).read().unwrap().0.is_empty(), "none ran");
    // The approved one runs.
    intent.action.kind = opsdeck::actions::ActionKind::Scale { replicas: 5 };
    assert_eq!(
        alice.runner.run(5, &intent).await,
        Ok("scaled to 5 replicas".into())
    );
}

#[tokio::test]
async fn a_request_is_decided_once_when_two_operators_race() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-race");
    let mut client = RoomClient::connect(&cfg).await.unwrap();
    let request = opsdeck::warroom::requests::Request {
        id: 0,
        operator: "alice".into(),
        member: "alice#1".into(),
        action: room::intent("alice").action,
        change: "replicas 3 → 5".into(),
        cli: "kubectl -n pos scale deployment/pos-order --replicas=5".into(),
        reason: Some("INC-7".into()),
        created: 0,
        expires: 0,
        decision: None,
    };
    let posted = client
        .post_request(&request, Duration::from_secs(60))
        .await
        .unwrap();
    assert!(posted.id > 0 && posted.expires - posted.created == 60);
    let read = client.request(posted.id).await.unwrap().unwrap();
    assert_eq!(read, posted, "read back as posted");
    assert_eq!(
        client
            .decide(posted.id, Decide::Check, "alice", "")
            .await
            .unwrap(),
        Decided::Pending
    );
    let (mut a, mut b) = (client.clone(), client.clone());
    let (bob, carol) = tokio::join!(
        a.decide(posted.id, Decide::Approve, "bob", ""),
        b.decide(posted.id, Decide::Reject, "carol", "wrong pod")
    );
    let outcomes = [bob.unwrap(), carol.unwrap()];
    let now: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o, Decided::Now(_)))
        .collect();
    assert_eq!(now.len(), 1, "{outcomes:?}");
    let Decided::Now(first) = now[0] else {
        unreachable!()
    };
    let other = outcomes
        .iter()
        .find(|o| !matches!(o, Decided::Now(_)))
        .unwrap();
    assert_eq!(other, &Decided::Already(first.clone()), "the first stands");
    let stored = client.request(posted.id).await.unwrap().unwrap();
    assert_eq!(stored.decision.as_ref(), Some(first));
    assert!(client.pending_requests().await.unwrap().is_empty());
    assert_eq!(
        client
            .decide(424_242, Decide::Approve, "bob", "")
            .await
            .unwrap(),
        Decided::Missing
    );
}

#[tokio::test]
async fn a_request_whose_cockpit_has_gone_is_expired_by_the_cockpits_still_reading_it() {
    let Some(redis) = Redis::shared() else { return };
    let cfg = config(redis, "tp-orphan");
    let mut bob = two_person(&cfg, "bob", "1", None);
    connected(&mut [&mut bob]).await;
    // Posted by a cockpit that then went away: nobody polls it as its own.
    let mut client = RoomClient::connect(&cfg).await.unwrap();
    let request = opsdeck::warroom::requests::Request {
        id: 0,
        operator: "carol".into(),
        member: "carol#1".into(),
        action: room::intent("carol").action,
        change: "replicas 3 → 5".into(),
        cli: String::new(),
        reason: None,
        created: 0,
        expires: 0,
        decision: None,
    };
    let n = client
        .post_request(&request, Duration::from_secs(1))
        .await
        .unwrap()
        .id;
    bob.run_until("listed", |s| s.requests.pending.iter().any(|r| r.id == n))
        .await;
    bob.run_until("expired and gone", |s| s.requests.pending.is_empty())
        .await;
    let decision = client.request(n).await.unwrap().unwrap().decision;
    assert_eq!(decision.map(|d| d.kind), Some(Verdict::Expired));
    // The room's stream says so, for every other cockpit's timeline.
    let said = format!(
        "✘ request {n} expired, nobody approved it (carol: Scale deployment pos/pos-order: replicas 3 → 5)"
    );
    let events = client.recent(20).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::Decision && e.text == said && e.who == "bob"),
        "{events:?}"
    );
}

/// Approving a high-risk action asks for the target's name typed, as confirming it did.
#[test]
fn approving_a_high_risk_request_needs_the_name_typed() {
    use opsdeck::actions::{Action, ActionKind, Risk, Target};
    let mut state = common::demo_state((120, 40));
    state.room = Some(opsdeck::app::room::RoomState::new("r", "bob#1"));
    let action = Action {
        kind: ActionKind::Lockdown,
        target: Target::Namespace {
            namespace: "pos".into(),
        },
        context: "demo".into(),
    };
    assert_eq!(action.risk(), Risk::High);
    state.requests.pending = vec![opsdeck::warroom::requests::Request {
        id: 4,
        operator: "alice".into(),
        member: "alice#1".into(),
        action,
        change: "deny all ingress and egress of namespace pos".into(),
        cli: "kubectl -n pos apply -f lockdown.yaml".into(),
        reason: Some("INC-9 exfiltration".into()),
        created: state.now.0,
        expires: state.now.0 + 600,
        decision: None,
    }];
    common::press(&mut state, [ch(':')]);
    common::press(&mut state, typed("requests"));
    common::press(&mut state, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    let dialog = state.dialog.as_mut().expect("the approval dialog");
    assert!(dialog.requires_typed_name());
    assert!(!dialog.confirm_enabled());
    assert_eq!(
        dialog.blocked_because().as_deref(),
        Some("type pos to enable Lock down")
    );
    let shown = to_text(&render(&mut state));
    assert!(shown.contains("Reason      INC-9 exfiltration"), "{shown}");
    common::press(&mut state, typed("pos"));
    let dialog = state.dialog.as_mut().unwrap();
    assert!(dialog.confirm_enabled(), "{:?}", dialog.blocked_because());
    dialog.focus = Focus::Confirm;
    let effects = common::press(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        [Effect::DecideRequest {
            id: 4,
            approve: true,
            reason: String::new()
        }]
    );
}
