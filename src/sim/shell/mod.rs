//! The small scripted shell in every simulated container, behind the API's exec: a prompt,
//! a line editor on a terminal (echo, backspace, Ctrl-C, Ctrl-D, as a pty's line discipline
//! and a shell would do it), and the commands in `commands`. It speaks bytes in and out, so the
//! exec endpoint only carries them over the WebSocket channels.

mod commands;
use crate::domain::shell_words as words;
pub use commands::health_body;

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::mpsc;

/// What comes from the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Data(Vec<u8>),
    /// The terminal's new size, in columns and rows.
    Resize {
        width: u16,
        height: u16,
    },
    /// Standard input has ended (v5's close signal, or the connection went).
    Eof,
}

/// What the container writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

/// Which container the shell runs in.
#[derive(Debug, Clone)]
pub struct Container {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub image: String,
}

impl Container {
    /// Alpine images have no bash (as redis:7.0-alpine has not), so `bash` is not found there.
    fn alpine(&self) -> bool {
        self.image.contains("alpine")
    }

    fn redis(&self) -> bool {
        self.image.starts_with("redis")
    }
}

/// Whether `program` exists in the container: the exec endpoint answers as a container
/// runtime does (executable file not found) for one that does not.
pub fn exists(container: &Container, program: &str) -> bool {
    commands::exists(container, program)
}

/// One process: the command the exec asked for, with its standard streams.
pub struct Session {
    container: Container,
    tty: bool,
    /// Columns and rows, once the client has said (a tty's resize messages).
    size: Option<(u16, u16)>,
    out: mpsc::Sender<Output>,
    input: mpsc::Receiver<Input>,
    /// Bytes read from stdin but not used yet (typed ahead while a command ran).
    pending: VecDeque<u8>,
    stdin_ended: bool,
    /// `$?`: the last command's exit status.
    last: i32,
    /// The command running has its standard output sent to standard error (`>&2`).
    to_stderr: bool,
}

/// What a command asks of the shell that runs it.
enum Flow {
    Status(i32),
    /// `exit N`: the shell ends.
    Exit(i32),
}

const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;

impl Session {
    pub fn new(
        container: Container,
        tty: bool,
        out: mpsc::Sender<Output>,
        input: mpsc::Receiver<Input>,
    ) -> Session {
        Session {
            container,
            tty,
            size: None,
            out,
            input,
            pending: VecDeque::new(),
            stdin_ended: false,
            last: 0,
            to_stderr: false,
        }
    }

    /// Runs `argv` to its end; its exit status.
    pub async fn run(mut self, argv: Vec<String>) -> i32 {
        match self.command(&argv).await {
            Flow::Status(code) | Flow::Exit(code) => code,
        }
    }

    /// `sh` / `bash` with no script: reads commands from stdin, with a prompt and line editing
    /// on a terminal, until `exit`, Ctrl-D or the end of stdin.
    async fn interactive(&mut self) -> i32 {
        loop {
            if self.tty {
                let prompt = format!("root@{}:/# ", self.container.pod);
                self.write(&prompt).await;
            }
            let Some(line) = self.read_line().await else {
                if self.tty {
                    self.write("exit\n").await;
                }
                return self.last;
            };
            if let Flow::Exit(code) = self.script(&line).await {
                return code;
            }
        }
    }

    /// Runs one line of commands.
    async fn script(&mut self, line: &str) -> Flow {
        let container = self.container.clone();
        let last = self.last;
        let tty = self.tty;
        let size = self.size;
        let parsed = words::parse(line, |name| {
            commands::variable(&container, tty, size, name, last)
        });
        let commands = match parsed {
            Ok(c) => c,
            Err(e) => {
                self.error(&format!("sh: syntax error: {e}\n")).await;
                self.last = 2;
                return Flow::Status(2);
            }
        };
        for command in commands {
            if command.join == words::Join::IfOk && self.last != 0 {
                continue;
            }
            // A script run inside keeps the redirect of the command that runs it.
            let outer = self.to_stderr;
            self.to_stderr |= command.to_stderr;
            let flow = Box::pin(self.command(&command.words)).await;
            self.to_stderr = outer;
            match flow {
                Flow::Status(code) => self.last = code,
                Flow::Exit(code) => return Flow::Exit(code),
            }
        }
        Flow::Status(self.last)
    }

