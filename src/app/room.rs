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
use crate::warroom::{EventKind, Incident, Member, View};

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

pub fn on_update(state: &mut State, update: RoomUpdate) -> Vec<Effect> {
    let Some(room) = state.room.as_mut() else {
        return Vec::new();
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
        RoomUpdate::Members(members) => {
            room.members = members;
            // `--follow OPERATOR` before that operator's cockpit was seen: follow it now.
            let me = room.me.clone();
            if let Some((operator, None)) = &state.follow
                && let Some(found) = room
                    .members
                    .iter()
                    .find(|m| &m.operator == operator && m.id != me)
            {
                let id = found.id.clone();
                let text = format!("following {operator}: any key leaves");
                state.follow = Some((operator.clone(), Some(id.clone())));
                state.notify(text, Level::Ok, 6);
                return vec![Effect::Follow(Some(id))];
            }
        }
        RoomUpdate::Incident(incident) => {
            if incident != state.incident {
                let text = match &incident {
                    Some(i) => format!(
                        "{} incident opened by {}: {}",
                        i.severity, i.opened_by, i.title
                    ),
                    None => "the incident was closed".to_string(),
                };
                state.incident = incident;
                state.notify(text, Level::Warn, 8);
            }
        }
        RoomUpdate::Followed(member) => {
            if state
                .follow
                .as_ref()
                .is_some_and(|(_, id)| id.as_deref() == Some(&member.id))
            {
                super::update::apply_view(state, &member.view);
            }
        }
        RoomUpdate::Requests(pending) => state.requests.pending = pending,
        RoomUpdate::RequestPosted { seq, request } => {
            super::requests::on_posted(state, seq, &request)
        }
        RoomUpdate::RequestNotPosted { seq, why } => {
            super::requests::on_not_posted(state, seq, why)
        }
        RoomUpdate::RequestDecided { seq, request } => {
            return super::requests::on_decided(state, seq, &request);
        }
        RoomUpdate::DecideAnswer { id, result } => {
            return super::requests::on_decide_answer(state, id, result);
        }
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
    Vec::new()
}

/// What this cockpit shows, for its presence entry and its followers.
pub fn current_view(state: &State) -> View {
    let (filter, sort, selected) = state
        .tables
        .view_of(state.panel)
        .map_or((String::new(), (0, false), 0), |(f, s, i)| {
            (f.to_string(), (s.column, s.descending), i)
        });
    View {
        panel: state.panel.title().to_string(),
        filter,
        sort_column: sort.0,
        sort_descending: sort.1,
        selected,
        details: state.details,
    }
}

/// Follows `member` (chosen in the Room pane).
pub fn follow(state: &mut State, member: &Member) -> Vec<Effect> {
    state.follow = Some((member.operator.clone(), Some(member.id.clone())));
    state.notify(
        format!("following {}: any key leaves", member.operator),
        Level::Ok,
        6,
    );
    vec![Effect::Follow(Some(member.id.clone()))]
}

/// A key while following: it leaves follow mode (and does nothing else).
pub fn stop_following(state: &mut State) -> Vec<Effect> {
    let Some((operator, _)) = state.follow.take() else {
        return Vec::new();
    };
    state.notify(format!("stopped following {operator}"), Level::Ok, 4);
    vec![Effect::Follow(None)]
}

/// What the line being typed is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputPurpose {
    #[default]
    Note,
    OpenIncident,
    CloseIncident,
    /// The reason two-person request N is rejected.
    Reject(u64),
}

impl InputPurpose {
    pub fn prompt(self) -> &'static str {
        match self {
            InputPurpose::Note => " note: ",
            InputPurpose::OpenIncident => " incident: ",
            InputPurpose::CloseIncident => " resolved: ",
            InputPurpose::Reject(_) => " rejected because: ",
        }
    }
}

/// Opens the note line.
pub fn open_note(state: &mut State) {
    let mut input = TextArea::default();
    input
        .set_placeholder_text("a note for the timeline (and the room): what you see, what you try");
    state.note_input = Some(input);
    state.note_purpose = InputPurpose::Note;
    state.show_timeline = true;
}

/// Opens the line that opens an incident, or closes the open one with its resolution.
pub fn open_incident_input(state: &mut State) {
    let mut input = TextArea::default();
    let purpose = if state.incident.is_some() {
        input.set_placeholder_text("what resolved it (closes the incident)");
        InputPurpose::CloseIncident
    } else {
        input.set_placeholder_text("P1 what is broken (severity P0 to P3, then a title)");
        InputPurpose::OpenIncident
    };
    state.note_input = Some(input);
    state.note_purpose = purpose;
}

/// Opens or closes the incident from what was typed; the note that says so joins the timeline.
fn incident_typed(state: &mut State, text: String) -> Vec<Effect> {
    let (incident, note) = match state.note_purpose {
        InputPurpose::OpenIncident => {
            let Some(incident) = Incident::parse(&text, &state.settings.operator, state.now) else {
                state.notify(
                    "give the incident a title, e.g. `P1 checkout failing`",
                    Level::Warn,
                    5,
                );
                return Vec::new();
            };
            let note = format!(
                "opened a {} incident: {}",
                incident.severity, incident.title
            );
            (Some(incident), note)
        }
        _ => {
            let Some(open) = state.incident.as_ref() else {
                return Vec::new();
            };
            let took = crate::domain::time::format_age(
                state.now.0.saturating_sub(open.opened_at).max(0) as u64,
            );
            let note = format!("closed the {} incident after {took}: {text}", open.severity);
            (None, note)
        }
    };
    state.incident = incident.clone();
    push_note(state, note.clone());
    if state.room.is_some() {
        return vec![Effect::SetIncident(incident, note)];
    }
    Vec::new()
}

fn push_note(state: &mut State, text: String) {
    state.timeline.push(Entry {
        seq: 0,
        started: state.now,
        finished: None,
        operator: state.settings.operator.clone(),
        title: text,
        target: String::new(),
        status: Status::Note,
        output: Vec::new(),
    });
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
            if let InputPurpose::Reject(id) = state.note_purpose {
                return super::requests::rejected(state, id, text);
            }
            if state.note_purpose != InputPurpose::Note {
                return incident_typed(state, text);
            }
            push_note(state, text.clone());
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
