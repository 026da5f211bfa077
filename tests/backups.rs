//! Backup sets against a real PostgreSQL 15 and the real `pg_dump`, `pg_restore` and `psql`:
//! a backup taken through opsdeck shows as fresh, verifies, and test-restores into a scratch
//! database with the source's counts, which is then gone; a corrupted copy fails verification
//! with the reason; an old set is stale; a missing directory and a command printing garbage
//! each show their problem on their own set only.

mod servers;

use std::path::Path;
use std::time::Duration;

use opsdeck::actions::executor::{Executor, Permission};
use opsdeck::actions::{Action, ActionKind, Target};
use opsdeck::adapters::backups::{self, BackupExecutor, Backups, Verifications};
use opsdeck::config::{BackupConfig, BackupKind, PostgresConfig};
use opsdeck::domain::{BackupSet, Level, Report, UnixTime};
use servers::{APP_PASSWORD, APP_USER, PG_BIN, Postgres};
use tokio::sync::mpsc;

fn set(name: &str, dir: &Path, pattern: &str) -> BackupConfig {
    BackupConfig {
        name: name.into(),
        kind: BackupKind::Directory,
        path: Some(dir.to_path_buf()),
        pattern: pattern.into(),
        command: None,
        rpo: Duration::from_secs(3600),
        retention: Duration::from_secs(7 * 86_400),
        take: None,
        restore_to: Some("pg".into()),
        pg_restore: format!("{PG_BIN}/pg_restore"),
        psql: format!("{PG_BIN}/psql"),
        namespace: "velero".into(),
        schedule: None,
        interval: None,
    }
}

fn on(name: &str, kind: ActionKind) -> Action {
    Action {
        kind,
        target: Target::BackupSet { name: name.into() },
        context: "backups".into(),
    }
}

async fn run(executor: &BackupExecutor, name: &str, kind: ActionKind) -> Result<String, String> {
    run_seen(executor, name, kind).await.0
}

/// The action's result and its progress lines.
async fn run_seen(
    executor: &BackupExecutor,
    name: &str,
    kind: ActionKind,
) -> (Result<String, String>, Vec<String>) {
    let (progress, mut lines) = mpsc::channel(256);
    let drain = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(line) = lines.recv().await {
            seen.push(line);
        }
        seen
    });
    let result = executor
        .execute(&on(name, kind.clone()), progress)
        .await
        .map_err(|e| e.to_string());
    let seen = drain.await.unwrap();
    println!("{kind:?} {name}: progress {seen:?} -> {result:?}");
    (result, seen)
}

