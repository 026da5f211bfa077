//! Themes: semantic roles mapped to styles, loaded from `themes/*.toml`. Code asks for a role
//! (`Role::Crit`), never for a colour.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use super::{ColorDepth, ConfigError, embedded, error::parse_toml};
use crate::domain::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Ordinary text.
    Text,
    /// Secondary text: ages, hints, units.
    Muted,
    /// Highlights: the active tab, the filter prompt, links.
    Accent,
    Ok,
    Warn,
    Crit,
    Unknown,
    Border,
    BorderFocus,
    Title,
    Header,
    Selection,
    TabActive,
    TabInactive,
    StatusBar,
    /// The read-only badge: must be impossible to miss on a shared screen.
    Readonly,
    GaugeEmpty,
    /// A search hit inside text (the logs pane's `/`).
    Match,
    /// One colour per source when lines from several are interleaved (a workload's pods).
    Source1,
    Source2,
    Source3,
    Source4,
    Source5,
    Source6,
    /// The YAML view's keys, strings, numbers (and true/false/null), comments.
    YamlKey,
    YamlString,
    YamlNumber,
    YamlComment,
}

impl Role {
    pub const ALL: [Role; 28] = [
        Role::Text,
        Role::Muted,
        Role::Accent,
        Role::Ok,
        Role::Warn,
        Role::Crit,
        Role::Unknown,
        Role::Border,
        Role::BorderFocus,
        Role::Title,
        Role::Header,
        Role::Selection,
        Role::TabActive,
        Role::TabInactive,
        Role::StatusBar,
        Role::Readonly,
        Role::GaugeEmpty,
        Role::Match,
        Role::Source1,
        Role::Source2,
        Role::Source3,
        Role::Source4,
        Role::Source5,
        Role::Source6,
        Role::YamlKey,
        Role::YamlString,
        Role::YamlNumber,
        Role::YamlComment,
    ];

    /// The colours given to interleaved sources, in turn.
    pub const SOURCES: [Role; 6] = [
        Role::Source1,
        Role::Source2,
        Role::Source3,
        Role::Source4,
        Role::Source5,
        Role::Source6,
    ];

    pub fn for_level(level: Level) -> Role {
        match level {
            Level::Ok => Role::Ok,
            Level::Warn => Role::Warn,
            Level::Crit => Role::Crit,
            Level::Unknown => Role::Unknown,
        }
    }
}

/// A role's value in a theme file: a colour, or a table with fg/bg/modifiers. Deserialised by
/// hand so that a wrong value is told in the file's terms (serde's untagged enums say only "data
/// did not match any variant").
#[derive(Debug, Clone)]
enum StyleSpec {
    Color(String),
    Full(FullStyle),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    reverse: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    dim: bool,
}

