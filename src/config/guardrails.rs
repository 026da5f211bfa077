//! `[[guardrails]]`: the team's rules for actions, matched by context, namespace and action
//! kind, first match wins. Each rule refuses (`deny`) or demands: a typed confirmation, a
//! reason, a bounded scale change, a time window, two people. This module only reads and
//! checks them; `actions::guardrails` judges an action by them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use super::ConfigError;

/// Every action kind by the name the audit log writes (`ActionKind::name`), and whether a rule
/// without `actions` covers it: every kind that changes something (verifying a dump reads it).
pub const ACTION_KINDS: [(&str, bool); 18] = [
    ("scale", true),
    ("rollout-restart", true),
    ("rollback", true),
    ("lockdown", true),
    ("lift-lockdown", true),
    ("restart-pod", true),
    ("silence", true),
    ("expire-silence", true),
    ("extend-silence", true),
    ("cancel-query", true),
    ("terminate-backend", true),
    ("take-backup", true),
    ("verify-backup", false),
    // It writes a scratch database on the backup's server.
    ("test-restore", true),
    ("exec", true),
    ("shell", true),
    // It changes nothing in the cluster (it opens a port on this host).
    ("port-forward", false),
    // The team's own `[[actions]]`: what they do is the team's, so they count as changes.
    ("team", true),
];

/// One `[[guardrails]]` rule, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardrailRule {
    /// A glob over the action's context (the kubeconfig context, or the source's name).
    #[serde(default = "any", deserialize_with = "glob_text")]
    pub context: String,
    /// A glob over the target's namespace; a target without one matches only `*`.
    #[serde(default = "any", deserialize_with = "glob_text")]
    pub namespace: String,
    /// Action kinds (`ACTION_KINDS`); empty: every kind that changes something.
    #[serde(default, deserialize_with = "action_names")]
    pub actions: Vec<String>,
    /// Refuses, with this reason.
    pub deny: Option<String>,
    /// The target's name must be typed, even for a medium-risk action.
    #[serde(default)]
    pub typed: bool,
    /// A free-text reason must be given; it is written to the audit log.
    #[serde(default)]
    pub reason: bool,
    /// The most a scale may change the replicas at once: `"50%"` or a count.
    #[serde(default, deserialize_with = "scale_limit")]
    pub max_scale_change: Option<ScaleLimit>,
    /// When the action is allowed without more ado; outside it, a reason must be typed.
    #[serde(default, deserialize_with = "window")]
    pub window: Option<Window>,
    /// A second operator must approve (the war room's flow).
    #[serde(default)]
    pub two_person: bool,
    /// The line of its `[[guardrails]]` header, 1-based (0 when not read from a file).
    #[serde(skip)]
    pub line: usize,
}

fn any() -> String {
    "*".into()
}

/// The rules as the config gave them, and the file they were read from (for messages).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guardrails {
    pub rules: Vec<GuardrailRule>,
    pub path: Option<PathBuf>,
}

impl GuardrailRule {
    /// Whether the rule is about this action: the first one that is decides.
    pub fn matches(&self, context: &str, namespace: Option<&str>, kind: &str) -> bool {
        let kind_ok = if self.actions.is_empty() {
            ACTION_KINDS
                .iter()
                .any(|(name, mutating)| *name == kind && *mutating)
        } else {
            self.actions.iter().any(|a| a == kind)
        };
        let namespace_ok = match namespace {
            Some(ns) => glob_matches(&self.namespace, ns),
            None => self.namespace == "*",
        };
        kind_ok && namespace_ok && glob_matches(&self.context, context)
    }

    /// What the rule matches, in the file's terms: `context "prod-*", namespace "pos",
    /// actions scale, rollback`.
    pub fn scope(&self) -> String {
        let actions = if self.actions.is_empty() {
            "every mutating action".to_string()
        } else {
            format!("actions {}", self.actions.join(", "))
        };
        format!(
            "context {:?}, namespace {:?}, {actions}",
            self.context, self.namespace
        )
    }
}

/// `*` any run of characters, `?` one, `[...]` a class (the `glob` crate's patterns); a
/// pattern that does not parse was refused when the config was read, so it matches nothing.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(text))
}

fn glob_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    glob::Pattern::new(&text).map_err(|e| {
        <D::Error as serde::de::Error>::custom(format!("`{text}` is not a glob: {}", e.msg))
    })?;
    Ok(text)
}

fn action_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    if names.is_empty() {
        return Err(serde::de::Error::custom(
            "an empty list matches nothing; leave `actions` out for every mutating action",
        ));
    }
    for name in &names {
        if !ACTION_KINDS
            .iter()
            .any(|(known, _)| *known == name.as_str())
        {
            let known: Vec<&str> = ACTION_KINDS.iter().map(|(k, _)| *k).collect();
            return Err(serde::de::Error::custom(format!(
                "unknown action kind `{name}`; expected one of {}",
                known.join(", ")
            )));
        }
    }
    Ok(names)
}

