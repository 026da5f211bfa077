//! Behaviour of the simulated world as a whole: determinism, the demo's story, and churn.
use crate::config::DemoConfig;
use crate::domain::{Estate, Level, SourceKind, UnixTime};
use crate::sim::World;

const T0: UnixTime = UnixTime(1_790_000_000);

fn estate_after(seed: u64, steps: i64) -> Estate {
    let config = DemoConfig {
        seed,
        pods: 300,
        ..DemoConfig::default()
    };
    let mut world = World::generate(&config, 2, T0);
    let mut estate = Estate::default();
    for r in world.initial_reports() {
        estate.apply(r);
    }
    for i in 1..=steps {
        for r in world.step(T0.plus(i)) {
            estate.apply(r);
        }
    }
    estate
}

fn fingerprint(e: &Estate) -> Vec<String> {
    let mut pods: Vec<String> = e
        .pods
        .iter()
        .map(|p| {
            format!(
                "{}/{} {} {}",
                p.key.namespace, p.key.name, p.status, p.restarts
            )
        })
        .collect();
    pods.sort();
    pods
}

#[test]
fn same_seed_same_estate_and_churn() {
    assert_eq!(
        fingerprint(&estate_after(7, 30)),
        fingerprint(&estate_after(7, 30))
    );
    assert_ne!(
        fingerprint(&estate_after(7, 30)),
        fingerprint(&estate_after(8, 30))
    );
}

#[test]
fn the_demo_estate_tells_its_story() {
    let e = estate_after(42, 0);
    assert_eq!(e.pods.len(), 300 + super::daemonsets::NODE_PODS);
    let statuses: Vec<&str> = e.pods.iter().map(|p| &*p.status).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == "CrashLoopBackOff")
            .count(),
        1
    );
    assert_eq!(statuses.iter().filter(|s| **s == "Pending").count(), 1);
    let rolling: Vec<_> = e
        .workloads
        .iter()
        .filter(|w| w.rollout_in_progress())
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(rolling, ["pos-order"]);
    for ns in ["pos", "workflow", "agents", "data"] {
        assert!(e.namespaces.iter().any(|n| n.name == *ns), "{ns}");
    }
    assert_eq!(e.postgres.len(), 2);
    let longest = e.postgres[0]
        .sessions
        .iter()
        .filter_map(|s| s.running_secs(T0))
        .max()
        .unwrap();
    assert!(longest > 300, "one long-running query, got {longest}s");
    assert_eq!(e.redis[0].level(), Level::Warn, "Redis near its limit");
    let stale: Vec<_> = e
        .backups
        .iter()
        .filter(|b| !b.within_rpo(T0))
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(stale, ["positivity nightly"]);
    assert!(
        e.alerts
            .iter()
            .any(|a| a.severity == crate::domain::Severity::Critical)
    );
    assert!(e.sources.keys().any(|s| s.kind == SourceKind::Postgres));
}

#[test]
fn churn_restarts_pods_fires_and_resolves_alerts_and_finishes_the_rollout() {
    let start = estate_after(42, 0);
    let later = estate_after(42, 200);
    let restarts = |e: &Estate| e.pods.iter().map(|p| u64::from(p.restarts)).sum::<u64>();
    assert!(restarts(&later) > restarts(&start));
    // cache-warmup's Jobs add pods of their own as it fires (every 5 minutes of the clock).
    let workload_pods = |e: &Estate| {
        e.pods
            .iter()
            .filter(|p| !p.owner.as_deref().is_some_and(|o| o.starts_with("Job/")))
            .count()
    };
    assert_eq!(
        workload_pods(&later),
        300 + super::daemonsets::NODE_PODS,
        "rollout replaces pods one for one"
    );
    let alert_names = |e: &Estate| e.alerts.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
    let mut seen = std::collections::BTreeSet::new();
    let config = DemoConfig::default();
    let mut world = World::generate(&config, 2, T0);
    let mut estate = Estate::default();
    for r in world.initial_reports() {
        estate.apply(r);
    }
    let mut counts = std::collections::BTreeSet::new();
    for i in 1..=200 {
        for r in world.step(T0.plus(i)) {
            estate.apply(r);
        }
        counts.insert(estate.alerts.len());
        seen.extend(alert_names(&estate));
    }
    assert!(
        counts.len() > 1,
        "alerts fire and resolve: counts seen {counts:?}"
    );
    let pos_order = later
        .workloads
        .iter()
        .find(|w| w.name == "pos-order")
        .unwrap();
    assert!(
        !pos_order.rollout_in_progress()
            || pos_order.revision
                > start
                    .workloads
                    .iter()
                    .find(|w| w.name == "pos-order")
                    .unwrap()
                    .revision
    );
}

