//! The simulator's CronJobs and Jobs as kubectl reads and changes them: `kubectl get
//! cronjobs` / `get jobs` with the API server's columns (report-export's last Job Failed),
//! `kubectl create job --from=cronjob/NAME` making a Job whose pod runs and completes (its log
//! read by `kubectl logs job/NAME`), `kubectl patch cronjob` suspending one, `kubectl delete
//! job` taking its pods; and the executor's run now, suspend and delete against one simulator,
//! their end state compared with kubectl's on a second started with the same seed.

use std::time::{Duration, Instant};

use serde_json::Value;
use sim_process::Sim;

mod sim_process;

/// Waits for `check` to hold, polling kubectl, or fails with what it last saw.
fn wait_for(what: &str, within: Duration, mut check: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + within;
    loop {
        match check() {
            Ok(()) => return,
            Err(seen) if Instant::now() > deadline => panic!("{what}: {seen}"),
            Err(_) => std::thread::sleep(Duration::from_millis(250)),
        }
    }
}

/// The words of each row of a `kubectl get` table, the header first.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn job_status(sim: &Sim, ns: &str, name: &str) -> String {
    let text = sim.ok(&["get", "jobs", "-n", ns, name, "--no-headers"]);
    rows(&text)
        .first()
        .and_then(|r| r.get(1).cloned())
        .unwrap_or_default()
}

#[test]
fn kubectl_gets_runs_suspends_and_deletes_the_simulators_jobs() {
    let sim = Sim::start(&[]);
    let text = sim.ok(&["get", "cronjobs", "-A"]);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "NAME",
            "SCHEDULE",
            "TIMEZONE",
            "SUSPEND",
            "ACTIVE",
            "LAST",
            "SCHEDULE",
            "AGE"
        ],
        "{text}"
    );
    assert_eq!(lines.len(), 4, "three CronJobs: {text}");
    let warmup = lines
        .iter()
        .find(|l| l.contains("cache-warmup"))
        .expect("cache-warmup");
    assert!(
        warmup.contains("*/5 * * * *") && warmup.contains("False"),
        "{warmup}"
    );
    let cj = sim.json(&["get", "cronjob", "-n", "data", "db-backup"]);
    assert_eq!(cj["spec"]["schedule"], "0 2 * * *");
    assert!(cj["status"]["lastSuccessfulTime"].is_string(), "{cj}");

    // The failed Job: its backoff limit reached, three attempts failed.
    let jobs = sim.ok(&["get", "jobs", "-n", "data"]);
    let table = rows(&jobs);
    assert_eq!(
        table[0],
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
        "{jobs}"
    );
    let failed: Vec<&Vec<String>> = table.iter().filter(|r| r[1] == "Failed").collect();
    assert_eq!(failed.len(), 1, "{jobs}");
    assert!(failed[0][0].starts_with("report-export-"), "{jobs}");
    assert_eq!(failed[0][2], "0/1");
    let job = sim.json(&["get", "job", "-n", "data", &failed[0][0]]);
    assert_eq!(job["status"]["failed"], 3);
    assert_eq!(
        job["status"]["conditions"][0]["reason"],
        "BackoffLimitExceeded"
    );

    // Run now, as kubectl does it: a Job from the template, owned by the CronJob.
    let out = sim.ok(&[
        "create",
        "job",
        "warm-now",
        "--from=cronjob/cache-warmup",
        "-n",
        "pos",
    ]);
    assert!(out.contains("job.batch/warm-now created"), "{out}");
    let job = sim.json(&["get", "job", "-n", "pos", "warm-now"]);
    assert_eq!(
        job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"],
        "manual"
    );
    let owner = &job["metadata"]["ownerReferences"][0];
    assert_eq!(
        (owner["kind"].as_str(), owner["name"].as_str()),
        (Some("CronJob"), Some("cache-warmup"))
    );
    assert_eq!(job_status(&sim, "pos", "warm-now"), "Running");
    let pods = sim.ok(&[
        "get",
        "pods",
        "-n",
        "pos",
        "-l",
        "job-name=warm-now",
        "--no-headers",
    ]);
    assert_eq!(rows(&pods).len(), 1, "one pod: {pods}");
    // The pod runs its 20 s and completes, even in a frozen simulator (what was started runs).
    wait_for(
        "the Job completes",
        Duration::from_secs(60),
        || match job_status(&sim, "pos", "warm-now").as_str() {
            "Complete" => Ok(()),
            other => Err(other.to_string()),
        },
    );
    let pods = sim.ok(&[
        "get",
        "pods",
        "-n",
        "pos",
        "-l",
        "job-name=warm-now",
        "--no-headers",
    ]);
    assert_eq!(rows(&pods)[0][2], "Completed", "{pods}");
    assert_eq!(
        rows(&sim.ok(&["get", "jobs", "-n", "pos", "warm-now", "--no-headers"]))[0][2],
        "1/1"
    );
    let log = sim.ok(&["logs", "-n", "pos", "job/warm-now"]);
    assert!(log.contains("cache-warmup: starting run"), "{log}");
    assert!(log.trim_end().ends_with("done, exit 0"), "{log}");

    // Suspend and resume: a patch of spec.suspend.
    sim.ok(&[
        "patch",
        "cronjob",
        "cache-warmup",
        "-n",
        "pos",
        "-p",
        r#"{"spec":{"suspend":true}}"#,
    ]);
    let cj = sim.json(&["get", "cronjob", "-n", "pos", "cache-warmup"]);
    assert_eq!(cj["spec"]["suspend"], true);
    let listed = sim.ok(&[
        "get",
        "cronjob",
        "-n",
        "pos",
        "cache-warmup",
        "--no-headers",
    ]);
    assert!(listed.contains("True"), "{listed}");
    let refused = sim.kubectl(&[
        "patch",
        "cronjob",
        "cache-warmup",
        "-n",
        "pos",
        "-p",
        r#"{"spec":{"schedule":"* * * * *"}}"#,
    ]);
    assert!(!refused.status.success(), "only spec.suspend changes");

    // Delete: the Job and its pod go.
    sim.ok(&["delete", "job", "warm-now", "-n", "pos"]);
    let gone = sim.kubectl(&["get", "job", "-n", "pos", "warm-now"]);
    assert!(String::from_utf8_lossy(&gone.stderr).contains("NotFound"));
    let pods = sim.ok(&[
        "get",
        "pods",
        "-n",
        "pos",
        "-l",
        "job-name=warm-now",
        "--no-headers",
    ]);
    assert!(rows(&pods).is_empty(), "{pods}");

    // A server dry run makes nothing.
    let out = sim.ok(&[
        "create",
        "job",
        "dry",
        "--from=cronjob/db-backup",
        "-n",
        "data",
        "--dry-run=server",
    ]);
    assert!(out.contains("dry"), "{out}");
    assert!(
        !sim.kubectl(&["get", "job", "-n", "data", "dry"])
            .status
            .success()
    );
}

