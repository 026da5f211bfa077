//! The cockpit's war-room task: joins the room, keeps its presence alive with the panel it
//! shows, reads who is here and what the room says into the inbox, publishes what the cockpit
//! asks, and reconnects (with backoff) when Redis goes away. The cockpit keeps working alone
//! meanwhile; the room shows as disconnected.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::client::{RoomClient, read_after};
use super::{EventKind, Member, RoomEvent};
use crate::app::Msg;
use crate::config::WarroomConfig;

/// Events read back on joining.
const HISTORY: usize = 100;

/// What the room task tells the cockpit.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomUpdate {
    Connected,
    Disconnected(String),
    Members(Vec<Member>),
    Events(Vec<RoomEvent>),
    /// The followed cockpit's entry, each time its view changes.
    Followed(Member),
    /// The room's incident, when it opens, changes or closes.
    Incident(Option<super::Incident>),
    /// The room's pending two-person requests, when they changed.
    Requests(Vec<super::requests::Request>),
    /// This cockpit's request for action `seq` is posted, with its number and expiry.
    RequestPosted {
        seq: u64,
        request: Box<super::requests::Request>,
    },
    /// This cockpit's request for action `seq` could not be posted (or is gone).
    RequestNotPosted {
        seq: u64,
        why: String,
    },
    /// This cockpit's request for action `seq` is decided: approved, rejected or expired.
    RequestDecided {
        seq: u64,
        request: Box<super::requests::Request>,
    },
    /// What this operator's approval or rejection of request `id` came to.
    DecideAnswer {
        id: u64,
        result: Result<super::requests::Decided, String>,
    },
}

enum Command {
    Publish(EventKind, String),
    /// Open (`Some`) or close the room's incident, with the note that says so.
    Incident(Option<super::Incident>, String),
    /// Ask the room to approve action `seq`.
    Request(u64, Box<super::requests::Request>),
    /// Approve (`true`) or reject request `id`, with a reason.
    Decide(u64, bool, String),
    Leave(tokio::sync::oneshot::Sender<()>),
}

/// The cockpit's side of the task.
#[derive(Clone)]
pub struct RoomHandle {
    pub me: Member,
    pub config: WarroomConfig,
    commands: mpsc::Sender<Command>,
    view: watch::Sender<super::View>,
    /// The member id this cockpit follows.
    following: watch::Sender<Option<String>>,
    /// The connected client, for leases; `None` while disconnected.
    client: watch::Receiver<Option<RoomClient>>,
}

impl RoomHandle {
    pub fn publish(&self, kind: EventKind, text: String) {
        // Other cockpits show and keep it: an outcome's error can name a URL.
        let text = crate::domain::redact::urls(&text).into_owned();
        let _ = self.commands.try_send(Command::Publish(kind, text));
    }

    /// Opens the room's incident (or, with `None`, closes it), noting it in the timeline.
    pub fn set_incident(&self, incident: Option<super::Incident>, note: String) {
        let _ = self.commands.try_send(Command::Incident(incident, note));
    }

    /// What this cockpit shows, for its presence entry (and its followers); announced at once
    /// when it changes.
    pub fn set_view(&self, view: super::View) {
        self.view.send_if_modified(|v| {
            let changed = *v != view;
            if changed {
                *v = view;
            }
            changed
        });
    }

    /// Asks the room for a second operator's approval of action `seq`: answered with
    /// `RequestPosted` (or `RequestNotPosted`), then `RequestDecided`.
    pub fn request(&self, seq: u64, request: super::requests::Request) {
        let command = Command::Request(seq, Box::new(request));
        if let Err(mpsc::error::TrySendError::Full(Command::Request(seq, _))) =
            self.commands.try_send(command)
        {
            tracing::warn!(seq, "the room task is busy: the request was not posted");
        }
    }

    /// Approves or rejects request `id` as this cockpit's operator: answered with `DecideAnswer`.
    pub fn decide(&self, id: u64, approve: bool, reason: String) {
        let _ = self.commands.try_send(Command::Decide(id, approve, reason));
    }

    /// Follows a member (its view arrives as `RoomUpdate::Followed`), or stops.
    pub fn follow(&self, member: Option<String>) {
        self.following.send_replace(member);
    }

    /// The client while connected.
    pub fn client(&self) -> Option<RoomClient> {
        self.client.borrow().clone()
    }

    /// Leaves the room now (on quit), waiting at most a second.
    pub async fn leave(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.commands.send(Command::Leave(tx)).await.is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(1), rx).await;
        }
    }
}

