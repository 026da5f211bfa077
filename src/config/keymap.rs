//! Keymaps: named commands bound to key chords per mode, loaded from `keymaps/*.toml`. This is
//! the one table of keys: the update function receives commands, never raw keys, and the help
//! overlay is generated from the same bindings, so it cannot lie.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

pub use super::commands::{Command, Mode};
use super::commands::{command_name, command_order};
use super::{ConfigError, KeyChord, embedded, error::parse_toml};

/// A keymap file: `[section] command = ["key", ...]` or `command = "key"`.
type KeymapFile = BTreeMap<String, BTreeMap<String, toml::Spanned<KeyList>>>;

/// A command's keys: one, or a list. Deserialised by hand so that a wrong value is told in the
/// file's terms (serde's untagged enums say only "data did not match any variant").
#[derive(Debug)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a key such as \"q\" or \"ctrl-r\", or a list of keys such as [\"q\", \"esc\"]",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList::One(v.into()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<KeyName>()? {
                    keys.push(key.0);
                }
                Ok(KeyList::Many(keys))
            }
        }
        d.deserialize_any(Keys)
    }
}

/// One key of a list, with the same words as a lone key when it is not a string.
struct KeyName(String);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = KeyName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key such as \"q\" or \"ctrl-r\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyName, E> {
                Ok(KeyName(v.into()))
            }
        }
        d.deserialize_str(Key)
    }
}

impl KeyList {
    fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    pub name: String,
    /// Per mode, each command's keys in the order of the command table.
    bindings: BTreeMap<Mode, Vec<(Command, Vec<KeyChord>)>>,
    lookup: HashMap<(Mode, KeyChord), Command>,
}

