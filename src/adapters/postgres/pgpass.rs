//! `~/.pgpass` lookup, as libpq does it: `host:port:database:user:password` lines, `*` matches
//! anything, `\:` and `\\` are escapes, the first matching line wins. tokio-postgres does not
//! read it, so we do.

use std::path::{Path, PathBuf};

/// The password file: `PGPASSFILE`, else `~/.pgpass`.
pub fn path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))
}

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), out.last_mut()) {
                    field.push(next);
                }
            }
            ':' => out.push(String::new()),
            c => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out
}

/// The password for the connection, if a line matches.
pub fn lookup(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let f = fields(line);
            if f.len() != 5 {
                return None;
            }
            let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
            (matches(&f[0], host)
                && matches(&f[1], &port)
                && matches(&f[2], database)
                && matches(&f[3], user))
            .then(|| f[4].clone())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let file = "# comment\n\
                    db1:5432:positivity:opsdeck:first\n\
                    *:*:*:opsdeck:p\\:ass\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            lookup(file, "db1", 5432, "positivity", "opsdeck").as_deref(),
            Some("first")
        );
        assert_eq!(
            lookup(file, "db2", 5433, "other", "opsdeck").as_deref(),
            Some("p:ass\\word")
        );
        assert_eq!(
            lookup(file, "db2", 5433, "other", "alice").as_deref(),
            Some("fallback")
        );
        assert_eq!(
            lookup("db1:5432:x:y\n", "db1", 5432, "x", "y"),
            None,
            "four fields is no line"
        );
    }
}
