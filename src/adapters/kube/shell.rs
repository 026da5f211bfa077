//! The interactive shell (`s`): the pod's container's shell on the operator's own terminal,
//! through the API's exec with a tty (kube-rs's `ws`, no kubectl). The cockpit has left the
//! alternate screen and stays in raw mode, so every key (Ctrl-C included) goes to the shell;
//! output is written as it arrives, unbuffered, and SIGWINCH sends the new size. Nothing typed
//! or shown is kept: the outcome is the exit status.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{AttachParams, TerminalSize};
use kube::{Api, Client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::actions::executor::ActionError;

/// The first of `shells` the container has, run on this terminal until it exits.
pub async fn interactive(
    client: &Client,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    shells: &[String],
) -> Result<String, ActionError> {
    let api = Api::<Pod>::namespaced(client.clone(), namespace);
    let mut missing = Vec::new();
    for shell in shells {
        let mut params = AttachParams::interactive_tty();
        if let Some(c) = container {
            params = params.container(c);
        }
        let mut process = api
            .exec(pod, [shell.as_str()], &params)
            .await
            .map_err(super::actions::action_error)?;
        let (Some(mut stdout), Some(mut stdin), Some(sizes), Some(status)) = (
            process.stdout(),
            process.stdin(),
            process.terminal_size(),
            process.take_status(),
        ) else {
            return Err(ActionError::Failed(
                "the exec stream has no terminal".into(),
            ));
        };
        let mut status = Box::pin(status);
        let mut buf = vec![0u8; 16 * 1024];
        // A shell the image lacks ends at once with the runtime's "not found", before any
        // output: then the next one is tried.
        let first = tokio::select! {
            n = stdout.read(&mut buf) => match n.unwrap_or(0) {
                // The stream ended without output: its status says why.
                0 => Err((&mut status).await),
                n => Ok(n),
            },
            s = &mut status => Err(s),
        };
        let first = match first {
            Err(s) if not_found(s.as_ref()) => {
                missing.push(shell.clone());
                continue;
            }
            Err(s) => return super::exec::outcome(s).map(|done| format!("{shell}: {done}")),
            Ok(n) => n,
        };
        write_out(&buf[..first]);
        let mut sizes = sizes;
        let _ = sizes.try_send(terminal_size());
        let keys = Keyboard::start();
        let mut winch = tokio::signal::unix::signal(
            tokio::signal::unix::SignalKind::window_change(),
        )
        .map_err(|e| ActionError::Failed(format!("cannot watch the terminal's size: {e}")))?;
        let mut input = keys.bytes;
        loop {
            tokio::select! {
                n = stdout.read(&mut buf) => match n {
                    Ok(0) | Err(_) => break,
                    Ok(n) => write_out(&buf[..n]),
                },
                Some(bytes) = input.recv() => {
                    if stdin.write_all(&bytes).await.is_err() {
                        break;
                    }
                }
                _ = winch.recv() => {
                    let _ = sizes.try_send(terminal_size());
                }
            }
        }
        keys.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = keys.thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        let status = status.await;
        drop(stdin);
        let _ = process.join().await;
        return super::exec::outcome(status).map(|done| format!("{shell}: {done}"));
    }
    Err(ActionError::Failed(format!(
        "no shell in the container: {} not found",
        missing.join(", ")
    )))
}

/// Whether an exec ended because its program is not in the image.
fn not_found(status: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Status>) -> bool {
    status
        .and_then(|s| s.message.as_deref())
        .is_some_and(|m| m.contains("executable file not found") || m.contains("no such file"))
}

fn terminal_size() -> TerminalSize {
    let (width, height) = crossterm::terminal::size().unwrap_or((80, 24));
    TerminalSize { width, height }
}

/// The shell's output, to the terminal at once (no buffering beyond what the protocol gives).
fn write_out(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// The keyboard while the shell has it: a thread reading the terminal, stopped (within its
/// poll interval) before the cockpit reads keys again, so none is taken from it.
struct Keyboard {
    bytes: mpsc::Receiver<Vec<u8>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Keyboard {
    fn start() -> Keyboard {
        let (tx, bytes) = mpsc::channel(64);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("shell-keys".into())
            .spawn(move || read_keys(tx, stopped))
            .ok();
        Keyboard {
            bytes,
            stop,
            thread,
        }
    }
}

fn read_keys(tx: mpsc::Sender<Vec<u8>>, stop: Arc<AtomicBool>) {
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::SeqCst) {
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, for the process's own stdin.
        let ready = unsafe { libc::poll(&mut poll, 1, 50) };
        if ready <= 0 || stop.load(Ordering::SeqCst) {
            continue;
        }
        // SAFETY: reads into a buffer of the length given.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        if tx.blocking_send(buf[..n as usize].to_vec()).is_err() {
            break;
        }
    }
}