/// Starts the task; updates arrive in the inbox as `Msg::Room`.
pub fn spawn(config: WarroomConfig, me: Member, inbox: mpsc::Sender<Msg>) -> RoomHandle {
    let (commands, rx) = mpsc::channel(64);
    let (view, view_rx) = watch::channel(me.view.clone());
    let (following, following_rx) = watch::channel(None);
    let (client_tx, client) = watch::channel(None);
    let handle = RoomHandle {
        me: me.clone(),
        config: config.clone(),
        commands,
        view,
        following,
        client,
    };
    let watches = Watches {
        view: view_rx,
        following: following_rx,
        client: client_tx,
        mine: Default::default(),
    };
    tokio::spawn(run(config, me, inbox, rx, watches));
    handle
}

async fn send(inbox: &mpsc::Sender<Msg>, update: RoomUpdate) -> bool {
    inbox.send(Msg::Room(update)).await.is_ok()
}

/// What the cockpit changes while the task runs, and the client it hands out for leases.
struct Watches {
    view: watch::Receiver<super::View>,
    following: watch::Receiver<Option<String>>,
    client: watch::Sender<Option<RoomClient>>,
    /// This cockpit's two-person requests still waiting, kept across reconnections.
    mine: super::task_requests::Mine,
}

/// The followed cockpit's views as it publishes them.
type Views = std::pin::Pin<Box<dyn futures::Stream<Item = super::View> + Send>>;

/// The next view of the followed cockpit; never, when none is followed. `None` when the
/// subscription ended (the connection went).
async fn next_view(views: &mut Option<Views>) -> Option<super::View> {
    use futures::StreamExt;
    match views {
        Some(views) => views.next().await,
        None => std::future::pending().await,
    }
}

/// Starts following `id`: its current entry now, its views as they change.
async fn follow(
    client: &mut RoomClient,
    id: Option<String>,
    inbox: &mpsc::Sender<Msg>,
) -> Result<(Option<Member>, Option<Views>), String> {
    let Some(id) = id else {
        return Ok((None, None));
    };
    let views = client.views(&id).await.map_err(|e| e.to_string())?;
    let member = client.member(&id).await.map_err(|e| e.to_string())?;
    if let Some(member) = &member {
        send(inbox, RoomUpdate::Followed(member.clone())).await;
    }
    Ok((member, Some(views)))
}

async fn run(
    config: WarroomConfig,
    mut me: Member,
    inbox: mpsc::Sender<Msg>,
    mut commands: mpsc::Receiver<Command>,
    mut watches: Watches,
) {
    let mut backoff = Duration::from_millis(500);
    loop {
        let reason = match session(&config, &mut me, &inbox, &mut commands, &mut watches).await {
            Ok(()) => return,
            Err(reason) => reason,
        };
        watches.client.send_replace(None);
        tracing::warn!(%reason, "war room disconnected");
        if !send(&inbox, RoomUpdate::Disconnected(reason)).await {
            return;
        }
        // Commands that come while disconnected: notes are dropped (the local timeline has
        // them), a leave is answered at once.
        let deadline = tokio::time::sleep(backoff);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => break,
                command = commands.recv() => match command {
                    Some(Command::Leave(done)) => {
                        let _ = done.send(());
                        return;
                    }
                    Some(Command::Publish(..)) | Some(Command::Incident(..)) => {}
                    Some(Command::Request(seq, _)) => {
                        let why = "the war room is disconnected".to_string();
                        send(&inbox, RoomUpdate::RequestNotPosted { seq, why }).await;
                    }
                    Some(Command::Decide(id, ..)) => {
                        let result = Err("the war room is disconnected".to_string());
                        send(&inbox, RoomUpdate::DecideAnswer { id, result }).await;
                    }
                    None => return,
                },
            }
        }
        backoff = crate::adapters::next_backoff(backoff);
    }
}

