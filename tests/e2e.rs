//! End to end: the real binary in a pseudo-terminal, keys pressed as a person would, the
//! screen read back through a terminal emulator (vt100), and the exit checked.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Cockpit {
    parser: vt100::Parser,
    output: Vec<u8>,
    bytes: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _home: tempfile::TempDir,
}

impl Cockpit {
    fn start(cols: u16, rows: u16, args: &[&str]) -> Cockpit {
        let home = tempfile::tempdir().expect("temp dir");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_opsdeck"));
        cmd.args(args);
        cmd.args([
            "--log-file",
            home.path()
                .join("opsdeck.log")
                .to_str()
                .expect("utf-8 path"),
        ]);
        cmd.env("TERM", "xterm-256color");
        // Keep the user's own config and state out of the test.
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        let child = pair.slave.spawn_command(cmd).expect("spawn opsdeck");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, bytes) = mpsc::channel();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Cockpit {
            parser: vt100::Parser::new(rows, cols, 0),
            output: Vec::new(),
            bytes,
            writer,
            child,
            _home: home,
        }
    }

    fn pump(&mut self, wait: Duration) {
        if let Ok(chunk) = self.bytes.recv_timeout(wait) {
            self.parser.process(&chunk);
            self.output.extend_from_slice(&chunk);
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen contains `text`; fails with the screen shown.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    fn wait_for_absence(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} did not go away; screen:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    /// Sends keys one at a time with a pause, as typed: a lone ESC followed at once by a key
    /// would read as Alt+key.
    fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            self.writer.write_all(key.as_bytes()).expect("write key");
            self.writer.flush().expect("flush");
            let until = Instant::now() + Duration::from_millis(120);
            while Instant::now() < until {
                self.pump(Duration::from_millis(20));
            }
        }
    }

    /// Waits for the process to end and returns its exit code, draining the output.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                while let Ok(chunk) = self.bytes.recv_timeout(Duration::from_millis(200)) {
                    self.output.extend_from_slice(&chunk);
                }
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "opsdeck did not exit; screen:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    /// The terminal was given back: the alternate screen left and the cursor shown after the
    /// last frame.
    fn assert_terminal_restored(&self) {
        let out = String::from_utf8_lossy(&self.output);
        let left = out.rfind("\x1b[?1049l").expect("alternate screen left");
        let entered = out.rfind("\x1b[?1049h").expect("alternate screen entered");
        assert!(
            left > entered,
            "left the alternate screen after entering it"
        );
        assert!(
            out[left..].contains("\x1b[?25h")
                || out[..left].rfind("\x1b[?25h") > out[..left].rfind("\x1b[?25l"),
            "cursor shown again"
        );
    }
}

#[test]
fn demo_at_80x24_walks_panels_filters_helps_and_quits_cleanly() {
    let mut c = Cockpit::start(80, 24, &["--demo"]);
    c.wait_for("Pods");
    c.wait_for("● live");
    assert!(
        c.screen().contains("crash-looping"),
        "the overview tells the story:\n{}",
        c.screen()
    );
    c.keys(&["2"]);
    c.wait_for("Pods 300");
    c.keys(&["/", "c", "r", "a", "s", "h"]);
    c.wait_for("1 of 300");
    c.wait_for("CrashLoopBackOff");
    c.keys(&["\r", "?"]);
    c.wait_for("Help: keymap default");
    c.keys(&["\x1b"]);
    c.wait_for_absence("Help: keymap default");
    c.keys(&["\t"]);
    c.wait_for("Services 22");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
}

#[test]
fn demo_at_200x50_shows_the_overview_and_ctrl_c_quits() {
    let mut c = Cockpit::start(200, 50, &["--demo", "--theme", "high-contrast"]);
    c.wait_for("Sources");
    c.wait_for("positivity nightly");
    c.keys(&["\x03"]);
    assert_eq!(c.exit_code(), 0);
    c.assert_terminal_restored();
}

#[test]
fn readonly_badge_is_shown() {
    let mut c = Cockpit::start(100, 30, &["--demo", "--readonly", "--ascii"]);
    c.wait_for("READ-ONLY");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
