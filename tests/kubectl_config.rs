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
