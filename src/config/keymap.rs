//! Keymaps: named commands bound to key chords per mode, loaded from `keymaps/*.toml`. This is
//! the one table of keys: the update function receives commands, never raw keys, and the help
//! overlay is generated from the same bindings, so it cannot lie.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::{ConfigError, KeyChord, embedded, error::parse_toml};

/// Where a binding applies. Lookups try the most specific mode first, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Global,
    Table,
    Filter,
    Help,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Global, Mode::Table, Mode::Filter, Mode::Help];

    pub fn section(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Table => "table",
            Mode::Filter => "filter",
            Mode::Help => "help",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Mode::Global => "Everywhere",
            Mode::Table => "Tables",
            Mode::Filter => "While typing a filter",
            Mode::Help => "In this help",
        }
    }
}

/// Everything a key can ask the cockpit to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Repaint,
    ShowOverview,
    ShowPods,
    ShowServices,
    ShowAlerts,
    ShowDatabases,
    ShowBackups,
    NextPanel,
    PrevPanel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    ClearFilter,
    SortNext,
    SortReverse,
    Details,
    FilterAccept,
    FilterCancel,
    CloseHelp,
}

/// The command table: file name, help text, and the mode it belongs in.
const COMMANDS: &[(Command, &str, &str, Mode)] = &[
    (Command::Quit, "quit", "Quit opsdeck", Mode::Global),
    (
        Command::Help,
        "help",
        "Show or hide this help",
        Mode::Global,
    ),
    (
        Command::Repaint,
        "repaint",
        "Repaint the whole screen",
        Mode::Global,
    ),
    (
        Command::ShowOverview,
        "show_overview",
        "Overview panel",
        Mode::Global,
    ),
    (Command::ShowPods, "show_pods", "Pods panel", Mode::Global),
    (
        Command::ShowServices,
        "show_services",
        "Services panel",
        Mode::Global,
    ),
    (
        Command::ShowAlerts,
        "show_alerts",
        "Alerts panel",
        Mode::Global,
    ),
    (
        Command::ShowDatabases,
        "show_databases",
        "Databases panel",
        Mode::Global,
    ),
    (
        Command::ShowBackups,
        "show_backups",
        "Backups panel",
        Mode::Global,
    ),
    (Command::NextPanel, "next_panel", "Next panel", Mode::Global),
    (
        Command::PrevPanel,
        "prev_panel",
        "Previous panel",
        Mode::Global,
    ),
    (Command::Up, "up", "Select the row above", Mode::Table),
    (Command::Down, "down", "Select the row below", Mode::Table),
    (Command::PageUp, "page_up", "One page up", Mode::Table),
    (Command::PageDown, "page_down", "One page down", Mode::Table),
    (Command::Top, "top", "First row", Mode::Table),
    (Command::Bottom, "bottom", "Last row", Mode::Table),
    (
        Command::Filter,
        "filter",
        "Filter rows (words must all match)",
        Mode::Table,
    ),
    (
        Command::ClearFilter,
        "clear_filter",
        "Clear the filter, close details",
        Mode::Table,
    ),
    (
        Command::SortNext,
        "sort_next",
        "Sort by the next column",
        Mode::Table,
    ),
    (
        Command::SortReverse,
        "sort_reverse",
        "Reverse the sort order",
        Mode::Table,
    ),
    (
        Command::Details,
        "details",
        "Show or hide details of the selected row",
        Mode::Table,
    ),
    (
        Command::FilterAccept,
        "accept",
        "Keep the filter and return to the table",
        Mode::Filter,
    ),
    (
        Command::FilterCancel,
        "cancel",
        "Drop the filter and return to the table",
        Mode::Filter,
    ),
    (Command::CloseHelp, "close", "Close help", Mode::Help),
    (Command::Up, "up", "Scroll up", Mode::Help),
    (Command::Down, "down", "Scroll down", Mode::Help),
];

impl Command {
    pub fn describe(self, mode: Mode) -> &'static str {
        COMMANDS
            .iter()
            .find(|(c, _, _, m)| *c == self && *m == mode)
            .or_else(|| COMMANDS.iter().find(|(c, ..)| *c == self))
            .map_or("", |(_, _, d, _)| d)
    }

    fn lookup(mode: Mode, name: &str) -> Option<Command> {
        COMMANDS
            .iter()
            .find(|(_, n, _, m)| *n == name && *m == mode)
            .map(|(c, ..)| *c)
    }
}

/// A keymap file: `[section] command = ["key", ...]` or `command = "key"`.
type KeymapFile = BTreeMap<String, BTreeMap<String, toml::Spanned<KeyList>>>;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
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
                available: embedded::names(embedded::KEYMAPS),
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
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
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
                    "{}: unknown section [{section}]; expected one of: global, table, filter, help",
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

fn command_order(mode: Mode, command: Command) -> usize {
    COMMANDS
        .iter()
        .position(|(c, _, _, m)| *c == command && *m == mode)
        .unwrap_or(usize::MAX)
}

fn command_name(mode: Mode, command: Command) -> &'static str {
    COMMANDS
        .iter()
        .find(|(c, _, _, m)| *c == command && *m == mode)
        .map_or("?", |(_, n, ..)| n)
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
            for (command, file_name, _, mode) in COMMANDS {
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
        ];
        for (i, command) in expected.into_iter().enumerate() {
            let key = chord(&(i + 1).to_string());
            assert_eq!(k.command(&[Mode::Global], key), Some(command));
        }
        assert_eq!(
            k.command(&[Mode::Global], chord("7")),
            None,
            "7 is kept for the checklist"
        );
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
