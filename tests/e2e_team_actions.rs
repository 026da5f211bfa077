//! The team's own actions (`[[actions]]`), end to end on `--demo` in a pseudo-terminal: the
//! demo's "Ping Redis" runs `redis-cli ping` in the simulated redis pod through the API's exec;
//! a config's `command` runs on this machine with the row's values shell-quoted; both stream
//! their output into the output pane, its end line the exit status, and the audit has intent
//! and outcome (never the output).
//! Read-only refuses the ones without `readonly_ok`.

mod pty;

use pty::{Cockpit, ENTER, ESC, TAB};

fn select_redis(c: &mut Cockpit) {
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("redis-0");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
}

/// A config with these `[[actions]]`, and the demo's arguments that use it.
fn config(dir: &tempfile::TempDir, actions: &str) -> String {
    let path = dir.path().join("config.toml");
    std::fs::write(&path, actions).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_demos_ping_redis_runs_in_the_pod_and_is_audited_without_its_output() {
    let mut c = Cockpit::start(
        140,
        40,
        &["--demo", "--pods", "48", "--operator", "e2e@test"],
    );
    select_redis(&mut c);
    // The panel's footer names it.
    c.wait_for("P: Ping Redis");
    c.keys(&["P"]);
    c.wait_for("Ping Redis on data/redis-0");
    c.wait_for("kubectl -n data exec redis-0 -- redis-cli ping");
    c.wait_for("✔ ready");
    c.keys(&[TAB, ENTER]);
    // Into the output pane, titled with what runs where.
    c.wait_for("redis-cli ping — data/redis-0");
    c.wait_for("PONG");
    c.wait_for("✔ exit status 0 in ");

    let records = c.audit_json();
    let phases: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r["phase"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert_eq!(phases, [("intent", "team"), ("outcome", "team")]);
    assert_eq!(records[0]["target"], "data/pod/redis-0");
    assert_eq!(records[0]["params"]["name"], "Ping Redis", "{}", records[0]);
    assert_eq!(
        records[0]["params"]["argv"],
        serde_json::json!(["redis-cli", "ping"])
    );
    assert_eq!(records[0]["risk"], "low");
    assert_eq!(records[1]["result"], "ok", "{}", records[1]);
    assert_eq!(records[1]["message"], "exit status 0");
    let text = std::fs::read_to_string(c.audit_file()).expect("the audit file");
    assert!(
        !text.contains("PONG"),
        "the output is never audited: {text}"
    );

    // The output pane takes `q` as it takes Esc: closed first, then quit.
    c.keys(&[ESC]);
    c.wait_for_absence("esc closes");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

const ON_THIS_MACHINE: &str = r#"
[[actions]]
name = "Echo and fail"
panel = "pods"
key = "K"
match = { namespace = "data" }
command = "echo ran-for-{pod} in {namespace}; exit 3"
risk = "high"

[[actions]]
name = "Say where"
panel = "pods"
key = "J"
command = ["echo", "here: {namespace}/{pod}"]
readonly_ok = true
"#;

#[test]
fn a_command_on_this_machine_shows_its_output_and_its_exit_status_3_as_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir, ON_THIS_MACHINE);
    let mut c = Cockpit::start(
        140,
        40,
        &[
            "--demo",
            "--pods",
            "48",
            "--config",
            &cfg,
            "--operator",
            "e2e@test",
        ],
    );
    // On a pod it does not match, the key says where it applies and does nothing.
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    // A statefulset's pod, which churn does not replace under the test.
    c.type_text("prometheus-0");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
    c.wait_for("K: Echo and fail");
    c.keys(&["K"]);
    c.wait_for("applies where namespace=data; not to this row");
    c.keys(&[ESC, "/"]);
    c.type_text("redis-0");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
    c.keys(&["K"]);
    c.wait_for("Echo and fail on data/redis-0");
    c.wait_for("sh -c 'echo ran-for-redis-0 in data; exit 3'");
    c.wait_for("✔ permitted");
    // High risk: the pod's name typed before Confirm opens.
    c.type_text("redis-0");
    c.keys(&[ENTER, ENTER]);
    c.wait_for("sh -c 'echo ran-for-redis-0 in data; exit 3' — this machine");
    c.wait_for("ran-for-redis-0 in data");
    c.wait_for("✖ exit status 3 in ");
    c.wait_for("FAILED: exit status 3");
    let records = c.audit_json();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["confirmed_by"], "typed name");
    assert_eq!(records[1]["result"], "error");
    assert_eq!(records[1]["message"], "exit status 3");
    // The output pane takes `q` as it takes Esc: closed first, then quit.
    c.keys(&[ESC]);
    c.wait_for_absence("esc closes");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn read_only_runs_only_the_actions_that_say_readonly_ok() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir, ON_THIS_MACHINE);
    let mut c = Cockpit::start(
        140,
        40,
        &["--demo", "--pods", "48", "--config", &cfg, "--readonly"],
    );
    select_redis(&mut c);
    c.keys(&["K"]);
    c.wait_for("Read-only cockpit: Echo and fail refused");
    c.keys(&["J"]);
    c.wait_for("Say where on data/redis-0");
    c.wait_for("echo 'here: data/redis-0'");
    c.wait_for("✔ ready");
    c.keys(&[TAB, ENTER]);
    c.wait_for("here: data/redis-0");
    c.wait_for("exit status 0");
    let records = c.audit_json();
    assert_eq!(
        records.len(),
        2,
        "only the readonly_ok one ran: {records:?}"
    );
    assert_eq!(records[0]["params"]["name"], "Say where");
    // The output pane takes `q` as it takes Esc: closed first, then quit.
    c.keys(&[ESC]);
    c.wait_for_absence("esc closes");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
