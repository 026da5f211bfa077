//! A silence's duration in the dialog: the lengths offered (`1h 2h 4h 8h 24h`, chosen with
//! Up and Down), and what the operator may type instead (`90m`, `until 18:00`).

use crate::domain::UnixTime;

/// The lengths offered, shortest first.
pub const OFFERED: [(&str, u64); 5] = [
    ("1h", 3600),
    ("2h", 2 * 3600),
    ("4h", 4 * 3600),
    ("8h", 8 * 3600),
    ("24h", 24 * 3600),
];

/// The offered length next to `current` seconds: shorter (`up`) or longer; the ends stay.
pub fn next_offered(current: Option<u64>, up: bool) -> &'static str {
    let pick = match current {
        Some(secs) if up => OFFERED.iter().rev().find(|(_, s)| *s < secs),
        Some(secs) => OFFERED.iter().find(|(_, s)| *s > secs),
        None => None,
    };
    let end = if up {
        OFFERED[0]
    } else {
        OFFERED[OFFERED.len() - 1]
    };
    match (pick, current) {
        (Some((text, _)), _) => text,
        // Already at (or past) an end: stay there.
        (None, Some(_)) => end.0,
        // Nothing readable typed: start from the default.
        (None, None) => OFFERED[2].0,
    }
}

/// A silence's length from what the operator typed: a duration (`30m`, `4h`, `2d`) or an end,
/// `until 18:00` (UTC, the next such time) or `until 2026-11-23 08:00` (UTC).
pub fn silence_secs(text: &str, now: UnixTime) -> Result<u64, String> {
    let text = text.trim();
    let Some(end) = text.strip_prefix("until ").map(str::trim) else {
        return humantime::parse_duration(text)
            .map(|d| d.as_secs())
            .map_err(|_| "duration: e.g. 30m, 4h, 2d, or until 18:00 (UTC)".to_string());
    };
    let at = if let Some((h, m)) = end.split_once(':').filter(|_| end.len() <= 5) {
        let (h, m) = (h.parse::<i64>(), m.parse::<i64>());
        let (Ok(h @ 0..=23), Ok(m @ 0..=59)) = (h, m) else {
            return Err(format!("until: `{end}` is not a time of day like 18:00"));
        };
        let midnight = now.0 - now.0.rem_euclid(86_400);
        let today = midnight + h * 3600 + m * 60;
        UnixTime(if today > now.0 { today } else { today + 86_400 })
    } else {
        let normalised = end.replace(' ', "T");
        let with_seconds = if normalised.len() == 16 {
            format!("{normalised}:00")
        } else {
            normalised
        };
        UnixTime::parse_rfc3339(&with_seconds)
            .ok_or_else(|| format!("until: `{end}` is not a time like 18:00 or 2026-11-23 08:00"))?
    };
    if at <= now {
        return Err(format!("until: {} UTC has already passed", at.rfc3339()));
    }
    Ok((at.0 - now.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::silence_secs;
    use crate::domain::UnixTime;

    /// 2026-09-21 14:13:20 UTC.
    const NOW: UnixTime = UnixTime(1_790_000_000);

    #[test]
    fn up_and_down_step_through_the_offered_lengths() {
        use super::next_offered;
        assert_eq!(next_offered(Some(4 * 3600), true), "2h");
        assert_eq!(next_offered(Some(4 * 3600), false), "8h");
        assert_eq!(next_offered(Some(3600), true), "1h", "the shortest stays");
        assert_eq!(
            next_offered(Some(48 * 3600), false),
            "24h",
            "past the longest"
        );
        assert_eq!(next_offered(Some(90 * 60), true), "1h", "from a typed 90m");
        assert_eq!(next_offered(Some(90 * 60), false), "2h");
        assert_eq!(next_offered(None, true), "4h");
    }

    #[test]
    fn silence_lengths_are_durations_or_ends() {
        assert_eq!(silence_secs("4h", NOW), Ok(4 * 3600));
        assert_eq!(silence_secs(" 90m ", NOW), Ok(5400));
        // Later today, and a time already past today means tomorrow.
        assert_eq!(
            silence_secs("until 18:00", NOW),
            Ok(3 * 3600 + 46 * 60 + 40)
        );
        assert_eq!(
            silence_secs("until 08:00", NOW),
            Ok(17 * 3600 + 46 * 60 + 40)
        );
        assert_eq!(
            silence_secs("until 2026-09-22 08:00", NOW),
            Ok(17 * 3600 + 46 * 60 + 40)
        );
        assert_eq!(silence_secs("until 2026-09-22T14:13:20Z", NOW), Ok(86_400));
        assert!(
            silence_secs("until 2026-09-20 08:00", NOW)
                .unwrap_err()
                .contains("already passed")
        );
        assert!(
            silence_secs("until 25:00", NOW)
                .unwrap_err()
                .contains("not a time of day")
        );
        assert!(silence_secs("soon", NOW).unwrap_err().contains("e.g. 30m"));
    }
}
