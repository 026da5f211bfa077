//! What level a log line shows, and which entry it belongs to: the one classifier behind the
//! logs pane's level filter and the error counts (and so the `log_errors` checks).
//!
//! A line starts an entry or continues the one before (a stack trace's lines belong to the
//! entry that logged it, and are shown, hidden and counted with it). An entry's level comes
//! from its first line: a JSON object's `level` / `severity` / `lvl` (any case), a logfmt
//! `level=` pair, a level word (`ERROR`, `[warn]`, `FATAL`, `PANIC`, klog's `E1122`), after
//! the kubelet's timestamp when there is one.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    Other,
    Debug,
    Info,
    Warn,
    Error,
}

/// The kubelet's timestamp in front of a line (`kubectl logs --timestamps`,
/// `2026-11-22T10:00:00.123456789Z text`): its time, and the line after the one space.
pub fn split_stamp(line: &str) -> Option<(Duration, &str)> {
    let (stamp, rest) = line.split_once(' ')?;
    let b = stamp.as_bytes();
    // The shape first, so that ordinary text is not handed to the parser.
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' || !stamp.ends_with('Z') {
        return None;
    }
    let at = humantime::parse_rfc3339_weak(stamp.trim_end_matches('Z'))
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((at, rest))
}

impl LogLevel {
    fn from_word(word: &str) -> Option<LogLevel> {
        Some(match word.to_ascii_lowercase().as_str() {
            "error" | "err" | "fatal" | "critical" | "crit" | "panic" | "alert" | "emergency"
            | "emerg" | "severe" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" | "notice" => LogLevel::Info,
            "debug" | "trace" => LogLevel::Debug,
            _ => return None,
        })
    }

    /// pino's and bunyan's numbers: 10 trace ... 60 fatal.
    fn from_number(n: f64) -> Option<LogLevel> {
        Some(match n as u64 {
            50.. => LogLevel::Error,
            40..50 => LogLevel::Warn,
            30..40 => LogLevel::Info,
            10..30 => LogLevel::Debug,
            _ => return None,
        })
    }

    /// The level one line shows by itself (the kubelet's timestamp skipped): a JSON
    /// `level`/`severity`/`lvl`, a `level=` pair, or a level word among its first words.
    /// `Other` when it shows none. A line's entry is `LogEntries`' business.
    pub fn detect(line: &str) -> LogLevel {
        let body = split_stamp(line).map_or(line, |(_, rest)| rest);
        detect_body(body).unwrap_or(LogLevel::Other)
    }
}

fn detect_body(body: &str) -> Option<LogLevel> {
    let text = body.trim_start();
    if text.starts_with('{') {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) {
            return Some(json_level(&map).unwrap_or(LogLevel::Other));
        }
    }
    // The runtimes' own last words: Go's panics, a Java thread's uncaught exception.
    if text.starts_with("panic: ")
        || text.starts_with("fatal error: ")
        || text.starts_with("Exception in thread ")
    {
        return Some(LogLevel::Error);
    }
    for (i, token) in text.split_whitespace().take(6).enumerate() {
        if i == 0
            && let Some(level) = klog(token)
        {
            return Some(level);
        }
        let bracketed = token.starts_with(['[', '<']);
        let token = token.trim_matches(|c: char| matches!(c, '[' | ']' | '<' | '>' | ':' | '"'));
        if let Some((key, value)) = token.split_once('=')
            && ["level", "lvl", "severity"]
                .iter()
                .any(|k| key.eq_ignore_ascii_case(k))
        {
            return Some(LogLevel::from_word(value.trim_matches('"')).unwrap_or(LogLevel::Other));
        }
        // A level word in capitals, or in brackets in any case (`[error]`, as nginx writes).
        if let Some(level) = LogLevel::from_word(token)
            && (bracketed || token.chars().all(|c| c.is_ascii_uppercase()))
        {
            return Some(level);
        }
    }
    None
}

