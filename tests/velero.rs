//! Velero sets against `opsdeck sim` as a process: the adapter reads the schedule's Backup
//! objects as kubectl lists them, and "take a backup now" creates one that is followed until
//! it completes and then shows as the set's newest.

mod sim_process;

use std::time::Duration;

use opsdeck::actions::executor::Executor;
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::backups::{BackupExecutor, Backups, Verifications};
use opsdeck::config::{BackupConfig, BackupKind};
use opsdeck::domain::UnixTime;
use sim_process::Sim;
use tokio::sync::mpsc;

fn velero_set(name: &str, schedule: &str) -> BackupConfig {
    BackupConfig {
        name: name.into(),
        kind: BackupKind::Velero,
        path: None,
        pattern: "*".into(),
        command: None,
        rpo: Duration::from_secs(24 * 3600),
        retention: Duration::from_secs(14 * 86_400),
        take: None,
        restore_to: None,
        pg_restore: "pg_restore".into(),
        psql: "psql".into(),
        namespace: "velero".into(),
        schedule: Some(schedule.into()),
        interval: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn velero_backups_are_read_like_kubectl_and_a_new_one_completes() {
    let sim = Sim::start(&[]);
    let shared = Backups::new(
        vec![
            velero_set("cluster daily", "daily-cluster"),
            velero_set("no such schedule", "weekly-nothing"),
        ],
        Vec::new(),
        Some(sim.cluster()),
        Verifications::open(None),
    );
    let sets = shared.read_all().await;
    let daily = &sets[0];
    assert!(daily.problem.is_none(), "{:?}", daily.problem);
    assert_eq!(daily.items.len(), 14);
    assert!(daily.items.iter().all(|b| b.complete));
    let note = daily.items[0].note.clone().unwrap();
    assert!(note.starts_with("Completed, 0 errors, "), "{note}");
    assert!(daily.within_rpo(UnixTime::now()));
    // kubectl lists the same backups.
    let listed = tokio::task::block_in_place(|| {
        sim.ok(&[
            "get",
            "backups.velero.io",
            "-n",
            "velero",
            "-l",
            "velero.io/schedule-name=daily-cluster",
            "-o",
            "name",
        ])
    });
    let mut theirs: Vec<String> = listed
        .lines()
        .map(|l| l.rsplit('/').next().unwrap().to_string())
        .collect();
    let mut ours: Vec<String> = daily.items.iter().map(|b| b.name.clone()).collect();
    theirs.sort();
    ours.sort();
    assert_eq!(ours, theirs);
    // A schedule with no backups: nothing, so not within its RPO.
    assert!(sets[1].items.is_empty() && sets[1].problem.is_none());
    assert!(!sets[1].within_rpo(UnixTime::now()));

    // Take one now: created, followed through InProgress, then the set's newest.
    let executor = BackupExecutor {
        backups: shared.clone(),
    };
    let (progress, mut lines) = mpsc::channel(64);
    let action = Action {
        kind: ActionKind::TakeBackup,
        target: Target::BackupSet {
            name: "cluster daily".into(),
        },
        context: "backups".into(),
    };
    let result = executor
        .execute(&action, progress)
        .await
        .expect("completed");
    assert!(result.contains(": Completed, 0 errors"), "{result}");
    let mut seen = Vec::new();
    while let Ok(line) = lines.try_recv() {
        seen.push(line);
    }
    assert!(
        seen[0].starts_with("created velero backup daily-cluster-"),
        "{seen:?}"
    );
    assert!(seen.iter().any(|l| l.ends_with(": InProgress")), "{seen:?}");
    let name = seen[0].rsplit(' ').next().unwrap().to_string();
    let after = shared.read_all().await;
    assert_eq!(after[0].items.len(), 15);
    assert_eq!(after[0].latest().unwrap().name, name);
    let phase = tokio::task::block_in_place(|| {
        sim.ok(&[
            "get",
            "backups.velero.io",
            &name,
            "-n",
            "velero",
            "-o",
            "jsonpath={.status.phase}",
        ])
    });
    assert_eq!(phase, "Completed");
}
