//! The Config panel end to end, in the real binary on `--demo` (the simulator over the
//! Kubernetes API, read by the real adapter): `:config`, workspace-agent-config's
//! `cache.enabled` edited and confirmed through the diff dialog, the new value shown and the
//! restart offered; the audit read back. And no Secret value anywhere: the JWT secret's value
//! (and its base64) is in none of the bytes written to the terminal (its row, details and YAML
//! view shown), the log file (at debug level) or the audit log.

mod pty;

use pty::{BACKSPACE, Cockpit, ENTER, ESC, TAB};

const CTRL_S: &str = "\x13";

fn secret_forms() -> [String; 2] {
    use base64::Engine;
    let value = opsdeck::sim::configs::JWT_SECRET_VALUE;
    [
        value.to_string(),
        base64::engine::general_purpose::STANDARD.encode(value),
    ]
}

#[test]
fn edit_cache_enabled_confirm_see_it_and_no_secret_value_is_shown_logged_or_audited() {
    let mut c = Cockpit::start_with_env(
        120,
        40,
        &["--demo", "--pods", "48"],
        &[("OPSDECK_LOG", "debug")],
    );
    c.wait_for("● live");
    c.keys(&[":"]);
    c.type_text("config");
    c.keys(&[ENTER]);
    c.wait_for("workspace-agent-config");

    // The Secret: its row, its details and its YAML view show sizes, never the value.
    c.keys(&["/"]);
    c.type_text("agents-jwt");
    c.keys(&[ENTER]);
    c.wait_for("Config 1 of 4");
    c.keys(&[ENTER]);
    c.wait_for("(values are never shown)");
    c.wait_for("jwt.key  28 bytes");
    c.keys(&["d"]);
    c.wait_for("kind: Secret");
    c.wait_for("jwt.key: (hidden, 28 bytes)");
    c.keys(&[ESC]);
    c.wait_for_absence("kind: Secret");

    // workspace-agent-config: the cache.enabled key, edited.
    c.keys(&["/"]);
    for _ in 0.."agents-jwt".len() {
        c.keys(&[BACKSPACE]);
    }
    c.type_text("workspace-agent-config");
    c.keys(&[ENTER]);
    c.wait_for("Config 1 of 4");
    c.wait_for("Value of agent.yaml");
    c.keys(&["]"]);
    c.wait_for("Value of cache.enabled (4 bytes)");
    c.keys(&["e"]);
    c.wait_for("agents/workspace-agent-config · cache.enabled");
    for _ in 0..4 {
        c.keys(&[BACKSPACE]);
    }
    c.type_text("false");
    c.keys(&[CTRL_S]);
    c.wait_for("Edit cache.enabled of configmap agents/workspace-agent-config");
    c.wait_for("- true");
    c.wait_for("+ false");
    c.wait_for("patch configmap workspace-agent-config --type merge -p");
    c.wait_for("permitted; dry run: server accepts cache.enabled");
    c.keys(&[TAB, ENTER]);
    c.wait_for("R restarts core-agent, workspace-agents");
    c.wait_for("Value of cache.enabled (5 bytes)");
    c.wait_for_line_with(&["▸ cache.enabled", "5 bytes"]);
    // The offer: R opens the rollout restart of the first workload that reads it.
    c.keys(&["R"]);
    c.wait_for("Restart rollout of deployment agents/core-agent");
    c.keys(&[ESC]);
    c.keys(&["q"]);
    c.exit_code();

    let audit = std::fs::read_to_string(c.audit_file()).expect("the audit log");
    let intent = audit
        .lines()
        .find(|l| l.contains("edit-configmap") && l.contains("\"intent\""))
        .unwrap_or_else(|| panic!("the edit's intent in {audit}"));
    assert!(intent.contains("\"key\":\"cache.enabled\""), "{intent}");
    assert!(
        intent.contains("<5 bytes>"),
        "the CLI with the size: {intent}"
    );
    assert!(
        !intent.contains("false"),
        "the value is not audited: {intent}"
    );
    assert!(
        audit.contains("\"outcome\"") && audit.contains("resourceVersion"),
        "{audit}"
    );

    let log = std::fs::read_to_string(c.home().join("opsdeck.log")).expect("the log file");
    assert!(log.len() > 1000, "the debug log was written: {log}");
    let screen = String::from_utf8_lossy(c.output()).into_owned();
    for secret in secret_forms() {
        assert!(!screen.contains(&secret), "the terminal got {secret}");
        assert!(!log.contains(&secret), "the log has {secret}");
        assert!(!audit.contains(&secret), "the audit has {secret}");
    }
}

#[test]
fn snapshot_prints_the_config_panel() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args([
            "snapshot", "--demo", "--panel", "config", "--size", "120x30",
        ])
        .env("HOME", tempfile::tempdir().expect("temp dir").path())
        .output()
        .expect("opsdeck snapshot");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("╭ Config 4 "), "{text}");
    assert!(text.contains("workspace-agent-config"), "{text}");
    assert!(
        text.contains("agents-jwt") && text.contains("Opaque"),
        "{text}"
    );
    assert!(!text.contains(opsdeck::sim::configs::JWT_SECRET_VALUE));
}
