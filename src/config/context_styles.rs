//! `[[kubernetes.context_styles]]`: how a context is named on screen so that prod cannot be
//! taken for staging: a label (`PROD`), a theme colour role, and whether it is production.
//! The label is the signal (it shows in 16 colours and under `NO_COLOR`); the colour adds to it.

use serde::{Deserialize, Deserializer};

use super::Role;
use super::guardrails::glob_matches;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextStyle {
    /// A glob over context names (the kubeconfig's, or a source's name); the first style that
    /// matches is used.
    #[serde(deserialize_with = "glob")]
    pub context: String,
    /// A short word drawn before the context's name: `PROD`.
    #[serde(deserialize_with = "label")]
    pub label: String,
    /// A theme role (`crit`, `warn`, `accent`, `source1` ...); default `crit` for production,
    /// else `accent`.
    pub color: Option<Role>,
    /// A production context: the status bar shows its label while it is the current one.
    #[serde(default)]
    pub production: bool,
}

impl ContextStyle {
    pub fn role(&self) -> Role {
        self.color.unwrap_or(if self.production {
            Role::Crit
        } else {
            Role::Accent
        })
    }
}

/// The style of `context`: the first that matches.
pub fn style_of<'a>(styles: &'a [ContextStyle], context: &str) -> Option<&'a ContextStyle> {
    styles.iter().find(|s| glob_matches(&s.context, context))
}

/// The longest label: it shares the status bar and the dialog's title with names.
const LABEL_MAX: usize = 12;

fn label<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    let ok = !text.trim().is_empty()
        && text.chars().count() <= LABEL_MAX
        && text.chars().all(|c| !c.is_control());
    if !ok {
        return Err(serde::de::Error::custom(format!(
            "a short word, 1 to {LABEL_MAX} characters, e.g. \"PROD\""
        )));
    }
    Ok(text.trim().to_string())
}

fn glob<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    glob::Pattern::new(&text).map_err(|e| {
        <D::Error as serde::de::Error>::custom(format!("`{text}` is not a glob: {}", e.msg))
    })?;
    Ok(text)
}
