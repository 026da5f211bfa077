//! Keys that mean two things in one place: a panel's key that shadows a global or a table key
//! bound to another command there makes that command unreachable in the panel (`U` was both
//! "incident update" and, in Services, "lift lockdown").

use super::commands::{Command, Mode};
use super::keymap::Keymap;

/// The panels' modes, each looked up before the table's and the global keys.
const PANEL_MODES: [Mode; 10] = [
    Mode::Pods,
    Mode::Services,
    Mode::Alerts,
    Mode::Databases,
    Mode::Backups,
    Mode::Checklist,
    Mode::Events,
    Mode::Nodes,
    Mode::Jobs,
    Mode::Config,
];

/// The table commands a mode's panel uses: the Checklist panel only moves with them.
fn table_commands_apply(mode: Mode, command: Command) -> bool {
    mode != Mode::Checklist
        || matches!(
            command,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Top
                | Command::Bottom
        )
}

impl Keymap {
    /// Every key bound to two commands in one place, as `[services] U: lift_lockdown shadows
    /// [global] incident_update`. Empty for a keymap without conflicts.
    pub fn conflicts(&self) -> Vec<String> {
        let mut out = Vec::new();
        // Tables: the table's keys and the global ones.
        let mut places: Vec<(Mode, Vec<Mode>)> = vec![(Mode::Table, vec![Mode::Global])];
        for mode in PANEL_MODES {
            places.push((mode, vec![Mode::Table, Mode::Global]));
        }
        // The Overview's tile keys are looked up before the global ones (no table there).
        places.push((Mode::Overview, vec![Mode::Global]));
        for (mode, below) in places {
            for (command, keys) in self.bindings(mode) {
                for chord in keys {
                    for lower in &below {
                        let shadowed = self
                            .bindings(*lower)
                            .iter()
                            .filter(|(c, ks)| c != command && ks.contains(chord))
                            .filter(|(c, _)| {
                                *lower != Mode::Table || table_commands_apply(mode, *c)
                            });
                        for (other, _) in shadowed {
                            out.push(format!(
                                "[{}] {chord}: {} shadows [{}] {}",
                                mode.section(),
                                super::commands::command_name(mode, *command),
                                lower.section(),
                                super::commands::command_name(*lower, *other),
                            ));
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::embedded;

    #[test]
    fn shipped_keymaps_bind_no_key_to_two_commands_in_one_place() {
        for (name, text) in embedded::KEYMAPS {
            let (keymap, _) = Keymap::from_toml(Path::new(name), text, None).expect("parses");
            assert_eq!(keymap.conflicts(), Vec::<String>::new(), "keymap {name}");
        }
    }

    #[test]
    fn a_panel_key_over_a_global_one_is_a_conflict() {
        let text = "[global]\nincident_update = \"U\"\n[services]\nlift_lockdown = \"U\"\n";
        let (keymap, _) = Keymap::from_toml(Path::new("x.toml"), text, None).expect("parses");
        assert_eq!(
            keymap.conflicts(),
            ["[services] U: lift_lockdown shadows [global] incident_update"]
        );
    }

    #[test]
    fn an_overview_tile_key_over_a_global_one_is_a_conflict() {
        let text = "[global]\ntimeline = \"t\"\n[overview]\nopen = \"t\"\n";
        let (keymap, _) = Keymap::from_toml(Path::new("x.toml"), text, None).expect("parses");
        assert_eq!(
            keymap.conflicts(),
            ["[overview] t: open shadows [global] timeline"]
        );
    }
}