    /// Reads a line: on a terminal the keys are echoed and edited as a pty would; else a
    /// line of stdin. `None` at the end of input (or Ctrl-D on an empty line).
    async fn read_line(&mut self) -> Option<String> {
        let mut line: Vec<u8> = Vec::new();
        loop {
            let byte = self.read_byte().await?;
            if !self.tty {
                match byte {
                    b'\n' => return Some(String::from_utf8_lossy(&line).into_owned()),
                    b => line.push(b),
                }
                continue;
            }
            match byte {
                b'\r' | b'\n' => {
                    self.write("\n").await;
                    return Some(String::from_utf8_lossy(&line).into_owned());
                }
                CTRL_C => {
                    self.write("^C\n").await;
                    line.clear();
                    self.last = 130;
                    let prompt = format!("root@{}:/# ", self.container.pod);
                    self.write(&prompt).await;
                }
                CTRL_D if line.is_empty() => return None,
                0x7f | 0x08 => {
                    // One character back: a UTF-8 character's continuation bytes go with it.
                    while let Some(b) = line.pop() {
                        if b & 0xc0 != 0x80 {
                            break;
                        }
                    }
                    self.write("\x08 \x08").await;
                }
                0x1b => {
                    // An arrow or function key: the simulated shell has no history to move in.
                    if self.read_byte().await? == b'[' {
                        while !self.read_byte().await?.is_ascii_alphabetic() {}
                    }
                }
                b if b < 0x20 => {}
                b => {
                    line.push(b);
                    let _ = self.out.send(Output::Stdout(vec![b])).await;
                }
            }
        }
    }

    /// The next byte of stdin, noting resizes on the way; `None` once it has ended.
    async fn read_byte(&mut self) -> Option<u8> {
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Some(b);
            }
            if self.stdin_ended {
                return None;
            }
            self.receive().await;
        }
    }

    /// Takes one message from the client into `pending`, `size` or `stdin_ended`.
    async fn receive(&mut self) {
        match self.input.recv().await {
            Some(Input::Data(bytes)) => self.pending.extend(bytes),
            Some(Input::Resize { width, height }) => self.size = Some((width, height)),
            Some(Input::Eof) | None => self.stdin_ended = true,
        }
    }

    /// Waits `time`, as `sleep` does; Ctrl-C on a terminal interrupts it (status 130). Keys
    /// typed meanwhile are kept for the next prompt.
    async fn sleep(&mut self, time: Duration) -> i32 {
        let until = tokio::time::Instant::now() + time;
        loop {
            if self.tty
                && let Some(at) = self.pending.iter().position(|b| *b == CTRL_C)
            {
                self.pending.drain(..=at);
                self.write("^C\n").await;
                return 130;
            }
            if self.stdin_ended {
                tokio::time::sleep_until(until).await;
                return 0;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(until) => return 0,
                _ = self.receive() => {}
            }
        }
    }

    /// Standard output (standard error under `>&2`); a terminal turns `\n` into `\r\n`, as a
    /// pty's `onlcr` does.
    async fn write(&mut self, text: &str) {
        if self.to_stderr {
            return self.error(text).await;
        }
        let bytes = self.on_terminal(text);
        let _ = self.out.send(Output::Stdout(bytes)).await;
    }

    /// Standard error; on a terminal it is the same stream as standard output.
    async fn error(&mut self, text: &str) {
        let bytes = self.on_terminal(text);
        let message = if self.tty {
            Output::Stdout(bytes)
        } else {
            Output::Stderr(bytes)
        };
        let _ = self.out.send(message).await;
    }

    fn on_terminal(&self, text: &str) -> Vec<u8> {
        if self.tty {
            text.replace('\n', "\r\n").into_bytes()
        } else {
            text.as_bytes().to_vec()
        }
    }
}

#[cfg(test)]
mod tests;
