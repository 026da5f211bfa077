//! Entering and leaving the terminal UI. The terminal is restored on every way out: a normal
//! quit, Ctrl-C (a key in raw mode, handled by the keymap), SIGTERM/SIGHUP/SIGINT/SIGQUIT (the runtime), and a
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

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard. Terminals that
/// support it do so even when the program runs on the far side of SSH.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(super::osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
