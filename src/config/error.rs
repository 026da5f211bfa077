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
    /// A bad value given on the command line.
    #[error("{flag}: {message}")]
    Flag { flag: &'static str, message: String },
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

/// Reads a config, theme or keymap file as text. A file that is not UTF-8 is refused with the
/// line, column and byte offset of the first bad byte, so it can be found in an editor.
pub fn read_text(path: &std::path::Path) -> Result<String, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError::Invalid {
            path: path.into(),
            line,
            column,
            key: String::new(),
            message: format!("not valid UTF-8 (byte {offset}); save the file as UTF-8"),
        }
    })
}

/// Deserialises TOML text, reporting errors with file, line, column and key path.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
) -> Result<T, ConfigError> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ConfigError::from_toml(path, text, String::new(), &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = key_path(e.path());
        let mut error = ConfigError::from_toml(path, text, key, e.inner());
        if let ConfigError::Invalid { message, .. } = &mut error {
            *message = in_toml_terms(message);
        }
        error
    })
}

/// The key path as the file spells it (`services[0].url`), without the steps serde takes that
/// the file does not show (a span's private field, a key that is not a string).
fn key_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } if !key.starts_with("$__") => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(variant);
            }
            _ => {}
        }
    }
    out
}

/// serde's words for TOML's things.
fn in_toml_terms(message: &str) -> String {
    message
        .replace("expected a map", "expected a table")
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: map", "invalid type: table")
        .replace("invalid type: sequence", "invalid type: array")
}
