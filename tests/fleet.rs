//! Several clusters watched at once (`[kubernetes] contexts`), as the cockpit starts them from a
//! config and a kubeconfig: three simulated clusters (`sim::clusters`), each its own world; the
//! rows of each carry their context (a CONTEXT column, production marked); one cluster stopped
//! marks only its own rows down; `:ctx` chooses which are shown; an action on a row goes to
//! that row's cluster (checked with kubectl), never to another.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;
use common::{ch, key, press, typed};
use crossterm::event::KeyCode;
use opsdeck::actions::{Action, ActionKind, Target, WorkloadKindName};
use opsdeck::app::{Msg, Panel, State, update};
use opsdeck::config::DemoConfig;
use opsdeck::domain::{FreshnessView, SourceId, SourceKind};
use opsdeck::sim::clusters::{ClusterOptions, spawn_clusters};

const NAMES: [&str; 3] = ["prod-eu", "prod-us", "staging"];

fn kubectl(kubeconfig: &Path, args: &[&str]) -> String {
    let out = Command::new("kubectl")
        .args(args)
        .arg("--request-timeout=10s")
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", kubeconfig.parent().expect("a directory"))
        .output()
        .expect("kubectl is installed (scripts/test installs kubernetes-client)");
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn replicas(kubeconfig: &Path, context: &str) -> u32 {
    let args = [
        "--context",
        context,
        "-n",
        "pos",
        "get",
        "deployment",
        "pos-catalog",
        "-o",
        "jsonpath={.spec.replicas}",
    ];
    kubectl(kubeconfig, &args).parse().expect("a count")
}

fn screen(state: &mut State) -> String {
    opsdeck::snapshot::to_text(&opsdeck::snapshot::render(state))
}

/// Applies the sources' reports until `done` holds, or panics at the deadline saying `what`.
async fn until(
    state: &mut State,
    inputs: &mut opsdeck::app::runtime::Inputs,
    what: &str,
    done: impl Fn(&State) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(state) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "not seen within 30 s: {what}");
        state.now = opsdeck::domain::UnixTime::now();
        match tokio::time::timeout(left.min(Duration::from_millis(500)), inputs.reports.recv())
            .await
        {
            Ok(Some(report)) => {
                update(state, Msg::Report(report));
            }
            Ok(None) => panic!("the sources stopped"),
            Err(_) => {}
        }
    }
}

fn freshness(state: &State, context: &str) -> FreshnessView {
    state.estate.sources[&SourceId::new(SourceKind::Kubernetes, context)].view(state.now)
}

