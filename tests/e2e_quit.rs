//! Quitting end to end: the real binary on `--demo` in a pseudo-terminal. With an action
//! running, `q` asks; No keeps the cockpit, Yes quits with the action recorded as abandoned in
//! the audit log, and the terminal is given back. An action whose cockpit was killed is
//! reported by the next one, and `opsdeck audit` marks it `outcome unknown`.

mod pty;

use std::process::Command;

use pty::{Cockpit, ENTER, TAB};

const ARGS: &[&str] = &["--demo", "--pods", "48", "--operator", "e2e@test"];

fn audit(c: &Cockpit, json: bool) -> String {
    let file = c.audit_file();
    let mut args = vec!["audit", "--audit-file", file.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(args)
        .env("HOME", c.home())
        .output()
        .expect("opsdeck audit");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Starts the demo's test-restore of the positivity nightly (a few seconds long) and waits
/// until it is under way.
fn start_a_test_restore(c: &mut Cockpit) {
    c.wait_for("● live");
    c.keys(&["6", "t"]);
    c.wait_for("positivity nightly");
    c.keys(&["T"]);
    c.wait_for("Test-restore backup of");
    c.wait_for("permitted");
    // From the dialog's Cancel button: Tab to Confirm and press it.
    c.keys(&[TAB, ENTER]);
    c.wait_for("\": checking backup_");
}

#[test]
fn q_with_an_action_running_asks_and_yes_records_it_as_abandoned() {
    let mut c = Cockpit::start(120, 30, ARGS);
    start_a_test_restore(&mut c);
    c.keys(&["q"]);
    c.wait_for("Quit? 1 running action will be abandoned — y / N");
    c.keys(&["n"]);
    c.wait_for_absence("Quit?");
    c.wait_for("not quitting");
    c.keys(&["q"]);
    c.wait_for("Quit? 1 running action will be abandoned — y / N");
    c.keys(&["y"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&audit(&c, true)).expect("a JSON array");
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1]["phase"], "outcome");
    assert_eq!(records[1]["result"], "abandoned");
    assert_eq!(records[1]["id"], records[0]["id"]);
    let message = records[1]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("opsdeck quit while it ran") && message.contains("checking backup_"),
        "{message}"
    );
}

#[test]
fn ctrl_c_twice_quits_with_an_action_running() {
    let mut c = Cockpit::start(120, 30, ARGS);
    start_a_test_restore(&mut c);
    c.keys(&["\x03"]);
    c.wait_for("Quit? 1 running action will be abandoned — y / N");
    c.keys(&["\x03"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
}

#[test]
fn an_action_cut_off_by_kill_9_is_reported_at_the_next_start() {
    let mut c = Cockpit::start(160, 40, ARGS);
    start_a_test_restore(&mut c);
    let killed = Command::new("kill")
        .args(["-9", &c.pid().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    c.exit_code();
    let table = audit(&c, false);
    assert!(
        table.contains("outcome unknown"),
        "the intent is marked:\n{table}"
    );
    // The next cockpit on the same audit log says so on the status bar.
    let audit_file = c.audit_file();
    let mut next = Cockpit::start(
        160,
        40,
        &[ARGS, &["--audit-file", audit_file.to_str().unwrap()]].concat(),
    );
    next.wait_for("outcome unknown: test-restore backup/positivity nightly (");
    next.keys(&["q"]);
    assert_eq!(next.exit_code(), 0);
}

/// Running, not a zombie waiting to be reaped.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

/// A backup's `take` command and what it starts in the background stop with the cockpit:
/// they do not run on unseen after it quit.
#[test]
fn quitting_stops_the_processes_a_running_take_started() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dumps = dir.path().join("dumps");
    std::fs::create_dir_all(&dumps).expect("dumps dir");
    let pidfile = dir.path().join("sleep.pid");
    let config = dir.path().join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[[backups]]\nname = \"nightly\"\nkind = \"directory\"\npath = \"{}\"\n\
             take = \"sleep 60 & echo $! > {}; echo taking a dump; wait\"\n",
            dumps.display(),
            pidfile.display()
        ),
    )
    .expect("write config");
    let mut c = Cockpit::start(120, 30, &["--config", config.to_str().unwrap()]);
    c.keys(&["6"]);
    c.wait_for("nightly");
    c.keys(&["b"]);
    c.wait_for("permitted");
    c.keys(&[TAB, ENTER]);
    c.wait_for("taking a dump");
    let pid: u32 = std::fs::read_to_string(&pidfile)
        .expect("the take wrote its pid")
        .trim()
        .parse()
        .expect("a pid");
    assert!(alive(pid));
    c.keys(&["q"]);
    c.wait_for("Quit? 1 running action will be abandoned — y / N");
    c.keys(&["y"]);
    assert_eq!(c.exit_code(), 0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while alive(pid) {
        assert!(
            std::time::Instant::now() < deadline,
            "the take's sleep {pid} outlived the cockpit"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
