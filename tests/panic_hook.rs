//! The panic hook's decision: only a panic of the thread that runs the main task (the one that
//! installed the hook) gives the terminal back; a background task's panic is logged and the
//! terminal left to the running UI. One test in its own binary: the hook is process-wide.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

static RESTORED: AtomicUsize = AtomicUsize::new(0);
static REPORTED: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn only_a_panic_of_the_main_task_restores_the_terminal_and_others_are_logged() {
    let log = Log::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    // Stands for color-eyre's report, which prints over whatever is on the screen.
    std::panic::set_hook(Box::new(|info| {
        REPORTED.fetch_add(1, Ordering::SeqCst);
        eprintln!("{info}");
    }));
    opsdeck::terminal::install_panic_hook(|| {
        RESTORED.fetch_add(1, Ordering::SeqCst);
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let task = runtime.block_on(runtime.spawn(async {
        panic!("period must be non-zero");
    }));
    assert!(task.unwrap_err().is_panic());
    let thread = std::thread::spawn(|| panic!("a blocking helper broke"));
    assert!(thread.join().is_err());
    assert_eq!(
        (
            RESTORED.load(Ordering::SeqCst),
            REPORTED.load(Ordering::SeqCst)
        ),
        (0, 0),
        "background panics leave the terminal and the screen alone"
    );
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("a background task panicked at tests/panic_hook.rs:")
            && logged.contains("period must be non-zero; the cockpit keeps running")
            && logged.contains("a blocking helper broke"),
        "{logged}"
    );

    let main = std::panic::catch_unwind(|| panic!("the main task broke"));
    assert!(main.is_err());
    assert_eq!(
        (
            RESTORED.load(Ordering::SeqCst),
            REPORTED.load(Ordering::SeqCst)
        ),
        (1, 1),
        "the main task's panic restores the terminal, then reports"
    );
}
