//! Criterion benchmarks of the logs pane under a fast stream: what one second of a
//! 5,000-lines-a-second log costs the UI loop (taking the lines into the ring, as the runtime
//! delivers them in batches of 1,000), and what drawing the pane costs (at most `max_fps`
//! times a second). The ring is full, so every line also drops the oldest.
//!
//! Run: `cargo bench --bench logs`. Report medians.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use opsdeck::app::{Effect, Msg, Panel, State, prepare_frame, update};
use opsdeck::sim::logs::{LogQuery, LogSource};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;

use common::{key, state_with};

const SIZE: (u16, u16) = (160, 48);

/// The cockpit with a pod's logs pane open and its ring full; its stream number and lines
/// to send (realistic ones, as the simulator writes them).
fn logs_open() -> (State, u64, Vec<String>) {
    let mut state = state_with(300, SIZE);
    state.panel = Panel::Pods;
    let effects = update(&mut state, key('l'));
    let Some(Effect::OpenLogs { stream, .. }) = effects.into_iter().next() else {
        panic!("the logs pane opens")
    };
    let pod = state.estate.pods.get_index(0).expect("a pod").clone();
    let source = LogSource::for_query(&pod, &LogQuery::default(), 5_000.0, 0.004).expect("a log");
    let lines: Vec<String> = (0..20_000).map(|n| source.line(n, false)).collect();
    for batch in lines[..10_000].chunks(1_000) {
        update(&mut state, batch_msg(stream, batch));
    }
    (state, stream, lines[10_000..15_000].to_vec())
}

fn batch_msg(stream: u64, lines: &[String]) -> Msg {
    Msg::LogLines {
        stream,
        source: 0,
        lines: lines.to_vec(),
    }
}

fn one_second_of_5000_lines(c: &mut Criterion) {
    let (state, stream, second) = logs_open();
    let batches: Vec<Msg> = second.chunks(1_000).map(|b| batch_msg(stream, b)).collect();
    let mut group = c.benchmark_group("logs_pane_5000_lines_per_second");
    group.bench_function("take_one_second_of_lines", |b| {
        b.iter_batched(
            || (state.clone(), batches.clone()),
            |(mut state, batches)| {
                for msg in batches {
                    update(&mut state, msg);
                }
                state
            },
            BatchSize::LargeInput,
        )
    });
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("backend");
    let mut drawn = state.clone();
    prepare_frame(&mut drawn);
    group.bench_function("draw_one_frame_160x48", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| opsdeck::ui::view(frame, black_box(&drawn)))
                .expect("draw");
        })
    });
    let mut searching = state.clone();
    update(&mut searching, key('/'));
    for ch in "upstream".chars() {
        update(&mut searching, key(ch));
    }
    prepare_frame(&mut searching);
    group.bench_function("draw_one_frame_160x48_with_search", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| opsdeck::ui::view(frame, black_box(&searching)))
                .expect("draw");
        })
    });
    group.finish();
}

criterion_group!(benches, one_second_of_5000_lines);
criterion_main!(benches);
