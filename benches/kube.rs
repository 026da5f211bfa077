//! Criterion benchmark of the kube adapter's first sight of a large cluster: from spawning
//! the adapter to the complete pod list (every page listed, converted, usage from
//! metrics.k8s.io joined), against the simulator's Kubernetes API on loopback.
//!
//! Run: `cargo bench --bench kube`. The figure for the whole cockpit (to a drawn, populated
//! Pods panel) and its memory come from the real binary; see the README.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use opsdeck::adapters::kube;
use opsdeck::config::{DemoConfig, KubernetesConfig};
use opsdeck::domain::{Report, UnixTime};
use opsdeck::sim::{self, World};
use tokio::sync::mpsc;

fn start_to_pod_list(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("kube adapter: start to full pod list");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    {
        let pods = 10_000usize;
        let demo = DemoConfig {
            pods,
            freeze: true,
            ..DemoConfig::default()
        };
        let addr = runtime.block_on(async {
            let world = World::generate(&demo, 2, UnixTime::now());
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move { while rx.recv().await.is_some() {} });
            let policy = sim::kubeapi::Policy::default();
            let journal = sim::kubeapi::JOURNAL_DEFAULT;
            sim::serve::spawn(world, demo, ([127, 0, 0, 1], 0).into(), policy, journal, tx)
                .map_err(|(_, e)| e)
                .expect("serve the simulator")
                .addr
        });
        group.bench_function(format!("{pods} pods"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let cluster = KubernetesConfig {
                        server_url: Some(format!("http://{addr}")),
                        ..KubernetesConfig::default()
                    };
                    let (tx, mut rx) = mpsc::channel(100_000);
                    let _executor =
                        kube::spawn(cluster, "bench".into(), Duration::from_secs(5), tx);
                    loop {
                        let report = rx.recv().await.expect("the adapter runs").report;
                        // The pods listed so far come first, while the list goes on.
                        if let Report::PodsReset(listed) = report
                            && listed.len() == pods
                        {
                            break;
                        }
                    }
                    // Dropping the receiver ends the adapter at its next report.
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, start_to_pod_list);
criterion_main!(benches);
