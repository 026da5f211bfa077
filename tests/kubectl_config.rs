//! The simulator's ConfigMaps and Secrets as kubectl reads and changes them: `kubectl get cm`
//! and `get secrets` with kubectl's columns, `kubectl patch configmap --type merge` changing a
//! key and bumping the resource version, refused with 409 Conflict when the patch carries a
//! resource version that is no longer current, a server dry run changing nothing, RBAC; and
//! the kube adapter seeing the change by watch, with no Secret value in anything it reports.

use sim_process::Sim;

mod sim_process;

fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn rv(sim: &Sim, name: &str) -> u64 {
    let cm = sim.json(&["-n", "agents", "get", "configmap", name]);
    cm["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|r| r.parse().ok())
        .expect("a resource version")
}

#[test]
fn kubectl_gets_configmaps_and_secrets_with_their_columns() {
    let sim = Sim::start(&[]);
    let cms = rows(&sim.ok(&["get", "cm", "-A"]));
    assert_eq!(cms[0], ["NAMESPACE", "NAME", "DATA", "AGE"], "{cms:?}");
    let wac = cms
        .iter()
        .find(|r| r[1] == "workspace-agent-config")
        .expect("workspace-agent-config listed");
    assert_eq!((wac[0].as_str(), wac[2].as_str()), ("agents", "5"));
    assert!(
        cms.iter()
            .any(|r| r[0] == "workflow" && r[1] == "positivity-config")
    );

    let secrets = rows(&sim.ok(&["-n", "agents", "get", "secrets"]));
    assert_eq!(secrets[0], ["NAME", "TYPE", "DATA", "AGE"], "{secrets:?}");
    assert_eq!(
        secrets[1][..3],
        ["agents-jwt", "Opaque", "2"],
        "{secrets:?}"
    );

    // The Secret's data is base64, as the API server keeps it.
    let secret = sim.json(&["-n", "agents", "get", "secret", "agents-jwt"]);
    use base64::Engine;
    let key = secret["data"]["jwt.key"].as_str().expect("jwt.key");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(key)
        .expect("base64");
    assert_eq!(decoded, opsdeck::sim::configs::JWT_SECRET_VALUE.as_bytes());

    let cm = sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"]);
    assert_eq!(cm["data"]["cache.enabled"], "true");
    assert_eq!(cm["data"]["pool.max_size"], "32");
    // The workloads that read it name it in their pod templates.
    let deploy = sim.json(&["-n", "agents", "get", "deploy", "workspace-agents"]);
    let env_from = &deploy["spec"]["template"]["spec"]["containers"][0]["envFrom"];
    assert!(
        env_from.as_array().is_some_and(|e| e
            .iter()
            .any(|e| e["configMapRef"]["name"] == "workspace-agent-config")),
        "{deploy}"
    );
}

#[test]
fn kubectl_patch_configmap_changes_a_key_and_a_stale_resource_version_is_refused() {
    let sim = Sim::start(&[]);
    let before = rv(&sim, "workspace-agent-config");

    // A server dry run answers with the change and stores nothing.
    let out = sim.ok(&[
        "-n",
        "agents",
        "patch",
        "configmap",
        "workspace-agent-config",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"cache.enabled":"false"}}"#,
        "--dry-run=server",
    ]);
    assert!(out.contains("workspace-agent-config"), "{out}");
    let cm = sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"]);
    assert_eq!(cm["data"]["cache.enabled"], "true");
    assert_eq!(rv(&sim, "workspace-agent-config"), before);

    sim.ok(&[
        "-n",
        "agents",
        "patch",
        "configmap",
        "workspace-agent-config",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"cache.enabled":"false"}}"#,
    ]);
    let cm = sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"]);
    assert_eq!(cm["data"]["cache.enabled"], "false");
    assert_eq!(cm["data"]["pool.max_size"], "32", "the other keys stay");
    let after = rv(&sim, "workspace-agent-config");
    assert!(after > before, "{before} → {after}");

    // The version it was read at is no longer current: 409 Conflict, nothing changed.
    let stale = format!(
        r#"{{"metadata":{{"resourceVersion":"{before}"}},"data":{{"cache.enabled":"true"}}}}"#
    );
    let refused = sim.kubectl(&[
        "-n",
        "agents",
        "patch",
        "configmap",
        "workspace-agent-config",
        "--type",
        "merge",
        "-p",
        &stale,
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("Conflict") && stderr.contains("the object has been modified"),
        "{stderr}"
    );
    let cm = sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"]);
    assert_eq!(cm["data"]["cache.enabled"], "false");
    // With the current version it goes through.
    let current = format!(
        r#"{{"metadata":{{"resourceVersion":"{after}"}},"data":{{"cache.enabled":"true"}}}}"#
    );
    sim.ok(&[
        "-n",
        "agents",
        "patch",
        "configmap",
        "workspace-agent-config",
        "--type",
        "merge",
        "-p",
        &current,
    ]);
    let cm = sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"]);
    assert_eq!(cm["data"]["cache.enabled"], "true");
}

