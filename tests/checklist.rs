//! Checklists end to end: `opsdeck checklist run` headless on the demo estate (exit status,
//! report content, the run kept and compared next time, bad input), and the morning checklist
//! walked in the cockpit with keys, a note typed, the report read back.

mod pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use pty::Cockpit;

/// Runs the binary with a home of the test's own (config and state inside it).
fn opsdeck(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("OPSDECK_CONFIG")
        .output()
        .expect("run opsdeck")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `.json` and `.md` files kept for `checklist` in the state directory.
fn kept_runs(home: &Path, checklist: &str) -> Vec<PathBuf> {
    let dir = home.join("state/opsdeck/checklists").join(checklist);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn morning_on_the_demo_fails_naming_the_stale_backup_and_the_crash_looping_pod() {
    let home = tempfile::tempdir().unwrap();
    let report = home.path().join("r.md");
    let out = opsdeck(
        &[
            "checklist",
            "run",
            "morning",
            "--demo",
            "--report",
            report.to_str().unwrap(),
        ],
        home.path(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed step exits 1:\n{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.starts_with("morning: FAIL — "), "{stdout}");
    // The README's example of this summary is this run's: its first line and every step line
    // it shows.
    let readme = include_str!("../README.md");
    let example = readme
        .split("```\n")
        .find(|block| block.starts_with("morning: "))
        .expect("the README shows the headless summary");
    for line in example
        .lines()
        .filter(|l| !l.trim().is_empty() && l.trim() != "...")
    {
        if line.starts_with("report: ") {
            continue;
        }
        assert!(
            stdout.lines().any(|l| l == line),
            "README line not printed by `checklist run morning --demo`:\n{line}\n\nprinted:\n{stdout}"
        );
    }
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.starts_with("# Morning checklist\n\n**FAIL**"), "{md}");
    assert!(
        md.contains("   - backup `positivity nightly` is 26 h old, RPO 24 h\n"),
        "the stale backup set: {md}"
    );
    let pod_line = md
        .lines()
        .find(|l| l.contains("pod `workflow/pdf-recognizer-"))
        .unwrap_or_else(|| panic!("the crash-looping pod: {md}"));
    assert!(pod_line.contains(" is crash-looping: "), "{pod_line}");
    assert!(
        md.contains("**SKIP** — Grafana: DOX Workflow Orchestrator dashboard reviewed (manual)"),
        "manual steps skipped by default: {md}"
    );
    // The demo shows workflow-db in its Databases panel: the step must not call it
    // unconfigured, but say why it cannot ask it.
    assert!(
        md.contains(
            "does not apply: `workflow-db` is the demo's simulated instance and runs no SQL"
        ),
        "{md}"
    );
    assert!(!md.contains("is configured"), "{md}");
    assert!(
        !md.contains("## Since the last run"),
        "the first run has nothing to compare"
    );
    // The run is kept (JSON and Markdown) for the next one to compare with.
    let kept = kept_runs(home.path(), "morning");
    assert_eq!(kept.len(), 2, "{kept:?}");

    // The second run, as JSON, says what changed since the first: nothing that matters here,
    // and it names the first run's time.
    std::thread::sleep(Duration::from_millis(1100));
    let json_path = home.path().join("out/r.json");
    let out = opsdeck(
        &[
            "checklist",
            "run",
            "morning",
            "--demo",
            "--manual",
            "fail",
            "--report",
            json_path.to_str().unwrap(),
        ],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(record["result"], "fail");
    assert_eq!(record["steps"].as_array().unwrap().len(), 13);
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kept[0]).unwrap()).unwrap();
    assert_eq!(record["previous"], first["finished"]);
    // Manual steps answered "fail" this time: they are new failures since the first run.
    let changes = record["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["kind"] == "new"
            && c["text"] == "Daily team coordination sync completed: not answered: headless run (--manual fail)"),
        "{changes:?}"
    );
    assert_eq!(kept_runs(home.path(), "morning").len(), 4);
}

#[test]
fn a_checklist_that_passes_exits_0_and_bad_input_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join("etc");
    std::fs::create_dir_all(config_dir.join("checklists")).unwrap();
    let config = config_dir.join("opsdeck.toml");
    std::fs::write(&config, "[checklists]\nreports = \"reports\"\n").unwrap();
    std::fs::write(
        config_dir.join("checklists/quick.toml"),
        "title = \"Quick\"\n\
         [[steps]]\ntitle = \"Orchestrator fast\"\ncheck = \"kpi\"\nservice = \"workflow/workflow-orchestrator\"\nkpi = \"p95_ms\"\nmax = 5000\n\
         [[steps]]\ntitle = \"Coffee made\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let out = opsdeck(
        &["checklist", "run", "quick", "--demo", "--config", config],
        home.path(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("quick: PASS — 1 passed, 0 warnings, 0 failed, 1 skipped"),
        "{stdout}"
    );
    let reports: Vec<_> = std::fs::read_dir(config_dir.join("reports"))
        .unwrap()
        .collect();
    assert_eq!(
        reports.len(),
        2,
        "Markdown and JSON in [checklists] reports"
    );

    let out = opsdeck(
        &[
            "checklist",
            "run",
            "quick",
            "--demo",
            "--config",
            config,
            "--manual",
            "fail",
        ],
        home.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unanswered manual step counts as failed"
    );

    let out = opsdeck(&["checklist", "list", "--config", config], home.path());
    let listed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let names: Vec<_> = listed
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["morning", "pre-deploy", "quick", "weekly"],
        "{listed}"
    );

    let out = opsdeck(
        &["checklist", "run", "evening", "--demo", "--config", config],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("no checklist `evening`; there are: morning, pre-deploy, quick, weekly"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(
        config_dir.join("checklists/quick.toml"),
        "title = \"Quick\"\n[[steps]]\ntitle = \"Fine\"\ncheck = \"alerts\"\n\n[[steps]]\ntitle = \"Backups\"\ncheck = \"backup\"\n",
    )
    .unwrap();
    let out = opsdeck(
        &["checklist", "run", "quick", "--demo", "--config", config],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("checklists/quick.toml:6:1: step 2 \"Backups\": unknown check `backup`"),
        "{stderr}"
    );
    let out = opsdeck(&["checklist", "list", "--config", config], home.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad file is a config error for `list` too"
    );
}

#[test]
fn a_source_that_never_answers_fails_its_step_as_unreachable() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("etc");
    std::fs::create_dir_all(dir.join("checklists")).unwrap();
    // A port nothing listens on: the adapter says why it cannot connect.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        dir.join("opsdeck.toml"),
        format!("[[redis]]\nname = \"cache\"\nurl = \"redis://127.0.0.1:{port}\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("checklists/infra.toml"),
        "title = \"Infra\"\n[[steps]]\ntitle = \"Redis\"\ncheck = \"redis\"\n\
         [[steps]]\ntitle = \"Backups\"\ncheck = \"backups\"\n",
    )
    .unwrap();
    let config = dir.join("opsdeck.toml");
    let out = opsdeck(
        &[
            "checklist",
            "run",
            "infra",
            "--config",
            config.to_str().unwrap(),
            "--wait",
            "3s",
        ],
        home.path(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("✖ Redis: Redis `cache` unreachable: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("infra: FAIL — 0 passed, 0 warnings, 1 failed, 1 skipped"),
        "no backup set configured is a skip: {stdout}"
    );
}

#[test]
fn morning_walked_in_the_cockpit_with_keys_and_a_note() {
    let mut c = Cockpit::start(160, 48, &["--demo"]);
    c.wait_for("Overview");
    c.keys(&["7"]);
    c.wait_for("Morning checklist");
    c.keys(&["\r"]);
    c.wait_for("backup `positivity nightly` is 26 h old, RPO 24 h");
    c.wait_for_within("is crash-looping", Duration::from_secs(20));
    // Step 6's failure leads to the Backups panel, filtered to the set.
    for _ in 0..5 {
        c.keys(&["j"]);
    }
    c.wait_for("show in Backups (positivity nightly)");
    c.keys(&["\r"]);
    c.wait_for("filtered to `positivity nightly`");
    c.wait_for("Backups 1 of 4");
    c.keys(&["7"]);
    c.wait_for("Step 6");
    // The manual steps: a note on the first, then pass, fail, skip.
    for _ in 0..5 {
        c.keys(&["j"]);
    }
    c.wait_for("Step 11");
    c.keys(&["N"]);
    c.wait_for("Note on step 11");
    c.keys(&["dashboard flat, OPS-12", "\r"]);
    c.wait_for("Note         dashboard flat, OPS-12");
    c.keys(&["p"]);
    c.wait_for("Step 12");
    c.keys(&["f", "s"]);
    c.wait_for("13/13 done");
    c.keys(&["F"]);
    c.wait_for("Morning checklist finished");
    c.wait_for("report written: ");
    let runs = kept_runs(c.home(), "morning");
    let md_path = runs
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a Markdown report");
    let md = std::fs::read_to_string(md_path).unwrap();
    assert!(md.contains("11. ✔ **PASS** — Grafana: DOX Workflow Orchestrator dashboard reviewed (manual)\n   - answered pass\n   - Note: dashboard flat, OPS-12\n"), "{md}");
    assert!(
        md.contains("12. ✖ **FAIL** — Daily team coordination sync completed (manual)"),
        "{md}"
    );
    assert!(
        md.contains("13. – **SKIP** — Failed authentication attempts below 100 (manual)"),
        "{md}"
    );
    assert!(
        md.contains("backup `positivity nightly` is 26 h old, RPO 24 h"),
        "{md}"
    );
    assert!(md.contains("operator "), "{md}");
    // Back to the list, which now shows the run.
    c.keys(&["\r"]);
    c.wait_for("last run ");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
