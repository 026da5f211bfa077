//! ConfigMaps and Secrets as the Config panel shows them: names, keys and sizes. A ConfigMap's
//! values are kept (they are configuration, shown and edited); a Secret's never are: its row
//! has key names and value sizes only, made so by the adapter before the row exists.

use super::time::UnixTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConfigKind {
    ConfigMap,
    Secret,
}

impl ConfigKind {
    /// The API kind, as the KIND column shows it.
    pub fn api_kind(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "ConfigMap",
            ConfigKind::Secret => "Secret",
        }
    }

    /// The resource's plural, as RBAC and the URL name it.
    pub fn resource(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "configmaps",
            ConfigKind::Secret => "secrets",
        }
    }
}

/// A pod template's reference to a ConfigMap or Secret (a volume, `envFrom`, or an env
/// variable's `valueFrom`), by name in the workload's namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigRef {
    pub kind: ConfigKind,
    pub name: String,
}

/// One key of a ConfigMap or Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigKey {
    pub name: String,
    /// The value's size in bytes (a Secret's decoded size).
    pub size: usize,
    /// The value: a ConfigMap's only; always `None` for a Secret.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigObject {
    /// The kubeconfig context (cluster) it was reported from: set by the estate from the
    /// reporting source, so that rows of several clusters never mix.
    pub context: std::sync::Arc<str>,
    pub kind: ConfigKind,
    pub namespace: String,
    pub name: String,
    /// A Secret's type (`Opaque`, `kubernetes.io/tls`, ...); `None` for a ConfigMap.
    pub secret_type: Option<String>,
    /// Sorted by name.
    pub keys: Vec<ConfigKey>,
    /// `metadata.resourceVersion`: an edit is sent as a change of this version, so that a
    /// change made by someone else since is refused.
    pub resource_version: String,
    pub created: UnixTime,
}

impl ConfigObject {
    /// The values' sizes added up.
    pub fn size(&self) -> usize {
        self.keys.iter().map(|k| k.size).sum()
    }

    pub fn key(&self, name: &str) -> Option<&ConfigKey> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// The size a base64 text decodes to, without decoding it (a Secret's `data` value).
pub fn base64_size(text: &str) -> usize {
    let text = text.trim_end();
    let padding = text.bytes().rev().take_while(|b| *b == b'=').count();
    (text.len() / 4 * 3 + [0, 0, 1, 2][text.len() % 4]).saturating_sub(padding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn base64_sizes_are_the_decoded_sizes() {
        for n in 0..40 {
            let bytes = vec![7u8; n];
            let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
            assert_eq!(base64_size(&text), n, "{text}");
            let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
            assert_eq!(base64_size(&unpadded), n, "{unpadded}");
        }
    }
}
