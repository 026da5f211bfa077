//! `[[actions]]`: the team's own runbook commands, declared in the config. Each names its panel,
//! its key, where it applies (`match`), and what it runs: `exec` in the selected pod's container,
//! or `command` on this machine, with placeholders for the selected row. This module reads and
//! checks the entries; what they become is `actions::team` (the argv) and `app::team_actions`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::ConfigError;
use super::keys::KeyChord;

/// The panels a team action can be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamPanel {
    Pods,
    Services,
    Databases,
    Backups,
    Alerts,
}

impl TeamPanel {
    pub fn word(self) -> &'static str {
        match self {
            TeamPanel::Pods => "pods",
            TeamPanel::Services => "services",
            TeamPanel::Databases => "databases",
            TeamPanel::Backups => "backups",
            TeamPanel::Alerts => "alerts",
        }
    }

    /// The placeholders a row of this panel fills. An alert also fills each of its labels, so
    /// on the alerts panel any name is accepted and checked against the alert when it runs.
    pub fn placeholders(self, exec: bool) -> &'static [&'static str] {
        match (self, exec) {
            (TeamPanel::Pods, _) => &[
                "context",
                "namespace",
                "pod",
                "name",
                "container",
                "workload",
                "node",
                "pod_ip",
            ],
            (TeamPanel::Services, false) => &["context", "namespace", "workload", "name", "kind"],
            (TeamPanel::Services, true) => &[
                "context",
                "namespace",
                "workload",
                "name",
                "kind",
                "pod",
                "container",
                "node",
                "pod_ip",
            ],
            (TeamPanel::Databases, _) => &[
                "context",
                "instance",
                "name",
                "pid",
                "user",
                "database",
                "application",
            ],
            (TeamPanel::Backups, _) => &["context", "name", "set"],
            (TeamPanel::Alerts, _) => &["context", "name", "alertname", "source", "fingerprint"],
        }
    }

    /// The fields `match` may test on this panel's rows.
    fn match_keys(self) -> &'static [&'static str] {
        self.placeholders(false)
    }
}

/// How sure one must be: as the built-in actions' risk (high asks for the target's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamRisk {
    Low,
    #[default]
    Medium,
    High,
}

/// A command as the file gives it: an array of arguments (no shell), or one string run by
/// `sh -c` with every substituted value shell-quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    Argv(Vec<String>),
    Shell(String),
}

impl Words {
    /// The text the placeholders are looked for in, one piece per argument.
    pub fn pieces(&self) -> Vec<&str> {
        match self {
            Words::Argv(words) => words.iter().map(String::as_str).collect(),
            Words::Shell(line) => vec![line.as_str()],
        }
    }

