//! Tests of `team_actions`.

use super::*;

fn parse(text: &str) -> Result<Vec<TeamAction>, String> {
    super::super::Config::parse(Path::new("/etc/opsdeck.toml"), text)
        .map(|c| c.actions.team)
        .map_err(|e| e.to_string())
}

const PING: &str = "[[actions]]\nname = \"Ping Redis\"\npanel = \"pods\"\nkey = \"P\"\n\
    match = { namespace = \"data\", name = \"redis-*\" }\nexec = [\"redis-cli\", \"ping\"]\n\
    risk = \"low\"\nreadonly_ok = true\n";

#[test]
fn the_issues_entry_parses_with_its_defaults() {
    let text = format!(
        "{PING}\n[[actions]]\nname = \"Clear cache\"\npanel = \"alerts\"\nkey = \"K\"\n\
         command = \"curl -X POST http://{{instance}}/admin/cache/clear\"\n"
    );
    let actions = parse(&text).unwrap();
    assert_eq!(actions.len(), 2);
    let ping = &actions[0];
    assert_eq!(
        (ping.panel, ping.in_pod, ping.risk, ping.readonly_ok),
        (TeamPanel::Pods, true, TeamRisk::Low, true)
    );
    assert_eq!(ping.key.to_string(), "P");
    assert_eq!(ping.line, 4, "the line of its key");
    assert_eq!(ping.matches["name"], "redis-*");
    let clear = &actions[1];
    assert_eq!(
        (clear.in_pod, clear.risk, clear.readonly_ok),
        (false, TeamRisk::Medium, false),
        "medium and not read-only unless said"
    );
    assert!(matches!(clear.words, Words::Shell(_)));
    // `[actions] timeout` still works when the file has no `[[actions]]`.
    let c =
        super::super::Config::parse(Path::new("/c.toml"), "[actions]\ntimeout = \"5m\"\n").unwrap();
    assert_eq!(c.actions.timeout, std::time::Duration::from_secs(300));
    let c = super::super::Config::parse(
        Path::new("/c.toml"),
        &format!("action_timeout = \"30s\"\n{PING}"),
    )
    .unwrap();
    assert_eq!(c.actions.timeout, std::time::Duration::from_secs(30));
}

#[test]
fn a_bad_entry_names_the_file_its_line_and_its_key() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\nexec = [\"a\"]\nrisk = \"severe\"\n",
            ":6:",
            "key `actions[0].risk`",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"nodes\"\nkey = \"P\"\nexec = [\"a\"]\n",
            ":3:",
            "key `actions[0].panel`",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\nexec = [\"a\"]\nshell = true\n",
            ":6:",
            "unknown field `shell`",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"databases\"\nkey = \"P\"\nexec = [\"psql\"]\n",
            ":5:1: key `actions[0].exec`: a databases row has no pod",
            "use `command`",
        ),
        (
            "refresh = \"2s\"\n\n[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\n\
             exec = [\"a\"]\ncommand = [\"b\"]\n",
            ":8:1: key `actions[0].command`",
            "not both",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\n",
            ":2:1: key `actions[0].name`",
            "needs `exec`",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\ncommand = \"curl {pod_adress}\"\n",
            ":5:1: key `actions[0].command`",
            "unknown placeholder {pod_adress}",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\ncommand = \"echo '{pod}'\"\n",
            ":5:1:",
            "write it bare",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\nexec = [\"a\"]\nmatch = { image = \"x\" }\n",
            ":6:1: key `actions[0].match`",
            "no `image`",
        ),
        (
            "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"ctrl-\"\nexec = [\"a\"]\n",
            ":4:1: key `actions[0].key`",
            "",
        ),
        (
            "[actions]\ntimeout = \"1m\"\n[[actions]]\nname = \"x\"\n",
            ":",
            "top-level `action_timeout",
        ),
    ];
    for (text, place, words) in cases {
        let err = parse(text).unwrap_err();
        assert!(
            err.starts_with("/etc/opsdeck.toml:") && err.contains(place) && err.contains(words),
            "{err}\nfor:\n{text}"
        );
    }
    let twice = format!(
        "{PING}[[actions]]\nname = \"Other\"\npanel = \"pods\"\nkey = \"P\"\nexec = [\"a\"]\n"
    );
    let err = parse(&twice).unwrap_err();
    assert!(
        err.contains(":12:1: key `actions[1].key`") && err.contains("`Ping Redis`"),
        "{err}"
    );
}

