//! Entering and leaving the terminal UI. The terminal is restored on every way out: a normal
//! quit, Ctrl-C (a key in raw mode, handled by the keymap), SIGTERM/SIGHUP (the runtime), and a
//! panic (ratatui's hook restores, then color-eyre reports).

use ratatui::DefaultTerminal;

/// Installs the error and panic reporters, then takes over the terminal. color-eyre's panic hook
/// is installed first so that ratatui's restoring hook runs before it and chains to it.
pub fn enter() -> color_eyre::Result<DefaultTerminal> {
    color_eyre::install()?;
    Ok(ratatui::try_init()?)
}

pub fn leave() {
    ratatui::restore();
}