    /// As it reads in the help: `redis-cli ping`, or the shell line.
    pub fn display(&self) -> String {
        match self {
            Words::Argv(words) => words.join(" "),
            Words::Shell(line) => line.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Words;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of arguments, or one string for `sh -c`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Words, E> {
                Ok(Words::Shell(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Words, A::Error> {
                let mut words = Vec::new();
                while let Some(w) = seq.next_element::<String>()? {
                    words.push(w);
                }
                Ok(Words::Argv(words))
            }
        }
        d.deserialize_any(V)
    }
}

/// One `[[actions]]` entry as the file writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamActionEntry {
    pub name: String,
    pub panel: TeamPanel,
    pub key: String,
    /// Where it applies: field = glob (`*`, `?`); every one must match.
    #[serde(rename = "match", default)]
    pub matches: BTreeMap<String, String>,
    /// Runs in the selected pod's container (a services row: one of its ready pods).
    pub exec: Option<Words>,
    /// Runs on this machine (the bastion).
    pub command: Option<Words>,
    #[serde(default)]
    pub risk: TeamRisk,
    /// Harmless enough for a read-only cockpit.
    #[serde(default)]
    pub readonly_ok: bool,
}

/// A checked team action: what the app and the executor use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAction {
    pub name: String,
    pub panel: TeamPanel,
    pub key: KeyChord,
    pub matches: BTreeMap<String, String>,
    /// `true`: in the pod's container (`exec`); `false`: on this machine (`command`).
    pub in_pod: bool,
    pub words: Words,
    pub risk: TeamRisk,
    pub readonly_ok: bool,
    /// The config file's line of the entry's `key`, for errors found once the keymap is known.
    pub line: usize,
}

/// Checks the entries; the first bad one is an error naming the file, the line and the key.
pub fn check(
    path: &Path,
    text: &str,
    entries: &[toml::Spanned<TeamActionEntry>],
) -> Result<Vec<TeamAction>, ConfigError> {
    let mut out: Vec<TeamAction> = Vec::new();
    for (i, spanned) in entries.iter().enumerate() {
        let entry = spanned.get_ref();
        let start = line_of(text, spanned.span().start);
        let fail = |field: &str, message: String| ConfigError::Invalid {
            path: path.into(),
            line: field_line(text, start, field),
            column: 1,
            key: format!("key `actions[{i}].{field}`: "),
            message,
        };
        if entry.name.trim().is_empty() {
            return Err(fail("name", "an action needs a name".into()));
        }
        let key = KeyChord::parse(&entry.key).map_err(|e| fail("key", e))?;
        if let Some(other) = out.iter().find(|o| o.panel == entry.panel && o.key == key) {
            return Err(fail(
                "key",
                format!(
                    "{} is already the key of `{}` on the {} panel",
                    entry.key,
                    other.name,
                    entry.panel.word()
                ),
            ));
        }
        if out.iter().any(|o| o.name == entry.name) {
            return Err(fail(
                "name",
                format!("another action is already named `{}`", entry.name),
            ));
        }
        let (in_pod, words, field) = match (&entry.exec, &entry.command) {
            (Some(w), None) => (true, w.clone(), "exec"),
            (None, Some(w)) => (false, w.clone(), "command"),
            (Some(_), Some(_)) => {
                return Err(fail(
                    "command",
                    "give `exec` (in the pod) or `command` (on this machine), not both".into(),
                ));
            }
            (None, None) => {
                return Err(fail(
                    "name",
                    "needs `exec` (in the pod) or `command` (on this machine)".into(),
                ));
            }
        };
        if in_pod && !matches!(entry.panel, TeamPanel::Pods | TeamPanel::Services) {
            return Err(fail(
                "exec",
                format!(
                    "a {} row has no pod to exec in; use `command` (on this machine)",
                    entry.panel.word()
                ),
            ));
        }
        let empty = match &words {
            Words::Argv(w) => w.first().is_none_or(|p| p.trim().is_empty()),
            Words::Shell(line) => line.trim().is_empty(),
        };
        if empty {
            return Err(fail(field, "the command is empty".into()));
        }
        check_placeholders(entry.panel, in_pod, &words).map_err(|m| fail(field, m))?;
        for name in entry.matches.keys() {
            if entry.panel != TeamPanel::Alerts
                && !entry.panel.match_keys().contains(&name.as_str())
            {
                return Err(fail(
                    "match",
                    format!(
                        "a {} row has no `{name}`; expected one of: {}",
                        entry.panel.word(),
                        entry.panel.match_keys().join(", ")
                    ),
                ));
            }
        }
        out.push(TeamAction {
            name: entry.name.clone(),
            panel: entry.panel,
            key,
            matches: entry.matches.clone(),
            in_pod,
            words,
            risk: entry.risk,
            readonly_ok: entry.readonly_ok,
            line: field_line(text, start, "key"),
        });
    }
    Ok(out)
}

/// The team actions `opsdeck --demo` has when the config declares none.
pub const DEMO_ACTIONS: &str = include_str!("../../../assets/demo-actions.toml");

/// The keymap section of a panel's own keys.
fn mode(panel: TeamPanel) -> super::Mode {
    match panel {
        TeamPanel::Pods => super::Mode::Pods,
        TeamPanel::Services => super::Mode::Services,
        TeamPanel::Databases => super::Mode::Databases,
        TeamPanel::Backups => super::Mode::Backups,
        TeamPanel::Alerts => super::Mode::Alerts,
    }
}

/// A team action's key that a built-in key of its panel (the panel's own, the tables', the
/// global ones) already has is an error naming the file, the line and the command it would
/// shadow.
pub fn check_keys(
    path: &Path,
    actions: &[TeamAction],
    keymap: &super::Keymap,
) -> Result<(), ConfigError> {
    for (i, a) in actions.iter().enumerate() {
        let modes = [mode(a.panel), super::Mode::Table, super::Mode::Global];
        let taken = modes
            .iter()
            .find_map(|m| keymap.command(&[*m], a.key).map(|c| (c, *m)));
        if let Some((command, mode)) = taken {
            return Err(ConfigError::Invalid {
                path: path.into(),
                line: a.line,
                column: 1,
                key: format!("key `actions[{i}].key`: "),
                message: format!(
                    "{} is already `{}` on the {} panel in keymap {}; choose another key",
                    a.key,
                    super::commands::command_name(mode, command),
                    a.panel.word(),
                    keymap.name
                ),
            });
        }
    }
    Ok(())
}

/// TOML's answer to a file with both `[actions]` and `[[actions]]` ("duplicate key") in words
/// that say what to do.
pub fn both_forms(error: ConfigError, text: &str) -> ConfigError {
    let header = |h: &str| text.lines().any(|l| l.trim() == h);
    match error {
        ConfigError::Invalid {
            path,
            line,
            column,
            key,
            ..
        } if header("[actions]") && header("[[actions]]") => ConfigError::Invalid {
            path,
            line,
            column,
            key,
            message:
                "`[actions]` and `[[actions]]` cannot both be in one file: with `[[actions]]`, \
                      write the timeout as the top-level `action_timeout = \"2m\"`"
                    .into(),
        },
        other => other,
    }
}

/// The placeholders of a piece of text (`{pod}`), in order; `{{` and `}}` are literal braces.
/// An unclosed brace is an error.
pub fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err("a `}` without its `{` (write `}}` for a brace)".into());
        }
        let Some(end) = tail.find('}') else {
            return Err("a `{` without its `}` (write `{{` for a brace)".into());
        };
        out.push(&tail[1..end]);
        rest = &tail[end + 1..];
    }
    Ok(out)
}

