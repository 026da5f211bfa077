//! Wall-clock time as the panels need it: whole seconds since the Unix epoch, ages and a UTC clock.
//! Operators compare times across teams in UTC, so the clock shows UTC and says so.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch. Plain data so that `State` stays comparable and testable with a
/// fixed clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(pub i64);

impl UnixTime {
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        UnixTime(secs)
    }

    /// Seconds from `self` to `now`, never negative (clocks of different hosts disagree).
    pub fn age_at(self, now: UnixTime) -> u64 {
        now.0.saturating_sub(self.0).max(0) as u64
    }

    /// `2026-09-21T14:13:20Z`, as the audit log and the HTTP APIs write times.
    pub fn rfc3339(self) -> String {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(self.0.max(0) as u64);
        humantime::format_rfc3339_seconds(t).to_string()
    }

    /// Reads an RFC 3339 time, with or without fractions and a trailing `Z`.
    pub fn parse_rfc3339(text: &str) -> Option<UnixTime> {
        humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| UnixTime(d.as_secs() as i64))
    }

    pub fn plus(self, secs: i64) -> Self {
        UnixTime(self.0 + secs)
    }

    /// `HH:MM:SS` of the day, UTC.
    pub fn clock_utc(self) -> String {
        let s = self.0.rem_euclid(86_400);
        format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    }

    /// The time of day when it is on `now`'s UTC day, else with its date (`2026-12-03
    /// 20:43:33`): a silence ending in 47 h at "20:43:33" read as already over.
    pub fn clock_utc_from(self, now: UnixTime) -> String {
        if self.0.div_euclid(86_400) == now.0.div_euclid(86_400) {
            return self.clock_utc();
        }
        let date = self.rfc3339();
        format!("{} {}", &date[..10], self.clock_utc())
    }
}

/// A compact age the way `kubectl get` prints it: `42s`, `7m`, `5h`, `12d`.
pub fn format_age(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs}s"),
        120..=7_199 => format!("{}m", secs / 60),
        7_200..=172_799 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

/// A duration for figures such as a query's run time: `850ms`, `12.4s`, `6m03s`, `2h10m`.
pub fn format_duration_ms(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1_000..=59_999 => format!("{:.1}s", ms as f64 / 1000.0),
        60_000..=3_599_999 => format!("{}m{:02}s", ms / 60_000, (ms / 1000) % 60),
        _ => format!("{}h{:02}m", ms / 3_600_000, (ms / 60_000) % 60),
    }
}

/// Bytes in binary units with one decimal: `512B`, `1.5KiB`, `3.2GiB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else {
        format!("{value:.1}{}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_switch_units_like_kubectl() {
        assert_eq!(format_age(0), "0s");
        assert_eq!(format_age(119), "119s");
        assert_eq!(format_age(120), "2m");
        assert_eq!(format_age(7_199), "119m");
        assert_eq!(format_age(7_200), "2h");
        assert_eq!(format_age(3 * 86_400), "3d");
    }

    #[test]
    fn durations_and_bytes_are_readable() {
        assert_eq!(format_duration_ms(850), "850ms");
        assert_eq!(format_duration_ms(12_400), "12.4s");
        assert_eq!(format_duration_ms(363_000), "6m03s");
        assert_eq!(format_duration_ms(7_800_000), "2h10m");
        assert_eq!(format_bytes(512), "512B");
        assert_eq!(format_bytes(1536), "1.5KiB");
        assert_eq!(format_bytes(3 * 1024 * 1024 * 1024), "3.0GiB");
    }

    #[test]
    fn clock_is_utc_time_of_day_and_age_is_never_negative() {
        assert_eq!(UnixTime(86_400 + 3_723).clock_utc(), "01:02:03");
        // On another day than now, with its date.
        let now = UnixTime(1_790_000_000); // 2026-09-21 14:13:20
        assert_eq!(
            UnixTime(1_790_000_000 + 600).clock_utc_from(now),
            "14:23:20"
        );
        assert_eq!(
            UnixTime(1_790_000_000 + 47 * 3600).clock_utc_from(now),
            "2026-09-23 13:13:20"
        );
        assert_eq!(UnixTime(100).age_at(UnixTime(90)), 0);
        assert_eq!(UnixTime(90).age_at(UnixTime(100)), 10);
    }
}
