//! Entering and leaving the terminal UI. The terminal is restored on every way out: a normal
//! quit, Ctrl-C (a key in raw mode, handled by the keymap), SIGTERM/SIGHUP/SIGINT/SIGQUIT (the
//! runtime), and a panic of the main task (the hook below restores, then color-eyre reports).
//! A panic in a background task does not end the process, so it leaves the terminal alone: it is
//! logged, its task is restarted (`adapters::supervise`) and the UI keeps running.

use std::io::stdout;

use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;

/// Installs the error and panic reporters, then takes over the terminal. color-eyre's panic hook
/// is installed first so that ours runs before it and chains to it.
pub fn enter() -> color_eyre::Result<DefaultTerminal> {
    color_eyre::install()?;
    install_panic_hook(restore);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    Ok(ratatui::Terminal::new(CrosstermBackend::new(stdout()))?)
}

/// Gives the terminal to a program run on it (the interactive shell): the alternate screen
/// left and the cursor shown; raw mode stays, so that every key reaches that program.
pub fn suspend() -> std::io::Result<()> {
    use crossterm::style::{Attribute, SetAttribute};
    // The pen the frames left (`screen/` keeps it between frames) goes back to the defaults.
    execute!(
        stdout(),
        SetAttribute(Attribute::Reset),
        LeaveAlternateScreen,
        crossterm::cursor::Show
    )
}

/// Takes the terminal back after `suspend`; the caller redraws the whole screen.
pub fn resume() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, crossterm::cursor::Hide)
}

pub fn leave() {
    restore();
}

/// The terminal as it was: the pen the frames left back to the defaults (the screen keeps it
/// between frames, and not every terminal restores it with the main screen), then ratatui's
/// restore (raw mode off, the main screen, the cursor shown).
fn restore() {
    use std::io::Write;
    let mut out = stdout();
    let _ = out.write_all(crate::screen::RESET_PEN);
    let _ = out.flush();
    ratatui::restore();
}

/// Sets a panic hook for the thread that calls it, the one running the main task: a panic there
/// takes the process down, so `restore` gives the terminal back and the hook installed before
/// (color-eyre's report) runs. A panic on any other thread (a tokio worker running a source's
/// task, a blocking task) is only logged: the terminal still belongs to the running UI, and
/// anything printed would be drawn over it.
pub fn install_panic_hook(restore: impl Fn() + Send + Sync + 'static) {
    let main = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == main {
            restore();
            previous(info);
        } else {
            let message = panic_message(info.payload());
            let place = info
                .location()
                .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
            tracing::error!(
                thread = std::thread::current().name().unwrap_or("unnamed"),
                "a background task panicked{place}: {message}; the cockpit keeps running"
            );
        }
    }));
}

/// A panic's message, when it has one (`panic!` with a literal or a format).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
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
