//! Logs go to a file in the state directory, never to the terminal the cockpit draws on.

use std::io::Write;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Where the log goes when `--log-file` is not given.
pub fn default_log_file() -> Option<PathBuf> {
    crate::config::paths::state_dir().map(|d| d.join("opsdeck.log"))
}

/// The default filter. The kube client writes an ERROR line for every failed request (~330 in
/// 2 s from one log-error pass while the API server was down); the cluster's source logs its
/// state changes once with the reason instead (`app::source_log`), so those lines are off.
pub const DEFAULT_FILTER: &str = "info,kube_client::client::builder=off";

/// Starts logging to `path` (level from `OPSDECK_LOG`, default [`DEFAULT_FILTER`]). Returns the guard that
/// flushes the log on drop, or an explanation when the file cannot be opened.
pub fn init(path: &Path) -> Result<WorkerGuard, String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create log directory {}: {e}", dir.display()))?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open log file {}: {e}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter =
        EnvFilter::try_from_env("OPSDECK_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    tracing_subscriber::fmt()
        .with_writer(Redacting(writer))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(guard)
}

/// Makes writers that take every secret out of the URLs in a log line before it is written:
/// whatever a task logs (an error naming the URL it failed on), the file holds no password.
struct Redacting<M>(M);

impl<'a, M: tracing_subscriber::fmt::MakeWriter<'a>> tracing_subscriber::fmt::MakeWriter<'a>
    for Redacting<M>
{
    type Writer = RedactingWriter<M::Writer>;
    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

/// The formatter hands over each event whole, so a URL is never split between two writes.
struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        match crate::domain::redact::urls(&text) {
            std::borrow::Cow::Owned(clean) => self.0.write_all(clean.as_bytes())?,
            std::borrow::Cow::Borrowed(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_lose_the_secrets_of_their_urls() {
        let mut out = RedactingWriter(Vec::new());
        out.write_all(
            b"WARN poll failed: error sending request for url (http://u:pw1@h/m?apikey=k9)\n",
        )
        .unwrap();
        let written = String::from_utf8(out.0).unwrap();
        assert_eq!(
            written,
            "WARN poll failed: error sending request for url (http://***@h/m?apikey=***)\n"
        );
    }
}
