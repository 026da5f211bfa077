//! Drawing only what changed, and nothing when nothing did. ratatui's `draw` writes the cells
//! that differ from the last frame, but every frame, changed or not, also ends with colour and
//! attribute resets and a cursor hide (about 20 bytes): at a frame per report, most of what an
//! idle cockpit sent over SSH. A frame whose cells and cursor equal the last one's is dropped
//! here before it reaches the backend. The cockpit draws its own cursors (a reversed cell in
//! text inputs), so the terminal's stays hidden and is not part of a frame.

use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::{Frame, Terminal};

/// What the terminal shows: the last frame written, to compare the next one with.
#[derive(Default)]
pub struct Screen {
    shown: Option<Buffer>,
}

impl Screen {
    /// Renders a frame and writes it if any cell changed; true if it wrote.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        render: impl FnOnce(&mut Frame),
    ) -> Result<bool, B::Error> {
        terminal.autoresize()?;
        let mut frame = terminal.get_frame();
        render(&mut frame);
        let buffer = terminal.current_buffer_mut();
        if self.shown.as_ref() == Some(buffer) {
            // The next frame renders into a clean buffer, as after a swap.
            buffer.reset();
            return Ok(false);
        }
        self.shown = Some(buffer.clone());
        terminal.apply_buffer()?;
        Ok(true)
    }

    /// The terminal was cleared (or is in doubt): the next frame is written whole.
    pub fn forget(&mut self) {
        self.shown = None;
    }
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::text::Line;

    use super::*;

    fn terminal() -> Terminal<TestBackend> {
        Terminal::new(TestBackend::new(10, 2)).expect("terminal")
    }

    #[test]
    fn the_same_frame_twice_is_written_once() {
        let mut terminal = terminal();
        let mut screen = Screen::default();
        let hello = |f: &mut Frame| f.render_widget(Line::from("hello"), f.area());
        assert!(screen.draw(&mut terminal, hello).unwrap());
        assert!(!screen.draw(&mut terminal, hello).unwrap());
        // What the terminal shows is still the frame, and a real change is written.
        terminal
            .backend()
            .assert_buffer_lines(["hello     ", "          "]);
        let bye = |f: &mut Frame| f.render_widget(Line::from("bye"), f.area());
        assert!(screen.draw(&mut terminal, bye).unwrap());
        terminal
            .backend()
            .assert_buffer_lines(["bye       ", "          "]);
    }

    #[test]
    fn after_forget_the_frame_is_written_again() {
        let mut terminal = terminal();
        let mut screen = Screen::default();
        let hello = |f: &mut Frame| f.render_widget(Line::from("hello"), f.area());
        screen.draw(&mut terminal, hello).unwrap();
        screen.forget();
        assert!(screen.draw(&mut terminal, hello).unwrap());
    }
}
