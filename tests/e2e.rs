//! End to end: the real binary in a pseudo-terminal, keys pressed as a person would, the
//! screen read back through a terminal emulator (vt100), and the exit checked.

mod pty;

use pty::{Cockpit, ENTER, ESC};

#[test]
fn demo_at_80x24_walks_panels_filters_helps_and_quits_cleanly() {
    let mut c = Cockpit::start(80, 24, &["--demo"]);
    c.wait_for("Pods");
    c.wait_for("● live");
    // Sources turn live one report at a time: wait for the pods, do not assume them.
    c.wait_for("crash-looping");
    c.keys(&["2"]);
    c.wait_for("Pods 313");
    c.keys(&["/", "c", "r", "a", "s", "h"]);
    c.wait_for("1 of 313");
    c.wait_for("CrashLoopBackOff");
    c.keys(&["\r", "?"]);
    c.wait_for("Help: keymap default");
    c.keys(&["\x1b"]);
    c.wait_for_absence("Help: keymap default");
    c.keys(&["\t"]);
    c.wait_for("Services 23");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
}

#[test]
fn demo_at_200x50_shows_the_overview_and_ctrl_c_quits() {
    let mut c = Cockpit::start(200, 50, &["--demo", "--theme", "high-contrast"]);
    c.wait_for("Sources");
    c.wait_for("positivity nightly");
    c.keys(&["\x03"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
}

#[test]
fn readonly_badge_is_shown() {
    let mut c = Cockpit::start(100, 30, &["--demo", "--readonly", "--ascii"]);
    c.wait_for("READ-ONLY");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn a_pods_log_opens_follows_filters_shows_the_crashed_container_and_closes() {
    let mut c = Cockpit::start(140, 30, &["--demo", "--pods", "48"]);
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("crash");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
    c.keys(&["l"]);
    // The current container's few lines, its death, and the offer of the one before.
    c.wait_for("Logs workflow/pdf-recognizer-");
    c.wait_for("MemoryError: unable to allocate");
    c.wait_for("p shows the crashed container");
    c.keys(&["p"]);
    c.wait_for("previous container (p for the current)");
    c.wait_for("200 lines");
    c.keys(&["e", "e"]);
    c.wait_for("errors only");
    // Errors only hides INFO lines (once the frame that says so is drawn whole).
    c.wait_for_absence("INFO  request handled");
    // The crash's cause stays: the traceback goes with the ERROR line that logged it.
    c.wait_for("Traceback (most recent call last):");
    c.wait_for("MemoryError: unable to allocate");
    c.keys(&[ESC]);
    c.wait_for_absence("Logs workflow/pdf-recognizer-");
    c.wait_for("Pods 1 of 61");
}

/// `--color` is an explicit choice and wins over `NO_COLOR` (which only steers the detection).
/// crossterm honours `NO_COLOR` by itself, so without forcing it the flag drew no colour.
#[test]
fn an_explicit_colour_flag_wins_over_no_color() {
    let indexed = |out: &[u8]| out.windows(5).any(|w| w == b"\x1b[38;".as_slice());
    let mut c =
        Cockpit::start_with_env(100, 30, &["--demo", "--color", "256"], &[("NO_COLOR", "1")]);
    c.wait_for("● live");
    assert!(
        indexed(c.output()),
        "--color 256 with NO_COLOR=1 drew no colour"
    );
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);

    let mut c = Cockpit::start_with_env(100, 30, &["--demo"], &[("NO_COLOR", "1")]);
    c.wait_for("● live");
    assert!(
        !indexed(c.output()),
        "NO_COLOR=1 without a flag still drew colour"
    );
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

/// A `[[services]]` check that matches no workload — a service outside Kubernetes, under
/// systemd — has its own row (kind `http`) with its answer, even with no cluster at all; the
/// panel said `Services 0`.
#[test]
fn a_health_check_outside_the_cluster_has_a_row_of_its_own() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/health", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for mut socket in listener.incoming().flatten() {
            let mut buf = [0u8; 2048];
            let _ = socket.read(&mut buf);
            let body = "{\"status\":\"UP\"}";
            let _ = write!(
                socket,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[[services]]\nname = \"moqui-server\"\nurl = \"{url}\"\ninterval = \"1s\"\n"),
    )
    .expect("write config");
    let mut c = Cockpit::start(120, 30, &["--config", config.to_str().expect("utf-8")]);
    c.keys(&["3"]);
    c.wait_for("Services 1");
    c.wait_for_line_with(&["moqui-server", "http", "✔ up"]);
    c.keys(&[ENTER]);
    c.wait_for("HTTP check moqui-server");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
