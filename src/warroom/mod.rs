//! The war room: cockpits of one incident aware of each other through a Redis they all reach.
//! Each cockpit keeps a presence entry alive (a key with a TTL: gone when it quits, expired when
//! it dies); notes and every action's intent and outcome go to the room's stream, which every
//! cockpit reads into its timeline; an action takes a lease on its target first, so two
//! operators cannot act on the same thing at once.
//!
//! `client.rs` talks to Redis; `lease.rs` is the lease protocol; `requests.rs` the two-person
//! requests' (posted, approved or rejected by another operator, expired); `task.rs` is the
//! cockpit's background task that keeps it in the room.

pub mod client;
pub mod guard;
pub mod lease;
pub mod requests;
pub mod task;
mod task_requests;
pub use task_requests::decision_text;

use serde::{Deserialize, Serialize};

use crate::domain::UnixTime;

/// One cockpit in the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Unique per cockpit (one operator may run two).
    pub id: String,
    pub operator: String,
    pub host: String,
    /// The panel it shows.
    pub panel: String,
    pub readonly: bool,
    /// Unix seconds when it joined.
    pub joined: i64,
    /// What it shows, for cockpits that follow it.
    #[serde(default)]
    pub view: View,
}

/// What a cockpit shows, as far as a follower mirrors it: the panel, the table's filter, sort
/// and selected position, and whether the details are open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub panel: String,
    pub filter: String,
    pub sort_column: usize,
    pub sort_descending: bool,
    pub selected: usize,
    pub details: bool,
}

/// The incident the room works on: shown as a banner with a running clock on every cockpit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// `P0` (worst) to `P3`.
    pub severity: String,
    pub title: String,
    pub opened_by: String,
    /// Unix seconds.
    pub opened_at: i64,
}

impl Incident {
    /// Reads "P1 checkout failing" (severity first, P2 when not given).
    pub fn parse(text: &str, opened_by: &str, now: UnixTime) -> Option<Incident> {
        let text = text.trim();
        let (severity, title) = match text.split_once(' ') {
            Some((first, rest)) if Self::is_severity(first) => (first.to_uppercase(), rest.trim()),
            _ if Self::is_severity(text) => (text.to_uppercase(), ""),
            _ => ("P2".to_string(), text),
        };
        (!title.is_empty()).then(|| Incident {
            severity,
            title: title.to_string(),
            opened_by: opened_by.to_string(),
            opened_at: now.0,
        })
    }

    fn is_severity(word: &str) -> bool {
        matches!(word.to_uppercase().as_str(), "P0" | "P1" | "P2" | "P3")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Free text from an operator.
    Note,
    /// An action about to be carried out.
    Intent,
    /// What an action came to.
    Outcome,
    /// An action held back by a two-person rule, asking for a second operator.
    Request,
    /// A request approved, rejected or expired.
    Decision,
}

/// One entry of the room's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomEvent {
    /// The stream's id: orders the events.
    pub id: String,
    pub at: UnixTime,
    /// Who: the operator.
    pub who: String,
    /// The cockpit it came from, so a cockpit can tell its own.
    pub member: String,
    pub kind: EventKind,
    pub text: String,
}

/// The key names of one room.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn new(room: &str) -> Keys {
        Keys {
            prefix: format!("opsdeck:room:{room}"),
        }
    }

    pub fn member(&self, id: &str) -> String {
        format!("{}:member:{id}", self.prefix)
    }

    pub fn members_pattern(&self) -> String {
        format!("{}:member:*", self.prefix)
    }

    pub fn events(&self) -> String {
        format!("{}:events", self.prefix)
    }

    /// The channel a cockpit's views are published on, for its followers.
    pub fn views(&self, id: &str) -> String {
        format!("{}:views:{id}", self.prefix)
    }

    pub fn incident(&self) -> String {
        format!("{}:incident", self.prefix)
    }

    pub fn lease(&self, target: &str) -> String {
        format!("{}:lease:{target}", self.prefix)
    }

    /// The counter two-person requests take their numbers from.
    pub fn request_seq(&self) -> String {
        format!("{}:request-seq", self.prefix)
    }

    pub fn request(&self, id: u64) -> String {
        format!("{}:request:{id}", self.prefix)
    }

    /// The pending requests, scored by when they expire.
    pub fn requests(&self) -> String {
        format!("{}:requests", self.prefix)
    }
}

/// Why the room cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WarroomError {
    #[error("the war room's Redis URL is not valid ({0})")]
    BadUrl(String),
    #[error("war room Redis: {0}")]
    Redis(String),
}

impl From<redis::RedisError> for WarroomError {
    fn from(e: redis::RedisError) -> Self {
        WarroomError::Redis(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_reads_its_severity_first_and_needs_a_title() {
        let at = UnixTime(100);
        let i = Incident::parse("p1 checkout failing", "alice", at).unwrap();
        assert_eq!(
            (i.severity.as_str(), i.title.as_str()),
            ("P1", "checkout failing")
        );
        let i = Incident::parse("payments slow", "alice", at).unwrap();
        assert_eq!(i.severity, "P2", "P2 unless given");
        assert!(Incident::parse("P0", "alice", at).is_none());
        assert!(Incident::parse("  ", "alice", at).is_none());
        assert_eq!(Incident::parse("P5 odd", "a", at).unwrap().title, "P5 odd");
    }
}
