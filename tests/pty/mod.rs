//! Drives the real binary in a pseudo-terminal: keys typed as a person would, the screen read
//! back through a terminal emulator (vt100).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Cockpit {
    parser: vt100::Parser,
    output: Vec<u8>,
    bytes: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Held so that the terminal (and its modes) outlives the cockpit, to be inspected.
    master: Box<dyn portable_pty::MasterPty + Send>,
    home: tempfile::TempDir,
}

impl Cockpit {
    pub fn start(cols: u16, rows: u16, args: &[&str]) -> Cockpit {
        Cockpit::start_with_env(cols, rows, args, &[])
    }

    /// As [`Cockpit::start`], with extra environment variables (`NO_COLOR`, say).
    pub fn start_with_env(cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Cockpit {
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
        if !args.contains(&"--audit-file") {
            let audit = home.path().join("audit.jsonl");
            cmd.args(["--audit-file", audit.to_str().expect("utf-8 path")]);
        }
        cmd.env("TERM", "xterm-256color");
        // Keep the user's own config and state out of the test.
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        // A cluster is used by default when one is configured (as kubectl does): not the
        // developer's.
        cmd.env_remove("KUBECONFIG");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn opsdeck");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, bytes) = mpsc::channel();
        std::thread::spawn(move || {
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
            master: pair.master,
            home,
        }
    }

    pub fn pump(&mut self, wait: Duration) {
        if let Ok(chunk) = self.bytes.recv_timeout(wait) {
            self.parser.process(&chunk);
            self.output.extend_from_slice(&chunk);
        }
    }

    /// Every byte the cockpit wrote to the terminal so far.
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen contains `text`; fails with the screen shown.
    pub fn wait_for(&mut self, text: &str) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    /// `wait_for` with its own patience, for work that takes a while on a busy machine.
    pub fn wait_for_within(&mut self, text: &str, patience: Duration) {
        let deadline = Instant::now() + patience;
        while !self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    /// Waits until one line of the screen holds every one of `parts`; returns that line.
    pub fn wait_for_line_with(&mut self, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(line) = self
                .screen()
                .lines()
                .find(|l| parts.iter().all(|p| l.contains(p)))
            {
                return line.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for a line with {parts:?}; screen:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    pub fn wait_for_absence(&mut self, text: &str) {
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

    /// Sends keys one at a time, as typed. The cockpit reads its input in order, so a key needs
    /// no pause before the next: tests wait for what a key should cause (`wait_for`), with a
    /// deadline. Only a lone ESC needs its own read, or ESC and the next key read as Alt+key:
    /// after one, the cockpit's answer (or a short quiet spell) is awaited.
    pub fn keys(&mut self, keys: &[&str]) {
        for key in keys {
            self.writer.write_all(key.as_bytes()).expect("write key");
            self.writer.flush().expect("flush");
            if *key == ESC {
                self.settle(Duration::from_millis(300));
            } else {
                self.pump(Duration::from_millis(1));
            }
        }
    }

    /// Reads output until the cockpit has answered and gone quiet (30 ms without a byte), or
    /// `patience` has passed.
    fn settle(&mut self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let before = self.output.len();
        while Instant::now() < deadline {
            let quiet_since = self.output.len();
            self.pump(Duration::from_millis(30));
            if self.output.len() == quiet_since && self.output.len() > before {
                return;
            }
        }
    }

    /// Waits for the process to end and returns its exit code, draining the output.
    pub fn exit_code(&mut self) -> u32 {
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
    pub fn assert_terminal_restored(&self) {
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

    /// The terminal's modes as `stty -a` lists them (`icanon`, `-echo`, ...), one per word.
    pub fn tty_modes(&self) -> Vec<String> {
        let tty = self.master.tty_name().expect("the pty's name");
        let out = std::process::Command::new("stty")
            .arg("-a")
            .arg("-F")
            .arg(&tty)
            .output()
            .expect("run stty");
        assert!(out.status.success(), "stty -F {}: {out:?}", tty.display());
        String::from_utf8_lossy(&out.stdout)
            .split([' ', ';', '\n'])
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    }

    /// Sends the cockpit a signal, as `kill -SIGNAL pid` does.
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name}");
    }

    /// The audit log this cockpit writes (unless the test chose another).
    pub fn audit_file(&self) -> PathBuf {
        self.home.path().join("audit.jsonl")
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The audit log's records, as `opsdeck audit --json` reads them back.
    pub fn audit_json(&self) -> Vec<serde_json::Value> {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsdeck"))
            .args(["audit", "--json", "--audit-file"])
            .arg(self.audit_file())
            .env("HOME", self.home())
            .output()
            .expect("opsdeck audit");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("opsdeck audit --json prints a JSON array")
    }

    /// The Services panel filtered to the one workload `name` (the demo's 23 rows).
    pub fn select_service(&mut self, name: &str) {
        self.keys(&["3", "/"]);
        self.type_text(name);
        self.keys(&[ENTER]);
        self.wait_for(&format!("Services 1 of 23 /{name}"));
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Types text one key at a time.
    pub fn type_text(&mut self, text: &str) {
        let keys: Vec<String> = text.chars().map(String::from).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.keys(&keys);
    }
}

pub const TAB: &str = "\t";
pub const BACKTAB: &str = "\x1b[Z";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const BACKSPACE: &str = "\x7f";
pub const CTRL_D: &str = "\x04";
pub const CTRL_U: &str = "\x15";
pub const DOWN: &str = "\x1b[B";

/// A test that fails half-way must not leave its cockpit running.
impl Drop for Cockpit {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
