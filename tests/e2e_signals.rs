//! Every signal that ends the cockpit gives the terminal back as it found it: the alternate
//! screen left, the cursor shown, and the tty's modes cooked again (echo, line editing).

mod pty;

use pty::Cockpit;

/// The tty modes raw mode turns off, as `stty -a` names them when they are on.
const COOKED: &[&str] = &["icanon", "echo", "isig", "icrnl", "opost"];

#[test]
fn sigint_sigquit_sigterm_and_sighup_each_restore_the_terminal() {
    for signal in ["INT", "QUIT", "TERM", "HUP"] {
        let mut c = Cockpit::start(100, 30, &["--demo", "--pods", "48"]);
        c.wait_for("● live");
        let raw = c.tty_modes();
        assert!(
            raw.iter().any(|m| m == "-icanon"),
            "the cockpit runs in raw mode: {raw:?}"
        );
        c.signal(signal);
        let code = c.exit_code();
        assert_eq!(code, 0, "SIG{signal} ends the cockpit as a quit does");
        c.assert_terminal_restored();
        let modes = c.tty_modes();
        for mode in COOKED {
            assert!(
                modes.iter().any(|m| m == mode),
                "after SIG{signal}, `{mode}` is on again: {modes:?}"
            );
        }
    }
}
