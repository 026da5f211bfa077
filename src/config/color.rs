//! Colour depth: what the terminal can show, and turning a theme's colours into that.

use std::str::FromStr;

use anstyle::{Ansi256Color, AnsiColor, RgbColor};
use ratatui::style::Color;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ColorDepth {
    /// 24-bit colour.
    Truecolor,
    /// The xterm 256-colour palette.
    #[serde(rename = "256")]
    #[value(name = "256")]
    Ansi256,
    /// The 16 basic ANSI colours.
    #[serde(rename = "16")]
    #[value(name = "16")]
    Ansi16,
    /// No colour at all: states are told by symbols, words and bold/reverse.
    None,
}

impl FromStr for ColorDepth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "truecolor" | "24bit" => Ok(ColorDepth::Truecolor),
            "256" => Ok(ColorDepth::Ansi256),
            "16" => Ok(ColorDepth::Ansi16),
            "none" => Ok(ColorDepth::None),
            _ => Err(format!(
                "unknown colour depth `{s}`; expected truecolor, 256, 16 or none"
            )),
        }
    }
}

impl ColorDepth {
    /// Detects the depth from the environment: `NO_COLOR` (any value) wins, then `COLORTERM`,
    /// then `TERM`.
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> Self {
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        if env("COLORTERM").is_some_and(|v| v == "truecolor" || v == "24bit") {
            return ColorDepth::Truecolor;
        }
        match env("TERM").as_deref() {
            Some("dumb") => ColorDepth::None,
            Some(t) if t.contains("256") || t.contains("direct") => ColorDepth::Ansi256,
            _ => ColorDepth::Ansi16,
        }
    }

    /// The closest colour this depth can show.
    pub fn convert(self, color: Color) -> Color {
        match (self, color) {
            (ColorDepth::None, _) => Color::Reset,
            (_, Color::Reset) | (ColorDepth::Truecolor, _) => color,
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => {
                Color::Indexed(anstyle_lossy::rgb_to_xterm(RgbColor(r, g, b)).0)
            }
            (ColorDepth::Ansi256, other) => other,
            (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => ansi_to_ratatui(
                anstyle_lossy::rgb_to_ansi(RgbColor(r, g, b), anstyle_lossy::palette::DEFAULT),
            ),
            (ColorDepth::Ansi16, Color::Indexed(i)) => ansi_to_ratatui(
                anstyle_lossy::xterm_to_ansi(Ansi256Color(i), anstyle_lossy::palette::DEFAULT),
            ),
            (ColorDepth::Ansi16, other) => other,
        }
    }
}

fn ansi_to_ratatui(c: AnsiColor) -> Color {
    match c {
        AnsiColor::Black => Color::Black,
        AnsiColor::Red => Color::Red,
        AnsiColor::Green => Color::Green,
        AnsiColor::Yellow => Color::Yellow,
        AnsiColor::Blue => Color::Blue,
        AnsiColor::Magenta => Color::Magenta,
        AnsiColor::Cyan => Color::Cyan,
        AnsiColor::White => Color::Gray,
        AnsiColor::BrightBlack => Color::DarkGray,
        AnsiColor::BrightRed => Color::LightRed,
        AnsiColor::BrightGreen => Color::LightGreen,
        AnsiColor::BrightYellow => Color::LightYellow,
        AnsiColor::BrightBlue => Color::LightBlue,
        AnsiColor::BrightMagenta => Color::LightMagenta,
        AnsiColor::BrightCyan => Color::LightCyan,
        AnsiColor::BrightWhite => Color::White,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_color_wins_then_colorterm_then_term() {
        assert_eq!(
            ColorDepth::detect(env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            ColorDepth::None
        );
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "truecolor")])),
            ColorDepth::Truecolor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "vt100")])),
            ColorDepth::Ansi16
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "dumb")])),
            ColorDepth::None
        );
    }

    #[test]
    fn conversion_lands_on_the_nearest_palette_entry() {
        assert_eq!(
            ColorDepth::Ansi256.convert(Color::Rgb(255, 0, 0)),
            Color::Indexed(196)
        );
        assert_eq!(
            ColorDepth::Ansi16.convert(Color::Rgb(250, 10, 10)),
            Color::Red
        );
        assert!(matches!(
            ColorDepth::Ansi16.convert(Color::Rgb(95, 215, 95)),
            Color::Green | Color::LightGreen
        ));
        assert_eq!(ColorDepth::None.convert(Color::Rgb(1, 2, 3)), Color::Reset);
        assert_eq!(
            ColorDepth::Truecolor.convert(Color::Rgb(1, 2, 3)),
            Color::Rgb(1, 2, 3)
        );
    }
}