/// How far one scale may move the replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleLimit {
    /// At most this percentage of the current count, up or down.
    Percent(u32),
    /// At most this many replicas, up or down.
    Count(u32),
}

impl ScaleLimit {
    /// Whether going from `from` to `to` replicas stays within the limit. From 0, a
    /// percentage allows one replica (a percentage of nothing would allow nothing).
    pub fn allows(self, from: u32, to: u32) -> bool {
        let change = from.abs_diff(to);
        match self {
            ScaleLimit::Count(n) => change <= n,
            ScaleLimit::Percent(_) if from == 0 => change <= 1,
            ScaleLimit::Percent(p) => u64::from(change) * 100 <= u64::from(from) * u64::from(p),
        }
    }
}

impl std::fmt::Display for ScaleLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ScaleLimit::Percent(p) => write!(f, "±{p} %"),
            ScaleLimit::Count(n) => write!(f, "±{n} replicas"),
        }
    }
}

fn scale_limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ScaleLimit>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Count(u32),
        Text(String),
    }
    let expected = "expected a percentage (\"50%\") or a count of replicas (10)";
    let custom = <D::Error as serde::de::Error>::custom::<String>;
    let limit = match Raw::deserialize(d).map_err(|_| custom(expected.into()))? {
        Raw::Count(n) => ScaleLimit::Count(n),
        Raw::Text(text) => {
            parse_scale_limit(&text).ok_or_else(|| custom(format!("`{text}`: {expected}")))?
        }
    };
    if matches!(limit, ScaleLimit::Count(0) | ScaleLimit::Percent(0)) {
        return Err(serde::de::Error::custom(
            "0 allows no scale at all; use `deny` with `actions = [\"scale\"]` for that",
        ));
    }
    Ok(Some(limit))
}

fn parse_scale_limit(text: &str) -> Option<ScaleLimit> {
    let text = text.trim();
    match text.strip_suffix('%') {
        Some(p) => p.trim().parse().ok().map(ScaleLimit::Percent),
        None => text.parse().ok().map(ScaleLimit::Count),
    }
}

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

