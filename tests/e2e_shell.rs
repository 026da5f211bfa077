//! Into the containers from the cockpit, end to end on `--demo` in a pseudo-terminal: `s` opens
//! a shell in a pod on the cockpit's own terminal and gives it back redrawn; `x` runs a one-off
//! command whose output streams into the output pane (stderr marked, the exit status at the
//! end; the timeline keeps the outcome only). Both are audited: intent and exit status, never
//! what was typed or shown.

mod pty;

use pty::{Cockpit, ENTER, ESC, TAB};

const ARGS: &[&str] = &["--demo", "--pods", "48", "--operator", "e2e@test"];

fn select_redis(c: &mut Cockpit) {
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("redis-0");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
}

#[test]
fn s_opens_a_shell_in_the_pod_and_exiting_it_brings_the_cockpit_back() {
    let mut c = Cockpit::start(120, 36, ARGS);
    select_redis(&mut c);
    c.keys(&["s"]);
    c.wait_for("Open a shell in data/redis-0");
    c.wait_for("kubectl -n data exec -it redis-0 -- bash");
    c.wait_for("✔ ready");
    c.keys(&[TAB, ENTER]);
    // The image has no bash: sh is the shell, on the terminal the cockpit left.
    c.wait_for("root@redis-0:/# ");
    c.type_text("echo hello-from-$HOSTNAME\r");
    c.wait_for("hello-from-redis-0");
    // Ctrl-C goes to the shell (which starts a new line), not to the cockpit.
    c.type_text("sleep 30\r");
    c.keys(&["\x03"]);
    c.wait_for("^C");
    c.type_text("stty size\r");
    c.wait_for("36 120");
    c.type_text("exit\r");
    // Back where it was: the Pods panel with its filter, redrawn whole, and the outcome.
    c.wait_for("Pods 1 of 61");
    c.wait_for("sh: exit status 0");
    assert!(!c.screen().contains("root@redis-0"), "{}", c.screen());

    let records = c.audit_json();
    let phases: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r["phase"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert_eq!(phases, [("intent", "shell"), ("outcome", "shell")]);
    assert_eq!(records[0]["target"], "data/pod/redis-0");
    assert_eq!(records[1]["result"], "ok", "{}", records[1]);
    assert_eq!(records[0]["operator"], "e2e@test");
    // Neither what was typed nor what the shell printed is on record.
    let text = std::fs::read_to_string(c.audit_file()).expect("the audit file");
    assert!(!text.contains("hello-from"), "{text}");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn x_runs_a_command_into_the_output_pane_whose_exit_status_3_is_a_failure() {
    let mut c = Cockpit::start(140, 40, ARGS);
    select_redis(&mut c);
    c.keys(&["x"]);
    c.wait_for("Run a command in data/redis-0");
    c.type_text("sh -c 'echo fine; echo oops >&2; exit 3'");
    c.wait_for("kubectl -n data exec redis-0 -- sh -c 'echo fine; echo oops >&2; exit 3'");
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
    // The pane, titled with what runs where: stdout, stderr marked, the failure at the end.
    c.wait_for("sh -c 'echo fine; echo oops >&2; exit 3' — data/redis-0");
    c.wait_for("    fine");
    c.wait_for("err oops");
    c.wait_for("✖ exit status 3 in ");
    // Closed, the timeline has the outcome, not the output.
    c.keys(&[ESC]);
    c.wait_for_absence("err oops");
    c.keys(&["t"]);
    c.wait_for("failed: exit status 3");
    // (The command is in its title; the lines it printed are not under it.)
    let screen = c.screen();
    assert!(
        !screen.contains("    fine") && !screen.contains("stderr: oops"),
        "{screen}"
    );
    let records = c.audit_json();
    let outcome = records
        .iter()
        .find(|r| r["phase"] == "outcome")
        .expect("an outcome record");
    assert_eq!(outcome["action"], "exec");
    assert_ne!(outcome["result"], "ok", "{outcome}");
    let text = std::fs::read_to_string(c.audit_file()).expect("the audit file");
    assert!(text.contains("exit status 3"), "{text}");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn s_on_a_pod_with_a_sidecar_picks_the_container_and_tries_the_configured_shells_at_80x24() {
    let home = tempfile::tempdir().expect("temp dir");
    let path = home.path().join("config.toml");
    std::fs::write(&path, "[kubernetes]\nshell = [\"zsh\", \"sh\"]\n").expect("config");
    let mut args = ARGS.to_vec();
    args.extend(["--config", path.to_str().expect("utf-8")]);
    let mut c = Cockpit::start(80, 24, &args);
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("pos-gateway");
    c.wait_for("/ pos-gateway");
    c.keys(&[ENTER]);
    c.wait_for_absence("/ pos-gateway");
    // Every pod listed (the count is the whole demo's), so the selection is a listed pod.
    c.wait_for("Pods 3 of 61");
    c.keys(&["s"]);
    // Two containers: the picker, on the default one.
    c.wait_for("Containers of pos/pos-gateway-");
    c.wait_for("▶ pos-gateway  (default)");
    c.wait_for("envoy");
    c.keys(&[ENTER]);
    c.wait_for("pos-gateway -- zsh");
    c.wait_for("✔ ready");
    c.keys(&[TAB, ENTER]);
    // No zsh in the image: the next configured shell.
    c.wait_for("root@pos-gateway-");
    c.type_text("echo in-$HOSTNAME\r");
    c.wait_for("in-pos-gateway-");
    c.type_text("exit 0\r");
    // Back at 80x24, the outcome whole on the status bar.
    c.wait_for("sh: exit status 0");
    let records = c.audit_json();
    assert_eq!(records[0]["action"], "shell");
    assert_eq!(
        records[0]["params"]["container"], "pos-gateway",
        "{}",
        records[0]
    );
    assert_eq!(records[1]["result"], "ok", "{}", records[1]);
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn x_at_80x24_shows_exit_status_3_whole_recalls_it_and_ctrl_x_cancels_a_long_one() {
    let mut c = Cockpit::start(80, 24, ARGS);
    c.wait_for("● live");
    // On the workload (Services): one of its ready pods, named by the dialog. Its row once the
    // workloads are listed (before, the health checks alone are).
    c.keys(&["3"]);
    c.wait_for("Services 23");
    c.keys(&["/"]);
    c.type_text("workflow-orchestrator");
    c.wait_for("/ workflow-orchestrator");
    c.keys(&[ENTER]);
    // The filter accepted (its input line gone), before the action's key.
    c.wait_for_absence("/ workflow-orchestrator");
    c.keys(&["x"]);
    c.wait_for("Run a command in workflow/workflow-orchestrator-");
    c.type_text("sh -c 'exit 3'");
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
    // A long pod name and 80 columns: the notice's title gives way, the exit status is shown
    // whole, and so is the pane's end line.
    c.wait_for("FAILED: exit status 3");
    c.wait_for("✖ exit status 3 in ");
    // The prompt remembers it, once the pane is closed.
    c.keys(&[ESC]);
    c.wait_for_absence("✖ exit status 3 in ");
    c.keys(&["x"]);
    c.wait_for("Run a command in workflow/workflow-orchestrator-");
    c.keys(&["\x1b[A"]);
    c.wait_for("-- sh -c 'exit 3'");
    // A long command instead, cancelled while it runs.
    for _ in 0.."sh -c 'exit 3'".len() {
        c.keys(&[pty::BACKSPACE]);
    }
    c.type_text("sleep 60");
    c.wait_for("-- sleep 60");
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
    c.wait_for("sleep 60 — workflow/workflow-orchestrator-");
    c.wait_for("ctrl-x cancels");
    c.keys(&["\x18"]);
    c.wait_for_within("▲ cancelled after ", std::time::Duration::from_secs(10));
    let records = c.audit_json();
    let outcomes: Vec<&str> = records
        .iter()
        .filter(|r| r["phase"] == "outcome")
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["error", "cancelled"], "{records:?}");
    // The output pane takes `q` as it takes Esc: closed first, then quit.
    c.keys(&[ESC]);
    c.wait_for_absence("esc closes");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
