//! Config, theme and keymap errors in the user's terms: each names the file, the line, the key
//! and what was expected, and none leaks a name from inside the program.

use std::path::Path;
use std::process::Command;

/// Runs `opsdeck snapshot --demo` with `home`'s config; returns (exit code, stderr).
fn snapshot(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["snapshot", "--demo", "--wait", "1s"])
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("OPSDECK_CONFIG")
        .output()
        .expect("run opsdeck");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes `files` (path under the config dir, contents) into a fresh home.
fn home_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = home.path().join("config/opsdeck").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    home
}

/// Fails on the names of the program's insides that serde puts into its messages.
fn assert_in_users_terms(err: &str) {
    for inner in [
        "untagged",
        "StyleSpec",
        "KeyList",
        "$__serde",
        "`?`",
        ".?",
        "a map",
    ] {
        assert!(!err.contains(inner), "{inner:?} leaks: {err}");
    }
}

#[test]
fn an_unknown_theme_or_keymap_in_the_config_names_its_file_line_and_key() {
    for (key, available) in [("theme", "high-contrast"), ("keymap", "vim")] {
        let text = format!("refresh = \"2s\"\n{key} = \"nope\"\n");
        let home = home_with(&[("config.toml", text.as_bytes())]);
        let (code, err) = snapshot(home.path(), &[]);
        assert_eq!(code, Some(2), "{err}");
        let file = home.path().join("config/opsdeck/config.toml");
        assert!(
            err.contains(&format!("{}:2:", file.display()))
                && err.contains(&format!("key `{key}`"))
                && err.contains(&format!("unknown {key} `nope`"))
                && err.contains(available),
            "{err}"
        );
    }
    // From the command line it is the flag that is named.
    let home = home_with(&[]);
    let (code, err) = snapshot(home.path(), &["--keymap", "emacs"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--keymap: unknown keymap `emacs`"), "{err}");
}

#[test]
fn invalid_utf8_names_the_line_and_byte() {
    let home = home_with(&[(
        "config.toml",
        b"refresh = \"2s\"\n# caf\xe9\ntheme = \"light\"\n",
    )]);
    let (code, err) = snapshot(home.path(), &[]);
    assert_eq!(code, Some(2));
    let file = home.path().join("config/opsdeck/config.toml");
    assert!(
        err.contains(&format!("{}:2:6:", file.display()))
            && err.contains("not valid UTF-8")
            && err.contains("byte 20"),
        "{err}"
    );
    let home = home_with(&[
        ("config.toml", b"theme = \"mine\"\n"),
        ("themes/mine.toml", b"[roles]\nok = \"gr\xffeen\"\n"),
    ]);
    let (code, err) = snapshot(home.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("themes/mine.toml:2:") && err.contains("not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn theme_errors_name_the_role_and_what_a_style_may_say() {
    let cases: &[(&str, &[&str])] = &[
        (
            "[roles]\nok = { fg = \"green\", blink = true }\n",
            &[
                ":2:",
                "key `roles.ok",
                "unknown field `blink`",
                "expected one of `fg`, `bg`, `bold`, `reverse`, `underline`, `dim`",
            ],
        ),
        (
            "[roles]\nok = 5\n",
            &[":2:", "key `roles.ok`", "a colour", "a table"],
        ),
        (
            "[roles]\nwarning = \"yellow\"\n",
            &[":2:", "key `roles.warning`", "unknown role", "warn"],
        ),
    ];
    for (theme, parts) in cases {
        let home = home_with(&[
            ("config.toml", b"theme = \"mine\"\n"),
            ("themes/mine.toml", theme.as_bytes()),
        ]);
        let (code, err) = snapshot(home.path(), &[]);
        assert_eq!(code, Some(2), "{theme}: {err}");
        assert!(err.contains("themes/mine.toml:"), "{err}");
        for part in *parts {
            assert!(err.contains(part), "{theme}: {part:?} missing in {err}");
        }
        assert_in_users_terms(&err);
    }
}

#[test]
fn keymap_errors_name_the_command_and_what_a_binding_may_say() {
    let cases: &[(&str, &[&str])] = &[
        (
            "[global]\nquit = 5\n",
            &[
                ":2:",
                "key `global.quit`",
                "a key such as \"q\"",
                "a list of keys",
            ],
        ),
        (
            "[global]\nquit = [5]\n",
            &[":2:", "key `global.quit[0]`", "a key"],
        ),
        ("quit = \"q\"\n", &[":1:", "key `quit`", "a table"]),
    ];
    for (keymap, parts) in cases {
        let home = home_with(&[
            ("config.toml", b"keymap = \"mine\"\n"),
            ("keymaps/mine.toml", keymap.as_bytes()),
        ]);
        let (code, err) = snapshot(home.path(), &[]);
        assert_eq!(code, Some(2), "{keymap}: {err}");
        assert!(err.contains("keymaps/mine.toml:"), "{err}");
        for part in *parts {
            assert!(err.contains(part), "{keymap}: {part:?} missing in {err}");
        }
        assert_in_users_terms(&err);
    }
}

#[test]
fn a_team_action_on_a_key_the_panel_already_has_names_its_file_line_and_key() {
    let text = "refresh = \"2s\"\n\n[[actions]]\nname = \"Shell?\"\npanel = \"pods\"\nkey = \"s\"\nexec = [\"sh\"]\n";
    let home = home_with(&[("config.toml", text.as_bytes())]);
    let (code, err) = snapshot(home.path(), &[]);
    assert_eq!(code, Some(2), "{err}");
    let file = home.path().join("config/opsdeck/config.toml");
    assert!(
        err.contains(&format!("{}:6:1: key `actions[0].key`", file.display()))
            && err.contains("`shell`")
            && err.contains("choose another key"),
        "{err}"
    );
    assert_in_users_terms(&err);
    // A bad entry's own mistakes are placed the same way.
    let text = "[[actions]]\nname = \"x\"\npanel = \"pods\"\nkey = \"P\"\nexec = [\"a\"]\nreadonly = true\n";
    let home = home_with(&[("config.toml", text.as_bytes())]);
    let (code, err) = snapshot(home.path(), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!("{}:6:", file_in(&home))) && err.contains("unknown field `readonly`"),
        "{err}"
    );
    assert_in_users_terms(&err);
}

fn file_in(home: &tempfile::TempDir) -> String {
    home.path()
        .join("config/opsdeck/config.toml")
        .display()
        .to_string()
}
