//! End to end: the demo's cluster (the simulator over the Kubernetes API, read by the real
//! adapter) in the real binary: `d` on the crash-looping pod shows the object the API server
//! sent, its fields as YAML; the search finds its last state; open details describe it.

mod pty;

use pty::{Cockpit, ENTER, ESC};

#[test]
fn d_shows_the_crash_looping_pods_yaml_and_the_details_its_last_state() {
    let mut c = Cockpit::start(140, 40, &["--demo", "--pods", "48"]);
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("crash");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
    c.keys(&["d"]);
    // The object as the simulated API server serves it.
    c.wait_for("pods workflow/pdf-recognizer-");
    c.wait_for("kind: Pod");
    c.wait_for("(managedFields left out)");
    c.keys(&["/"]);
    c.type_text("oomkilled");
    c.keys(&[ENTER]);
    c.wait_for("reason: OOMKilled");
    c.wait_for("exitCode: 137");
    c.wait_for("qosClass: Burstable");
    c.keys(&[ESC]);
    c.wait_for_absence("kind: Pod");
    // The details fetch it too and say it in a line.
    c.keys(&[ENTER]);
    c.wait_for_line_with(&["last", "Terminated: OOMKilled, exit 137,"]);
    c.wait_for("QoS class    Burstable");
}
