//! Criterion benchmark of judging a checklist: the morning checklist's automatic steps against
//! the estate, as the Checklist panel does once a second during a run (the pods check walks
//! every pod). At 300, 10,000 and 100,000 pods.
//!
//! Run: `cargo bench --bench checklist`. Report medians.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use opsdeck::checklist::checks::Facts;
use opsdeck::checklist::{Catalog, Run};

mod common;

use common::{T0, state_with};

fn judge(c: &mut Criterion) {
    let catalog = Catalog::load(None);
    let morning = catalog.get("morning").expect("shipped").clone();
    for pods in [300, 10_000, 100_000] {
        let state = state_with(pods, (160, 48));
        let mut run = Run::new(morning.clone(), T0);
        c.bench_function(&format!("judge morning, {pods} pods"), |b| {
            b.iter(|| {
                run.refresh(&Facts {
                    estate: black_box(&state.estate),
                    now: T0.plus(1),
                })
            })
        });
    }
}

criterion_group!(benches, judge);
criterion_main!(benches);
