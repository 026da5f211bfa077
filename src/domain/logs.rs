//! Log lines as the cockpit keeps them: a bounded ring per stream (the oldest go first), each
//! line with its entry's level (`log_level`: a stack trace goes with the line that logged it)
//! and the kubelet's timestamp kept apart from the line's own text.

use std::collections::VecDeque;

pub use super::log_level::{LogEntries, LogLevel, split_stamp};

/// What to read of a pod's log, as `kubectl logs` flags name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOptions {
    pub container: Option<String>,
    pub tail_lines: Option<u64>,
    pub since_seconds: Option<u64>,
    pub timestamps: bool,
    pub previous: bool,
    pub follow: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Which of a pane's sources (a workload's pods) it came from, when it shows several.
    pub source: Option<u16>,
    /// The line as it came, the kubelet's timestamp in front when the stream has them.
    pub text: Box<str>,
    /// Where the line's own text starts: after the timestamp and its space (0 without one).
    pub body_at: u8,
    /// Its entry's level: a stack trace's lines have the level of the line that began it.
    pub level: LogLevel,
}

impl LogLine {
    /// The line's own text, without the kubelet's timestamp.
    pub fn body(&self) -> &str {
        &self.text[usize::from(self.body_at)..]
    }

    /// The kubelet's timestamp, as it wrote it.
    pub fn stamp(&self) -> Option<&str> {
        let at = usize::from(self.body_at);
        (at > 0).then(|| &self.text[..at - 1])
    }

    /// The timestamp as the pane shows it, to the second and with the day (`Dec 01
    /// 10:35:11`, UTC, `STAMP_WIDTH` columns): a quiet pod's tail may reach back days.
    pub fn short_stamp(&self) -> Option<String> {
        let stamp = self.stamp()?;
        let month: usize = stamp.get(5..7)?.parse().ok()?;
        let name = MONTHS.get(month.checked_sub(1)?)?;
        Some(format!(
            "{name} {} {}",
            stamp.get(8..10)?,
            stamp.get(11..19)?
        ))
    }
}

/// Columns of `LogLine::short_stamp`.
pub const STAMP_WIDTH: usize = 15;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The newest `cap` lines of a stream.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    cap: usize,
    /// Lines dropped off the front since the stream opened.
    pub dropped: u64,
    /// Each source's entry so far, so that its next line is read as part of it or not.
    entries: Vec<LogEntries>,
}

impl LogBuffer {
    pub fn new(cap: usize) -> LogBuffer {
        LogBuffer {
            lines: VecDeque::with_capacity(cap.min(4096)),
            cap: cap.max(1),
            dropped: 0,
            entries: Vec::new(),
        }
    }

    /// Keeps `text` (dropping the oldest line when full) and returns its entry's level.
    pub fn push(&mut self, source: Option<u16>, text: &str) -> LogLevel {
        if self.lines.len() == self.cap {
            self.lines.pop_front();
            self.dropped += 1;
        }
        let index = source.map_or(0, usize::from);
        if self.entries.len() <= index {
            self.entries.resize_with(index + 1, LogEntries::default);
        }
        let body = split_stamp(text).map_or(text, |(_, body)| body);
        let level = self.entries[index].classify_body(body).level;
        let body_at = text.len() - body.len();
        self.lines.push_back(LogLine {
            source,
            level,
            body_at: u8::try_from(body_at).unwrap_or(0),
            text: text.into(),
        });
        level
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines at or above `min` (all with `LogLevel::Other`), oldest first.
    pub fn at_least(&self, min: LogLevel) -> impl DoubleEndedIterator<Item = &LogLine> {
        self.lines
            .iter()
            .filter(move |l| min == LogLevel::Other || l.level >= min)
    }

    /// Positions, among the lines at or above `min`, of those whose own text (the timestamp
    /// aside) contains `needle` (case-insensitive), for jumping between matches.
    pub fn matches(&self, min: LogLevel, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        let needle = needle.to_lowercase();
        self.at_least(min)
            .enumerate()
            .filter(|(_, l)| contains_folded(l.body(), &needle))
            .map(|(i, _)| i)
            .collect()
    }

    /// The nearest line matching `needle`, among those at or above `min`, going from position
    /// `from` (exclusive) towards older lines (`older`) or newer ones.
    pub fn find(&self, min: LogLevel, needle: &str, from: usize, older: bool) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        let needle = needle.to_lowercase();
        let shown: Vec<&LogLine> = self.at_least(min).collect();
        let hit = |i: &usize| contains_folded(shown[*i].body(), &needle);
        if older {
            (0..from.min(shown.len())).rev().find(hit)
        } else {
            (from.saturating_add(1)..shown.len()).find(hit)
        }
    }
}

/// Whether `text` contains `needle` (already lower-cased), ignoring case.
pub fn contains_folded(text: &str, needle: &str) -> bool {
    if text.is_ascii() && needle.is_ascii() {
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        return needle.is_empty()
            || text
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle));
    }
    text.to_lowercase().contains(needle)
}

