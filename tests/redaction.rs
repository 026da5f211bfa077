//! No secret from a configured URL reaches anything opsdeck shows or writes: a health check's
//! URL with a password in its userinfo and a token in its query, down (so its error, which
//! names the URL, is shown and reported too), walked in the cockpit and run as a checklist; then
//! the screen, the terminal's bytes and every file opsdeck wrote (log, audit, reports) are
//! searched for the secrets.

mod pty;

use std::path::Path;
use std::process::Command;

use pty::{Cockpit, ENTER, TAB};

const PASSWORD: &str = "hunter2pw";
const TOKEN: &str = "tok3nvalue";

/// Every file under `dir`, with its text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    out
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [PASSWORD, TOKEN] {
        assert!(!text.contains(secret), "{secret} in {what}:\n{text}");
    }
}

#[test]
fn a_password_and_a_token_in_a_health_url_are_never_shown_nor_written() {
    // A port nothing listens on: the check is down, and reqwest's error names the URL.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port();
    let url = format!("http://opsdeck:{PASSWORD}@127.0.0.1:{port}/health?verbose=1&token={TOKEN}");
    let etc = tempfile::tempdir().expect("temp dir");
    let config = etc.path().join("opsdeck.toml");
    let dumps = etc.path().join("dumps");
    std::fs::create_dir_all(&dumps).expect("dumps dir");
    // A take that fails naming the URL: its progress, its outcome and its command line.
    std::fs::write(
        &config,
        format!(
            "[[services]]\nname = \"payments\"\nurl = \"{url}\"\ninterval = \"1s\"\n\
             [[backups]]\nname = \"nightly\"\nkind = \"directory\"\npath = \"{}\"\n\
             take = \"echo uploading to {url}; echo cannot reach {url} >&2; exit 3\"\n",
            dumps.display()
        ),
    )
    .expect("write config");
    std::fs::create_dir_all(etc.path().join("checklists")).expect("checklists dir");
    std::fs::write(
        etc.path().join("checklists/quick.toml"),
        "title = \"Quick\"\n[[steps]]\ntitle = \"Services\"\ncheck = \"services\"\n",
    )
    .expect("write checklist");
    let config = config.to_str().expect("utf-8");

    let mut c = Cockpit::start(240, 40, &["--config", config]);
    c.keys(&["3"]);
    c.wait_for_line_with(&["payments", "http", "down"]);
    c.keys(&[ENTER]);
    c.wait_for("Health URL");
    // What the details say instead: the URL without its secrets.
    c.wait_for(&format!(
        "http://***@127.0.0.1:{port}/health?verbose=1&token=***"
    ));
    c.wait_for("Last error");
    assert_no_secret("the Services details", &c.screen());
    c.keys(&["6"]);
    c.wait_for("nightly");
    c.keys(&["b"]);
    c.wait_for("permitted");
    assert_no_secret("the take's dialog", &c.screen());
    c.keys(&[TAB, ENTER]);
    c.wait_for("FAILED");
    assert_no_secret("the take's outcome", &c.screen());
    c.keys(&["t"]);
    c.wait_for("uploading to http://***@");
    assert_no_secret("the timeline", &c.screen());
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
    assert_no_secret(
        "the bytes written to the terminal",
        &String::from_utf8_lossy(c.output()),
    );

    // The same check as a checklist step, headless, its report kept in the state directory
    // and written where asked.
    let home = c.home().to_path_buf();
    let report = home.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args([
            "checklist",
            "run",
            "quick",
            "--config",
            config,
            "--wait",
            "3s",
        ])
        .args(["--report", report.to_str().expect("utf-8")])
        .args([
            "--log-file",
            home.join("opsdeck.log").to_str().expect("utf-8"),
        ])
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("OPSDECK_CONFIG")
        .output()
        .expect("run opsdeck");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`payments` health check down:"),
        "the step did not report the check: {stdout}"
    );
    assert_no_secret("the checklist's output", &stdout);
    assert_no_secret(
        "the checklist's errors",
        &String::from_utf8_lossy(&out.stderr),
    );

    let written = files(&home);
    let names: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        names.iter().any(|p| p.ends_with("opsdeck.log"))
            && names.iter().any(|p| p.ends_with("audit.jsonl"))
            && names.iter().any(|p| p.ends_with("report.json"))
            && names
                .iter()
                .any(|p| p.contains("checklists/quick") && p.ends_with(".md")),
        "expected the log and the reports among {names:?}"
    );
    for (path, text) in &written {
        assert_no_secret(path, text);
    }
}
