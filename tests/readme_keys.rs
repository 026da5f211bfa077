//! The README's Actions table names the keys the default keymap binds: every key it gives for
//! a panel is bound in that panel, and every action a panel binds is in the table.

use opsdeck::config::{Command, KeyChord, Keymap, Mode};

const README: &str = include_str!("../README.md");

fn mode_of(panel: &str) -> Option<Mode> {
    Some(match panel {
        "Pods" => Mode::Pods,
        "Services" => Mode::Services,
        "Alerts" => Mode::Alerts,
        "Databases" => Mode::Databases,
        "Backups" => Mode::Backups,
        "Events" => Mode::Events,
        "Nodes" => Mode::Nodes,
        "Jobs" => Mode::Jobs,
        "Config" => Mode::Config,
        _ => return None,
    })
}

/// `(mode, key)` for every key in the Actions table: `| Services | `L` / `Ctrl-u` | ...`.
fn table_keys() -> Vec<(Mode, String)> {
    let table = README
        .split("## Actions")
        .nth(1)
        .expect("an Actions section")
        .lines()
        .skip_while(|l| !l.starts_with("| panel | key |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'));
    let mut out = Vec::new();
    for row in table {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let mode = mode_of(cells[1]).unwrap_or_else(|| panic!("panel in {row}"));
        for key in cells[2].split('/') {
            out.push((mode, key.trim().trim_matches('`').to_string()));
        }
    }
    out
}

#[test]
fn the_actions_tables_keys_are_the_default_keymaps() {
    let keymap = Keymap::builtin("default").unwrap();
    let keys = table_keys();
    assert!(keys.len() >= 15, "{keys:?}");
    for (mode, key) in &keys {
        // Letters keep their case; `Ctrl-d` is ctrl-d.
        let chord = KeyChord::parse(key).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert!(
            keymap.command(&[*mode], chord).is_some(),
            "README: `{key}` in [{}] is bound to nothing there",
            mode.section()
        );
    }
    // The other way: each action a panel binds is in the table with its key.
    for mode in [
        Mode::Pods,
        Mode::Services,
        Mode::Alerts,
        Mode::Databases,
        Mode::Backups,
        Mode::Nodes,
        Mode::Jobs,
        Mode::Config,
    ] {
        for (command, chords) in keymap.bindings(mode) {
            let is_action = !matches!(
                command,
                Command::GroupAlerts
                    | Command::ToggleSilenced
                    | Command::Silences
                    | Command::Runbook
                    | Command::ConfigNextKey
                    | Command::ConfigPrevKey
            );
            if !is_action {
                continue;
            }
            let listed = chords.iter().any(|c| {
                keys.iter()
                    .any(|(m, k)| *m == mode && KeyChord::parse(k).ok() == Some(*c))
            });
            assert!(
                listed,
                "README: [{}] {command:?} is missing",
                mode.section()
            );
        }
    }
}
