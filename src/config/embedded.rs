//! The shipped themes and keymaps, compiled into the binary so that one copied file is enough.

pub const THEMES: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("colorblind", include_str!("../../themes/colorblind.toml")),
];

pub const KEYMAPS: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

pub fn lookup(table: &[(&str, &'static str)], name: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The shipped names, and the user's file that would also do.
pub fn available(table: &[(&str, &str)], user_dir: Option<&std::path::Path>, name: &str) -> String {
    let shipped = names(table);
    match user_dir {
        Some(dir) => format!(
            "{shipped}, or a file {}",
            dir.join(format!("{name}.toml")).display()
        ),
        None => shipped,
    }
}

pub fn names(table: &[(&str, &str)]) -> String {
    table.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}