#[test]
fn a_hundred_thousand_pods_have_a_hundred_thousand_names() {
    let config = DemoConfig {
        pods: 100_000,
        ..DemoConfig::default()
    };
    let world = World::generate(&config, 1, UnixTime(1_800_000_000));
    assert_eq!(
        world.pods.len(),
        100_000 + super::daemonsets::NODE_PODS,
        "no suffix collision lost a pod"
    );
}

/// Restarts happen in the few pods with a reason, not in every pod in turn: after 20 minutes of
/// churn the Overview's "restarted <1h" is still a handful (it was 296 of 300 pods), and the
/// healthy workloads' pods have not restarted at all.
#[test]
fn restarts_concentrate_in_the_pods_that_have_a_reason() {
    let e = estate_after(42, 20 * 60);
    let now = T0.plus(20 * 60);
    let recent: Vec<String> = e
        .pods
        .iter()
        .filter(|p| p.last_restart.is_some_and(|t| t.age_at(now) < 3600))
        .map(|p| format!("{}/{}", p.key.namespace, p.key.name))
        .collect();
    assert!(
        (1..=8).contains(&recent.len()),
        "{} pods restarted within the hour: {recent:?}",
        recent.len()
    );
    let healthy = ["pos-payment", "core-agent", "workflow-orchestrator"];
    assert!(
        recent
            .iter()
            .all(|p| !healthy.iter().any(|h| p.contains(&format!("/{h}-")))),
        "{recent:?}"
    );
}

/// The demo's alerts about what the world shows follow it, as a Prometheus rule would: the
/// crash-loop alert resolves when no pod crash-loops, BackupTooOld when a fresh backup is
/// there, the long-query alert fires while the long query runs (it flapped on a timer, "resolved
/// 11s ago" beside a query running for 12 min). And no pod restarted before it was created.
#[test]
fn alerts_about_the_world_follow_it_and_restarts_come_after_creation() {
    let config = DemoConfig {
        seed: 42,
        pods: 300,
        ..DemoConfig::default()
    };
    let mut world = World::generate(&config, 2, T0);
    let names =
        |w: &World| -> Vec<String> { w.firing_alerts().iter().map(|a| a.name.clone()).collect() };
    let firing = names(&world);
    for name in [
        "KubePodCrashLooping",
        "BackupTooOld",
        "PostgresLongRunningQuery",
    ] {
        assert!(
            firing.iter().any(|n| n == name),
            "{name} fires at the start: {firing:?}"
        );
    }
    for i in 1..=240 {
        world.step(T0.plus(i));
        assert!(
            names(&world)
                .iter()
                .any(|n| n == "PostgresLongRunningQuery"),
            "the long query still runs at {i} s"
        );
    }
    for pod in world.pods.values() {
        if let Some(t) = pod.last_restart {
            assert!(
                t >= pod.created,
                "{} restarted before it was created",
                pod.key.name
            );
        }
    }
    // Fix what the alerts are about: they resolve.
    let now = T0.plus(241);
    world
        .pods
        .retain(|_, p| !(p.is_crash_looping() || &*p.status == "Error"));
    for set in &mut world.backups {
        for item in &mut set.items {
            item.created = now;
        }
    }
    world.step(now);
    let firing = names(&world);
    assert!(
        !firing.iter().any(|n| n == "KubePodCrashLooping"),
        "{firing:?}"
    );
    assert!(!firing.iter().any(|n| n == "BackupTooOld"), "{firing:?}");
}
