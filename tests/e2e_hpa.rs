//! The autoscaler and resources actions end to end: the real binary on `--demo` in a
//! pseudo-terminal. A manual scale of an autoscaled workload is warned of and set back by the
//! simulator's HPA; `A` raises the HPA's minimum and the HPA scales up to it; `R` raises a
//! container's memory limit and the pods roll; the audit log, read back with
//! `opsdeck audit --json`, has each intent and outcome.

mod pty;

use std::time::Duration;

use pty::{BACKSPACE, Cockpit, ENTER, ESC, TAB};

/// 48 pods give pos-catalog exactly 3 replicas: its HPA's bounds are 1 and 6.
const ARGS: &[&str] = &["--demo", "--pods", "48", "--operator", "e2e@test"];

fn confirm_from_field(c: &mut Cockpit) {
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
}

#[test]
fn a_manual_scale_is_set_back_the_bounds_change_and_resources_roll_the_pods() {
    let mut c = Cockpit::start(200, 50, ARGS);
    c.wait_for("● live");
    c.select_service("pos-catalog");
    c.wait_for("✔ 3/3");
    c.wait_for("3/1–6 cpu");

    // Scaled by hand to 5: warned, done, and set back to 3 by the HPA.
    c.keys(&["s"]);
    c.wait_for("permitted");
    c.keys(&["5"]);
    c.wait_for("HPA pos-catalog (min 1, max 6) will set the replicas back");
    confirm_from_field(&mut c);
    c.wait_for("scaled to 5 replicas");
    c.wait_for("✔ 5/5");
    c.wait_for_within("✔ 3/3", Duration::from_secs(20));

    // The HPA's minimum raised to 4: it scales the workload up to it.
    c.keys(&["A"]);
    c.wait_for("Change the autoscaler of deployment pos/pos-catalog");
    c.wait_for("permitted");
    c.keys(&["4"]);
    c.wait_for("HPA pos-catalog: min 1 → 4, max 6 → 6");
    c.wait_for("the HPA scales it up to 4");
    c.keys(&[ENTER]);
    confirm_from_field(&mut c);
    c.wait_for("HPA pos-catalog now scales pos-catalog between 4 and 6");
    c.wait_for_within("✔ 4/4", Duration::from_secs(20));

    // pdf-recognizer's memory limit raised: a new revision, its pods replaced.
    c.keys(&[ESC]);
    c.select_service("pdf-recognizer");
    c.keys(&["R"]);
    c.wait_for("Set resources of deployment workflow/pdf-recognizer");
    c.wait_for("permitted");
    c.keys(&[TAB, TAB, TAB, TAB]);
    c.keys(&[BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE]);
    c.type_text("1Gi");
    c.wait_for("pdf-recognizer: limits.memory 512Mi → 1Gi");
    c.wait_for("--limits=memory=1Gi");
    confirm_from_field(&mut c);
    c.wait_for("resources of pdf-recognizer set; the pods roll");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);

    let records = c.audit_json();
    let summary: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            (
                r["phase"].as_str().unwrap().into(),
                r["action"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = ["scale", "hpa-bounds", "set-resources"]
        .iter()
        .flat_map(|a| {
            [
                ("intent".into(), a.to_string()),
                ("outcome".into(), a.to_string()),
            ]
        })
        .collect();
    assert_eq!(summary, expected);
    assert_eq!(
        records[2]["change"],
        "HPA pos-catalog: min 1 → 4, max 6 → 6"
    );
    assert_eq!(
        records[4]["change"],
        "pdf-recognizer: limits.memory 512Mi → 1Gi"
    );
    assert!(
        records
            .iter()
            .filter(|r| r["phase"] == "outcome")
            .all(|r| r["result"] == "ok")
    );
}
