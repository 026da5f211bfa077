//! Cancel and terminate through the cockpit itself: the real binary in a pseudo-terminal,
//! configured with a real PostgreSQL, keys pressed on the Databases panel; the target's query
//! really ends, the other sessions do not.

mod pty;
mod servers;

use std::time::Duration;

use pty::{Cockpit, ENTER, TAB};
use servers::{ADAPTER_PASSWORD, ADAPTER_USER, APP_PASSWORD, APP_USER, Postgres};
use tokio_postgres::NoTls;

#[tokio::test(flavor = "multi_thread")]
async fn cancel_and_terminate_from_the_databases_panel() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("cockpit");
    let connect = |app: &'static str| {
        let dsn = format!(
            "{} application_name={app}",
            pg.dsn(APP_USER, APP_PASSWORD, &db)
        );
        async move {
            let (client, connection) = tokio_postgres::connect(&dsn, NoTls).await.expect("connect");
            tokio::spawn(connection);
            client
        }
    };
    let victim = connect("victim-app").await;
    let doomed = connect("doomed-app").await;
    let bystander = connect("bystander-app").await;
    let doomed_pid: i32 = doomed
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let victim_query =
        tokio::spawn(async move { victim.simple_query("SELECT pg_sleep(60) AS victim").await });
    let doomed_query =
        tokio::spawn(async move { doomed.simple_query("SELECT pg_sleep(61) AS doomed").await });

    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("opsdeck.toml");
    let dsn = pg.dsn(ADAPTER_USER, ADAPTER_PASSWORD, &db);
    std::fs::write(
        &config,
        format!("refresh = \"500ms\"\n[[postgres]]\nname = \"real-db\"\ndsn = \"{dsn}\"\n"),
    )
    .unwrap();

    let config_path = config.to_str().unwrap().to_string();
    let mut c = tokio::task::spawn_blocking(move || {
        let mut c = Cockpit::start(
            160,
            40,
            &["--config", &config_path, "--operator", "dba@test"],
        );
        c.keys(&["5"]);
        c.wait_for("real-db");
        c.keys(&["/"]);
        c.type_text("victim-app");
        c.keys(&[ENTER]);
        c.wait_for("pg_sleep(60) AS victim");
        c.keys(&["x"]);
        c.wait_for("Cancel query of pid");
        c.wait_for("permitted");
        c.keys(&[TAB, ENTER]);
        c.wait_for("returned true");
        c
    })
    .await
    .unwrap();

    let err = victim_query.await.unwrap().expect_err("cancelled");
    assert!(
        err.as_db_error()
            .is_some_and(|e| e.message().contains("canceling statement")),
        "{err:?}"
    );
    assert!(
        !doomed_query.is_finished(),
        "the other session's query still runs"
    );

    let c2 = tokio::task::spawn_blocking(move || {
        c.keys(&["\x1b"]);
        std::thread::sleep(Duration::from_millis(200));
        c.keys(&["/"]);
        c.type_text("doomed-app");
        c.keys(&[ENTER]);
        c.wait_for("pg_sleep(61) AS doomed");
        c.keys(&["X"]);
        c.wait_for("Terminate backend pid");
        c.wait_for("permitted");
        // High risk: the pid must be typed, in the field the focus starts on; Enter goes to
        // Confirm, Enter presses it.
        c.type_text(&doomed_pid.to_string());
        c.wait_for("✔ ready");
        c.keys(&[ENTER, ENTER]);
        c.wait_for(&format!("pg_terminate_backend({doomed_pid}) returned true"));
        c.keys(&["q"]);
        assert_eq!(c.exit_code(), 0);
        c
    })
    .await
    .unwrap();

    let err = doomed_query.await.unwrap().expect_err("terminated");
    assert!(
        err.as_db_error()
            .is_some_and(|e| e.message().contains("terminating connection"))
            || err.is_closed(),
        "{err:?}"
    );
    assert_eq!(
        bystander
            .query_one("SELECT 7", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        7,
        "the bystander is untouched"
    );
    let audit = std::fs::read_to_string(c2.audit_file()).unwrap();
    assert_eq!(
        audit.lines().count(),
        4,
        "intent and outcome of both actions:\n{audit}"
    );
    assert!(
        !audit.contains(ADAPTER_PASSWORD),
        "no password in the audit log"
    );
    assert!(audit.contains("\"operator\":\"dba@test\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn take_verify_and_test_restore_a_backup_from_the_backups_panel() {
    let Some(pg) = Postgres::shared() else { return };
    let db = pg.database("cockpit_backups");
    pg.psql(
        &["-d", &db],
        "CREATE TABLE items (id int); INSERT INTO items SELECT generate_series(1, 321);
         ALTER TABLE items OWNER TO app;",
    );
    let home = tempfile::tempdir().unwrap();
    let dumps = home.path().join("dumps");
    std::fs::create_dir_all(&dumps).unwrap();
    let bin = servers::PG_BIN;
    let source = pg.dsn(APP_USER, APP_PASSWORD, &db);
    let server = pg.dsn(APP_USER, APP_PASSWORD, "postgres");
    let config = home.path().join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "refresh = \"500ms\"\n\
             [[postgres]]\nname = \"real-db\"\ndsn = \"{server}\"\n\
             [[backups]]\nname = \"cockpit nightly\"\nkind = \"directory\"\npath = \"{dir}\"\n\
             pattern = \"backup_*.dump\"\nrpo = \"1h\"\nrestore_to = \"real-db\"\n\
             pg_restore = \"{bin}/pg_restore\"\n\
             take = \"{bin}/pg_dump -F c -f {dir}/backup_$(date -u +%Y%m%d_%H%M%S).dump -d '{source}'\"\n",
            dir = dumps.display(),
        ),
    )
    .unwrap();
    let config_path = config.to_str().unwrap().to_string();
    let c = tokio::task::spawn_blocking(move || {
        let mut c = Cockpit::start(
            160,
            40,
            &["--config", &config_path, "--operator", "dba@test"],
        );
        c.keys(&["6"]);
        c.wait_for("cockpit nightly");
        c.wait_for("none");
        c.keys(&["b"]);
        c.wait_for("Take backup of");
        c.wait_for("permitted");
        c.keys(&[TAB, ENTER]);
        c.wait_for_within("new backup backup_", Duration::from_secs(40));
        // Fresh now: its age in minutes or seconds, no longer "none".
        c.wait_for_absence("none");
        c.keys(&["v"]);
        c.wait_for("Verify backup of");
        c.wait_for("permitted");
        c.keys(&[TAB, ENTER]);
        c.wait_for_within("✔ ok", Duration::from_secs(40));
        // The verification shows in the row before the action reports its end: an action
        // still running on the set would hold back the next one.
        c.wait_for("readable");
        c.keys(&["T"]);
        c.wait_for("Test-restore backup of");
        c.wait_for("permitted");
        c.keys(&[TAB, ENTER]);
        c.wait_for_within(
            "Test-restore backup of \"cockpit nightly\": backup_",
            Duration::from_secs(40),
        );
        c.keys(&["q"]);
        assert_eq!(c.exit_code(), 0);
        c
    })
    .await
    .unwrap();
    let audit = std::fs::read_to_string(c.audit_file()).unwrap();
    assert_eq!(
        audit.lines().count(),
        6,
        "intent and outcome of three actions:\n{audit}"
    );
    assert!(audit.contains("every block readable"), "{audit}");
    assert!(audit.contains("1 table, 321 rows"), "{audit}");
    assert!(
        !audit.contains(APP_PASSWORD),
        "no password in the audit log"
    );
    let left = pg.psql_as_superuser(
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'opsdeck\\_restore\\_%'",
    );
    assert_eq!(left.trim(), "0");
}
