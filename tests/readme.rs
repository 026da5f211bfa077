//! The README's examples that show output are the real output: the Overview block is what
//! `opsdeck snapshot --demo --panel overview --size 100x26` prints (the README keeps a subset of
//! its lines, in order; the clock is the only thing that moves), and every path the README
//! names in backticks exists in the repository.

use std::process::Command;

const README: &str = include_str!("../README.md");

/// `HH:MM:SS UTC` → `hh:mm:ss UTC`: the one part of a demo snapshot that differs between runs.
fn without_clock(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let clock = i + 8 <= line.len()
            && [0, 1, 3, 4, 6, 7]
                .iter()
                .all(|k| bytes[i + k].is_ascii_digit())
            && bytes[i + 2] == b':'
            && bytes[i + 5] == b':';
        if clock {
            out.push_str("hh:mm:ss");
            i += 8;
        } else {
            let c = line[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out.trim_end().to_string()
}

#[test]
fn the_overview_block_is_what_the_snapshot_command_prints() {
    let start = README
        .find("```\n opsdeck   1 Overview")
        .expect("the README shows the Overview");
    let block: Vec<&str> = README[start + 4..]
        .split("\n```")
        .next()
        .expect("a closed block")
        .lines()
        .collect();
    assert!(
        README[start..].contains("`opsdeck snapshot --demo --panel overview --size 100x26`"),
        "the README says which command printed it"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args([
            "snapshot", "--demo", "--panel", "overview", "--size", "100x26",
        ])
        .env("HOME", tempfile::tempdir().expect("temp dir").path())
        .output()
        .expect("run opsdeck snapshot");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(without_clock)
        .collect();
    let mut next = 0;
    for line in block {
        let line = without_clock(line);
        match printed[next..].iter().position(|p| *p == line) {
            Some(at) => next += at + 1,
            None => panic!(
                "README line not printed (in this order) by the snapshot:\n{line}\n\nprinted:\n{}",
                printed.join("\n")
            ),
        }
    }
}

#[test]
fn every_repository_path_the_readme_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let prefixes = [
        "src/", "tests/", "scripts/", "docs/", "assets/", "themes/", "keymaps/", "benches/", ".ci/",
    ];
    let mut checked = 0;
    for quoted in README.split('`').skip(1).step_by(2) {
        let path = quoted.trim_end_matches(['.', ',', ':']);
        if !prefixes.iter().any(|p| path.starts_with(p)) || path.contains(['*', '{', ' ', '<']) {
            continue;
        }
        checked += 1;
        assert!(
            root.join(path).exists(),
            "the README names `{path}`, which is not in the repository"
        );
    }
    assert!(
        checked > 10,
        "only {checked} paths found: is the README still there?"
    );
}
