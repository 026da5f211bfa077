//! Criterion benchmarks of the paths that must stay fast at scale:
//! drawing the Pods panel, applying a burst of pod updates, and a filter keystroke.
//!
//! Run: `cargo bench --bench pods`. Report medians, not assertions: timing tests flake on
//! shared machines.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::{Msg, prepare_frame, update};
use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;

use common::{T0, key, state_with};

fn draw_pods_panel(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw_pods_200x50");
    for pods in [10_000, 100_000] {
        let state = state_with(pods, (200, 50));
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("backend");
        group.bench_function(format!("{pods}_pods"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| opsdeck::ui::view(frame, black_box(&state)))
                    .expect("draw");
            })
        });
    }
    group.finish();
}

/// 10,000 status changes of existing pods, as a watch delivers them in a burst, then the
/// frame's preparation (summaries and the table's order), which is part of applying them.
fn apply_pod_updates(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply_10k_pod_updates");
    group.sample_size(20);
    for pods in [10_000, 100_000] {
        let state = state_with(pods, (200, 50));
        let source = SourceId::new(SourceKind::Kubernetes, "demo");
        let updates: Vec<Msg> = (0..10_000)
            .map(|i| {
                let mut pod = state
                    .estate
                    .pods
                    .get_index((i * 7) % pods)
                    .expect("pod")
                    .clone();
                pod.restarts += 1;
                pod.status = if i % 2 == 0 {
                    "CrashLoopBackOff".into()
                } else {
                    "Running".into()
                };
                Msg::Report(SourceReport {
                    source: source.clone(),
                    at: T0.plus(1),
                    report: Report::PodUpsert(pod),
                })
            })
            .collect();
        group.bench_function(format!("into_{pods}_pods"), |b| {
            b.iter_batched(
                || (state.clone(), updates.clone()),
                |(mut state, updates)| {
                    for msg in updates {
                        update(&mut state, msg);
                    }
                    prepare_frame(&mut state);
                    state
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// One keystroke in the `/` filter over 100,000 pods: narrowing ("work" → "worke") filters the
/// rows already shown; widening (a backspace) filters the whole sorted order again.
fn filter_keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter_keystroke_100k_pods");
    group.sample_size(30);
    let mut state = state_with(100_000, (200, 50));
    update(&mut state, key('/'));
    for ch in "work".chars() {
        update(&mut state, key(ch));
    }
    prepare_frame(&mut state);
    group.bench_function("narrowing", |b| {
        b.iter_batched(
            || state.clone(),
            |mut state| {
                update(&mut state, key('e'));
                prepare_frame(&mut state);
                state
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("widening_backspace", |b| {
        b.iter_batched(
            || state.clone(),
            |mut state| {
                update(
                    &mut state,
                    Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
                );
                prepare_frame(&mut state);
                state
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(
    benches,
    draw_pods_panel,
    apply_pod_updates,
    filter_keystroke
);
criterion_main!(benches);
