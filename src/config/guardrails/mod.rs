//! `[[guardrails]]`: the team's rules for actions, matched by context, namespace and action
//! kind, first match wins. Each rule refuses (`deny`) or demands: a typed confirmation, a
//! reason, a bounded scale change, a time window, two people. This module only reads and
//! checks them; `actions::guardrails` judges an action by them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use super::ConfigError;

mod window;
pub use window::Window;

/// Every action kind by the name the audit log writes (`ActionKind::name`), and whether a rule
/// without `actions` covers it: every kind that changes something (verifying a dump reads it).
pub const ACTION_KINDS: [(&str, bool); 28] = [
    ("scale", true),
    ("rollout-restart", true),
    ("rollback", true),
    ("lockdown", true),
    ("lift-lockdown", true),
    ("cordon", true),
    ("uncordon", true),
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
    ("hpa-bounds", true),
    ("set-resources", true),
    ("drain", true),
    ("cronjob-run", true),
    ("cronjob-suspend", true),
    ("cronjob-resume", true),
    ("job-delete", true),
    ("edit-configmap", true),
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
mod tests;
