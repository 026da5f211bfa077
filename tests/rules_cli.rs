//! `opsdeck rules check`: the rule that applies and what it demands, with its exit status (0
//! allowed, 1 denied, 2 config or usage error), run as the binary.

use std::process::Command;

fn rules_check(config: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("opsdeck.toml");
    std::fs::write(&path, config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["rules", "check", "--config"])
        .arg(&path)
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("OPSDECK_CONFIG")
        .env_remove("KUBECONFIG")
        .output()
        .expect("run opsdeck");
    let dir = format!("{}/", home.path().display());
    let text = |b: &[u8]| String::from_utf8_lossy(b).replace(&dir, "");
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

const RULES: &str = r#"# the team's rules
[[guardrails]]
context = "prod-*"
namespace = "pos"
actions = ["scale", "rollback"]
deny = "pos is frozen for the sale"

[[guardrails]]
context = "prod-*"
typed = true
max_scale_change = "50%"
window = "Mon-Fri 08:00-18:00 UTC"

[[guardrails]]
context = "*"
namespace = "*"
actions = ["terminate-backend"]
two_person = true
"#;

#[test]
fn a_denying_rule_is_printed_with_its_place_and_exits_1() {
    let (code, out, err) = rules_check(
        RULES,
        &[
            "--context",
            "prod-eu",
            "--namespace",
            "pos",
            "--action",
            "scale",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        out,
        "guardrail 1 (opsdeck.toml:2): context \"prod-*\", namespace \"pos\", actions scale, rollback\n\
         denied: pos is frozen for the sale\n"
    );
}

#[test]
fn an_allowing_rule_prints_what_it_demands_at_the_moment_asked_and_exits_0() {
    let args = |at: &'static str| {
        [
            "--context",
            "prod-us",
            "--namespace",
            "workflow",
            "--action",
            "scale",
            "--at",
            at,
        ]
    };
    let (code, out, err) = rules_check(RULES, &args("2026-12-04T10:00:00Z"));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "guardrail 2 (opsdeck.toml:8): context \"prod-*\", namespace \"*\", every mutating action\n\
         allowed, asks for: the target's name typed; a scale change of at most ±50 %; \
         inside Mon-Fri 08:00-18:00 UTC now\n"
    );
    // Saturday: a reason to go outside the window.
    let (code, out, _) = rules_check(RULES, &args("2026-12-05T10:00:00Z"));
    assert_eq!(code, Some(0));
    assert!(
        out.contains("a reason (outside Mon-Fri 08:00-18:00 UTC), written to the audit log"),
        "{out}"
    );
}

#[test]
fn no_rule_is_allowed_and_two_person_demands_a_second_operator() {
    let (code, out, _) = rules_check(
        RULES,
        &[
            "--context",
            "staging",
            "--namespace",
            "pos",
            "--action",
            "scale",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "no guardrail applies (3 rules in opsdeck.toml): allowed\n"
    );
    let (code, out, _) = rules_check(
        RULES,
        &[
            "--context",
            "positivity-db",
            "--action",
            "terminate-backend",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("a second operator's approval in the war room"),
        "{out}"
    );
}

#[test]
fn a_bad_rule_or_a_bad_question_exits_2_saying_where() {
    let (code, out, err) = rules_check(
        "[[guardrails]]\nwindow = \"Mon-Fri 08:00-18:00 CET\"\n",
        &["--context", "prod-eu", "--action", "scale"],
    );
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.starts_with("opsdeck: opsdeck.toml:2:10: key `guardrails[0].window`:")
            && err.contains("only UTC"),
        "{err}"
    );
    let (code, _, err) = rules_check(RULES, &["--context", "prod-eu", "--action", "scael"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown action kind `scael`; expected one of scale, "),
        "{err}"
    );
    let (code, _, err) = rules_check(RULES, &["--action", "scale"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("needs --context"), "{err}");
}

/// The README's Guardrails example: its rules, and the two commands with what they print.
#[test]
fn the_readme_example_prints_what_the_readme_says() {
    let readme = include_str!("../README.md");
    let section = &readme[readme.find("### Guardrails").expect("section")..];
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the rules");
    let shell = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the commands");
    let mut commands = Vec::new();
    for line in shell.lines() {
        match line.strip_prefix("$ opsdeck rules check ") {
            Some(args) => commands.push((args.to_string(), String::new())),
            None => {
                let (_, out) = commands.last_mut().expect("a command first");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert_eq!(commands.len(), 2);
    for (args, shown) in commands {
        let args: Vec<&str> = args.split(' ').collect();
        let (_, out, err) = rules_check(toml, &args);
        let shown = shown.replace("/home/alice/.config/opsdeck/config.toml", "opsdeck.toml");
        assert_eq!(out, shown, "{args:?}: {err}");
    }
}
