//! Everything that can happen to the cockpit, and what `update` asks the runtime to do.

use crossterm::event::KeyEvent;

use crate::domain::{SourceReport, UnixTime};

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// The wall clock, sent a few times a second.
    Tick(UnixTime),
    Report(SourceReport),
}

/// Work for the runtime: the only way `update` reaches the outside world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Clear the terminal and draw everything again (after line noise on a bad link).
    Repaint,
}
