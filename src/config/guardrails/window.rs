//! A guardrail's `window`: days of the week and hours of the day, in UTC, and whether a moment
//! is inside it.

/// Days of the week and a time of day, in UTC: `Mon-Fri 08:00-18:00 UTC`. A window whose end
/// is before its start runs past midnight (`Mon-Fri 22:00-06:00 UTC` starts on those days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Monday first.
    pub days: [bool; 7],
    /// Minutes after midnight; `end` may be 1440 (24:00).
    pub start: u16,
    pub end: u16,
    /// As written, for messages.
    pub text: String,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Window {
    pub fn parse(text: &str) -> Result<Window, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let (days, hours) = match words.as_slice() {
            [days, hours, "UTC"] => (Some(*days), *hours),
            [hours, "UTC"] => (None, *hours),
            _ => {
                return Err(format!(
                    "`{text}`: expected days, hours and the zone, e.g. \"Mon-Fri 08:00-18:00 UTC\" \
                     (only UTC is supported)"
                ));
            }
        };
        let days = match days {
            None => [true; 7],
            Some(spec) => parse_days(spec)?,
        };
        let (start, end) = hours
            .split_once('-')
            .ok_or_else(|| format!("`{hours}`: expected HH:MM-HH:MM, e.g. 08:00-18:00"))?;
        let (start, end) = (minute_of_day(start)?, minute_of_day(end)?);
        if start == end || start == 1440 {
            return Err(format!("`{hours}` is an empty window"));
        }
        Ok(Window {
            days,
            start,
            end,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// Whether `unix_secs` (UTC) is inside the window.
    pub fn contains(&self, unix_secs: i64) -> bool {
        let day = unix_secs.div_euclid(86_400);
        // 1970-01-01 was a Thursday: index 3 with Monday first.
        let weekday = (day + 3).rem_euclid(7) as usize;
        let yesterday = (weekday + 6) % 7;
        let minute = (unix_secs.rem_euclid(86_400) / 60) as u16;
        if self.start < self.end {
            self.days[weekday] && minute >= self.start && minute < self.end
        } else {
            (self.days[weekday] && minute >= self.start)
                || (self.days[yesterday] && minute < self.end)
        }
    }
}

fn parse_days(spec: &str) -> Result<[bool; 7], String> {
    let day = |name: &str| {
        DAYS.iter()
            .position(|d| d.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!("`{name}` is not a day; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun")
            })
    };
    let mut days = [false; 7];
    for part in spec.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                let mut d = from;
                loop {
                    days[d] = true;
                    if d == to {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[day(part)?] = true,
        }
    }
    Ok(days)
}

fn minute_of_day(text: &str) -> Result<u16, String> {
    let bad = || format!("`{text}`: expected a time HH:MM, 00:00 to 24:00");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) || text.len() != 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(weekday_from_monday: i64, hh: i64, mm: i64) -> i64 {
        // 2026-11-30 was a Monday.
        let monday = 1_795_996_800;
        monday + weekday_from_monday * 86_400 + hh * 3600 + mm * 60
    }

    #[test]
    fn the_reference_monday_is_a_monday() {
        assert_eq!(
            crate::domain::UnixTime(at(0, 0, 0)).rfc3339(),
            "2026-11-30T00:00:00Z"
        );
    }

    #[test]
    fn a_working_hours_window_holds_weekdays_by_day_only() {
        let w = Window::parse("Mon-Fri 08:00-18:00 UTC").unwrap();
        assert!(w.contains(at(0, 8, 0)), "start is inside");
        assert!(w.contains(at(4, 17, 59)));
        assert!(!w.contains(at(4, 18, 0)), "end is outside");
        assert!(!w.contains(at(2, 7, 59)));
        assert!(!w.contains(at(5, 12, 0)), "Saturday");
        assert!(!w.contains(at(6, 12, 0)), "Sunday");
    }

    #[test]
    fn a_window_past_midnight_belongs_to_the_day_it_starts() {
        let w = Window::parse("Fri 22:00-06:00 UTC").unwrap();
        assert!(w.contains(at(4, 23, 0)));
        assert!(
            w.contains(at(5, 5, 59)),
            "Saturday morning is Friday's night"
        );
        assert!(!w.contains(at(4, 5, 0)), "Friday morning is Thursday's");
        let w = Window::parse("Sat,Sun 00:00-24:00 UTC").unwrap();
        assert!(w.contains(at(6, 23, 59)) && !w.contains(at(0, 0, 0)));
        let w = Window::parse("Fri-Mon 10:00-11:00 UTC").unwrap();
        assert_eq!(w.days, [true, false, false, false, true, true, true]);
        assert!(Window::parse("10:00-11:00 UTC").unwrap().days == [true; 7]);
    }

    #[test]
    fn bad_windows_say_what_is_expected() {
        for (text, says) in [
            ("Mon-Fri 08:00-18:00", "only UTC"),
            ("Mon-Fri 08:00-18:00 CET", "only UTC"),
            ("Mon-Fry 08:00-18:00 UTC", "`Fry` is not a day"),
            ("Mon 8-18 UTC", "HH:MM"),
            ("Mon 08:00-25:00 UTC", "00:00 to 24:00"),
            ("Mon 08:00-08:00 UTC", "empty window"),
        ] {
            let err = Window::parse(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
