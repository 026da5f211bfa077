//! Verifying a dump file: gzip integrity (every byte decompressed and its checksum checked, as
//! `gzip -t` does) and, for PostgreSQL custom-format dumps, the table of contents
//! (`pg_restore --list`). A plain SQL dump must start as `pg_dump` writes one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::io::AsyncWriteExt;

/// What a dump file holds, from its first bytes (after gzip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    /// `pg_dump -F c`: starts with `PGDMP`.
    Custom,
    /// SQL text.
    Plain,
}

pub fn is_gzip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "gz")
}

/// Reads the whole file (through gzip when it is compressed); returns its format and size
/// uncompressed, or why it is broken.
pub fn check_file(path: &Path) -> Result<(DumpFormat, u64), String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut reader: Box<dyn Read> = if is_gzip(path) {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let mut head = Vec::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(|e| {
            let what = if is_gzip(path) { "gzip" } else { "read" };
            format!("{what}: {e} after {total} bytes")
        })?;
        if n == 0 {
            break;
        }
        if head.len() < 64 {
            head.extend_from_slice(&buf[..n.min(64 - head.len())]);
        }
        total += n as u64;
    }
    if total == 0 {
        return Err("the file is empty".into());
    }
    if head.starts_with(b"PGDMP") {
        return Ok((DumpFormat::Custom, total));
    }
    let text = String::from_utf8_lossy(&head);
    if text.starts_with("--") || text.to_ascii_uppercase().contains("SET ") {
        return Ok((DumpFormat::Plain, total));
    }
    Err("neither a pg_dump custom-format archive nor SQL text".into())
}

/// The dump's table of contents by `pg_restore --list`: entries, and how many are table data.
pub async fn table_of_contents(pg_restore: &str, path: &Path) -> Result<(usize, usize), String> {
    let output = run_with_dump(pg_restore, &["--list"], path).await?;
    let text = String::from_utf8_lossy(&output);
    let entries: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with(';'))
        .collect();
    let data = entries
        .iter()
        .filter(|l| l.contains(" TABLE DATA "))
        .count();
    Ok((entries.len(), data))
}

/// Has `pg_restore` read the whole archive, writing the script it would run nowhere: every
/// data block is read and decompressed, so a dump cut short fails here.
pub async fn read_all_data(pg_restore: &str, path: &Path) -> Result<(), String> {
    run_with_dump(pg_restore, &["--file=/dev/null"], path)
        .await
        .map(|_| ())
}

/// Runs `program args` with the dump (decompressed) on its standard input; its output, or its
/// first error line.
pub async fn run_with_dump(program: &str, args: &[&str], path: &Path) -> Result<Vec<u8>, String> {
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = crate::actions::children::own_group(&mut command)
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let group = crate::actions::children::Group::track(child.id());
    let stdin = child.stdin.take().expect("piped");
    let feed = feed(path.to_path_buf(), stdin);
    let (fed, output) = tokio::join!(feed, child.wait_with_output());
    let output = output.map_err(|e| format!("{program}: {e}"))?;
    group.finished();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr
            .lines()
            .find(|l| l.contains("error"))
            .or_else(|| stderr.lines().next())
            .unwrap_or("no message");
        return Err(format!("{program} failed ({}): {line}", output.status));
    }
    fed?;
    Ok(output.stdout)
}

/// Writes the dump, decompressed, into a child's standard input.
async fn feed(path: PathBuf, mut stdin: tokio::process::ChildStdin) -> Result<(), String> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let reader = tokio::task::spawn_blocking(move || -> Result<(), String> {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let mut reader: Box<dyn Read> = if is_gzip(&path) {
            Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
                file,
            )))
        } else {
            Box::new(file)
        };
        loop {
            let mut buf = vec![0u8; 256 * 1024];
            let n = reader.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                return Ok(());
            }
            buf.truncate(n);
            if tx.blocking_send(buf).is_err() {
                return Ok(());
            }
        }
    });
    while let Some(chunk) = rx.recv().await {
        // The program may stop reading early (an error): that is its exit status's story.
        if stdin.write_all(&chunk).await.is_err() {
            break;
        }
    }
    drop(stdin);
    reader.await.map_err(|e| e.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn formats_are_told_apart_and_a_cut_gzip_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let custom = dir.path().join("a.dump.gz");
        std::fs::write(&custom, gz(b"PGDMP\x01\x0e\x00rest of the archive")).unwrap();
        assert_eq!(check_file(&custom).unwrap().0, DumpFormat::Custom);
        let plain = dir.path().join("a.sql");
        std::fs::write(&plain, "--\n-- PostgreSQL database dump\n--\nSET x = 1;\n").unwrap();
        let size = std::fs::metadata(&plain).unwrap().len();
        assert_eq!(check_file(&plain).unwrap(), (DumpFormat::Plain, size));
        let mut cut = gz(&vec![b'x'; 100_000]);
        cut.truncate(cut.len() / 2);
        let broken = dir.path().join("b.sql.gz");
        std::fs::write(&broken, cut).unwrap();
        let why = check_file(&broken).unwrap_err();
        assert!(why.starts_with("gzip: "), "{why}");
        let other = dir.path().join("c.dump");
        std::fs::write(&other, "hello").unwrap();
        assert!(check_file(&other).unwrap_err().contains("neither"));
    }
}
