//! The binary's command line: headless snapshots, and what happens on bad input.

use std::process::Command;

fn opsdeck(args: &[&str], home: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("OPSDECK_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .expect("run opsdeck")
}

#[test]
fn snapshot_prints_the_panel_at_the_requested_size() {
    let home = tempfile::tempdir().unwrap();
    let out = opsdeck(
        &["snapshot", "--demo", "--panel", "pods", "--size", "100x30"],
        home.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 30);
    assert!(text.lines().all(|l| unicode_width(l) <= 100));
    assert!(text.contains("Pods 313"), "{text}");
    assert!(!text.contains('\x1b'), "plain text without --ansi");

    let out = opsdeck(
        &[
            "snapshot",
            "--demo",
            "--panel",
            "alerts",
            "--ansi",
            "--theme",
            "colorblind",
            "--color",
            "truecolor",
        ],
        home.path(),
    );
    let ansi = String::from_utf8(out.stdout).unwrap();
    assert!(ansi.contains("\x1b[0;38;2;"), "truecolor SGR with --ansi");
}

fn unicode_width(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn a_bad_config_names_file_line_and_key_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    std::fs::write(&config, "theme = \"light\"\n\n[demo]\npods = \"lots\"\n").unwrap();
    let out = opsdeck(
        &["--config", config.to_str().unwrap(), "snapshot", "--demo"],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{}:4:", config.display())) && err.contains("demo.pods"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_theme_lists_the_available_ones_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let out = opsdeck(&["--demo", "--theme", "solarized"], home.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown theme `solarized`") && err.contains("high-contrast"),
        "{err}"
    );
}

#[test]
fn a_users_partial_theme_and_keymap_overlay_the_shipped_ones() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/opsdeck");
    std::fs::create_dir_all(dir.join("themes")).unwrap();
    std::fs::create_dir_all(dir.join("keymaps")).unwrap();
    std::fs::write(
        dir.join("themes/mine.toml"),
        "[roles]\ncrit = \"#ff00ff\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("keymaps/default.toml"), "[global]\nhelp = \"h\"\n").unwrap();
    let out = opsdeck(
        &[
            "snapshot",
            "--demo",
            "--theme",
            "mine",
            "--ansi",
            "--color",
            "truecolor",
        ],
        home.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ansi = String::from_utf8(out.stdout).unwrap();
    assert!(
        ansi.contains("38;2;255;0;255"),
        "the user's crit colour is used"
    );
    let text = opsdeck(&["snapshot", "--demo"], home.path()).stdout;
    assert!(
        String::from_utf8(text).unwrap().contains("h help"),
        "the status bar shows the user's help key"
    );
}

#[test]
fn out_of_range_pods_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let out = opsdeck(&["snapshot", "--demo", "--pods", "100001"], home.path());
    assert_eq!(out.status.code(), Some(2));
}

/// scripts/test installs what tests/commands.txt lists: every program a test runs by name must
/// be there, with its Debian package, or a fresh machine finds it missing halfway through.
#[test]
fn every_command_the_tests_run_is_listed_with_its_package() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let list =
        std::fs::read_to_string(root.join("tests/commands.txt")).expect("tests/commands.txt");
    let listed: Vec<(&str, &str)> = list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?, words.next()?))
        })
        .collect();
    let mut sources = Vec::new();
    let mut dirs = vec![root.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read tests/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(std::fs::read_to_string(&path).expect("read a test"));
            }
        }
    }
    let mut run = std::collections::BTreeSet::new();
    for text in &sources {
        for marker in ["Command::new(\"", "CommandBuilder::new(\""] {
            for part in text.split(marker).skip(1) {
                if let Some(name) = part.split('"').next() {
                    run.insert(name.to_string());
                }
            }
        }
        for part in text.split("Path::new(PG_BIN).join(\"").skip(1) {
            if let Some(name) = part.split('"').next() {
                run.insert(format!("/usr/lib/postgresql/15/bin/{name}"));
            }
        }
    }
    assert!(
        run.contains("kill") && run.contains("redis-server"),
        "{run:?}"
    );
    for name in &run {
        assert!(
            listed
                .iter()
                .any(|(c, package)| c == name && !package.is_empty()),
            "`{name}` is run by a test but not listed in tests/commands.txt"
        );
    }
}
