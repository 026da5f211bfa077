//! A checklist's queries against real servers: a SQL step's single value on PostgreSQL (in a
//! read-only session: a statement that writes fails and changes nothing) and a PromQL step on
//! Prometheus, run headless by the binary with a config naming both.

mod servers;

use std::process::Command;

use servers::{APP_PASSWORD, APP_USER, Postgres, Prometheus};

#[test]
fn sql_and_promql_steps_are_judged_on_the_servers_answers() {
    let Some(pg) = Postgres::shared() else { return };
    let Some(prometheus) = Prometheus::start() else {
        return;
    };
    let db = pg.database("checklist_probes");
    pg.psql(
        &["-d", &db],
        "CREATE TABLE workflow_states (id serial, current_state text, created_at timestamptz DEFAULT now());\
         INSERT INTO workflow_states (current_state) SELECT 'failed' FROM generate_series(1, 3);\
         INSERT INTO workflow_states (current_state) SELECT 'success' FROM generate_series(1, 40);\
         GRANT ALL ON workflow_states TO app;",
    );
    let home = tempfile::tempdir().unwrap();
    let etc = home.path().join("etc");
    std::fs::create_dir_all(etc.join("checklists")).unwrap();
    std::fs::write(
        etc.join("opsdeck.toml"),
        format!(
            "[[postgres]]\nname = \"workflow-db\"\ndsn = \"{}\"\n\n[prometheus]\nurl = \"{}\"\n",
            pg.dsn(APP_USER, APP_PASSWORD, &db),
            prometheus.url()
        ),
    )
    .unwrap();
    let failed = "SELECT count(*) FROM workflow_states WHERE current_state = 'failed' \
                  AND created_at >= CURRENT_DATE - INTERVAL '1 day'";
    std::fs::write(
        etc.join("checklists/queries.toml"),
        format!(
            "title = \"Queries\"\n\
             [[steps]]\ntitle = \"Few failed workflows\"\ncheck = \"sql\"\npostgres = \"workflow-db\"\nquery = \"{failed}\"\nmax = 10\n\
             [[steps]]\ntitle = \"No failed workflows\"\ncheck = \"sql\"\npostgres = \"workflow-db\"\nquery = \"{failed}\"\nmax = 2\n\
             [[steps]]\ntitle = \"Read only\"\ncheck = \"sql\"\npostgres = \"workflow-db\"\nquery = \"DELETE FROM workflow_states RETURNING 1\"\nmax = 0\n\
             [[steps]]\ntitle = \"Success rate\"\ncheck = \"promql\"\nquery = \"vector(0.97)\"\nmin = 0.95\n\
             [[steps]]\ntitle = \"Nothing scraped\"\ncheck = \"promql\"\nquery = \"up{{job=\\\"nonexistent\\\"}}\"\nmax = 1\n\
             [[steps]]\ntitle = \"Bad PromQL\"\ncheck = \"promql\"\nquery = \"sum(\"\nmax = 1\n"
        ),
    )
    .unwrap();
    let report = home.path().join("r.json");
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["checklist", "run", "queries", "--config"])
        .arg(etc.join("opsdeck.toml"))
        .arg("--report")
        .arg(&report)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let step = |i: usize| {
        let s = &record["steps"][i];
        (
            s["status"].as_str().unwrap().to_string(),
            s["evidence"][0].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(step(0), ("pass".into(), "value = 3, at most 10".into()));
    assert_eq!(
        step(1),
        ("fail".into(), "value = 3, at most 2 allowed".into())
    );
    let (status, evidence) = step(2);
    assert_eq!(status, "fail");
    assert!(
        evidence.contains("cannot execute DELETE in a read-only transaction"),
        "{evidence}"
    );
    assert_eq!(
        pg.psql(&["-d", &db], "SELECT count(*) FROM workflow_states"),
        "43",
        "nothing was deleted"
    );
    assert_eq!(
        step(3),
        ("pass".into(), "value = 0.97, at least 0.95".into())
    );
    assert_eq!(
        step(4),
        ("fail".into(), "the query returned no value".into())
    );
    let (status, evidence) = step(5);
    assert_eq!(status, "fail");
    assert!(evidence.starts_with("the query failed: "), "{evidence}");
    assert!(!stdout.contains(APP_PASSWORD), "no password in the summary");
    assert!(
        !std::fs::read_to_string(&report)
            .unwrap()
            .contains(APP_PASSWORD)
    );
}
