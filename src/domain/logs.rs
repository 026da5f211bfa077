//! Log lines as the cockpit keeps them: a bounded ring per stream (the oldest go first), each
//! line with the level it shows, read from the shapes logs come in — a plain `ERROR`,
//! `level=error`, or a JSON object with a `level` or `severity` field.

use std::collections::VecDeque;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    Other,
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    fn from_word(word: &str) -> Option<LogLevel> {
        Some(match word.to_ascii_lowercase().as_str() {
            "error" | "err" | "fatal" | "critical" | "crit" | "panic" | "alert" | "emergency" => {
                LogLevel::Error
            }
            "warn" | "warning" => LogLevel::Warn,
            "info" | "notice" => LogLevel::Info,
            "debug" | "trace" => LogLevel::Debug,
            _ => return None,
        })
    }

    /// The level a line shows: a JSON `level`/`severity`, a `level=` pair, or a leading (or
    /// bracketed) level word, after an optional timestamp. `Other` when it shows none.
    pub fn detect(line: &str) -> LogLevel {
        let text = line.trim_start();
        if text.starts_with('{')
            && let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text)
        {
            return ["level", "severity", "lvl"]
                .iter()
                .find_map(|k| map.get(*k).and_then(|v| v.as_str()))
                .and_then(LogLevel::from_word)
                .unwrap_or(LogLevel::Other);
        }
        for token in text.split_whitespace().take(4) {
            let token = token.trim_matches(|c: char| matches!(c, '[' | ']' | ':' | '"'));
            if let Some(value) = token
                .strip_prefix("level=")
                .or_else(|| token.strip_prefix("lvl="))
                .or_else(|| token.strip_prefix("severity="))
            {
                return LogLevel::from_word(value.trim_matches('"')).unwrap_or(LogLevel::Other);
            }
            if let Some(level) = LogLevel::from_word(token)
                && token.chars().all(|c| c.is_ascii_uppercase())
            {
                return level;
            }
        }
        LogLevel::Other
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Which of a pane's sources (a workload's pods) it came from, when it shows several.
    pub source: Option<u16>,
    pub text: Box<str>,
    pub level: LogLevel,
}

/// The newest `cap` lines of a stream.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    cap: usize,
    /// Lines dropped off the front since the stream opened.
    pub dropped: u64,
}

impl LogBuffer {
    pub fn new(cap: usize) -> LogBuffer {
        LogBuffer {
            lines: VecDeque::with_capacity(cap.min(4096)),
            cap: cap.max(1),
            dropped: 0,
        }
    }

    /// Keeps `text` (dropping the oldest line when full) and returns the level it shows.
    pub fn push(&mut self, source: Option<u16>, text: &str) -> LogLevel {
        if self.lines.len() == self.cap {
            self.lines.pop_front();
            self.dropped += 1;
        }
        let level = LogLevel::detect(text);
        self.lines.push_back(LogLine {
            source,
            level,
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

    /// Positions, among the lines at or above `min`, of those containing `needle`
    /// (case-insensitive), for jumping between matches.
    pub fn matches(&self, min: LogLevel, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        let needle = needle.to_lowercase();
        self.at_least(min)
            .enumerate()
            .filter(|(_, l)| contains_folded(&l.text, &needle))
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
        let hit = |i: &usize| contains_folded(&shown[*i].text, &needle);
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

    #[test]
    fn levels_are_read_from_the_common_shapes() {
        let cases = [
            ("ERROR upstream timeout", LogLevel::Error),
            ("2026-11-22T10:00:00Z WARN  slow request", LogLevel::Warn),
            ("ts=2026-11-22 level=error msg=\"boom\"", LogLevel::Error),
            ("time=x level=info msg=ok", LogLevel::Info),
            (r#"{"level":"warn","msg":"retrying"}"#, LogLevel::Warn),
            (r#"{"severity":"ERROR","message":"x"}"#, LogLevel::Error),
            ("[ERROR] disk full", LogLevel::Error),
            ("request handled with no error", LogLevel::Other),
            ("Traceback (most recent call last):", LogLevel::Other),
            ("{not json", LogLevel::Other),
        ];
        for (line, level) in cases {
            assert_eq!(LogLevel::detect(line), level, "{line}");
        }
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
