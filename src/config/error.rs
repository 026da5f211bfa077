//! Configuration errors, each naming the file, the place and what was expected, so the operator
//! can fix it without reading code.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {key}{message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        key: String,
        message: String,
    },
    #[error("unknown {what} `{name}`; available: {available}")]
    UnknownName {
        what: &'static str,
        name: String,
        available: String,
    },
}

impl ConfigError {
    /// Builds an `Invalid` error from a TOML deserialisation error, turning its byte span into a
    /// line and column of `text`.
    pub fn from_toml(
        path: impl Into<PathBuf>,
        text: &str,
        key_path: String,
        err: &toml::de::Error,
    ) -> Self {
        let offset = err.span().map_or(0, |s| s.start).min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let key = if key_path.is_empty() || key_path == "." {
            String::new()
        } else {
            format!("key `{key_path}`: ")
        };
        ConfigError::Invalid {
            path: path.into(),
            line,
            column,
            key,
            message: err.message().trim().to_string(),
        }
    }
}

/// Deserialises TOML text, reporting errors with file, line, column and key path.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
) -> Result<T, ConfigError> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ConfigError::from_toml(path, text, String::new(), &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        ConfigError::from_toml(path, text, key, e.inner())
    })
}
