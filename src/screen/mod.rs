//! Drawing only what changed, and nothing when nothing did. A frame whose cells equal the last
//! one's is dropped before it reaches the terminal (ratatui's `draw` would still write colour and
//! attribute resets and a cursor hide, ~25 bytes: at a frame per report, most of what an idle
//! cockpit sent over SSH). A frame that changed is written here, not by ratatui's backend: only
//! its changed cells, from the pen and cursor the last frame left (`encode.rs`), so a clock
//! second costs a cursor move and a digit. The cockpit draws its own cursors (a reversed cell in
//! text inputs), so the terminal's stays hidden (hidden once, with each full frame).
//!
//! Whatever else writes to the terminal must leave the pen as this module knows it: `clear`
//! resets it before the screen is cleared (a clear fills with the current background),
//! `reset_pen` before a new size is drawn (ratatui clears then), and `forget` says the terminal
//! is in doubt.

mod encode;

use std::io::Write;

use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::{Frame, Terminal};

/// The SGR reset: the pen back to the terminal's defaults.
pub const RESET_PEN: &[u8] = b"\x1b[0m";

/// What the terminal shows: the last frame written, to compare the next one with, and the pen.
#[derive(Default)]
pub struct Screen {
    shown: Option<Buffer>,
    pen: encode::Pen,
}

impl Screen {
    /// Renders a frame and writes it if any cell changed; true if it wrote.
    pub fn draw<B>(
        &mut self,
        terminal: &mut Terminal<B>,
        render: impl FnOnce(&mut Frame),
    ) -> std::io::Result<bool>
    where
        B: Backend<Error = std::io::Error> + Write,
    {
        terminal.autoresize()?;
        let mut frame = terminal.get_frame();
        render(&mut frame);
        let buffer = terminal.current_buffer_mut();
        if self.shown.as_ref() == Some(buffer) {
            // The next frame renders into a clean buffer, as after a swap.
            buffer.reset();
            return Ok(false);
        }
        let mut out = Vec::with_capacity(4096);
        let blank;
        let mut whole = false;
        let previous = match &self.shown {
            Some(shown) if shown.area == buffer.area => shown,
            // A cleared terminal (the start, a repaint, a new size): every cell that is not
            // blank is written, and the cursor hidden.
            _ => {
                self.pen = encode::Pen::default();
                whole = true;
                blank = Buffer::empty(buffer.area);
                &blank
            }
        };
        encode::cells(
            &mut out,
            buffer.area.width,
            previous.diff(buffer),
            &mut self.pen,
        );
        self.shown = Some(buffer.clone());
        let backend = terminal.backend_mut();
        backend.write_all(&out)?;
        Write::flush(backend)?;
        if whole {
            // Through ratatui, which then shows it again when the terminal is dropped.
            terminal.hide_cursor()?;
        }
        // ratatui's buffers as after its own draw: a `draw` through it diffs against this one.
        terminal.swap_buffers();
        Ok(true)
    }

    /// The pen back to the terminal's defaults, before something else writes: a new size
    /// (the next `draw` clears the screen, which fills it with the pen's background).
    pub fn reset_pen<B>(&mut self, terminal: &mut Terminal<B>) -> std::io::Result<()>
    where
        B: Backend<Error = std::io::Error> + Write,
    {
        terminal.backend_mut().write_all(RESET_PEN)?;
        self.pen = encode::Pen::default();
        Ok(())
    }

    /// Clears the terminal; the next frame is written whole.
    pub fn clear<B>(&mut self, terminal: &mut Terminal<B>) -> std::io::Result<()>
    where
        B: Backend<Error = std::io::Error> + Write,
    {
        terminal.backend_mut().write_all(RESET_PEN)?;
        terminal.clear()?;
        self.forget();
        Ok(())
    }

    /// The frame the terminal shows, as far as this screen wrote it.
    pub fn shown(&self) -> Option<&Buffer> {
        self.shown.as_ref()
    }

    /// The terminal was cleared (or is in doubt): the next frame is written whole, from an
    /// unknown pen.
    pub fn forget(&mut self) {
        self.shown = None;
        self.pen = encode::Pen::default();
    }
}
