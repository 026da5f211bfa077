//! What crosses the wire: bytes the real crossterm backend writes for a frame after one small
//! change. Counts are deterministic (no timing), so they can be bounded: a regression to full
//! repaints would multiply them.

mod common;

use common::*;
use opsdeck::app::{Msg, Panel, State, prepare_frame, update};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Counts the bytes written through it.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type Term = (
    Terminal<CrosstermBackend<Counter>>,
    Counter,
    opsdeck::screen::Screen,
);

/// A terminal that counts what it would send, with a fixed size (no tty to ask).
fn terminal(size: (u16, u16)) -> Term {
    let counter = Counter::default();
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.0, size.1));
    let terminal = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions { viewport },
    )
    .expect("terminal");
    (terminal, counter, Default::default())
}

/// Bytes written by drawing the state once, as the runtime draws.
fn draw((terminal, counter, screen): &mut Term, state: &mut State) -> usize {
    prepare_frame(state);
    let before = counter.0.load(Ordering::Relaxed);
    screen
        .draw(terminal, |f| opsdeck::ui::view(f, state))
        .expect("draw");
    counter.0.load(Ordering::Relaxed) - before
}

#[test]
fn a_clock_second_costs_a_few_bytes() {
    // The Backups panel shows ages in minutes and hours: only the clock moves each second.
    let mut state = demo_state((120, 40));
    state.panel = Panel::Backups;
    let mut term = terminal(state.size);
    let full = draw(&mut term, &mut state);
    let now = state.now;
    // The first second after a full frame may say the clock's colours again (the pen is where
    // the frame's last cell left it); every second after that is what a minute is made of.
    update(&mut state, Msg::Tick(now.plus(1)));
    let first = draw(&mut term, &mut state);
    update(&mut state, Msg::Tick(now.plus(2)));
    let tick = draw(&mut term, &mut state);
    eprintln!("first frame {full} bytes; the next second {first} bytes, then {tick} bytes");
    assert!(full > 5_000, "the first frame draws everything");
    assert!(
        first > 0 && first < 100,
        "the first second wrote {first} bytes"
    );
    // Issue 27's budget for a frozen estate, 1.5 KB a minute, is 25 bytes a second. Before the
    // pen and cursor were kept between frames (`screen/encode.rs`), a second cost 68 bytes:
    // the colours twice in truecolor, four resets and a cursor hide around one digit.
    assert!(
        tick > 0 && tick <= 25,
        "one clock second wrote {tick} bytes"
    );
}

#[test]
fn the_overview_second_by_second() {
    // Also moving each second on the Overview: the longest queries' run times.
    let mut state = demo_state((120, 40));
    let mut term = terminal(state.size);
    draw(&mut term, &mut state);
    let now = state.now;
    update(&mut state, Msg::Tick(now.plus(1)));
    let tick = draw(&mut term, &mut state);
    eprintln!("overview, one second with no data change: {tick} bytes");
    assert!(tick > 0 && tick < 256, "wrote {tick} bytes");
}

#[test]
fn one_pod_status_change_costs_one_rows_worth() {
    let mut state = demo_state((120, 40));
    state.panel = Panel::Pods;
    let mut term = terminal(state.size);
    draw(&mut term, &mut state);
    // The fourth row on screen becomes not ready.
    let index = state.tables.pods.visible()[3] as usize;
    let mut pod = state.estate.pods.get_index(index).unwrap().clone();
    pod.ready_containers = 0;
    pod.restarts += 1;
    upsert_pod(&mut state, pod);
    let bytes = draw(&mut term, &mut state);
    eprintln!("one pod status change on the Pods panel: {bytes} bytes");
    assert!(
        bytes > 0 && bytes < 300,
        "one pod change wrote {bytes} bytes"
    );
}

#[test]
fn a_frame_with_no_changed_cell_writes_nothing() {
    // A report that changes nothing on screen (here: nothing at all) must cost no bytes; before,
    // every frame ended with colour and attribute resets and a cursor hide (~20 bytes).
    let mut state = demo_state((120, 40));
    state.panel = Panel::Pods;
    let mut term = terminal(state.size);
    draw(&mut term, &mut state);
    let again = draw(&mut term, &mut state);
    assert_eq!(again, 0, "an unchanged frame wrote {again} bytes");
}

#[test]
fn a_change_off_screen_writes_nothing() {
    // The last pod in the Pods panel's order is below the screen at 120x40.
    let mut state = demo_state((120, 40));
    state.panel = Panel::Pods;
    let mut term = terminal(state.size);
    draw(&mut term, &mut state);
    let visible = state.tables.pods.visible();
    assert!(visible.len() > 60, "the demo has more pods than rows");
    let index = *visible.last().unwrap() as usize;
    let mut pod = state.estate.pods.get_index(index).unwrap().clone();
    pod.cpu_millis = Some(pod.cpu_millis.unwrap_or(0) + 7);
    upsert_pod(&mut state, pod);
    let bytes = draw(&mut term, &mut state);
    assert_eq!(bytes, 0, "a change below the screen wrote {bytes} bytes");
}