impl<'de> Deserialize<'de> for StyleSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Spec;
        impl<'de> serde::de::Visitor<'de> for Spec {
            type Value = StyleSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a colour (\"green\", \"#rrggbb\", \"208\") or a table of fg, bg, bold, \
                     reverse, underline, dim",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StyleSpec, E> {
                Ok(StyleSpec::Color(v.into()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<StyleSpec, A::Error> {
                FullStyle::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(StyleSpec::Full)
            }
        }
        d.deserialize_any(Spec)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    description: String,
    /// Themes for light backgrounds say so; the default is dark.
    #[serde(default)]
    #[allow(dead_code)]
    light: bool,
    /// By the role's name, checked against `Role` after parsing so that an unknown one is
    /// reported with its line and the names there are.
    #[serde(default)]
    roles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub description: String,
    styles: BTreeMap<Role, Style>,
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(&role).copied().unwrap_or_default()
    }

    pub fn level(&self, level: Level) -> Style {
        self.style(Role::for_level(level))
    }

    /// The theme `name` (embedded, or the user's file of that name laid over the embedded one or
    /// over `default`), converted to the terminal's colour depth.
    pub fn load(
        name: &str,
        user_dir: Option<&Path>,
        depth: ColorDepth,
    ) -> Result<Theme, ConfigError> {
        let user_file = user_dir
            .map(|d| d.join(format!("{name}.toml")))
            .filter(|p| p.is_file());
        let base_name = if embedded::lookup(embedded::THEMES, name).is_some() {
            name
        } else if user_file.is_some() {
            "default"
        } else {
            return Err(ConfigError::UnknownName {
                what: "theme",
                name: name.into(),
                available: embedded::available(embedded::THEMES, user_dir, name),
            });
        };
        let base_text = embedded::lookup(embedded::THEMES, base_name).unwrap_or_default();
        let mut theme = Self::from_toml(
            &Path::new("themes").join(format!("{base_name}.toml")),
            base_text,
            None,
        )?;
        if let Some(path) = user_file {
            let text = super::error::read_text(&path)?;
            theme = Self::from_toml(&path, &text, Some(theme))?;
        }
        theme.name = name.into();
        Ok(theme.with_depth(depth))
    }

    /// An embedded theme at full colour, for tests and snapshots.
    pub fn builtin(name: &str) -> Result<Theme, ConfigError> {
        Self::load(name, None, ColorDepth::Truecolor)
    }

    fn from_toml(path: &Path, text: &str, base: Option<Theme>) -> Result<Theme, ConfigError> {
        let file: ThemeFile = parse_toml(path, text)?;
        let mut theme = base.unwrap_or(Theme {
            name: String::new(),
            description: String::new(),
            styles: BTreeMap::new(),
        });
        if !file.description.is_empty() {
            theme.description = file.description;
        }
        let color = |role: Role, value: &str| {
            Color::from_str(value).map_err(|_| ConfigError::Invalid {
                path: path.into(),
                line: line_of_key(text, role),
                column: 1,
                key: format!("key `roles.{}`: ", role_name(role)),
                message: format!(
                    "`{value}` is not a colour; use \"#rrggbb\", a name such as \"lightred\", or a 0-255 index"
                ),
            })
        };
        for (name, spec) in file.roles {
            let role = Role::ALL
                .into_iter()
                .find(|r| role_name(*r) == name)
                .ok_or_else(|| ConfigError::Invalid {
                    path: path.into(),
                    line: line_of_name(text, &name),
                    column: 1,
                    key: format!("key `roles.{name}`: "),
                    message: format!(
                        "unknown role `{name}`; expected one of: {}",
                        Role::ALL.map(role_name).join(", ")
                    ),
                })?;
            let style = match spec {
                StyleSpec::Color(c) => Style::new().fg(color(role, &c)?),
                StyleSpec::Full(FullStyle {
                    fg,
                    bg,
                    bold,
                    reverse,
                    underline,
                    dim,
                }) => {
                    let mut s = Style::new();
                    if let Some(fg) = fg {
                        s = s.fg(color(role, &fg)?);
                    }
                    if let Some(bg) = bg {
                        s = s.bg(color(role, &bg)?);
                    }
                    for (on, m) in [
                        (bold, Modifier::BOLD),
                        (reverse, Modifier::REVERSED),
                        (underline, Modifier::UNDERLINED),
                        (dim, Modifier::DIM),
                    ] {
                        if on {
                            s = s.add_modifier(m);
                        }
                    }
                    s
                }
            };
            theme.styles.insert(role, style);
        }
        Ok(theme)
    }

    /// Converts every colour to the depth; with no colour, roles that only differed by colour
    /// get a modifier so that selection and criticality still stand out.
    pub fn with_depth(mut self, depth: ColorDepth) -> Theme {
        for (role, style) in self.styles.iter_mut() {
            style.fg = style.fg.map(|c| depth.convert(c));
            style.bg = style.bg.map(|c| depth.convert(c));
            if depth == ColorDepth::None {
                match role {
                    Role::Selection | Role::TabActive | Role::Readonly | Role::Match => {
                        *style = style.add_modifier(Modifier::REVERSED);
                    }
                    Role::Crit | Role::Title | Role::Header => {
                        *style = style.add_modifier(Modifier::BOLD)
                    }
                    Role::Muted | Role::GaugeEmpty | Role::YamlComment => {
                        *style = style.add_modifier(Modifier::DIM)
                    }
                    _ => {}
                }
            }
        }
        self
    }
}

fn role_name(role: Role) -> String {
    // serde's snake_case name, derived from Debug's CamelCase.
    let mut out = String::new();
    for (i, ch) in format!("{role:?}").chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

fn line_of_key(text: &str, role: Role) -> usize {
    line_of_name(text, &role_name(role))
}

fn line_of_name(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_define_every_role() {
        for (name, _) in embedded::THEMES {
            let theme = Theme::builtin(name).unwrap();
            for role in Role::ALL {
                assert!(
                    theme.styles.contains_key(&role),
                    "theme {name} lacks role {role:?}"
                );
            }
        }
    }

    #[test]
    fn a_bad_colour_names_file_line_and_key() {
        let text = "[roles]\nok = \"green\"\nwarn = \"yellowish\"\n";
        let err = Theme::from_toml(Path::new("mine.toml"), text, None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("mine.toml:3:1: key `roles.warn`"), "{err}");
        assert!(err.contains("yellowish"), "{err}");
    }

    #[test]
    fn an_unknown_role_is_an_error_with_its_line() {
        let text = "[roles]\nok = \"green\"\nwarning = \"yellow\"\n";
        let err = Theme::from_toml(Path::new("t.toml"), text, None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.toml:3:"), "{err}");
        assert!(err.contains("warning"), "{err}");
    }

    #[test]
    fn without_colour_selection_is_reversed_and_colours_are_gone() {
        let theme = Theme::builtin("default")
            .unwrap()
            .with_depth(ColorDepth::None);
        let sel = theme.style(Role::Selection);
        assert!(sel.add_modifier.contains(Modifier::REVERSED));
        for role in Role::ALL {
            let s = theme.style(role);
            assert!(
                matches!(s.fg, None | Some(Color::Reset)),
                "{role:?} keeps a colour"
            );
        }
    }
}
