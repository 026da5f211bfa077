//! Durations in the config: humantime text (`"500ms"`, `"2s"`, `"1m"`), each key with a
//! minimum. A zero or tiny period would make a polling task spin or panic (`tokio`'s intervals
//! refuse a zero period), so it is refused where it is written, with the file, line and key.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// Any duration, zero included (for keys where zero means "not at all").
pub(super) fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

fn parse(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| {
        format!("`{text}` is not a duration ({e}); write e.g. \"500ms\", \"2s\", \"1m\"")
    })
}

/// A duration of at least `MS` milliseconds.
pub(super) fn at_least<'de, D: Deserializer<'de>, const MS: u64>(
    d: D,
) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    let value = parse(&text).map_err(serde::de::Error::custom)?;
    let min = Duration::from_millis(MS);
    if value < min {
        return Err(serde::de::Error::custom(format!(
            "`{text}` is too short; expected at least {}",
            humantime::format_duration(min)
        )));
    }
    Ok(value)
}

/// An optional key's duration from `MIN` to `MAX` milliseconds.
pub(super) fn optional_within<'de, D: Deserializer<'de>, const MIN: u64, const MAX: u64>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    let value = parse(&text).map_err(serde::de::Error::custom)?;
    let (min, max) = (Duration::from_millis(MIN), Duration::from_millis(MAX));
    let (word, bound) = if value < min {
        (
            "short",
            format!("at least {}", humantime::format_duration(min)),
        )
    } else if value > max {
        (
            "long",
            format!("at most {}", humantime::format_duration(max)),
        )
    } else {
        return Ok(Some(value));
    };
    Err(serde::de::Error::custom(format!(
        "`{text}` is too {word}; expected {bound}"
    )))
}

/// An optional key's duration of at least `MS` milliseconds.
pub(super) fn optional_at_least<'de, D: Deserializer<'de>, const MS: u64>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    at_least::<D, MS>(d).map(Some)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("/etc/opsdeck.toml"), text).map_err(|e| e.to_string())
    }

    /// Every duration key, the section it is written in, and its minimum.
    const KEYS: &[(&str, &str, &str)] = &[
        ("", "refresh", "100ms"),
        ("[actions]", "timeout", "1s"),
        ("[demo]", "tick", "10ms"),
        ("[logs]", "error_interval", "1s"),
        ("[kubernetes]", "metrics_interval", "15s"),
        ("[prometheus]\nurl = \"http://p\"", "history", "1m"),
        (
            "[[services]]\nname = \"s\"\nurl = \"http://s\"",
            "timeout",
            "10ms",
        ),
        (
            "[[services]]\nname = \"s\"\nurl = \"http://s\"",
            "interval",
            "100ms",
        ),
        (
            "[[postgres]]\nname = \"p\"\ndsn = \"host=p\"",
            "statement_timeout",
            "100ms",
        ),
        (
            "[warroom]\nredis = \"redis://r\"\nroom = \"r\"",
            "heartbeat",
            "100ms",
        ),
        (
            "[warroom]\nredis = \"redis://r\"\nroom = \"r\"",
            "presence_ttl",
            "1s",
        ),
        (
            "[warroom]\nredis = \"redis://r\"\nroom = \"r\"",
            "lease_ttl",
            "1s",
        ),
        (
            "[warroom]\nredis = \"redis://r\"\nroom = \"r\"",
            "request_expiry",
            "1s",
        ),
        (
            "[[backups]]\nname = \"b\"\nkind = \"command\"\ncommand = \"true\"",
            "rpo",
            "1m",
        ),
        (
            "[[backups]]\nname = \"b\"\nkind = \"command\"\ncommand = \"true\"",
            "retention",
            "1m",
        ),
        (
            "[[backups]]\nname = \"b\"\nkind = \"command\"\ncommand = \"true\"",
            "interval",
            "1s",
        ),
    ];

    #[test]
    fn every_zero_duration_is_refused_with_file_line_key_and_minimum() {
        for (section, key, min) in KEYS {
            for zero in ["0s", "0ms", "0ns"] {
                let text = format!("{section}\n{key} = \"{zero}\"\n");
                let line = text.lines().count();
                let err = parse(&text).expect_err(&text);
                assert!(
                    err.starts_with(&format!("/etc/opsdeck.toml:{line}:"))
                        && err.contains(&format!("{key}`"))
                        && err.contains(&format!("`{zero}` is too short"))
                        && err.contains(&format!("expected at least {min}")),
                    "{text}\n=> {err}"
                );
            }
            let text = format!("{section}\n{key} = \"{min}\"\n");
            assert!(parse(&text).is_ok(), "the minimum itself is fine: {text}");
        }
    }

    #[test]
    fn the_metrics_interval_is_at_most_a_minute() {
        let text = "[kubernetes]\nmetrics_interval = \"61s\"\n";
        let err = parse(text).expect_err(text);
        assert!(
            err.starts_with("/etc/opsdeck.toml:2:") && err.contains("expected at most 1m"),
            "{err}"
        );
        let text = "[kubernetes]\nmetrics_interval = \"1m\"\n";
        let cfg = parse(text).expect(text);
        let k = cfg.kubernetes.expect("the section");
        assert_eq!(k.metrics_interval, Some(std::time::Duration::from_secs(60)));
    }
}