fn pods_in(state: &State, context: &str) -> usize {
    state
        .estate
        .pods
        .iter()
        .filter(|p| &*p.key.context == context)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_clusters_watched_at_once_each_its_own_failure_domain_and_actions_go_to_the_rows_cluster()
 {
    let names: Vec<String> = NAMES.map(String::from).into();
    let demo = DemoConfig {
        pods: 60,
        seed: 7,
        freeze: true,
        ..DemoConfig::default()
    };
    let mut clusters = spawn_clusters(&names, &demo, &ClusterOptions::open()).expect("served");
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, clusters.kubeconfig()).expect("kubeconfig");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[kubernetes]\nkubeconfig = {:?}\ncontexts = [\"prod-eu\", \"prod-us\", \"staging\"]\n\n\
             [[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"PROD\"\n\
             color = \"crit\"\nproduction = true\n",
            kubeconfig.display().to_string()
        ),
    )
    .expect("config");
    let audit = dir.path().join("audit.jsonl");
    let cli = opsdeck::cli::Cli::parse_from([
        "opsdeck",
        "--config",
        config.to_str().unwrap(),
        "--audit-file",
        audit.to_str().unwrap(),
    ]);
    let startup = opsdeck::startup::prepare(&cli.common).expect("the config reads");
    assert_eq!(startup.settings.watched, names);
    let (mut state, mut inputs, runner) = opsdeck::startup::start(&startup, (200, 50));

    // Every cluster's pods arrive, each under its own context; the worlds differ.
    until(&mut state, &mut inputs, "pods of all three", |s| {
        NAMES.iter().all(|c| {
            pods_in(s, c) > 60
                && s.estate
                    .workloads
                    .iter()
                    .filter(|w| &*w.context == *c)
                    .count()
                    > 10
        })
    })
    .await;
    let names_in = |s: &State, c: &str| -> std::collections::BTreeSet<String> {
        s.estate
            .pods
            .iter()
            .filter(|p| &*p.key.context == c)
            .map(|p| p.key.name.to_string())
            .collect()
    };
    assert_ne!(names_in(&state, "prod-eu"), names_in(&state, "staging"));
    for c in NAMES {
        let listed = kubectl(
            &kubeconfig,
            &["--context", c, "get", "pods", "-A", "-o", "name"],
        );
        assert_eq!(
            listed.lines().count(),
            pods_in(&state, c),
            "{c}: as kubectl lists them"
        );
    }
    // Each cluster's workloads are its own: one pos-catalog in each.
    let catalogs: Vec<&str> = state
        .estate
        .workloads
        .iter()
        .filter(|w| w.name == "pos-catalog")
        .map(|w| &*w.context)
        .collect();
    assert_eq!(catalogs, NAMES);

    // The Pods table leads with CONTEXT; production clusters carry their label.
    press(&mut state, [ch('2')]);
    let text = screen(&mut state);
    assert!(text.contains("CONTEXT"), "{text}");
    assert!(text.contains("PROD prod-eu"), "{text}");
    assert!(
        text.contains("3 clusters"),
        "the status bar names the fleet:\n{text}"
    );

    // A node's pods are its own cluster's (every cluster has a worker-01).
    let on_node = opsdeck::app::rows::pods_on(&state.estate);
    for c in NAMES {
        let running_there = state
            .estate
            .pods
            .iter()
            .filter(|p| &*p.key.context == c && &*p.node == "worker-01")
            .filter(|p| {
                !matches!(
                    p.phase,
                    opsdeck::domain::PodPhase::Succeeded | opsdeck::domain::PodPhase::Failed
                )
            })
            .count() as u32;
        assert_eq!(
            on_node.get(&(c, "worker-01")).copied().unwrap_or(0),
            running_there,
            "{c}"
        );
    }
    // A Secret's users are its own cluster's workloads: each named once.
    let users = opsdeck::app::rows::users(&state.estate);
    for ((_, ns, name, context), workloads) in &users {
        let mut names: Vec<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "{context} {ns}/{name}: {names:?}");
        assert!(workloads.iter().all(|w| *w.context == **context));
    }

    // prod-us dies: only its rows are marked down, the others stay live.
    tokio::task::block_in_place(|| clusters.get_mut("prod-us").expect("prod-us").stop());
    until(&mut state, &mut inputs, "prod-us unreachable", |s| {
        matches!(freshness(s, "prod-us"), FreshnessView::Unreachable { .. })
    })
    .await;
    assert_eq!(freshness(&state, "prod-eu"), FreshnessView::Live);
    assert_eq!(freshness(&state, "staging"), FreshnessView::Live);
    assert!(
        pods_in(&state, "prod-us") > 60,
        "what it said stays, marked down"
    );
    // Only prod-us's rows say so.
    press(&mut state, [ch(':')]);
    press(&mut state, typed("ctx prod-us,prod-eu"));
    press(&mut state, [key(KeyCode::Enter), ch('/')]);
    press(&mut state, typed("pos-catalog"));
    press(&mut state, [key(KeyCode::Enter)]);
    let text = screen(&mut state);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("pos-catalog-"))
        .collect();
    assert!(!rows.is_empty(), "{text}");
    for row in &rows {
        assert_eq!(
            row.contains("prod-us down"),
            row.contains("PROD prod-us"),
            "a prod-us row and only it is marked down: {row}"
        );
        assert!(!row.contains("staging"), ":ctx left staging out: {row}");
    }
    assert!(rows.iter().any(|r| r.contains("prod-us down")), "{text}");
    assert!(
        rows.iter()
            .any(|r| r.contains("PROD prod-eu") && !r.contains("down"))
    );
    let overview = {
        press(&mut state, [ch('1')]);
        screen(&mut state)
    };
    assert!(overview.contains("prod-us down"), "{overview}");

    // A scale on staging's pos-catalog goes to staging: the dialog names it, kubectl sees it
    // there and nowhere else.
    press(&mut state, [ch(':')]);
    press(&mut state, typed("ctx staging"));
    press(&mut state, [key(KeyCode::Enter), ch('3'), ch('/')]);
    press(&mut state, typed("pos-catalog"));
    press(&mut state, [key(KeyCode::Enter), ch('s')]);
    press(
        &mut state,
        [key(KeyCode::Backspace), key(KeyCode::Backspace)],
    );
    press(&mut state, typed("7"));
    let dialog = state.dialog.as_ref().expect("the scale dialog");
    assert_eq!(dialog.action.context, "staging");
    // Its kubectl line, pasted, acts on staging too, whatever the kubeconfig's current context.
    let cli = &dialog.preview.as_ref().expect("a preview").cli;
    assert!(
        cli.starts_with("kubectl --context staging -n pos scale deployment/pos-catalog"),
        "{cli}"
    );
    assert_eq!(state.panel, Panel::Services);
    let (eu_before, staging_before) = (
        replicas(&kubeconfig, "prod-eu"),
        replicas(&kubeconfig, "staging"),
    );
    let action = Action {
        kind: ActionKind::Scale {
            replicas: staging_before + 2,
        },
        target: Target::Workload {
            namespace: "pos".into(),
            kind: WorkloadKindName::Deployment,
            name: "pos-catalog".into(),
        },
        context: "staging".into(),
    };
    let (progress, _rx) = tokio::sync::mpsc::channel(16);
    runner
        .executor
        .execute(&action, progress.clone())
        .await
        .expect("scaled in staging");
    assert_eq!(replicas(&kubeconfig, "staging"), staging_before + 2);
    assert_eq!(
        replicas(&kubeconfig, "prod-eu"),
        eu_before,
        "prod-eu untouched"
    );
    // The dead cluster's action fails there; it is not sent to a live one.
    let on_us = Action {
        context: "prod-us".into(),
        ..action.clone()
    };
    let failed = runner.executor.execute(&on_us, progress).await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(replicas(&kubeconfig, "prod-eu"), eu_before);
    assert_eq!(replicas(&kubeconfig, "staging"), staging_before + 2);
}