#[test]
fn rbac_refuses_creating_jobs_where_denied() {
    let sim = Sim::start(&["--deny", "create:jobs:*"]);
    let out = sim.kubectl(&[
        "create",
        "job",
        "x",
        "--from=cronjob/db-backup",
        "-n",
        "data",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("forbidden"),
        "{out:?}"
    );
}

/// What two simulators keep of an object that should be the same: its times (the two started
/// apart) and resource version left out.
fn comparable(mut v: Value) -> Value {
    let meta = v["metadata"].as_object_mut().expect("metadata");
    for key in ["creationTimestamp", "resourceVersion", "managedFields"] {
        meta.remove(key);
    }
    if let Some(status) = v["status"].as_object_mut() {
        for key in [
            "startTime",
            "completionTime",
            "lastScheduleTime",
            "lastSuccessfulTime",
            "conditions",
        ] {
            status.remove(key);
        }
    }
    v
}

fn cronjob_target(ns: &str, name: &str) -> opsdeck::actions::Target {
    opsdeck::actions::Target::CronJob {
        namespace: ns.into(),
        name: name.into(),
    }
}

fn action(
    kind: opsdeck::actions::ActionKind,
    target: opsdeck::actions::Target,
) -> opsdeck::actions::Action {
    opsdeck::actions::Action {
        kind,
        target,
        context: "demo".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_now_suspend_and_delete_through_the_executor_end_as_kubectls_do() {
    use opsdeck::actions::ActionKind;
    use opsdeck::actions::executor::{Executor, Permission};
    let (ours, theirs) = (Sim::start(&[]), Sim::start(&[]));
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(ours.cluster());
    let kubectl = |sim: &Sim, args: &[&str]| tokio::task::block_in_place(|| sim.ok(args));
    let json = |sim: &Sim, args: &[&str]| tokio::task::block_in_place(|| sim.json(args));

    // Run now.
    let name = "cache-warmup-manual-t0test";
    let run = action(
        ActionKind::RunCronJob { job: name.into() },
        cronjob_target("pos", "cache-warmup"),
    );
    assert_eq!(
        run.cli(),
        format!("kubectl -n pos create job {name} --from=cronjob/cache-warmup")
    );
    match executor.permitted(&run).await {
        Permission::DryRun(said) => assert!(said.contains(name), "{said}"),
        other => panic!("{other:?}"),
    }
    assert!(
        !tokio::task::block_in_place(|| ours.kubectl(&["get", "job", "-n", "pos", name]))
            .status
            .success(),
        "the dry run made the Job"
    );
    let done = executor
        .execute(&run, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("run now");
    assert!(done.contains(name), "{done}");
    kubectl(
        &theirs,
        &[
            "create",
            "job",
            name,
            "--from=cronjob/cache-warmup",
            "-n",
            "pos",
        ],
    );
    let get = ["get", "job", "-n", "pos", name];
    assert_eq!(
        comparable(json(&ours, &get)),
        comparable(json(&theirs, &get))
    );

    // Suspend, then resume.
    let suspend = action(
        ActionKind::SuspendCronJob,
        cronjob_target("pos", "cache-warmup"),
    );
    assert!(matches!(
        executor.permitted(&suspend).await,
        Permission::DryRun(_)
    ));
    executor
        .execute(&suspend, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("suspend");
    kubectl(
        &theirs,
        &[
            "patch",
            "cronjob",
            "cache-warmup",
            "-n",
            "pos",
            "-p",
            r#"{"spec":{"suspend":true}}"#,
        ],
    );
    let get = ["get", "cronjob", "-n", "pos", "cache-warmup"];
    let (a, b) = (
        comparable(json(&ours, &get)),
        comparable(json(&theirs, &get)),
    );
    assert_eq!(a["spec"]["suspend"], true);
    assert_eq!(a, b);
    let resume = action(
        ActionKind::ResumeCronJob,
        cronjob_target("pos", "cache-warmup"),
    );
    executor
        .execute(&resume, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("resume");
    assert_eq!(json(&ours, &get)["spec"]["suspend"], false);

    // Delete the finished Job (the failed one: it is finished as soon as listed).
    let failed: String = kubectl(&ours, &["get", "jobs", "-n", "data", "--no-headers"])
        .lines()
        .find(|l| l.contains("Failed"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the failed Job")
        .into();
    let delete = action(
        ActionKind::DeleteJob,
        opsdeck::actions::Target::Job {
            namespace: "data".into(),
            name: failed.clone(),
        },
    );
    assert_eq!(delete.cli(), format!("kubectl -n data delete job {failed}"));
    assert!(matches!(
        executor.permitted(&delete).await,
        Permission::DryRun(_)
    ));
    executor
        .execute(&delete, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("delete");
    kubectl(&theirs, &["delete", "job", &failed, "-n", "data"]);
    let list = ["get", "jobs", "-A", "-o", "name"];
    let names = |sim: &Sim| tokio::task::block_in_place(|| sim.ok(&list));
    assert_eq!(names(&ours), names(&theirs));
    assert!(!names(&ours).contains(&failed));
}

/// The next report for which `pick` gives something; other reports are passed over.
async fn next_where<T>(
    rx: &mut tokio::sync::mpsc::Receiver<opsdeck::domain::SourceReport>,
    within: Duration,
    pick: impl Fn(&opsdeck::domain::Report) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the report in time")
            .expect("the adapter is running")
            .report;
        if let Some(found) = pick(&report) {
            return found;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_watches_cronjobs_and_sees_kubectls_run_complete() {
    use opsdeck::domain::Report;
    use opsdeck::domain::job::JobStatus;
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let cronjobs = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::CronJobs(c) if !c.is_empty() => Some(c.clone()),
        _ => None,
    })
    .await;
    let names: Vec<&str> = cronjobs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let warmup = cronjobs.iter().find(|c| c.name == "cache-warmup").unwrap();
    assert_eq!(
        (warmup.schedule.as_str(), warmup.suspend),
        ("*/5 * * * *", false)
    );
    assert!(warmup.last_schedule.is_some() && warmup.last_successful.is_some());
    tokio::task::block_in_place(|| {
        sim.ok(&[
            "create",
            "job",
            "warm-now",
            "--from=cronjob/cache-warmup",
            "-n",
            "pos",
        ])
    });
    let jobs = next_where(&mut rx, Duration::from_secs(10), |r| match r {
        Report::Jobs(jobs) if jobs.iter().any(|j| j.name == "warm-now") => Some(jobs.clone()),
        _ => None,
    })
    .await;
    let job = jobs.iter().find(|j| j.name == "warm-now").unwrap();
    assert_eq!(job.owner.as_deref(), Some("cache-warmup"));
    assert!(job.manual);
    let failed = jobs.iter().find(|j| j.status == JobStatus::Failed);
    assert_eq!(
        failed.and_then(|j| j.reason.as_deref()),
        Some("BackoffLimitExceeded")
    );
    next_where(&mut rx, Duration::from_secs(60), |r| match r {
        Report::Jobs(jobs) => jobs
            .iter()
            .find(|j| j.name == "warm-now" && j.status == JobStatus::Complete)
            .map(|j| assert_eq!(j.completions_text(), "1/1")),
        _ => None,
    })
    .await;
}
