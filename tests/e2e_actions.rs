//! Actions end to end: the real binary on `--demo` in a pseudo-terminal, dialogs driven by keys,
//! the result read off the screen as the simulated estate reports it, and the audit log read
//! back with `opsdeck audit --json`.

mod pty;

use std::process::Command;
use std::time::Duration;

use pty::{CTRL_D, CTRL_U, Cockpit, DOWN, ENTER, ESC, TAB};

/// 48 pods give pos-catalog exactly 3 replicas.
const ARGS: &[&str] = &["--demo", "--pods", "48", "--operator", "e2e@test"];

/// A dialog without fields, focus on Close: Tab to Confirm and press it.
fn confirm(c: &mut Cockpit) {
    c.keys(&[TAB, ENTER]);
}

/// In the last field, once Confirm can be pressed: Enter goes to Confirm, Enter presses it.
fn confirm_from_field(c: &mut Cockpit) {
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
}

/// The focus starts on the typed-name field of a dialog that has only that one.
fn type_target_name(c: &mut Cockpit, name: &str) {
    c.type_text(name);
}

#[test]
fn scale_rollback_and_lockdown_change_the_estate_and_are_audited() {
    let mut c = Cockpit::start(200, 50, ARGS);
    c.wait_for("● live");

    // Scale pos-catalog from 3 to 5.
    c.select_service("pos-catalog");
    c.wait_for("✔ 3/3");
    c.keys(&["s"]);
    c.wait_for("Scale deployment pos/pos-catalog");
    c.wait_for("permitted");
    // The focus is on the count: the digit replaces it.
    c.keys(&["5"]);
    c.wait_for("replicas 3 → 5");
    c.wait_for("kubectl -n pos scale deployment/pos-catalog --replicas=5");
    confirm_from_field(&mut c);
    c.wait_for("scaled to 5 replicas");
    c.wait_for("✔ 5/5");

    // Roll pos-order back to a revision picked from its history (the second newest earlier
    // one, image 2.2.5), typing its name.
    c.keys(&[ESC]);
    c.select_service("pos-order");
    c.keys(&["u"]);
    c.wait_for("Roll back deployment pos/pos-order");
    c.wait_for("permitted");
    c.wait_for("pos-order:2.3.0");
    // The focus starts on the revision list: one down, Enter to the typed name.
    c.keys(&[DOWN]);
    c.wait_for("pos-order:2.2.5");
    c.keys(&[ENTER]);
    c.type_text("pos-order");
    confirm_from_field(&mut c);
    c.wait_for("rolled back to revision");
    c.wait_for_absence("Roll back deployment pos/pos-order");
    // The default choice was 2.3.0: 2.2.5 in the IMAGE column is the picked revision.
    c.wait_for("registry.local/pos/pos-order:2.2.5   ");

    // Lock down namespace pos, see it locked, lift it.
    c.keys(&[ESC]);
    c.select_service("pos-payment");
    c.keys(&["L"]);
    c.wait_for("Lock down namespace pos");
    c.wait_for("permitted");
    type_target_name(&mut c, "pos");
    confirm_from_field(&mut c);
    c.wait_for("✖ LOCKED");
    c.keys(&[CTRL_U]);
    c.wait_for("Lift lockdown of namespace pos");
    c.wait_for("permitted");
    type_target_name(&mut c, "pos");
    confirm_from_field(&mut c);
    c.wait_for("deleted from pos");
    c.wait_for_absence("✖ LOCKED");

    // The timeline lists them, with who did it.
    c.keys(&["t"]);
    c.wait_for("Timeline");
    c.wait_for("e2e@test Lift lockdown of namespace pos");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);

    let records = c.audit_json();
    let summary: Vec<(String, String, String)> = records
        .iter()
        .map(|r| {
            (
                r["phase"].as_str().unwrap().into(),
                r["action"].as_str().unwrap().into(),
                r["result"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> =
        ["scale", "rollback", "lockdown", "lift-lockdown"]
            .iter()
            .flat_map(|a| {
                [
                    ("intent".to_string(), a.to_string(), String::new()),
                    ("outcome".to_string(), a.to_string(), "ok".to_string()),
                ]
            })
            .collect();
    assert_eq!(summary, expected);
    assert_eq!(records[0]["change"], "replicas 3 → 5");
    assert_eq!(records[0]["operator"], "e2e@test");
    assert_eq!(records[2]["confirmed_by"], "typed name");
    assert_eq!(records[2]["id"], records[3]["id"]);
}

#[test]
fn a_cancelled_dialog_changes_nothing_and_records_nothing() {
    let mut c = Cockpit::start(160, 40, ARGS);
    c.wait_for("● live");
    c.select_service("pos-catalog");
    c.wait_for("✔ 3/3");
    c.keys(&["s"]);
    c.wait_for("Scale deployment pos/pos-catalog");
    c.keys(&["9", ESC]);
    c.wait_for_absence("Scale deployment pos/pos-catalog");
    // Enter on the Close button, where the focus starts in a dialog without fields, too.
    c.keys(&["r"]);
    c.wait_for("Restart rollout of deployment pos/pos-catalog");
    c.wait_for("permitted");
    c.keys(&[ENTER]);
    c.wait_for_absence("Restart rollout of");
    std::thread::sleep(Duration::from_millis(2500));
    c.keys(&[" "]);
    c.wait_for("✔ 3/3");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
    assert!(
        !c.audit_file().exists() || c.audit_json().is_empty(),
        "nothing was recorded"
    );
}

#[test]
fn read_only_refuses_every_action_key() {
    let mut c = Cockpit::start(160, 40, &["--demo", "--readonly"]);
    c.wait_for("READ-ONLY");
    let keys: &[(&str, &[&str])] = &[
        ("3", &["s", "r", "u", "L", CTRL_U]),
        ("2", &[CTRL_D]),
        ("4", &["S", "E"]),
        ("5", &["x", "X"]),
        ("6", &["b", "v", "T"]),
    ];
    for (panel, actions) in keys {
        c.keys(&[panel]);
        for action in *actions {
            c.keys(&[action]);
            c.wait_for("Read-only cockpit:");
            assert!(
                !c.screen().contains("Permission"),
                "no dialog in read-only:\n{}",
                c.screen()
            );
        }
    }
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
    assert!(!c.audit_file().exists(), "read-only wrote no audit record");
}

#[test]
fn the_intent_survives_kill_9_between_intent_and_outcome() {
    let mut c = Cockpit::start(160, 40, ARGS);
    c.wait_for("● live");
    c.keys(&["6", "t"]);
    c.wait_for("positivity nightly");
    c.wait_for("Timeline");
    // Test-restore takes the simulated estate a few seconds.
    c.keys(&["T"]);
    c.wait_for("Test-restore backup of");
    c.wait_for("permitted");
    confirm(&mut c);
    // Progress means the intent is on disk and the restore is under way.
    c.wait_for("\": checking backup_");
    let status = Command::new("kill")
        .args(["-9", &c.pid().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    c.exit_code();
    let records = c.audit_json();
    assert_eq!(records.len(), 1, "only the intent: {records:?}");
    assert_eq!(records[0]["phase"], "intent");
    assert_eq!(records[0]["action"], "test-restore");
    assert_eq!(records[0]["target"], "backup/positivity nightly");
}

/// The demo's alerts come from the simulator's Alertmanager API through the real adapter:
/// a silence made in the dialog shows in the panel and in the silences pane with who and why,
/// the runbook section the alert names opens, and expiry brings the alert back.
#[test]
fn silence_list_runbook_and_expire_through_the_demo_alertmanager_api() {
    let mut c = Cockpit::start(160, 45, ARGS);
    c.wait_for("● live");
    c.keys(&["4", "/"]);
    c.type_text("HighLatency");
    c.keys(&[ENTER]);
    c.wait_for("Alerts by alertname 1 of");
    c.keys(&["S"]);
    c.wait_for("Silence alert HighLatencyP95");
    c.wait_for("alertname=HighLatencyP95 namespace=pos service=pos-payment");
    // The focus starts on the duration: Enter goes on to the comment.
    c.keys(&[ENTER]);
    c.type_text("provider incident OPS-9");
    c.wait_for("Comment             provider incident OPS-9");
    confirm_from_field(&mut c);
    c.wait_for("until");
    c.wait_for("silenced     pos-payment p95");

    c.keys(&["M"]);
    c.wait_for("Silences: 2 active");
    c.wait_for("by       e2e@test");
    c.wait_for("why      provider incident OPS-9");
    c.wait_for("by       m.okafor@bastion-1");
    c.keys(&[ESC]);
    c.wait_for_absence("Silences: 2 active");

    c.keys(&["R"]);
    c.wait_for("Runbook for HighLatencyP95: demo-runbook.md");
    c.wait_for("3.2 Performance Issues (Warning/Critical)");
    c.wait_for("kubectl scale deploy/pos-payment -n pos --replicas=6");
    c.keys(&[ESC]);

    c.keys(&["E"]);
    c.wait_for("Expire");
    // The one silence made above, by its ID.
    c.wait_for("amtool silence expire 00000002-sim0-4000-8000-000000000002");
    c.wait_for("permitted");
    confirm(&mut c);
    c.wait_for("expired silence");
    c.wait_for("active       pos-payment p95");

    let records = c.audit_json();
    let silence: Vec<_> = records
        .iter()
        .filter(|r| r["action"] == "silence")
        .collect();
    assert_eq!(silence.len(), 2, "intent and outcome: {records:?}");
    assert_eq!(silence[0]["params"]["comment"], "provider incident OPS-9");
    assert_eq!(silence[1]["operator"], "e2e@test");
    assert_eq!(silence[1]["result"], "ok");
    let expired = records
        .iter()
        .find(|r| r["action"] == "expire-silence" && r["phase"] == "outcome")
        .expect("the expiry is audited");
    assert_eq!(expired["result"], "ok");
}

#[test]
fn rbac_denial_from_the_cluster_refuses_the_action_with_its_reason() {
    // The demo's API server denies writes in `monitoring` (SelfSubjectAccessReview).
    let mut c = Cockpit::start(200, 50, ARGS);
    c.wait_for("● live");
    c.select_service("prometheus");
    c.keys(&["s"]);
    c.wait_for("Scale statefulset monitoring/prometheus");
    c.wait_for("denied: RBAC: the simulator's RBAC denies patch on statefulsets/scale");
    // A real change (1 → 3), so that the only thing in the way is the cluster's refusal.
    c.type_text("3");
    c.wait_for("replicas 1 → 3");
    c.wait_for("not permitted: RBAC");
    // Enter in the field does not reach a disabled Confirm; it says why.
    c.keys(&[ENTER]);
    c.wait_for("Not yet: not permitted: RBAC");
    c.keys(&[ESC]);
    c.wait_for_absence("Scale statefulset monitoring/prometheus");
    assert!(
        c.audit_json().is_empty(),
        "a refused action records nothing"
    );
}

/// `D` on the Nodes panel: the node's name typed, the budget's block and each eviction on the
/// screen as they come, the outcome audited with the intent.
#[test]
fn a_drain_shows_the_budgets_block_and_its_progress_and_is_audited() {
    // The demo's default estate: worker-09 runs four of pos-catalog's pods.
    let mut c = Cockpit::start(200, 50, &["--demo", "--operator", "e2e@test"]);
    c.wait_for("● live");
    c.keys(&["9", "/"]);
    c.type_text("worker-09");
    c.keys(&[ENTER]);
    c.wait_for("Nodes 1 of 12");
    c.keys(&["D"]);
    c.wait_for("Drain node worker-09");
    c.wait_for("kubectl drain worker-09 --ignore-daemonsets --delete-emptydir-data");
    c.wait_for("cordon and evictions accepted");
    type_target_name(&mut c, "worker-09");
    confirm_from_field(&mut c);
    c.wait_for("blocked by PDB pos-catalog, retrying: pos/pos-catalog-");
    c.wait_for("drained: ");
    c.wait_for("SchedulingDisabled");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);

    let records = c.audit_json();
    let drains: Vec<&serde_json::Value> =
        records.iter().filter(|r| r["action"] == "drain").collect();
    assert_eq!(drains.len(), 2, "{records:?}");
    assert_eq!(drains[0]["phase"], "intent");
    assert_eq!(drains[0]["confirmed_by"], "typed name");
    assert_eq!(drains[1]["phase"], "outcome");
    assert_eq!(drains[1]["result"], "ok");
    assert_eq!(drains[0]["id"], drains[1]["id"]);
}