#[test]
fn rbac_refuses_a_configmap_patch_where_it_is_denied() {
    let sim = Sim::start(&["--deny", "patch:configmaps:agents"]);
    let out = sim.kubectl(&[
        "-n",
        "agents",
        "patch",
        "configmap",
        "workspace-agent-config",
        "--type",
        "merge",
        "-p",
        r#"{"data":{"cache.enabled":"false"}}"#,
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("forbidden"), "{stderr}");
    let can = sim.kubectl(&["-n", "agents", "auth", "can-i", "patch", "configmaps"]);
    let answer = String::from_utf8_lossy(&can.stdout);
    assert!(answer.starts_with("no"), "{answer}");
    let can = sim.kubectl(&["-n", "workflow", "auth", "can-i", "patch", "configmaps"]);
    assert_eq!(String::from_utf8_lossy(&can.stdout).trim(), "yes");
}

fn edit(rv: &str, value: &str) -> opsdeck::actions::Action {
    opsdeck::actions::Action {
        kind: opsdeck::actions::ActionKind::EditConfigMap {
            key: "cache.enabled".into(),
            resource_version: rv.into(),
            old_size: 4,
            new_size: value.len(),
            old: "true".into(),
            value: value.into(),
        },
        target: opsdeck::actions::Target::ConfigMap {
            namespace: "agents".into(),
            name: "workspace-agent-config".into(),
        },
        context: "demo".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_executors_patch_ends_as_kubectls_and_a_writer_between_open_and_confirm_is_refused() {
    use opsdeck::actions::executor::{ActionError, Executor, Permission};
    let ours = Sim::start(&[]);
    let theirs = Sim::start(&[]);
    let rv_of = |sim: &Sim| tokio::task::block_in_place(|| rv(sim, "workspace-agent-config"));
    let read = |sim: &Sim| {
        tokio::task::block_in_place(|| {
            sim.json(&["-n", "agents", "get", "cm", "workspace-agent-config"])
        })
    };
    let executor = opsdeck::adapters::kube::actions::KubeExecutor::new(ours.cluster());
    let action = edit(&rv_of(&ours).to_string(), "false");
    // Access review of patch configmaps, then the server's dry run: nothing changes yet.
    match executor.permitted(&action).await {
        Permission::DryRun(said) => assert!(said.contains("cache.enabled"), "{said}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(read(&ours)["data"]["cache.enabled"], "true");
    let done = executor
        .execute(&action, tokio::sync::mpsc::channel(1).0)
        .await
        .expect("the patch");
    assert!(done.starts_with("cache.enabled set (5 bytes)"), "{done}");
    // The CLI the dialog shows, run by kubectl against a second sim of the same seed.
    let cli = action.cli();
    let args: Vec<String> = shell_words(&cli);
    assert_eq!(args[0], "kubectl");
    let refs: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    tokio::task::block_in_place(|| theirs.ok(&refs));
    let (a, b) = (read(&ours), read(&theirs));
    assert_eq!(a["data"], b["data"], "the same end state");
    assert_eq!(a["data"]["cache.enabled"], "false");

    // Opened at one version, someone else writes, then confirmed: refused, with why.
    let opened = edit(&rv_of(&ours).to_string(), "true");
    tokio::task::block_in_place(|| {
        ours.ok(&[
            "-n",
            "agents",
            "patch",
            "configmap",
            "workspace-agent-config",
            "--type",
            "merge",
            "-p",
            r#"{"data":{"pool.max_size":"64"}}"#,
        ])
    });
    match executor
        .execute(&opened, tokio::sync::mpsc::channel(1).0)
        .await
    {
        Err(ActionError::Failed(why)) => assert!(
            why.contains("changed by someone else since you opened it"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
    let now = read(&ours);
    assert_eq!(
        now["data"]["cache.enabled"], "false",
        "nothing of the stale edit"
    );
    assert_eq!(now["data"]["pool.max_size"], "64");
}

/// The words of a command as a POSIX shell splits it (single quotes only: what `quoted` makes).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_watches_configmaps_and_secrets_and_reports_no_secret_value() {
    use opsdeck::domain::{ConfigKind, Report};
    use std::time::Duration;
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut seen_secret = false;
    let mut patched = false;
    loop {
        let report = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the reports in time")
            .expect("the adapter runs");
        let text = format!("{report:?}");
        assert!(
            !text.contains(opsdeck::sim::configs::JWT_SECRET_VALUE),
            "a report carries the secret"
        );
        match report.report {
            Report::Configs(configs) => {
                let secret = configs.iter().find(|c| c.kind == ConfigKind::Secret);
                if let Some(s) = secret {
                    assert_eq!(s.name, "agents-jwt");
                    assert_eq!(s.key("jwt.key").map(|k| k.size), Some(28));
                    seen_secret = true;
                }
                let cm = configs.iter().find(|c| c.name == "workspace-agent-config");
                let value = cm
                    .and_then(|c| c.key("cache.enabled"))
                    .and_then(|k| k.value.clone());
                if value.as_deref() == Some("false") {
                    break;
                }
                if seen_secret && !patched {
                    patched = true;
                    tokio::task::block_in_place(|| {
                        sim.ok(&[
                            "-n",
                            "agents",
                            "patch",
                            "configmap",
                            "workspace-agent-config",
                            "--type",
                            "merge",
                            "-p",
                            r#"{"data":{"cache.enabled":"false"}}"#,
                        ])
                    });
                }
            }
            Report::Workloads(w) => {
                if let Some(wa) = w.iter().find(|w| w.name == "workspace-agents") {
                    let names: Vec<&str> = wa.config_refs.iter().map(|r| r.name.as_str()).collect();
                    assert_eq!(names, ["workspace-agent-config", "agents-jwt"], "{wa:?}");
                }
            }
            _ => {}
        }
    }
    assert!(seen_secret);
}