fn window<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Window>, D::Error> {
    let text = String::deserialize(d)?;
    Window::parse(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// Checks what serde cannot see field by field, and notes each rule's line. Errors name the
/// file, the rule's line and its key.
pub fn finish(path: &Path, text: &str, rules: &mut [GuardrailRule]) -> Result<(), ConfigError> {
    let headers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.starts_with("[[") && l[2..].trim_start().starts_with("guardrails") && {
                let rest = l[2..].trim_start()["guardrails".len()..].trim_start();
                rest.starts_with("]]")
            }
        })
        .map(|(i, _)| i + 1)
        .collect();
    for (i, rule) in rules.iter_mut().enumerate() {
        rule.line = headers.get(i).copied().unwrap_or(1);
        let error = |key: &str, message: String| ConfigError::Invalid {
            path: path.into(),
            line: rule.line,
            column: 1,
            key: format!("key `guardrails[{i}].{key}`: "),
            message,
        };
        if let Some(deny) = &rule.deny {
            if deny.trim().is_empty() {
                return Err(error(
                    "deny",
                    "say why, e.g. deny = \"pos is frozen for the sale\"".into(),
                ));
            }
            let others: Vec<&str> = [
                ("typed", rule.typed),
                ("reason", rule.reason),
                ("max_scale_change", rule.max_scale_change.is_some()),
                ("window", rule.window.is_some()),
                ("two_person", rule.two_person),
            ]
            .into_iter()
            .filter_map(|(k, set)| set.then_some(k))
            .collect();
            if !others.is_empty() {
                return Err(error(
                    "deny",
                    format!(
                        "deny refuses outright, so {} would never apply; make it two rules or drop one",
                        others.join(", ")
                    ),
                ));
            }
        }
        if rule.max_scale_change.is_some()
            && !rule.actions.is_empty()
            && !rule.actions.iter().any(|a| a == "scale")
        {
            return Err(error(
                "max_scale_change",
                "applies to scale only, and `actions` leaves scale out".into(),
            ));
        }
    }
    Ok(())
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

    #[test]
    fn scale_limits_bound_the_change_both_ways() {
        let half = ScaleLimit::Percent(50);
        assert!(half.allows(4, 6) && half.allows(4, 2));
        assert!(!half.allows(4, 7) && !half.allows(4, 1));
        assert!(half.allows(0, 1) && !half.allows(0, 2), "from zero: one");
        let ten = ScaleLimit::Count(10);
        assert!(ten.allows(3, 13) && !ten.allows(3, 14) && ten.allows(13, 3));
        assert_eq!(parse_scale_limit("50%"), Some(half));
        assert_eq!(parse_scale_limit("10"), Some(ten));
        assert_eq!(parse_scale_limit("lots"), None);
    }

    #[test]
    fn rules_match_by_glob_namespace_and_kind() {
        let rule = GuardrailRule {
            context: "prod-*".into(),
            namespace: "pos".into(),
            actions: vec!["scale".into(), "rollback".into()],
            deny: Some("frozen".into()),
            typed: false,
            reason: false,
            max_scale_change: None,
            window: None,
            two_person: false,
            line: 1,
        };
        assert!(rule.matches("prod-eu", Some("pos"), "scale"));
        assert!(!rule.matches("staging", Some("pos"), "scale"));
        assert!(!rule.matches("prod-eu", Some("workflow"), "scale"));
        assert!(!rule.matches("prod-eu", Some("pos"), "restart-pod"));
        assert!(!rule.matches("prod-eu", None, "scale"), "no namespace");
        let every = GuardrailRule {
            context: "*".into(),
            namespace: "*".into(),
            actions: Vec::new(),
            ..rule
        };
        assert!(every.matches("positivity-db", None, "terminate-backend"));
        assert!(
            !every.matches("demo", Some("pos"), "verify-backup"),
            "reads only"
        );
    }

    fn parse(text: &str) -> Result<crate::config::Config, String> {
        crate::config::Config::parse(Path::new("/etc/opsdeck.toml"), text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn rules_read_with_their_lines_and_defaults() {
        let c = parse(
            "theme = \"light\"\n\n[[guardrails]]\ncontext = \"prod-*\"\nnamespace = \"pos\"\n\
             actions = [\"scale\", \"rollback\"]\ndeny = \"pos is frozen for the sale\"\n\n\
             [[ guardrails ]]\ntyped = true\nreason = true\nmax_scale_change = 10\n\
             window = \"Mon-Fri 08:00-18:00 UTC\"\n",
        )
        .unwrap();
        let [frozen, strict] = c.guardrails.as_slice() else {
            panic!("{:?}", c.guardrails)
        };
        assert_eq!((frozen.line, strict.line), (3, 9));
        assert_eq!(frozen.deny.as_deref(), Some("pos is frozen for the sale"));
        assert_eq!(
            (strict.context.as_str(), strict.namespace.as_str()),
            ("*", "*")
        );
        assert!(strict.actions.is_empty() && strict.typed && strict.reason);
        assert_eq!(strict.max_scale_change, Some(ScaleLimit::Count(10)));
        assert_eq!(strict.window.as_ref().unwrap().start, 8 * 60);
    }

    #[test]
    fn bad_rules_name_file_line_and_key() {
        for (text, says) in [
            (
                "[[guardrails]]\nactions = [\"scael\"]\n",
                "/etc/opsdeck.toml:2:11: key `guardrails[0].actions`: unknown action kind `scael`",
            ),
            (
                "[[guardrails]]\nactions = []\n",
                ":2:11: key `guardrails[0].actions`: an empty list matches nothing",
            ),
            (
                "[[guardrails]]\nmax_scale_change = \"half\"\n",
                ":2:20: key `guardrails[0].max_scale_change`: `half`: expected a percentage",
            ),
            (
                "[[guardrails]]\nwindow = \"weekdays 9-5\"\n",
                ":2:10: key `guardrails[0].window`: `weekdays 9-5`: expected days, hours and the zone",
            ),
            (
                "[[guardrails]]\ncontext = \"prod-[\"\n",
                ":2:11: key `guardrails[0].context`: `prod-[` is not a glob",
            ),
            (
                "[[guardrails]]\ndenny = \"x\"\n",
                ":2:1: key `guardrails[0].denny`: unknown field `denny`",
            ),
            (
                "[[guardrails]]\ndeny = \"x\"\n\n[[guardrails]]\ndeny = \"frozen\"\ntyped = true\n",
                ":4:1: key `guardrails[1].deny`: deny refuses outright, so typed would never apply",
            ),
            (
                "[[guardrails]]\ndeny = \" \"\n",
                ":1:1: key `guardrails[0].deny`: say why",
            ),
            (
                "[[guardrails]]\nactions = [\"rollback\"]\nmax_scale_change = \"50%\"\n",
                ":1:1: key `guardrails[0].max_scale_change`: applies to scale only",
            ),
            (
                "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"PROD\"\ncolor = \"scarlet\"\n",
                ":4:9: key `kubernetes.context_styles[0].color`: unknown variant `scarlet`",
            ),
            (
                "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"\"\n",
                ":3:9: key `kubernetes.context_styles[0].label`: a short word",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(says), "{text}\n  gave: {err}\n  want: {says}");
        }
    }

    #[test]
    fn context_styles_read_with_their_roles() {
        let c = parse(
            "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"PROD\"\nproduction = true\n\
             [[kubernetes.context_styles]]\ncontext = \"staging\"\nlabel = \"STAGE\"\ncolor = \"warn\"\n",
        )
        .unwrap();
        let styles = c.kubernetes.unwrap().context_styles;
        let prod = crate::config::context_styles::style_of(&styles, "prod-eu").unwrap();
        assert_eq!(
            (prod.label.as_str(), prod.role()),
            ("PROD", crate::config::Role::Crit)
        );
        let stage = crate::config::context_styles::style_of(&styles, "staging").unwrap();
        assert_eq!(stage.role(), crate::config::Role::Warn);
        assert!(crate::config::context_styles::style_of(&styles, "dev").is_none());
    }
}
