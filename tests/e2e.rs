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
    c.wait_for("Pods 300");
    c.keys(&["/", "c", "r", "a", "s", "h"]);
    c.wait_for("1 of 300");
    c.wait_for("CrashLoopBackOff");
    c.keys(&["\r", "?"]);
    c.wait_for("Help: keymap default");
    c.keys(&["\x1b"]);
    c.wait_for_absence("Help: keymap default");
    c.keys(&["\t"]);
    c.wait_for("Services 22");
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
    c.wait_for("Pods 1 of 48");
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
    assert!(
        !c.screen().contains("INFO  request handled"),
        "errors only hides INFO lines"
    );
    // The crash's cause stays: the traceback goes with the ERROR line that logged it.
    c.wait_for("Traceback (most recent call last):");
    c.wait_for("MemoryError: unable to allocate");
    c.keys(&[ESC]);
    c.wait_for_absence("Logs workflow/pdf-recognizer-");
    c.wait_for("Pods 1 of 48");
}