/// A JSON line's level, its key in any case (`level`, `Severity`, `lvl`, ECS's `log.level`).
fn json_level(map: &serde_json::Map<String, serde_json::Value>) -> Option<LogLevel> {
    let read = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => LogLevel::from_word(s),
        serde_json::Value::Number(n) => n.as_f64().and_then(LogLevel::from_number),
        _ => None,
    };
    let keys = ["level", "severity", "lvl", "log.level", "loglevel"];
    map.iter()
        .find(|(k, _)| keys.iter().any(|key| k.eq_ignore_ascii_case(key)))
        .and_then(|(_, v)| read(v))
        .or_else(|| {
            // ECS nested: {"log": {"level": "error"}}.
            let serde_json::Value::Object(log) = map.get("log")? else {
                return None;
            };
            log.get("level").and_then(read)
        })
}

/// klog's header (`E1122 10:00:00.123456 1 file.go:12] ...`): a letter for the level and
/// the date's month and day.
fn klog(token: &str) -> Option<LogLevel> {
    let b = token.as_bytes();
    if b.len() != 5 || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(match b[0] {
        b'E' | b'F' => LogLevel::Error,
        b'W' => LogLevel::Warn,
        b'I' => LogLevel::Info,
        _ => return None,
    })
}

/// How a line stands towards the entry before it.
enum Shape {
    /// Starts an entry at this level.
    Head(LogLevel),
    /// Part of a stack trace that an error's entry may have begun: `Traceback (most recent
    /// call last):`, `SomeError: ...`, `java.lang.SomeException: ...`.
    Trace,
    /// Always the entry before's: indented, blank, `at ...`, `Caused by: ...`.
    Continuation,
}

fn shape(body: &str) -> Shape {
    if body.trim().is_empty() || body.starts_with([' ', '\t']) {
        return Shape::Continuation;
    }
    const CONTINUING: [&str; 6] = [
        "at ",
        "Caused by:",
        "... ",
        "During handling of the above exception",
        "The above exception was the direct cause",
        "goroutine ",
    ];
    if CONTINUING.iter().any(|c| body.starts_with(c)) {
        return Shape::Continuation;
    }
    if body.starts_with("Traceback (most recent call last)") || is_exception_line(body) {
        return Shape::Trace;
    }
    Shape::Head(detect_body(body).unwrap_or(LogLevel::Other))
}

/// `MemoryError: unable to allocate`, `java.net.ConnectException: refused`, Node's `Error:
/// boom`, a bare `KeyError`: an exception's name (dotted, ending in Error or Exception), then
/// its message.
fn is_exception_line(body: &str) -> bool {
    let name = body
        .split_once(':')
        .map_or(body, |(name, _)| name)
        .trim_end();
    let named = name.ends_with("Error") || name.ends_with("Exception");
    named
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '$'))
}

/// One stream's lines, in order, classified into entries. Keep one per stream: a pod's stack
/// trace is its own, whatever other pods write in between.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogEntries {
    /// The level of the entry the last line belonged to; `None` before the first line.
    current: Option<LogLevel>,
}

/// A line as `LogEntries` read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified {
    /// Its entry's level.
    pub level: LogLevel,
    /// It begins an entry (counted once); else it continues the one before.
    pub starts_entry: bool,
}

impl LogEntries {
    /// Classifies the next line (the kubelet's timestamp, if any, is skipped).
    ///
    /// A stack trace's first line (`Traceback ...`, `SomeError: ...`) continues an ERROR entry
    /// — a logger's `exception()` — and otherwise begins an ERROR entry of its own: an uncaught
    /// exception the runtime printed, which must not be hidden with the INFO or WARN line that
    /// happened to come before it.
    pub fn classify(&mut self, line: &str) -> Classified {
        self.classify_body(split_stamp(line).map_or(line, |(_, rest)| rest))
    }

