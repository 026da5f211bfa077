//! `opsdeck rules check`: which `[[guardrails]]` rule applies to an action of a kind in a context
//! and namespace, and what it demands, for reviewing the rules before they bite. Exit status:
//! 0 allowed, 1 denied, 2 usage or config error.

use std::path::Path;

use crate::actions::guardrails::{Verdict, judge};
use crate::config::guardrails::ACTION_KINDS;
use crate::config::{Config, GuardrailRule};
use crate::domain::UnixTime;

pub const EXIT_ALLOWED: u8 = 0;
pub const EXIT_DENIED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// What to judge: the command line's context, namespace (none for a target without one, as a
/// database backend), action kind, and moment.
pub struct Question<'a> {
    pub context: &'a str,
    pub namespace: Option<&'a str>,
    pub action: &'a str,
    pub at: UnixTime,
}

/// The answer as printed, and the exit status. An unknown action kind is a usage error.
pub fn check(config: &Config, path: Option<&Path>, q: &Question) -> (String, u8) {
    if !ACTION_KINDS.iter().any(|(name, _)| *name == q.action) {
        let known: Vec<&str> = ACTION_KINDS.iter().map(|(k, _)| *k).collect();
        return (
            format!(
                "unknown action kind `{}`; expected one of {}",
                q.action,
                known.join(", ")
            ),
            EXIT_USAGE,
        );
    }
    let rules = &config.guardrails;
    let file = path.map_or("no config file".to_string(), |p| p.display().to_string());
    let place = |rule: &GuardrailRule| match path {
        Some(p) => format!("{}:{}", p.display(), rule.line),
        None => format!("line {}", rule.line),
    };
    match judge(rules, q.context, q.namespace, q.action, q.at) {
        Verdict::Free => (
            format!(
                "no guardrail applies ({} in {file}): allowed\n",
                plural(rules.len(), "rule")
            ),
            EXIT_ALLOWED,
        ),
        Verdict::Denied { rule, why } => {
            let r = &rules[rule.number - 1];
            (
                format!(
                    "guardrail {} ({}): {}\ndenied: {why}\n",
                    rule.number,
                    place(r),
                    r.scope()
                ),
                EXIT_DENIED,
            )
        }
        Verdict::Allowed { rule, demands } => {
            let r = &rules[rule.number - 1];
            (
                format!(
                    "guardrail {} ({}): {}\nallowed, asks for: {}\n",
                    rule.number,
                    place(r),
                    r.scope(),
                    demands.describe()
                ),
                EXIT_ALLOWED,
            )
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
