//! The bytes of a frame's changed cells, as few as the terminal needs. ratatui's crossterm
//! backend starts every frame from an unknown pen (colours, attributes) and ends it with four
//! resets and a cursor hide, so one clock digit cost ~70 bytes with truecolor: the pen's colours
//! twice, the resets, the hide. Here the pen and the cursor are remembered from one frame to
//! the next: a clock second is a cursor move and a digit (~11 bytes) when the colours are the
//! ones left from the last frame. Colours are written as crossterm writes them (`38;5;N` for
//! the sixteen named ones), so the screen looks exactly as before.

use std::io::Write;

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// What the terminal is known to hold after the bytes written so far: where its cursor is and
/// which colours and attributes the next character is written with. `None` is not known (at
/// the start, after a clear, after someone else wrote): the next cell says it in full.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pen {
    pub at: Option<(u16, u16)>,
    pub look: Option<Look>,
}

/// A cell's colours and attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Look {
    fn of(cell: &Cell) -> Look {
        Look {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The SGR codes of the attributes, in the order terminals number them.
const MODIFIERS: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// Writes the cells (`Buffer::diff`'s updates) to `out`, a terminal `width` columns wide, from
/// what `pen` says the terminal holds; `pen` then says what it holds after them.
pub fn cells<'a>(
    out: &mut Vec<u8>,
    width: u16,
    updates: impl IntoIterator<Item = (u16, u16, &'a Cell)>,
    pen: &mut Pen,
) {
    for (x, y, cell) in updates {
        if pen.at != Some((x, y)) {
            move_to(out, pen.at, x, y);
        }
        let look = Look::of(cell);
        if pen.look != Some(look) {
            sgr(out, pen.look, look);
            pen.look = Some(look);
        }
        let symbol = cell.symbol();
        out.extend_from_slice(symbol.as_bytes());
        // A wide or zero-width symbol, or the last column (where terminals differ on when the
        // cursor wraps): the next cell moves there in full.
        let next = x.saturating_add(symbol.width() as u16);
        pen.at = (symbol.width() == 1 && next < width).then_some((next, y));
    }
}

fn move_to(out: &mut Vec<u8>, at: Option<(u16, u16)>, x: u16, y: u16) {
    match at {
        // Along the same row, the column alone (CHA) is shorter.
        Some((_, row)) if row == y => {
            let _ = write!(out, "\x1b[{}G", x + 1);
        }
        _ if x == 0 => {
            let _ = write!(out, "\x1b[{}H", y + 1);
        }
        _ => {
            let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
        }
    }
}

/// One SGR sequence from `from` (unknown: `None`) to `to`: only what differs, or, when an
/// attribute goes (there is no short code for each), a reset and `to` in full.
fn sgr(out: &mut Vec<u8>, from: Option<Look>, to: Look) {
    let mut params: Vec<String> = Vec::new();
    let from = match from {
        Some(from) if (from.modifier - to.modifier).is_empty() => from,
        _ => {
            params.push("0".into());
            Look {
                fg: Color::Reset,
                bg: Color::Reset,
                underline: Color::Reset,
                modifier: Modifier::empty(),
            }
        }
    };
    for (modifier, code) in MODIFIERS {
        if to.modifier.contains(modifier) && !from.modifier.contains(modifier) {
            params.push(code.to_string());
        }
    }
    if to.fg != from.fg {
        params.push(color(to.fg, 38));
    }
    if to.bg != from.bg {
        params.push(color(to.bg, 48));
    }
    if to.underline != from.underline {
        params.push(color(to.underline, 58));
    }
    if !params.is_empty() {
        let _ = write!(out, "\x1b[{}m", params.join(";"));
    }
}

/// A colour's SGR parameters for the foreground (`base` 38), background (48) or underline (58).
fn color(color: Color, base: u8) -> String {
    let named = |n: u8| format!("{base};5;{n}");
    match color {
        Color::Reset => format!("{}", base + 1),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) => named(n),
        Color::Rgb(r, g, b) => format!("{base};2;{r};{g};{b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(symbol: &'static str, fg: Color, modifier: Modifier) -> Cell {
        let mut cell = Cell::new(symbol);
        cell.fg = fg;
        cell.modifier = modifier;
        cell
    }

    fn written(width: u16, updates: &[(u16, u16, Cell)], pen: &mut Pen) -> String {
        let mut out = Vec::new();
        cells(
            &mut out,
            width,
            updates.iter().map(|(x, y, c)| (*x, *y, c)),
            pen,
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_pen_and_cursor_carry_over_between_frames() {
        let mut pen = Pen::default();
        let red = |s| cell(s, Color::Red, Modifier::empty());
        let first = written(80, &[(70, 2, red("1")), (71, 2, red("9"))], &mut pen);
        assert_eq!(first, "\x1b[3;71H\x1b[0;38;5;1m19");
        // The next second: the same colours, one digit back along the row.
        let next = written(80, &[(71, 2, red("0"))], &mut pen);
        assert_eq!(next, "\x1b[72G0");
        // Right after the last cell written: no move at all.
        let after = written(80, &[(72, 2, red("s"))], &mut pen);
        assert_eq!(after, "s");
    }

    #[test]
    fn only_what_differs_is_said_and_a_lost_attribute_resets() {
        let mut pen = Pen::default();
        let bold = cell("a", Color::Reset, Modifier::BOLD);
        written(80, &[(0, 0, bold)], &mut pen);
        // Adding a colour keeps the bold: only the colour is said.
        let green = cell("b", Color::Green, Modifier::BOLD);
        assert_eq!(written(80, &[(1, 0, green)], &mut pen), "\x1b[38;5;2mb");
        // Losing the bold: a reset, then the colour again.
        let plain = cell("c", Color::Green, Modifier::empty());
        assert_eq!(written(80, &[(2, 0, plain)], &mut pen), "\x1b[0;38;5;2mc");
    }

    #[test]
    fn wide_symbols_and_the_last_column_leave_the_cursor_unknown() {
        let mut pen = Pen::default();
        let plain = |s| cell(s, Color::Reset, Modifier::empty());
        written(10, &[(9, 0, plain("x"))], &mut pen);
        assert_eq!(pen.at, None);
        written(10, &[(0, 1, plain("✔")), (2, 1, plain("日"))], &mut pen);
        assert_eq!(pen.at, None);
        assert_eq!(written(10, &[(5, 1, plain("y"))], &mut pen), "\x1b[2;6Hy");
    }
}
