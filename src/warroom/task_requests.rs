//! The room task's part in two-person requests: posting this cockpit's requests (and saying so
//! on the room's stream), sending its operator's decisions, and polling, on each heartbeat and
//! each batch of events, the room's pending requests (for the Requests list) and this cockpit's
//! own (for the decision it waits for, or its expiry).

use std::collections::BTreeMap;

use tokio::sync::mpsc;

use super::client::RoomClient;
use super::requests::{Decide, Decided, Decision, Request, Verdict};
use super::task::RoomUpdate;
use super::{EventKind, Member};
use crate::app::Msg;
use crate::domain::UnixTime;

/// This cockpit's requests still waiting: the request's id, and the action's dialog number.
pub(super) type Mine = BTreeMap<u64, u64>;

async fn send(inbox: &mpsc::Sender<Msg>, update: RoomUpdate) {
    let _ = inbox.send(Msg::Room(update)).await;
}

/// "Scale deployment pos/pos-catalog: replicas 3 → 5"
fn what(request: &Request) -> String {
    format!("{}: {}", request.action.title(), request.change)
}

/// Posts the request; its number comes back as `RequestPosted`, a failure as `RequestNotPosted`.
pub(super) async fn post(
    client: &mut RoomClient,
    me: &Member,
    expiry: std::time::Duration,
    (seq, request): (u64, Request),
    mine: &mut Mine,
    inbox: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let posted = match client.post_request(&request, expiry).await {
        Ok(posted) => posted,
        Err(e) => {
            let why = e.to_string();
            send(
                inbox,
                RoomUpdate::RequestNotPosted {
                    seq,
                    why: why.clone(),
                },
            )
            .await;
            return Err(why);
        }
    };
    mine.insert(posted.id, seq);
    let text = format!(
        "⧗ {} asks a second operator: {} (request {}, expires {} UTC)",
        me.operator,
        what(&posted),
        posted.id,
        UnixTime(posted.expires).clock_utc()
    );
    send(
        inbox,
        RoomUpdate::RequestPosted {
            seq,
            request: Box::new(posted),
        },
    )
    .await;
    client
        .publish(me, EventKind::Request, &text)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Approves or rejects request `id` as this cockpit's operator; the answer comes back as
/// `DecideAnswer`, and a decision made is said on the room's stream.
pub(super) async fn decide(
    client: &mut RoomClient,
    me: &Member,
    (id, approve, reason): (u64, bool, String),
    inbox: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let how = if approve {
        Decide::Approve
    } else {
        Decide::Reject
    };
    let request = client.request(id).await.map_err(|e| e.to_string())?;
    let answer = client.decide(id, how, &me.operator, &reason).await;
    let answer = answer.map_err(|e| e.to_string());
    if let (Ok(Decided::Now(decision)), Some(request)) = (&answer, &request) {
        let text = decision_text(request, decision);
        client
            .publish(me, EventKind::Decision, &text)
            .await
            .map_err(|e| e.to_string())?;
    }
    send(inbox, RoomUpdate::DecideAnswer { id, result: answer }).await;
    Ok(())
}

/// "✔ bob approved request 7 (alice: Scale …)", "✘ bob rejected request 7 (…): not now".
pub fn decision_text(request: &Request, decision: &Decision) -> String {
    let whose = format!("{}: {}", request.operator, what(request));
    match decision.kind {
        Verdict::Approved => format!(
            "✔ {} approved request {} ({whose})",
            decision.by, request.id
        ),
        Verdict::Rejected => format!(
            "✘ {} rejected request {} ({whose}): {}",
            decision.by,
            request.id,
            decision.reason.as_deref().unwrap_or("no reason given")
        ),
        Verdict::Expired => format!(
            "✘ request {} expired, nobody approved it ({whose})",
            request.id
        ),
    }
}

/// The room's pending requests (sent when they changed) and this cockpit's own (each decided
/// one sent once, an expired one marked expired and said on the stream).
pub(super) async fn poll(
    client: &mut RoomClient,
    me: &Member,
    mine: &mut Mine,
    shown: &mut Option<Vec<Request>>,
    inbox: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    for (id, seq) in mine.clone() {
        let checked = client
            .decide(id, Decide::Check, &me.operator, "")
            .await
            .map_err(|e| e.to_string())?;
        let expired_now = matches!(&checked, Decided::Now(_));
        match checked {
            Decided::Pending | Decided::SelfApproval => continue,
            Decided::Missing => {
                mine.remove(&id);
                let why = format!("request {id} is no longer in the war room");
                send(inbox, RoomUpdate::RequestNotPosted { seq, why }).await;
                continue;
            }
            Decided::Now(_) | Decided::Already(_) => {}
        }
        let Some(request) = client.request(id).await.map_err(|e| e.to_string())? else {
            continue;
        };
        mine.remove(&id);
        if expired_now && let Some(decision) = &request.decision {
            let text = decision_text(&request, decision);
            client
                .publish(me, EventKind::Decision, &text)
                .await
                .map_err(|e| e.to_string())?;
        }
        let request = Box::new(request);
        send(inbox, RoomUpdate::RequestDecided { seq, request }).await;
    }
    let mut pending = client.pending_requests().await.map_err(|e| e.to_string())?;
    // A request whose cockpit has gone is expired by whoever reads it after its time (the
    // script judges by the server's clock: a clock ahead of it only asks early).
    let now = UnixTime::now().0;
    let mut expired = Vec::new();
    for request in pending.iter().filter(|r| r.expires <= now) {
        let checked = client
            .decide(request.id, Decide::Check, &me.operator, "")
            .await
            .map_err(|e| e.to_string())?;
        match checked {
            Decided::Now(decision) => {
                let text = decision_text(request, &decision);
                client
                    .publish(me, EventKind::Decision, &text)
                    .await
                    .map_err(|e| e.to_string())?;
                expired.push(request.id);
            }
            Decided::Already(_) | Decided::Missing => expired.push(request.id),
            Decided::Pending | Decided::SelfApproval => {}
        }
    }
    pending.retain(|r| !expired.contains(&r.id));
    if shown.as_ref() != Some(&pending) {
        *shown = Some(pending.clone());
        send(inbox, RoomUpdate::Requests(pending)).await;
    }
    Ok(())
}