/// One connection's life: `Ok` when the cockpit left, `Err` with the reason when Redis failed.
async fn session(
    config: &WarroomConfig,
    me: &mut Member,
    inbox: &mpsc::Sender<Msg>,
    commands: &mut mpsc::Receiver<Command>,
    watches: &mut Watches,
) -> Result<(), String> {
    let mut client = RoomClient::connect(config)
        .await
        .map_err(|e| e.to_string())?;
    client
        .announce(me, config.presence_ttl)
        .await
        .map_err(|e| e.to_string())?;
    let history = client.recent(HISTORY).await.map_err(|e| e.to_string())?;
    // From the newest event seen; with none, from the stream's start (nothing is missed between
    // reading the history and the first blocking read).
    let mut last = history
        .last()
        .map_or_else(|| "0-0".to_string(), |e| e.id.clone());
    watches.client.send_replace(Some(client.clone()));
    send(inbox, RoomUpdate::Connected).await;
    send(inbox, RoomUpdate::Events(history)).await;
    let members = client.members().await.map_err(|e| e.to_string())?;
    send(inbox, RoomUpdate::Members(members)).await;
    let mut incident = client.incident().await.map_err(|e| e.to_string())?;
    send(inbox, RoomUpdate::Incident(incident.clone())).await;

    // The stream is read on a connection of its own, blocking between events.
    let mut reader = client.reader().await.map_err(|e| e.to_string())?;
    let keys = client.keys.clone();
    let (events_tx, mut events) = mpsc::channel::<Result<Vec<RoomEvent>, String>>(16);
    let reading = tokio::spawn(async move {
        loop {
            let result = read_after(&mut reader, &keys, &last, Duration::from_secs(5))
                .await
                .map_err(|e| e.to_string());
            if let Ok(batch) = &result
                && let Some(newest) = batch.last()
            {
                last = newest.id.clone();
            }
            let failed = result.is_err();
            if events_tx.send(result).await.is_err() || failed {
                return;
            }
        }
    });
    let _stop_reading = AbortOnDrop(reading);

    let mut heartbeat = tokio::time::interval(config.heartbeat);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let following = watches.following.borrow_and_update().clone();
    let (mut followed, mut views) = follow(&mut client, following, inbox).await?;
    // The pending requests last sent, so an unchanged list is not sent again.
    let mut requests_shown = None;
    super::task_requests::poll(
        &mut client,
        me,
        &mut watches.mine,
        &mut requests_shown,
        inbox,
    )
    .await?;
    loop {
        tokio::select! {
            _ = heartbeat.tick() => {
                client.announce(me, config.presence_ttl).await.map_err(|e| e.to_string())?;
                let members = client.members().await.map_err(|e| e.to_string())?;
                send(inbox, RoomUpdate::Members(members)).await;
                let now = client.incident().await.map_err(|e| e.to_string())?;
                if now != incident {
                    incident = now;
                    send(inbox, RoomUpdate::Incident(incident.clone())).await;
                }
                super::task_requests::poll(&mut client, me, &mut watches.mine, &mut requests_shown, inbox).await?;
            }
            Ok(()) = watches.view.changed() => {
                me.view = watches.view.borrow_and_update().clone();
                // The entry too, not only the followers: one who starts following reads it.
                me.panel = me.view.panel.clone();
                client.announce(me, config.presence_ttl).await.map_err(|e| e.to_string())?;
                client.publish_view(&me.id, &me.view).await.map_err(|e| e.to_string())?;
            }
            Ok(()) = watches.following.changed() => {
                let following = watches.following.borrow_and_update().clone();
                (followed, views) = follow(&mut client, following, inbox).await?;
            }
            view = next_view(&mut views) => match view {
                Some(view) => {
                    if let Some(member) = followed.as_mut() {
                        member.view = view;
                        send(inbox, RoomUpdate::Followed(member.clone())).await;
                    }
                }
                None => return Err("the followed cockpit's subscription ended".into()),
            },
            batch = events.recv() => match batch {
                Some(Ok(batch)) if !batch.is_empty() => {
                    send(inbox, RoomUpdate::Events(batch)).await;
                    // An incident opens or closes with a note: show it as soon as the note.
                    let now = client.incident().await.map_err(|e| e.to_string())?;
                    if now != incident {
                        incident = now;
                        send(inbox, RoomUpdate::Incident(incident.clone())).await;
                    }
                    // A request or a decision is said on the stream: read them now.
                    super::task_requests::poll(&mut client, me, &mut watches.mine, &mut requests_shown, inbox).await?;
                }
                Some(Ok(_)) => {}
                Some(Err(reason)) => return Err(reason),
                None => return Err("the room's stream reader stopped".into()),
            },
            command = commands.recv() => match command {
                Some(Command::Publish(kind, text)) => {
                    client.publish(me, kind, &text).await.map_err(|e| e.to_string())?;
                }
                Some(Command::Incident(new, note)) => {
                    client.set_incident(new.as_ref()).await.map_err(|e| e.to_string())?;
                    client.publish(me, EventKind::Note, &note).await.map_err(|e| e.to_string())?;
                    incident = new;
                }
                Some(Command::Request(seq, request)) => {
                    let posting = (seq, *request);
                    super::task_requests::post(&mut client, me, config.request_expiry, posting, &mut watches.mine, inbox).await?;
                }
                Some(Command::Decide(id, approve, reason)) => {
                    super::task_requests::decide(&mut client, me, (id, approve, reason), inbox).await?;
                }
                Some(Command::Leave(done)) => {
                    let _ = client.leave(&me.id).await;
                    let _ = done.send(());
                    return Ok(());
                }
                None => {
                    let _ = client.leave(&me.id).await;
                    return Ok(());
                }
            },
        }
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