#[test]
fn a_key_a_built_in_command_of_the_panel_has_is_refused_naming_it() {
    let keymap = super::super::Keymap::builtin("default").unwrap();
    let path = Path::new("/etc/opsdeck.toml");
    for (panel, key, command) in [
        ("pods", "s", "shell"),
        ("services", "j", "down"),
        ("alerts", "q", "quit"),
    ] {
        let text = format!(
            "[[actions]]\nname = \"x\"\npanel = \"{panel}\"\nkey = \"{key}\"\ncommand = [\"true\"]\n"
        );
        let actions = parse(&text).unwrap();
        let err = check_keys(path, &actions, &keymap).unwrap_err().to_string();
        assert!(
            err.starts_with("/etc/opsdeck.toml:4:1: key `actions[0].key`")
                && err.contains(&format!("`{command}`")),
            "{err}"
        );
    }
    // A key free on the panel is fine, even if another panel has it (`s` scales services).
    let ok = parse(
        "[[actions]]\nname = \"x\"\npanel = \"backups\"\nkey = \"s\"\ncommand = [\"true\"]\n",
    )
    .unwrap();
    assert!(check_keys(path, &ok, &keymap).is_ok());
}

/// The README's `[[actions]]` block with the runbooks' examples uncommented.
fn readme_examples() -> String {
    let readme = include_str!("../../../README.md");
    let block = readme
        .split("### The team's own actions")
        .nth(1)
        .and_then(|s| s.split("```toml\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("the README's [[actions]] block");
    let (head, examples) = block
        .split_once("# From the")
        .expect("the runbooks' examples");
    let mut text = head.to_string();
    for line in examples.lines().skip(1) {
        if let Some(rest) = line.strip_prefix("# ") {
            text.push_str(rest);
        }
        text.push('\n');
    }
    text
}

#[test]
fn the_readmes_runbook_examples_load_and_their_keys_are_free_in_both_keymaps() {
    let text = readme_examples();
    let actions = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(actions.len(), 4, "{text}");
    assert!(
        actions
            .iter()
            .any(|a| a.words.display() == "redis-cli FLUSHDB")
    );
    for name in ["default", "vim"] {
        let keymap = super::super::Keymap::builtin(name).unwrap();
        check_keys(Path::new("README.md"), &actions, &keymap).unwrap();
    }
}

#[test]
fn the_demo_actions_load_and_their_keys_are_free_in_both_keymaps() {
    let actions = parse(DEMO_ACTIONS).unwrap();
    assert_eq!(actions.len(), 2);
    for name in ["default", "vim"] {
        let keymap = super::super::Keymap::builtin(name).unwrap();
        check_keys(Path::new("demo"), &actions, &keymap).unwrap();
    }
}

#[test]
fn globs_match_the_whole_name() {
    assert!(glob("redis-*", "redis-0"));
    assert!(glob("*", ""));
    assert!(glob("pos-?rder", "pos-order"));
    assert!(!glob("redis-*", "my-redis-0"));
    assert!(glob("*-db-*", "pos-db-1"));
    assert!(!glob("data", "data2"));
}

#[test]
fn placeholders_are_found_and_braces_can_be_doubled() {
    assert_eq!(
        placeholders("http://{pod}:{port}/x").unwrap(),
        ["pod", "port"]
    );
    assert_eq!(
        placeholders("awk '{{print $1}}'").unwrap(),
        Vec::<&str>::new()
    );
    assert!(placeholders("{pod").is_err());
    assert!(placeholders("pod}").is_err());
}

#[test]
fn a_placeholder_inside_quotes_of_a_shell_line_is_refused() {
    assert!(quoted_placeholder("curl -fsS http://{pod}:8080/health").is_ok());
    assert!(quoted_placeholder("echo '{pod}'").is_err());
    assert!(quoted_placeholder("echo \"at {namespace}\"").is_err());
    assert!(quoted_placeholder("awk '{{print}}' && echo {pod}").is_ok());
}
