//! What `opsdeck::screen` writes, read back through a terminal emulator (vt100): frame after
//! frame, with the pen and cursor kept between frames, the emulator shows exactly the buffer
//! drawn; and what a clock second, an unchanged frame and a repaint cost.

use std::sync::{Arc, Mutex};

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::{TerminalOptions, Viewport};

use opsdeck::screen::Screen;
use ratatui::Terminal;
use ratatui::buffer::Buffer;

const W: u16 = 24;
const H: u16 = 4;

/// What the backend wrote, shared with the test.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Written {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Written {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

type Term = (Terminal<CrosstermBackend<Written>>, Written);

fn terminal() -> Term {
    let viewport = Viewport::Fixed(Rect::new(0, 0, W, H));
    let written = Written::default();
    let terminal = Terminal::with_options(
        CrosstermBackend::new(written.clone()),
        TerminalOptions { viewport },
    )
    .expect("terminal");
    (terminal, written)
}

/// Draws the texts through the screen; what it wrote.
fn draw(
    (term, written): &mut Term,
    screen: &mut Screen,
    texts: &[(u16, u16, &str, Style)],
) -> Vec<u8> {
    screen
        .draw(term, |f| {
            for (x, y, text, style) in texts {
                f.buffer_mut().set_string(*x, *y, text, *style);
            }
        })
        .expect("draw");
    written.take()
}

fn vt_color(color: Color) -> vt100::Color {
    let named = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match color {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(n) => vt100::Color::Idx(n),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named_color => {
            vt100::Color::Idx(named.iter().position(|c| *c == named_color).unwrap() as u8)
        }
    }
}

/// Every cell the emulator shows is the buffer's: symbol, colours, attributes.
fn assert_shows(parser: &vt100::Parser, buffer: &Buffer) {
    let screen = parser.screen();
    for y in 0..H {
        let mut x = 0;
        while x < W {
            let want = &buffer[(x, y)];
            let got = screen.cell(y, x).expect("cell");
            let contents = match got.contents() {
                "" => " ",
                c => c,
            };
            let at = format!("cell ({x}, {y})");
            assert_eq!(contents, want.symbol(), "{at}");
            assert_eq!(got.fgcolor(), vt_color(want.fg), "{at} fg");
            assert_eq!(got.bgcolor(), vt_color(want.bg), "{at} bg");
            assert_eq!(got.bold(), want.modifier.contains(Modifier::BOLD), "{at}");
            assert_eq!(
                got.italic(),
                want.modifier.contains(Modifier::ITALIC),
                "{at}"
            );
            assert_eq!(
                got.inverse(),
                want.modifier.contains(Modifier::REVERSED),
                "{at}"
            );
            x += if got.is_wide() { 2 } else { 1 };
        }
    }
}

#[test]
fn what_is_written_frame_after_frame_is_what_the_buffer_holds() {
    let mut term = terminal();
    let mut screen = Screen::default();
    let mut parser = vt100::Parser::new(H, W, 0);
    let bold_red = Style::new()
        .fg(Color::Red)
        .bg(Color::Blue)
        .add_modifier(Modifier::BOLD);
    let clock = Style::new()
        .fg(Color::Rgb(200, 200, 90))
        .bg(Color::Indexed(236));
    let frames: [&[(u16, u16, &str, Style)]; 4] = [
        &[
            (0, 0, "pods ✔ 日本", bold_red),
            (W - 3, 0, "end", Style::new().add_modifier(Modifier::ITALIC)),
            (0, 3, "14:07:29 UTC", clock),
            (
                14,
                3,
                "? help",
                Style::new().add_modifier(Modifier::REVERSED),
            ),
        ],
        // The bold goes, the clock's seconds and minutes turn, a wide symbol is replaced.
        &[
            (
                0,
                0,
                "pods ✖ ab本",
                Style::new().fg(Color::Red).bg(Color::Blue),
            ),
            (W - 3, 0, "end", Style::new().add_modifier(Modifier::ITALIC)),
            (0, 3, "14:07:30 UTC", clock),
            (
                14,
                3,
                "? help",
                Style::new().add_modifier(Modifier::REVERSED),
            ),
        ],
        &[
            (
                0,
                0,
                "pods ✖ ab本",
                Style::new().fg(Color::Red).bg(Color::Blue),
            ),
            (W - 3, 0, "end", Style::new().add_modifier(Modifier::ITALIC)),
            (0, 1, "row", Style::new().fg(Color::LightCyan)),
            (0, 3, "14:07:31 UTC", clock),
            (
                14,
                3,
                "? help",
                Style::new().add_modifier(Modifier::REVERSED),
            ),
        ],
        &[(0, 3, "14:07:32 UTC", clock)],
    ];
    for texts in frames {
        let bytes = draw(&mut term, &mut screen, texts);
        parser.process(&bytes);
        assert_shows(&parser, screen.shown().unwrap());
    }
}

#[test]
fn a_clock_second_is_a_move_and_a_digit() {
    let mut term = terminal();
    let mut screen = Screen::default();
    let clock = Style::new()
        .fg(Color::Rgb(200, 200, 90))
        .bg(Color::Rgb(30, 30, 40));
    draw(&mut term, &mut screen, &[(10, 3, "14:07:20", clock)]);
    let second = draw(&mut term, &mut screen, &[(10, 3, "14:07:21", clock)]);
    // Before: colours twice in truecolor, four resets and a cursor hide, ~70 bytes.
    assert_eq!(String::from_utf8(second).unwrap(), "\x1b[18G1");
}

#[test]
fn the_same_frame_twice_is_written_once() {
    let mut term = terminal();
    let mut screen = Screen::default();
    let hello = [(0, 0, "hello", Style::new())];
    assert!(!draw(&mut term, &mut screen, &hello).is_empty());
    assert!(draw(&mut term, &mut screen, &hello).is_empty());
    // A real change is written.
    let bye = [(0, 0, "bye", Style::new())];
    assert!(!draw(&mut term, &mut screen, &bye).is_empty());
}

#[test]
fn after_forget_the_frame_is_written_again_in_full() {
    let mut term = terminal();
    let mut screen = Screen::default();
    let red = Style::new().fg(Color::Red);
    let hello = [(0, 0, "hello", red)];
    let first = draw(&mut term, &mut screen, &hello);
    screen.forget();
    let again = draw(&mut term, &mut screen, &hello);
    assert_eq!(again, first, "the pen is said again, not assumed");
}

#[test]
fn after_a_pen_reset_the_next_cell_says_its_colours_again() {
    // Before a clear (a repaint, a new size), which fills the screen with the current
    // background, the pen goes back to the defaults; the next frame must not assume it.
    let mut term = terminal();
    let mut screen = Screen::default();
    let blue = Style::new().bg(Color::Blue);
    draw(&mut term, &mut screen, &[(0, 0, "ab", blue)]);
    screen.reset_pen(&mut term.0).unwrap();
    assert_eq!(term.1.take(), b"\x1b[0m");
    let next = draw(&mut term, &mut screen, &[(0, 0, "ac", blue)]);
    assert_eq!(String::from_utf8(next).unwrap(), "\x1b[1;2H\x1b[0;48;5;4mc");
}
