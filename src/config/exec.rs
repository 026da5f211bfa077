//! What `s` (shell) and `x` (one-off command) take from `[kubernetes]`: the shells to try, and
//! the namespaces where getting into a container is high risk (the target's name typed).

use serde::{Deserialize, Deserializer};

/// The shells `s` tries when `[kubernetes] shell` is not set, the first the container has.
pub const DEFAULT_SHELLS: [&str; 2] = ["bash", "sh"];

/// `[kubernetes] shell` and `exec_high_risk_namespaces`, as the cockpit uses them.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecSettings {
    /// Tried in order; the first the container has is the shell.
    pub shells: Vec<String>,
    /// Namespaces (globs: `prod-*`, `pos`) where `s` and `x` ask for the target's name.
    pub high_risk_namespaces: Vec<NamespaceGlob>,
}

impl Default for ExecSettings {
    fn default() -> Self {
        ExecSettings {
            shells: DEFAULT_SHELLS.map(String::from).to_vec(),
            high_risk_namespaces: Vec::new(),
        }
    }
}

impl ExecSettings {
    pub fn from_config(kubernetes: Option<&super::KubernetesConfig>) -> ExecSettings {
        let mut settings = ExecSettings::default();
        if let Some(k) = kubernetes {
            if let Some(shells) = &k.shell {
                settings.shells = shells.clone();
            }
            settings.high_risk_namespaces = k.exec_high_risk_namespaces.clone();
        }
        settings
    }

    /// Whether a shell or a command in this namespace is high risk.
    pub fn high_risk(&self, namespace: &str) -> bool {
        self.high_risk_namespaces
            .iter()
            .any(|g| g.pattern.matches(namespace))
    }
}

/// A namespace glob (`*`, `?`, `[a-z]`), checked when the config is read.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceGlob {
    pub text: String,
    pattern: glob::Pattern,
}

impl<'de> Deserialize<'de> for NamespaceGlob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let pattern = glob::Pattern::new(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "`{text}` is not a namespace glob ({e}); write e.g. \"prod-*\" or \"pos\""
            ))
        })?;
        Ok(NamespaceGlob { text, pattern })
    }
}

/// `shell = [...]`: at least one, none blank.
pub(super) fn shells<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let shells = Vec::<String>::deserialize(d)?;
    if shells.is_empty() || shells.iter().any(|s| s.trim().is_empty()) {
        return Err(serde::de::Error::custom(
            "expected the shells to try, in order, e.g. [\"bash\", \"sh\"]",
        ));
    }
    Ok(Some(shells))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml_text: &str) -> Result<ExecSettings, String> {
        let k: super::super::KubernetesConfig =
            toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Ok(ExecSettings::from_config(Some(&k)))
    }

    #[test]
    fn the_shells_default_to_bash_then_sh_and_the_config_replaces_them() {
        assert_eq!(settings("").unwrap().shells, ["bash", "sh"]);
        assert_eq!(
            settings(r#"shell = ["zsh", "ash"]"#).unwrap().shells,
            ["zsh", "ash"]
        );
        let empty = settings("shell = []").unwrap_err();
        assert!(empty.contains("shells to try"), "{empty}");
    }

    #[test]
    fn high_risk_namespaces_are_globs_and_none_by_default() {
        assert!(!settings("").unwrap().high_risk("prod-eu"));
        let s = settings(r#"exec_high_risk_namespaces = ["prod-*", "pos"]"#).unwrap();
        assert!(s.high_risk("prod-eu"));
        assert!(s.high_risk("pos"));
        assert!(!s.high_risk("pos-staging"));
        assert!(!s.high_risk("data"));
        let bad = settings(r#"exec_high_risk_namespaces = ["[prod"]"#).unwrap_err();
        assert!(bad.contains("not a namespace glob"), "{bad}");
    }
}