fn check_placeholders(panel: TeamPanel, in_pod: bool, words: &Words) -> Result<(), String> {
    let known = panel.placeholders(in_pod);
    for piece in words.pieces() {
        for name in placeholders(piece)? {
            let label_like = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            // An alert's labels are placeholders too: known only when it runs.
            let ok = known.contains(&name) || (panel == TeamPanel::Alerts && label_like);
            if !ok {
                return Err(format!(
                    "unknown placeholder {{{name}}} on the {} panel; expected one of: {}",
                    panel.word(),
                    known
                        .iter()
                        .map(|k| format!("{{{k}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if let Words::Shell(line) = words {
        quoted_placeholder(line)?;
    }
    Ok(())
}

/// In a line for `sh -c`, opsdeck quotes each substituted value itself; a placeholder the file
/// puts inside quotes would be unquoted by that, so it is refused.
fn quoted_placeholder(line: &str) -> Result<(), String> {
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), '{') if chars.peek().map(|(_, n)| *n) != Some('{') => {
                return Err(format!(
                    "a placeholder inside {q}quotes{q}: write it bare, opsdeck shell-quotes every value"
                ));
            }
            (Some(_), '{') => {
                chars.next();
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether a glob (`*` any run, `?` one character) matches the whole of `text`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of `field = ...` in the entry starting at `start`, else the entry's own line.
fn field_line(text: &str, start: usize, field: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .take_while(|(i, l)| *i + 1 == start || !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(field)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(start, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests;
