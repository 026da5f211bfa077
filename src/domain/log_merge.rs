//! The first lines of several pods' logs, merged by time. Each pod's tail arrives whole, one
//! pod after another; shown as they come, a workload's log would read pod after pod, with lines
//! written a minute apart side by side. So the tails are gathered first (until every stream has
//! sent its tail or ended, or a short wait is over) and put in the order of the kubelet's
//! timestamps; the lines after them are shown as they arrive.

use std::time::Duration;

use super::log_level::split_stamp;

/// The tails being gathered.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlog {
    /// Lines each stream's tail has (`tailLines`); `None`: the whole log, so only an end or
    /// the wait completes it.
    tail: Option<u64>,
    taken: Vec<u64>,
    ended: Vec<bool>,
    /// Each stream's newest time so far: a line without a timestamp keeps its place after it.
    newest: Vec<Duration>,
    lines: Vec<(Duration, u16, String)>,
}

impl Backlog {
    pub fn new(streams: usize, tail: Option<u64>) -> Backlog {
        Backlog {
            tail,
            taken: vec![0; streams],
            ended: vec![false; streams],
            newest: vec![Duration::ZERO; streams],
            lines: Vec::new(),
        }
    }

    pub fn push(&mut self, stream: u16, line: String) {
        let i = usize::from(stream);
        let Some(taken) = self.taken.get_mut(i) else {
            return;
        };
        *taken += 1;
        let at = split_stamp(&line).map_or(self.newest[i], |(at, _)| at.max(self.newest[i]));
        self.newest[i] = at;
        self.lines.push((at, stream, line));
    }

    /// The stream ended (or could not be opened): it sends no more.
    pub fn end(&mut self, stream: u16) {
        if let Some(ended) = self.ended.get_mut(usize::from(stream)) {
            *ended = true;
        }
    }

    /// The stream has sent its whole tail, or ended.
    pub fn has_tail(&self, stream: u16) -> bool {
        let i = usize::from(stream);
        self.ended.get(i).is_none_or(|ended| *ended)
            || self.tail.is_some_and(|t| self.taken[i] >= t)
    }

    /// Every stream has sent its whole tail, or ended.
    pub fn complete(&self) -> bool {
        (0..self.taken.len()).all(|i| self.has_tail(i as u16))
    }

    /// The lines gathered, oldest first; lines of the same time keep the order they came in
    /// (a stack trace written at once stays whole).
    pub fn merged(mut self) -> Vec<(u16, String)> {
        self.lines.sort_by_key(|(at, _, _)| *at);
        self.lines
            .into_iter()
            .map(|(_, stream, line)| (stream, line))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_are_merged_by_their_timestamps_and_complete_when_each_is_whole() {
        let mut backlog = Backlog::new(3, Some(2));
        let stamped = |s: u32, text: &str| format!("2026-12-01T10:00:{s:02}.000000000Z {text}");
        // Pod 0's tail arrives whole, then pod 1's: 40 s apart in time.
        backlog.push(0, stamped(10, "a0"));
        backlog.push(0, stamped(50, "a1"));
        assert!(!backlog.complete());
        assert!(backlog.has_tail(0) && !backlog.has_tail(1));
        backlog.push(1, stamped(11, "b0"));
        backlog.push(1, "no stamp: after b0".to_string());
        backlog.push(1, stamped(50, "b1"));
        assert!(!backlog.complete(), "pod 2 has sent nothing yet");
        backlog.end(2);
        assert!(backlog.complete());
        let order: Vec<(u16, String)> = backlog.merged();
        let texts: Vec<&str> = order
            .iter()
            .map(|(_, l)| l.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(texts, ["a0", "b0", "b0", "a1", "b1"]);
        assert_eq!(order[2], (1, "no stamp: after b0".to_string()));
        // Without a tail bound only an end completes a stream.
        let mut whole = Backlog::new(1, None);
        whole.push(0, stamped(1, "x"));
        assert!(!whole.complete());
    }
}
