//! The war room as the cockpit sees it: connected or not, who is here, and the room's events
//! joining the timeline (other cockpits' actions and everyone's notes). Notes typed here go to
//! the local timeline at once and to the room when there is one.

use crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::msg::Effect;
use super::state::State;
use super::timeline::{Entry, Status};
use crate::config::Command;
use crate::domain::Level;
use crate::warroom::task::RoomUpdate;
use crate::warroom::{EventKind, Member};

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Connecting,
    Connected,
    Disconnected(String),
}

#[derive(Debug, Clone)]
pub struct RoomState {
    pub name: String,
    /// This cockpit's member id (its own events are already in the timeline).
    pub me: String,
    pub connection: Connection,
    pub members: Vec<Member>,
    /// The newest room event taken into the timeline, so a reconnect does not repeat any.
    last_event: Option<String>,
}

impl RoomState {
    pub fn new(name: &str, me: &str) -> RoomState {
        RoomState {
            name: name.into(),
            me: me.into(),
            connection: Connection::Connecting,
            members: Vec::new(),
            last_event: None,
        }
    }
}

/// Stream ids (`1732345678901-0`) in order.
fn stream_order(id: &str) -> (u64, u64) {
    let (ms, seq) = id.split_once('-').unwrap_or((id, "0"));
    (ms.parse().unwrap_or(0), seq.parse().unwrap_or(0))
}

pub fn on_update(state: &mut State, update: RoomUpdate) {
    let Some(room) = state.room.as_mut() else {
        return;
    };
    state.dirty = true;
    match update {
        RoomUpdate::Connected => {
            if room.connection != Connection::Connected {
                room.connection = Connection::Connected;
                let name = room.name.clone();
                state.notify(format!("joined war room `{name}`"), Level::Ok, 4);
            }
        }
        RoomUpdate::Disconnected(reason) => {
            let was_connected = room.connection == Connection::Connected;
            room.connection = Connection::Disconnected(reason.clone());
            room.members.clear();
            if was_connected {
                state.notify(
                    format!("war room disconnected ({reason}); working alone, leases are local"),
                    Level::Warn,
                    10,
                );
            }
        }
        RoomUpdate::Members(members) => room.members = members,
        RoomUpdate::Events(events) => {
            let me = room.me.clone();
            let after = room.last_event.as_deref().map(stream_order);
            let fresh: Vec<_> = events
                .into_iter()
                .filter(|e| after.is_none_or(|a| stream_order(&e.id) > a))
                .collect();
            if let Some(newest) = fresh.last() {
                room.last_event = Some(newest.id.clone());
            }
            for event in fresh.into_iter().filter(|e| e.member != me) {
                state.timeline.push(Entry {
                    seq: 0,
                    started: event.at,
                    finished: None,
                    operator: event.who,
                    title: event.text,
                    target: String::new(),
                    status: match event.kind {
                        EventKind::Note => Status::Note,
                        kind => Status::Remote(kind),
                    },
                    output: Vec::new(),
                });
            }
        }
    }
}

/// Opens the note line.
pub fn open_note(state: &mut State) {
    let mut input = TextArea::default();
    input
        .set_placeholder_text("a note for the timeline (and the room): what you see, what you try");
    state.note_input = Some(input);
    state.show_timeline = true;
}

/// A key while a note is typed: Enter keeps it, Esc drops it.
pub fn on_note_key(state: &mut State, command: Option<Command>, key: KeyEvent) -> Vec<Effect> {
    state.dirty = true;
    match command {
        Some(Command::FilterAccept) => {
            let Some(input) = state.note_input.take() else {
                return Vec::new();
            };
            let text = input.lines().join(" ").trim().to_string();
            if text.is_empty() {
                return Vec::new();
            }
            state.timeline.push(Entry {
                seq: 0,
                started: state.now,
                finished: None,
                operator: state.settings.operator.clone(),
                title: text.clone(),
                target: String::new(),
                status: Status::Note,
                output: Vec::new(),
            });
            if state.room.is_some() {
                return vec![Effect::PublishNote(text)];
            }
            Vec::new()
        }
        Some(Command::FilterCancel) => {
            state.note_input = None;
            Vec::new()
        }
        _ => {
            if let Some(input) = state.note_input.as_mut() {
                input.input(key);
            }
            Vec::new()
        }
    }
}