impl Keymap {
    /// The keymap `name`: the embedded one of that name (or `default` when the name is only the
    /// user's), with the user's file of that name in `user_dir` laid over it. Returns warnings
    /// for entries of the user's file that were skipped.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<(Keymap, Vec<String>), ConfigError> {
        let user_file = user_dir
            .map(|d| d.join(format!("{name}.toml")))
            .filter(|p| p.is_file());
        let base_name = if embedded::lookup(embedded::KEYMAPS, name).is_some() {
            name
        } else if user_file.is_some() {
            "default"
        } else {
            return Err(ConfigError::UnknownName {
                what: "keymap",
                name: name.into(),
                available: embedded::available(embedded::KEYMAPS, user_dir, name),
            });
        };
        let base_text = embedded::lookup(embedded::KEYMAPS, base_name).unwrap_or_default();
        let base_path = Path::new("keymaps").join(format!("{base_name}.toml"));
        let (mut keymap, base_warnings) = Self::from_toml(&base_path, base_text, None)?;
        debug_assert!(
            base_warnings.is_empty(),
            "shipped keymap has problems: {base_warnings:?}"
        );
        keymap.name = name.into();
        let mut warnings = Vec::new();
        if let Some(path) = user_file {
            let text = super::error::read_text(&path)?;
            let (overlaid, w) = Self::from_toml(&path, &text, Some(keymap))?;
            keymap = overlaid;
            warnings = w;
        }
        Ok((keymap, warnings))
    }

    /// The embedded keymap of that name, for tests and headless rendering.
    pub fn builtin(name: &str) -> Result<Keymap, ConfigError> {
        Self::load(name, None).map(|(k, _)| k)
    }

    /// Parses a keymap file. With a `base`, bindings of commands named in the file replace the
    /// base's bindings of those commands; others stay.
    pub fn from_toml(
        path: &Path,
        text: &str,
        base: Option<Keymap>,
    ) -> Result<(Keymap, Vec<String>), ConfigError> {
        let file: KeymapFile = parse_toml(path, text)?;
        let mut warnings = Vec::new();
        let mut table: BTreeMap<Mode, BTreeMap<usize, (Command, Vec<KeyChord>)>> = BTreeMap::new();
        if let Some(base) = base {
            for (mode, list) in base.bindings {
                for (command, keys) in list {
                    let order = command_order(mode, command);
                    table
                        .entry(mode)
                        .or_default()
                        .insert(order, (command, keys));
                }
            }
        }
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        for (section, commands) in &file {
            let Some(mode) = Mode::ALL.into_iter().find(|m| m.section() == section) else {
                warnings.push(format!(
                    "{}: unknown section [{section}]; expected one of: global, table, pods, services, alerts, databases, backups, dialog, filter, help",
                    path.display()
                ));
                continue;
            };
            for (name, keys) in commands {
                let line = line_of(keys.span().start);
                let Some(command) = Command::lookup(mode, name) else {
                    warnings.push(format!(
                        "{}:{line}: unknown command `{name}` in [{section}]",
                        path.display()
                    ));
                    continue;
                };
                let mut chords = Vec::new();
                for key in keys.get_ref().keys() {
                    match KeyChord::parse(key) {
                        Ok(chord) => chords.push(chord),
                        Err(e) => warnings.push(format!("{}:{line}: {name}: {e}", path.display())),
                    }
                }
                table
                    .entry(mode)
                    .or_default()
                    .insert(command_order(mode, command), (command, chords));
            }
        }
        let mut keymap = Keymap {
            name: path_stem(path),
            ..Keymap::default()
        };
        for (mode, commands) in table {
            let list: Vec<_> = commands.into_values().collect();
            for (command, chords) in &list {
                for chord in chords {
                    if let Some(previous) = keymap.lookup.insert((mode, *chord), *command) {
                        if previous != *command {
                            warnings.push(format!(
                                "{}: `{chord}` is bound to both {} and {} in [{}]; {} wins",
                                path.display(),
                                command_name(mode, previous),
                                command_name(mode, *command),
                                mode.section(),
                                command_name(mode, *command),
                            ));
                        }
                    }
                }
            }
            keymap.bindings.insert(mode, list);
        }
        // Ctrl-C always quits, whatever a user's file says: raw mode swallows the signal.
        let ctrl_c = KeyChord::parse("ctrl-c").unwrap_or(KeyChord::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        keymap
            .lookup
            .entry((Mode::Global, ctrl_c))
            .or_insert(Command::Quit);
        Ok((keymap, warnings))
    }

    /// The command for a chord, trying `modes` in order.
    pub fn command(&self, modes: &[Mode], chord: KeyChord) -> Option<Command> {
        modes
            .iter()
            .find_map(|m| self.lookup.get(&(*m, chord)).copied())
    }

    /// Bound commands of a mode with their keys, in the command table's order.
    pub fn bindings(&self, mode: Mode) -> &[(Command, Vec<KeyChord>)] {
        self.bindings.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// The first key bound to a command, for hints such as "? help".
    pub fn first_key(&self, mode: Mode, command: Command) -> Option<KeyChord> {
        self.bindings(mode)
            .iter()
            .find(|(c, _)| *c == command)
            .and_then(|(_, keys)| keys.first().copied())
    }
}

fn path_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn chord(s: &str) -> KeyChord {
        KeyChord::parse(s).unwrap()
    }

    #[test]
    fn shipped_keymaps_parse_without_warnings_and_bind_every_command() {
        for (name, text) in embedded::KEYMAPS {
            let (keymap, warnings) =
                Keymap::from_toml(Path::new(name), text, None).expect("shipped keymap parses");
            assert!(warnings.is_empty(), "{name}: {warnings:?}");
            for (command, file_name, _, mode) in crate::config::commands::all() {
                // Panels past the nine numbered ones are reached by `:` (a user may bind one).
                if crate::config::commands::WITHOUT_KEY.contains(command) {
                    continue;
                }
                assert!(
                    keymap.first_key(*mode, *command).is_some(),
                    "{name}: [{}] {file_name} has no key",
                    mode.section()
                );
            }
        }
    }

    #[test]
    fn default_keymap_numbers_select_panels_in_order() {
        let k = Keymap::builtin("default").unwrap();
        let expected = [
            Command::ShowOverview,
            Command::ShowPods,
            Command::ShowServices,
            Command::ShowAlerts,
            Command::ShowDatabases,
            Command::ShowBackups,
            Command::ShowChecklist,
            Command::ShowEvents,
            Command::ShowNodes,
        ];
        for (i, command) in expected.into_iter().enumerate() {
            let key = chord(&(i + 1).to_string());
            assert_eq!(k.command(&[Mode::Global], key), Some(command));
        }
        assert_eq!(k.command(&[Mode::Global], chord("0")), None);
        assert_eq!(
            k.command(&[Mode::Global], chord("tab")),
            Some(Command::NextPanel)
        );
        assert_eq!(
            k.command(&[Mode::Global], chord("shift-tab")),
            Some(Command::PrevPanel)
        );
    }

    #[test]
    fn user_file_overlays_commands_it_names_and_warns_about_unknown_ones() {
        let base = Keymap::builtin("default").unwrap();
        let user = "[table]\ndown = [\"n\"]\nfrobnicate = \"z\"\n[global]\nquit = \"Q\"\n";
        let (k, warnings) = Keymap::from_toml(Path::new("mine.toml"), user, Some(base)).unwrap();
        assert_eq!(k.command(&[Mode::Table], chord("n")), Some(Command::Down));
        assert_eq!(
            k.command(&[Mode::Table], chord("down")),
            None,
            "replaced, not added"
        );
        assert_eq!(
            k.command(&[Mode::Table], chord("up")),
            Some(Command::Up),
            "untouched stays"
        );
        assert_eq!(k.command(&[Mode::Global], chord("Q")), Some(Command::Quit));
        assert_eq!(k.command(&[Mode::Global], chord("q")), None);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("mine.toml:3: unknown command `frobnicate`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn ctrl_c_quits_even_when_a_user_unbinds_it() {
        let (k, _) =
            Keymap::from_toml(Path::new("x.toml"), "[global]\nquit = \"Q\"\n", None).unwrap();
        let ctrl_c = KeyChord::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(k.command(&[Mode::Global], ctrl_c), Some(Command::Quit));
    }

    #[test]
    fn unknown_keymap_name_lists_the_available_ones() {
        let err = Keymap::builtin("emacs").unwrap_err().to_string();
        assert!(
            err.contains("unknown keymap `emacs`") && err.contains("default, vim"),
            "{err}"
        );
    }
}
