//! This session's actions, in order, with who did what to which target and how it ended.

use crate::domain::UnixTime;

/// Output lines kept per action (a backup command's, say); the oldest go first.
pub const OUTPUT_KEPT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Running { progress: Option<String> },
    Succeeded(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
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
