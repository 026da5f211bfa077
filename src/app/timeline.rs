//! This session's actions, in order, with who did what to which target and how it ended.

use crate::domain::UnixTime;

/// Output lines kept per action (a backup command's, say); the oldest go first.
pub const OUTPUT_KEPT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Running {
        progress: Option<String>,
    },
    Succeeded(String),
    Failed(String),
    /// A note, typed here or in another cockpit of the room (the entry's title is its text).
    Note,
    /// Another cockpit's action as the room reported it (the title says what).
    Remote(crate::warroom::EventKind),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The action's number; 0 for notes and other cockpits' entries.
    pub seq: u64,
    pub started: UnixTime,
    pub finished: Option<UnixTime>,
    pub operator: String,
    pub title: String,
    pub target: String,
    pub status: Status,
    /// The action's progress lines as they came (a command's output), the newest last.
    pub output: Vec<String>,
}

impl Entry {
    pub fn add_output(&mut self, line: String) {
        if self.output.len() == OUTPUT_KEPT {
            self.output.remove(0);
        }
        self.output.push(line);
    }
}
