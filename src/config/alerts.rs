//! `[alerts]`: how the Alerts panel treats alerts that Alertmanager no longer lists.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The longest a resolved alert may be remembered: beyond a day it is history, not state.
const MAX_KEEP_RESOLVED: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// How long an alert that resolved stays listed (dimmed, `resolved 2m ago`), and the
    /// window in which firing again counts as flapping. `0s` forgets them at once.
    #[serde(deserialize_with = "keep_resolved")]
    pub keep_resolved: Duration,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            keep_resolved: Duration::from_secs(crate::domain::alert_memory::DEFAULT_KEEP_SECS),
        }
    }
}

fn keep_resolved<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let keep = super::duration::duration(d)?;
    if keep > MAX_KEEP_RESOLVED {
        return Err(serde::de::Error::custom(format!(
            "`{}` is too long; expected 0s (forget at once) to 24h",
            humantime::format_duration(keep)
        )));
    }
    if keep.subsec_nanos() != 0 {
        return Err(serde::de::Error::custom(
            "resolved alerts are kept in whole seconds; write e.g. \"90s\", \"15m\"",
        ));
    }
    Ok(keep)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("/etc/opsdeck.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn keep_resolved_defaults_to_15m_and_takes_a_duration_up_to_a_day() {
        assert_eq!(
            parse("").unwrap().alerts.keep_resolved,
            Duration::from_secs(900)
        );
        let c = parse("[alerts]\nkeep_resolved = \"1h\"\n").unwrap();
        assert_eq!(c.alerts.keep_resolved, Duration::from_secs(3600));
        let c = parse("[alerts]\nkeep_resolved = \"0s\"\n").unwrap();
        assert_eq!(c.alerts.keep_resolved, Duration::ZERO);
    }

    #[test]
    fn a_bad_keep_resolved_names_file_line_and_key() {
        let err = parse("[alerts]\nkeep_resolved = \"2d\"\n").unwrap_err();
        assert!(
            err.contains(":2:") && err.contains("key `alerts.keep_resolved`"),
            "{err}"
        );
        assert!(err.contains("expected 0s (forget at once) to 24h"), "{err}");
        let err = parse("[alerts]\nkeep_resolved = \"soon\"\n").unwrap_err();
        assert!(err.contains("is not a duration"), "{err}");
        let err = parse("[alerts]\nkeep_resolved = \"1500ms\"\n").unwrap_err();
        assert!(err.contains("whole seconds"), "{err}");
        let err = parse("[alerts]\nkeep = \"1m\"\n").unwrap_err();
        assert!(err.contains("unknown field `keep`"), "{err}");
    }
}
