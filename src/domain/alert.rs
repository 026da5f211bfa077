//! Alerts as Alertmanager reports them.

use super::{level::Level, time::UnixTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Critical,
    Warning,
    Info,
    /// No or an unrecognised `severity` label.
    None,
}

impl Severity {
    pub fn from_label(value: Option<&str>) -> Self {
        match value.map(str::to_ascii_lowercase).as_deref() {
            Some("critical" | "crit" | "page" | "p1" | "p0") => Severity::Critical,
            Some("warning" | "warn" | "p2") => Severity::Warning,
            Some("info" | "informational" | "p3" | "p4") => Severity::Info,
            _ => Severity::None,
        }
    }

    pub fn level(self) -> Level {
        match self {
            Severity::Critical => Level::Crit,
            Severity::Warning => Level::Warn,
            Severity::Info | Severity::None => Level::Ok,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertState {
    Active,
    Silenced,
    Inhibited,
}

impl AlertState {
    pub fn word(self) -> &'static str {
        match self {
            AlertState::Active => "active",
            AlertState::Silenced => "silenced",
            AlertState::Inhibited => "inhibited",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub fingerprint: String,
    /// The Alertmanager this came from (several may be configured).
    pub source: String,
    pub name: String,
    pub severity: Severity,
    pub state: AlertState,
    pub starts_at: UnixTime,
    pub summary: String,
    pub description: String,
    pub runbook: Option<String>,
    /// All labels, sorted by name.
    pub labels: Vec<(String, String)>,
    /// Ids of the silences that silence it (Alertmanager's `status.silencedBy`).
    pub silenced_by: Vec<String>,
}

impl Alert {
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// What this alert contributes to the worst state: silenced and inhibited ones do not count.
    pub fn level(&self) -> Level {
        match self.state {
            AlertState::Active => self.severity.level(),
            AlertState::Silenced | AlertState::Inhibited => Level::Ok,
        }
    }
}

/// One matcher of a silence: `name=value`, `name!=value`, `name=~regex`, `name!~regex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    pub is_equal: bool,
}

impl Matcher {
    pub fn equal(name: &str, value: &str) -> Matcher {
        Matcher {
            name: name.into(),
            value: value.into(),
            is_regex: false,
            is_equal: true,
        }
    }

    /// The matcher as Alertmanager's own UI and amtool write it.
    pub fn text(&self) -> String {
        let op = match (self.is_equal, self.is_regex) {
            (true, false) => "=",
            (false, false) => "!=",
            (true, true) => "=~",
            (false, true) => "!~",
        };
        format!("{}{op}{}", self.name, self.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SilenceState {
    Active,
    Pending,
    Expired,
}

impl SilenceState {
    pub fn from_word(word: &str) -> SilenceState {
        match word {
            "active" => SilenceState::Active,
            "pending" => SilenceState::Pending,
            _ => SilenceState::Expired,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            SilenceState::Active => "active",
            SilenceState::Pending => "pending",
            SilenceState::Expired => "expired",
        }
    }
}

/// A silence: who made it, why, and until when.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    pub id: String,
    /// The Alertmanager it lives on.
    pub source: String,
    pub matchers: Vec<Matcher>,
    pub created_by: String,
    pub comment: String,
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
    pub state: SilenceState,
}

impl Silence {
    pub fn matchers_text(&self) -> String {
        self.matchers
            .iter()
            .map(Matcher::text)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_labels_are_read_leniently() {
        assert_eq!(Severity::from_label(Some("Critical")), Severity::Critical);
        assert_eq!(Severity::from_label(Some("warning")), Severity::Warning);
        assert_eq!(Severity::from_label(Some("info")), Severity::Info);
        assert_eq!(Severity::from_label(Some("bogus")), Severity::None);
        assert_eq!(Severity::from_label(None), Severity::None);
    }
}
