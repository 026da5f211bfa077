//! Glyphs, in Unicode and in ASCII (`--ascii`) for terminals and fonts without it.

use ratatui::symbols::border;

use crate::domain::Level;

#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    pub ok: &'static str,
    pub warn: &'static str,
    pub crit: &'static str,
    pub unknown: &'static str,
    /// An informational alert: neither ok nor a warning.
    pub info: &'static str,
    /// `flapping 3×`.
    pub times: &'static str,
    pub border: border::Set<'static>,
    pub gauge_full: &'static str,
    pub gauge_empty: &'static str,
    pub sort_ascending: &'static str,
    pub sort_descending: &'static str,
    pub selected: &'static str,
    pub separator: &'static str,
    pub ellipsis: &'static str,
    /// In front of a count that is a lower bound.
    pub at_least: &'static str,
    pub live: &'static str,
    pub stale: &'static str,
    pub connecting: &'static str,
    pub bullet: &'static str,
    /// Marks a checklist step that carries a note.
    pub note: &'static str,
    /// Between items of a one-line list (`p pass · f fail`).
    pub dot: &'static str,
    pub rule: &'static str,
    /// Eight heights, lowest first, for sparklines drawn in text.
    pub spark: [&'static str; 8],
}

pub const UNICODE: Symbols = Symbols {
    ok: "✔",
    warn: "▲",
    crit: "✖",
    unknown: "?",
    info: "ℹ",
    times: "×",
    border: border::ROUNDED,
    gauge_full: "█",
    gauge_empty: "░",
    sort_ascending: "▲",
    sort_descending: "▼",
    selected: "▶",
    separator: "│",
    ellipsis: "…",
    at_least: "≥",
    live: "●",
    stale: "◐",
    connecting: "○",
    bullet: "•",
    note: "✎",
    dot: "·",
    rule: "─",
    spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
};

pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

pub const ASCII: Symbols = Symbols {
    ok: "+",
    warn: "!",
    crit: "X",
    unknown: "?",
    info: "i",
    times: "x",
    border: ASCII_BORDER,
    gauge_full: "#",
    gauge_empty: "-",
    sort_ascending: "^",
    sort_descending: "v",
    selected: ">",
    separator: "|",
    ellipsis: "~",
    at_least: ">=",
    live: "*",
    stale: "o",
    connecting: ".",
    bullet: "*",
    note: "*",
    dot: "-",
    rule: "-",
    spark: ["_", ".", ",", "-", "~", "=", "*", "#"],
};

impl Symbols {
    pub fn new(ascii: bool) -> &'static Symbols {
        if ascii { &ASCII } else { &UNICODE }
    }

    pub fn level(&self, level: Level) -> &'static str {
        match level {
            Level::Ok => self.ok,
            Level::Warn => self.warn,
            Level::Crit => self.crit,
            Level::Unknown => self.unknown,
        }
    }
}