fn find<'a>(sets: &'a [BackupSet], name: &str) -> &'a BackupSet {
    sets.iter().find(|s| s.name == name).expect("the set")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn take_verify_test_restore_corrupt_stale_and_broken_sets() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("backup_source");
    pg.psql(
        &["-d", &db],
        "CREATE TABLE customers (id int primary key, name text);
         INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 200) g;
         CREATE TABLE orders (id int primary key, customer int references customers, total numeric);
         INSERT INTO orders SELECT g, 1 + g % 200, g * 1.5 FROM generate_series(1, 1000) g;
         ALTER TABLE customers OWNER TO app; ALTER TABLE orders OWNER TO app;",
    );
    let work = tempfile::tempdir().unwrap();
    let fresh = work.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    let source_dsn = pg.dsn(APP_USER, APP_PASSWORD, &db);
    let mut nightly = set("nightly", &fresh, "backup_*.dump");
    nightly.take = Some(format!(
        "echo dumping; {PG_BIN}/pg_dump -F c -f {}/backup_$(date -u +%Y%m%d_%H%M%S).dump -d '{source_dsn}' && echo done",
        fresh.display()
    ));
    // A gzipped copy cut in half, an old set, a missing folder, a command printing garbage.
    let corrupt = work.path().join("corrupt");
    let stale = work.path().join("stale");
    std::fs::create_dir_all(&corrupt).unwrap();
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("backup_20200101_0300.dump"), b"PGDMP old").unwrap();
    let mut garbage = set("garbage", work.path(), "*");
    garbage.kind = BackupKind::Command;
    garbage.path = None;
    garbage.command = Some("echo 'pgbackrest: not JSON at all'".into());
    let sets = vec![
        nightly,
        set("corrupt", &corrupt, "*.dump.gz"),
        set("stale", &stale, "backup_*.dump"),
        set("missing", &work.path().join("nope"), "*.dump"),
        garbage,
    ];
    let server = PostgresConfig {
        name: "pg".into(),
        dsn: pg.dsn(APP_USER, APP_PASSWORD, "postgres"),
        statement_timeout: Duration::from_secs(5),
    };
    let store = work.path().join("state").join("verifications.json");
    let shared = Backups::new(
        sets,
        vec![server],
        None,
        Verifications::open(Some(store.clone())),
    );
    let executor = BackupExecutor {
        backups: shared.clone(),
    };
    let (reports, mut rx) = mpsc::channel(64);
    backups::spawn(shared.clone(), Duration::from_secs(3600), reports);

    // First look: nothing in the folder yet; the broken sets say why, on their own.
    let first = match rx.recv().await.unwrap().report {
        Report::Backups(sets) => sets,
        other => panic!("{other:?}"),
    };
    assert!(find(&first, "nightly").items.is_empty());
    assert!(find(&first, "nightly").problem.is_none());
    let missing = find(&first, "missing").problem.clone().unwrap();
    assert!(missing.ends_with("nope does not exist"), "{missing}");
    let garbage = find(&first, "garbage").problem.clone().unwrap();
    assert!(
        garbage.contains("printed something that is not JSON"),
        "{garbage}"
    );
    let now = UnixTime::now();
    let stale_set = find(&first, "stale");
    assert!(!stale_set.within_rpo(now));
    assert_eq!(stale_set.level(now), Level::Crit, "older than its RPO");

    // Take a backup: the command's output is the progress, the new file shows, fresh.
    let taken = run(&executor, "nightly", ActionKind::TakeBackup)
        .await
        .unwrap();
    assert!(taken.starts_with("new backup backup_"), "{taken}");
    let after = loop {
        let report = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a rescan after the backup")
            .unwrap();
        if let Report::Backups(sets) = report.report
            && !find(&sets, "nightly").items.is_empty()
        {
            break sets;
        }
    };
    let nightly = find(&after, "nightly");
    assert_eq!(nightly.items.len(), 1);
    assert!(nightly.within_rpo(UnixTime::now()), "fresh");
    assert!(nightly.items[0].size_bytes > Some(1000));

    // Verify: the table of contents of a custom-format dump.
    let verified = run(&executor, "nightly", ActionKind::VerifyBackup)
        .await
        .unwrap();
    assert!(verified.contains("custom-format dump"), "{verified}");
    assert!(verified.contains("2 tables with data"), "{verified}");
    let stored = shared.read_all().await;
    let v = find(&stored, "nightly").verification.clone().unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(find(&stored, "nightly").level(UnixTime::now()), Level::Ok);

    // Test-restore: the source's tables and rows, then the scratch database is gone.
    let restored = run(&executor, "nightly", ActionKind::TestRestore)
        .await
        .unwrap();
    assert!(restored.contains("2 tables, 1200 rows"), "{restored}");
    assert!(restored.contains("public.orders 1000"), "{restored}");
    let left = pg.psql_as_superuser(
        // This set's only: another test's test-restore may be running meanwhile.
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'opsdeck\\_restore\\_nightly\\_%'",
    );
    assert_eq!(left.trim(), "0", "the scratch database is dropped");
    let source_rows = pg.psql(&["-d", &db], "SELECT count(*) FROM orders");
    assert_eq!(source_rows.trim(), "1000", "the source is untouched");

    // A corrupted copy: verification fails with the reason, and the set shows it.
    let dump = std::fs::read(fresh.read_dir().unwrap().next().unwrap().unwrap().path()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &dump).unwrap();
    let mut gz = gz.finish().unwrap();
    gz.truncate(gz.len() / 2);
    std::fs::write(corrupt.join("backup_20261122_0300.dump.gz"), gz).unwrap();
    let failed = run(&executor, "corrupt", ActionKind::VerifyBackup)
        .await
        .unwrap_err();
    assert!(
        failed.contains("backup_20261122_0300.dump.gz: gzip: "),
        "{failed}"
    );
    let stored = shared.read_all().await;
    let corrupt_set = find(&stored, "corrupt");
    assert!(!corrupt_set.verification.as_ref().unwrap().ok);
    assert_eq!(corrupt_set.level(UnixTime::now()), Level::Crit);
    // A custom dump cut short: pg_restore says so.
    std::fs::write(corrupt.join("backup_20261123_0300.dump.gz"), {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &dump[..dump.len() / 3]).unwrap();
        gz.finish().unwrap()
    })
    .unwrap();
    let cut = run(&executor, "corrupt", ActionKind::VerifyBackup)
        .await
        .unwrap_err();
    assert!(cut.contains("pg_restore"), "{cut}");

    // What cannot be done is refused before it starts, with the reason.
    let refused = executor
        .permitted(&on("stale", ActionKind::TakeBackup))
        .await;
    assert!(
        matches!(&refused, Permission::Denied(why) if why.contains("no `take` command")),
        "{refused:?}"
    );
    // The results outlive the cockpit.
    let reopened = Verifications::open(Some(store));
    assert!(reopened.get("nightly").unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_backup_is_unverified_until_verified_and_a_restore_names_its_server() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("newest_source");
    pg.psql(
        &["-d", &db],
        "CREATE TABLE items (id int primary key); INSERT INTO items SELECT generate_series(1, 50);
         ALTER TABLE items OWNER TO app;",
    );
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("newest");
    std::fs::create_dir_all(&dir).unwrap();
    let source_dsn = pg.dsn(APP_USER, APP_PASSWORD, &db);
    // An old dump, verified; then a new one taken. (Its own set name: the other test's
    // scratch database of the same second must not collide with this one's.)
    let old = "backup_20200101_030000.dump";
    let dumped = std::process::Command::new(format!("{PG_BIN}/pg_dump"))
        .args(["-F", "c", "-f"])
        .arg(dir.join(old))
        .args(["-d", &source_dsn])
        .status()
        .unwrap();
    assert!(dumped.success());
    let mut newest_set = set("newest", &dir, "backup_*.dump");
    newest_set.take = Some(format!(
        "{PG_BIN}/pg_dump -F c -f {}/backup_$(date -u +%Y%m%d_%H%M%S).dump -d '{source_dsn}'",
        dir.display()
    ));
    let server = PostgresConfig {
        name: "pg".into(),
        dsn: pg.dsn(APP_USER, APP_PASSWORD, "postgres"),
        statement_timeout: Duration::from_secs(5),
    };
    let shared = Backups::new(
        vec![newest_set],
        vec![server],
        None,
        Verifications::open(None),
    );
    let executor = BackupExecutor {
        backups: shared.clone(),
    };
    let verified = run(&executor, "newest", ActionKind::VerifyBackup)
        .await
        .unwrap();
    assert!(verified.starts_with(old), "{verified}");

    let taken = run(&executor, "newest", ActionKind::TakeBackup)
        .await
        .unwrap();
    let sets = shared.read_all().await;
    let nightly = find(&sets, "newest");
    let newest = nightly.latest().unwrap().name.clone();
    assert_ne!(newest, old, "{taken}");
    let now = UnixTime::now();
    assert!(nightly.within_rpo(now));
    // The verification on record is of yesterday's file: the new one is not verified.
    assert_eq!(nightly.level(now), Level::Warn, "{nightly:?}");

    let verified = run(&executor, "newest", ActionKind::VerifyBackup)
        .await
        .unwrap();
    assert!(verified.starts_with(&newest), "{verified}");
    let sets = shared.read_all().await;
    assert_eq!(find(&sets, "newest").level(UnixTime::now()), Level::Ok);

    // The test-restore says where it restores: the scratch database and its server.
    let (restored, progress) = run_seen(&executor, "newest", ActionKind::TestRestore).await;
    let restored = restored.unwrap();
    assert!(restored.contains("on pg"), "{restored}");
    assert!(
        progress
            .iter()
            .any(|l| l.starts_with("creating opsdeck_restore_newest_") && l.ends_with(" on pg")),
        "{progress:?}"
    );
    let left = pg.psql_as_superuser(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'opsdeck\\_restore\\_newest\\_%'",
    );
    assert_eq!(left.trim(), "0", "the scratch database is dropped");
}
