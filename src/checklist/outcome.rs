//! What a step came to: its status, the evidence behind it, and where in the cockpit to look.

use serde::{Deserialize, Serialize};

use crate::app::Panel;

/// A step's status. Ordered from best to worst, so the worst of several is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// Answered "skip", or the check does not apply (its source is not configured).
    Skip,
    /// Not known yet: data has not arrived, a query is running, a question is unanswered.
    Pending,
    Warn,
    Fail,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Pending => "pending",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }

    /// Whether the step has a result (a pending one does not).
    pub fn is_done(self) -> bool {
        self != Status::Pending
    }
}

/// Where the reason for a step's status is shown: a panel, filtered to the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub panel: Panel,
    pub filter: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// One line each, clean of control characters; the first says the most.
    pub evidence: Vec<String>,
    pub jump: Option<Jump>,
}

impl Outcome {
    pub fn new(status: Status, evidence: impl Into<String>) -> Self {
        Outcome {
            status,
            evidence: vec![evidence.into()],
            jump: None,
        }
    }

    pub fn pending(why: impl Into<String>) -> Self {
        Outcome::new(Status::Pending, why)
    }

    pub fn with_jump(mut self, panel: Panel, filter: impl Into<String>) -> Self {
        self.jump = Some(Jump {
            panel,
            filter: filter.into(),
        });
        self
    }
}

/// Collects findings of several statuses into one outcome: the worst status leads, its lines
/// first; a line of what passed closes it.
#[derive(Debug, Default)]
pub struct Findings {
    items: Vec<(Status, String)>,
    jump: Option<Jump>,
    jump_status: Option<Status>,
}

/// At most this many findings are listed; the rest are counted.
const MAX_LINES: usize = 8;

impl Findings {
    pub fn add(&mut self, status: Status, text: impl AsRef<str>) {
        let text = crate::ui::text::clean(text.as_ref()).into_owned();
        self.items.push((status, text));
    }

    /// Where to look for a finding of `status`; the worst finding's place wins.
    pub fn jump(&mut self, status: Status, panel: Panel, filter: impl Into<String>) {
        if self.jump_status.is_none_or(|s| status > s) {
            self.jump = Some(Jump {
                panel,
                filter: filter.into(),
            });
            self.jump_status = Some(status);
        }
    }

    /// The outcome, closed by `context` (what was looked at, what was fine) unless empty.
    pub fn finish(mut self, context: String) -> Outcome {
        let status = self
            .items
            .iter()
            .map(|(s, _)| *s)
            .max()
            .unwrap_or(Status::Pass);
        // Worst first, in the order found within a status.
        self.items.sort_by_key(|item| std::cmp::Reverse(item.0));
        let total = self.items.len();
        let mut evidence: Vec<String> = self
            .items
            .into_iter()
            .take(MAX_LINES)
            .map(|(_, t)| t)
            .collect();
        if total > MAX_LINES {
            evidence.push(format!("… and {} more", total - MAX_LINES));
        }
        if !context.is_empty() || evidence.is_empty() {
            evidence.push(context);
        }
        Outcome {
            status,
            evidence,
            jump: self.jump,
        }
    }
}

/// A span of time as people say it: "45 s", "12 min", "26 h", "3 d".
pub fn human(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs} s"),
        120..=7_199 => format!("{} min", secs / 60),
        7_200..=259_199 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86_400),
    }
}

/// A figure without needless decimals: 3, 0.25, 1840.5.
pub fn figure(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
