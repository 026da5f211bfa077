//! End to end, in the real binary against the demo's simulator over the real adapters: from an
//! alert to its workload, its pods (the crash-looping one selected) and that pod's previous
//! log; from the Overview's crash-looping figure to the pod; the namespace picker and `:pods`.

mod pty;

use pty::{BACKSPACE, Cockpit, ENTER, ESC};

const RIGHT: &str = "\x1b[C";
const CTRL_N: &str = "\x0e";

#[test]
fn from_an_alert_to_its_pods_previous_log_and_from_a_tile_to_the_crash_looping_pod() {
    let mut c = Cockpit::start(140, 30, &["--demo"]);
    c.wait_for("● live");
    c.wait_for("crash-looping");
    c.keys(&["4", "/"]);
    c.type_text("KubePodCrashLooping");
    c.keys(&[ENTER]);
    c.wait_for("Alerts by alertname 1 of");
    c.keys(&[RIGHT]);
    c.wait_for("Alerts › KubePodCrashLooping › workflow/pdf-recognizer");
    c.keys(&[RIGHT]);
    c.wait_for("workflow/pdf-recognizer › pods");
    // The worst of its pods is selected: its log is the crash-looping one's.
    c.keys(&["l"]);
    c.wait_for("MemoryError: unable to allocate");
    c.keys(&["p"]);
    c.wait_for("previous container (p for the current)");
    c.keys(&[ESC]);
    c.wait_for_absence("previous container");
    c.keys(&[BACKSPACE]);
    c.wait_for("Services 1 of 23");
    c.keys(&[BACKSPACE]);
    c.wait_for("Alerts by alertname 1 of");

    // The Overview's Pods tile is selected first: Enter shows its crash-looping pods.
    c.keys(&["1", ENTER]);
    c.wait_for("Overview › Pods tile › crash-looping pods");
    c.wait_for("CrashLoopBackOff");
    c.wait_for("Pods 1 of 313");

    // The picker, then the command line, narrow what is shown; the status bar says which.
    c.keys(&[CTRL_N]);
    c.wait_for("Namespaces");
    c.keys(&[ESC, ":"]);
    c.type_text("pods pos");
    c.keys(&[ENTER]);
    c.wait_for("ns:pos");
    c.wait_for("Pods 101 of 313");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