/// Where `needle` (already lower-cased) occurs in `text`, ignoring ASCII case: byte ranges, for
/// highlighting. Non-ASCII text is matched exactly as written.
pub fn match_ranges(text: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() || needle.len() > text.len() {
        return out;
    }
    let folded = text.to_ascii_lowercase();
    let mut at = 0;
    while let Some(pos) = folded[at..].find(needle) {
        let start = at + pos;
        out.push(start..start + needle.len());
        at = start + needle.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What "errors only" keeps of `lines`, pushed as one pod's stream.
    fn errors_only(lines: &[&str]) -> Vec<String> {
        let mut buffer = LogBuffer::new(100);
        for line in lines {
            buffer.push(None, line);
        }
        buffer
            .at_least(LogLevel::Error)
            .map(|l| l.text.to_string())
            .collect()
    }

    #[test]
    fn kubelet_timestamps_do_not_hide_a_json_level() {
        let lines = [
            r#"2026-12-01T10:35:11.500000000Z {"level":"error","msg":"job failed"}"#,
            r#"2026-12-01T10:35:12.000000000Z {"level":"warn","msg":"retrying"}"#,
            r#"2026-12-01T10:35:12.500000000Z {"Severity":"CRITICAL","msg":"x"}"#,
            "2026-12-01T10:35:13.000000000Z INFO  request handled",
        ];
        let mut buffer = LogBuffer::new(10);
        let levels: Vec<LogLevel> = lines.iter().map(|l| buffer.push(None, l)).collect();
        assert_eq!(
            levels,
            [
                LogLevel::Error,
                LogLevel::Warn,
                LogLevel::Error,
                LogLevel::Info
            ]
        );
    }

    #[test]
    fn a_stack_trace_is_shown_and_hidden_with_the_entry_it_belongs_to() {
        let lines = [
            "INFO  request handled",
            "ERROR unhandled exception in worker, exiting",
            "Traceback (most recent call last):",
            "  File \"/app/worker.py\", line 88, in run",
            "    result = model.predict(batch)",
            "MemoryError: unable to allocate 2.1 GiB for an array",
            "INFO  restarting",
        ];
        assert_eq!(errors_only(&lines), lines[1..6]);
        // With the kubelet's timestamps in front, the same.
        let stamped: Vec<String> = lines
            .iter()
            .map(|l| format!("2026-12-01T10:35:11.500000000Z {l}"))
            .collect();
        let stamped: Vec<&str> = stamped.iter().map(String::as_str).collect();
        assert_eq!(errors_only(&stamped), stamped[1..6]);
        let mut buffer = LogBuffer::new(1);
        buffer.push(None, stamped[0]);
        let line = buffer.at_least(LogLevel::Other).next().unwrap();
        assert_eq!(line.body(), "INFO  request handled");
        assert_eq!(line.stamp(), Some("2026-12-01T10:35:11.500000000Z"));
        assert_eq!(line.short_stamp().as_deref(), Some("Dec 01 10:35:11"));
        // A Java exception logged at INFO level's neighbour: frames and causes go with it.
        let java = [
            "2026-12-01 10:00:00.123 ERROR 1 --- [main] c.e.Worker : job failed",
            "java.lang.IllegalStateException: no connection",
            "\tat com.example.Worker.run(Worker.java:42)",
            "Caused by: java.net.ConnectException: Connection refused",
            "\t... 12 more",
            "2026-12-01 10:00:01.000 INFO 1 --- [main] c.e.Worker : retrying",
        ];
        assert_eq!(errors_only(&java), java[..5]);
    }

    #[test]
    fn a_traceback_after_an_info_line_is_an_error_entry_of_its_own() {
        // An uncaught exception printed by the runtime, not by a logger: after INFO or WARN
        // it is not theirs (hiding it with them would hide the crash).
        let lines = [
            "INFO  request handled",
            "Traceback (most recent call last):",
            "  File \"/app/worker.py\", line 88, in run",
            "ValueError: bad batch",
            "WARN  slow request",
            "java.lang.OutOfMemoryError: Java heap space",
            "\tat com.example.Cache.grow(Cache.java:9)",
            "panic: runtime error: index out of range [3] with length 3",
            "",
            "goroutine 1 [running]:",
        ];
        assert_eq!(errors_only(&lines), [&lines[1..4], &lines[5..]].concat());
    }

    #[test]
    fn the_ring_keeps_the_newest_and_filters_and_searches() {
        let mut buffer = LogBuffer::new(3);
        for line in ["INFO a", "ERROR b", "WARN c", "ERROR d Boom"] {
            buffer.push(None, line);
        }
        assert_eq!(buffer.len(), 3);
        assert_eq!(buffer.dropped, 1);
        let errors: Vec<&str> = buffer.at_least(LogLevel::Error).map(|l| &*l.text).collect();
        assert_eq!(errors, ["ERROR b", "ERROR d Boom"]);
        assert_eq!(buffer.at_least(LogLevel::Warn).count(), 3);
        assert_eq!(buffer.matches(LogLevel::Other, "boom"), [2]);
        assert_eq!(buffer.matches(LogLevel::Error, "boom"), [1]);
        assert_eq!(buffer.matches(LogLevel::Other, "B"), [0, 2]);
        // Jumps: older from the end, newer from the start, none past the last.
        assert_eq!(buffer.find(LogLevel::Other, "b", 3, true), Some(2));
        assert_eq!(buffer.find(LogLevel::Other, "b", 2, true), Some(0));
        assert_eq!(buffer.find(LogLevel::Other, "b", 0, true), None);
        assert_eq!(buffer.find(LogLevel::Other, "b", 0, false), Some(2));
        assert_eq!(buffer.find(LogLevel::Other, "b", 2, false), None);
        assert_eq!(match_ranges("Boom boOM", "boom"), [0..4, 5..9]);
        assert!(match_ranges("ab", "abc").is_empty());
    }
}