    /// Classifies the next line's own text, its timestamp already taken off.
    pub fn classify_body(&mut self, body: &str) -> Classified {
        let (level, starts_entry) = match (shape(body), self.current) {
            (Shape::Continuation, Some(level)) => (level, false),
            (Shape::Trace, Some(LogLevel::Error)) => (LogLevel::Error, false),
            (Shape::Continuation, None) => (LogLevel::Other, true),
            (Shape::Trace, _) => (LogLevel::Error, true),
            (Shape::Head(level), _) => (level, true),
        };
        self.current = Some(level);
        Classified {
            level,
            starts_entry,
        }
    }
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
            ("time=x LEVEL=WARNING msg=ok", LogLevel::Warn),
            ("lvl=crit msg=down", LogLevel::Error),
            (r#"{"level":"warn","msg":"retrying"}"#, LogLevel::Warn),
            (r#"{"severity":"ERROR","message":"x"}"#, LogLevel::Error),
            (r#"{"Level":"Error","message":"x"}"#, LogLevel::Error),
            (r#"{"LVL":"warning","message":"x"}"#, LogLevel::Warn),
            (r#"{"level":50,"msg":"pino"}"#, LogLevel::Error),
            (r#"{"log.level":"warn","message":"ecs"}"#, LogLevel::Warn),
            (
                r#"{"log":{"level":"error"},"message":"ecs"}"#,
                LogLevel::Error,
            ),
            (r#"{"msg":"no level"}"#, LogLevel::Other),
            (
                r#"2026-12-01T10:35:11.500000000Z {"level":"error","msg":"x"}"#,
                LogLevel::Error,
            ),
            ("[ERROR] disk full", LogLevel::Error),
            (
                "2026/11/22 10:00:00 [error] 12#0: upstream gone",
                LogLevel::Error,
            ),
            (
                "2026-11-22 10:00:00,123 - worker - ERROR - boom",
                LogLevel::Error,
            ),
            ("FATAL cannot start", LogLevel::Error),
            ("PANIC out of memory", LogLevel::Error),
            (
                "panic: runtime error: invalid memory address",
                LogLevel::Error,
            ),
            (
                "E1122 10:00:00.123456 1 controller.go:12] sync failed",
                LogLevel::Error,
            ),
            (
                "W1122 10:00:00.123456 1 controller.go:12] slow",
                LogLevel::Warn,
            ),
            ("request handled with no error", LogLevel::Other),
            ("an Error in the words is not a level", LogLevel::Other),
            ("{not json", LogLevel::Other),
        ];
        for (line, level) in cases {
            assert_eq!(LogLevel::detect(line), level, "{line}");
        }
    }

    #[test]
    fn the_kubelet_stamp_is_split_off_exactly() {
        let (at, rest) = split_stamp("2026-12-01T10:35:11.500000000Z   File \"x\"").unwrap();
        assert_eq!(at.as_millis() % 1000, 500);
        assert_eq!(rest, "  File \"x\"", "the indentation is the line's");
        assert!(split_stamp("2026-12-01 10:35:11 INFO x").is_none());
        assert!(split_stamp("ERROR x").is_none());
    }

    #[test]
    fn entries_begin_with_a_level_and_stack_traces_continue_them() {
        let mut entries = LogEntries::default();
        let mut read = |line: &str| {
            let c = entries.classify(line);
            (c.level, c.starts_entry)
        };
        use LogLevel::*;
        assert_eq!(read("  orphaned frame"), (Other, true), "nothing before it");
        assert_eq!(read("ERROR job failed"), (Error, true));
        assert_eq!(read("Traceback (most recent call last):"), (Error, false));
        assert_eq!(read("KeyError: 'id'"), (Error, false));
        assert_eq!(read("INFO ok"), (Info, true));
        assert_eq!(read("  more of the INFO entry"), (Info, false));
        assert_eq!(read("KeyError"), (Error, true), "uncaught, after INFO");
        assert_eq!(read("WARN slow"), (Warn, true));
        assert_eq!(read("Traceback (most recent call last):"), (Error, true));
        assert_eq!(read("DEBUG x"), (Debug, true));
        assert_eq!(read("Error: connect ECONNREFUSED"), (Error, true), "Node's");
        assert_eq!(
            read("    at TCPConnectWrap.afterConnect (net.js:1:2)"),
            (Error, false)
        );
        assert_eq!(
            read("Errors: 0 of 12"),
            (Other, true),
            "not an exception's name"
        );
    }
}
