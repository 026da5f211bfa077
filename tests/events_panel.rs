//! `opsdeck snapshot --panel events`: the demo's events as the cockpit reads them from the
//! simulator's API through the kube adapter, and `[kubernetes] events_max` bounding the store.

use std::process::Command;

fn snapshot(home: &std::path::Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(extra)
        .args([
            "snapshot", "--demo", "--panel", "events", "--size", "160x30",
        ])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("OPSDECK_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .expect("run opsdeck");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn line_with<'a>(text: &'a str, part: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(part))
        .unwrap_or_else(|| panic!("a line with {part} in\n{text}"))
}

#[test]
fn snapshot_of_the_events_panel_lists_the_clusters_events_newest_first() {
    let home = tempfile::tempdir().unwrap();
    let text = snapshot(home.path(), &[]);
    // The story's five, and the demo's rollout's if its first steps came before the snapshot.
    assert!(text.contains("Events (W: warnings only) "), "{text}");
    let backoff = line_with(&text, "BackOff");
    assert!(backoff.contains("▲ Warning"), "{backoff}");
    assert!(backoff.contains("pod/pdf-recognizer-"), "{backoff}");
    assert!(backoff.contains(" x61 "), "{backoff}");
    let scheduling = line_with(&text, "FailedScheduling");
    assert!(
        scheduling.contains("0/12 nodes are available"),
        "{scheduling}"
    );
    let pulled = line_with(&text, "Pulled");
    assert!(
        pulled.contains("Normal") && !pulled.contains('▲'),
        "{pulled}"
    );
    // Newest first: the back-off (10 s ago) above the refusal (20 s) above the restart (40 s).
    let row = |part: &str| text.lines().position(|l| l.contains(part)).unwrap();
    assert!(row("BackOff") < row("FailedScheduling"));
    assert!(row("FailedScheduling") < row("Pulled"));
}

#[test]
fn events_max_keeps_only_the_newest() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    std::fs::write(&config, "[kubernetes]\nevents_max = 2\n").unwrap();
    let text = snapshot(home.path(), &["--config", config.to_str().unwrap()]);
    assert!(text.contains("Events (W: warnings only) 2 "), "{text}");
    let rows = text
        .lines()
        .filter(|l| l.contains(" ago") || l.contains("Normal") || l.contains("Warning"))
        .count();
    assert_eq!(rows, 2, "{text}");
    // The oldest of the demo's events (the restart 40 s ago) is the first to go.
    assert!(!text.contains("Pulled"), "{text}");
}
