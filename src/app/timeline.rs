//! This session's actions, in order, with who did what to which target and how it ended.

use crate::domain::UnixTime;

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
}
