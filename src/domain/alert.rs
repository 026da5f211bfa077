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
