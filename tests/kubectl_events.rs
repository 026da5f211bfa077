//! The simulator's events as kubectl reads them: `kubectl get events -A
//! --sort-by=.lastTimestamp` (the runbooks' first command) lists the demo's story with the
//! reasons Kubernetes' components give, oldest first, and a scale through the API is recorded
//! by the deployment controller.

use serde_json::Value;
use sim_process::Sim;

mod sim_process;

/// The events' `(type, reason, object, message)` as kubectl's table prints them, in its order.
fn event_rows(text: &str) -> Vec<Vec<String>> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let starts: Vec<usize> = ["TYPE", "REASON", "OBJECT", "MESSAGE"]
        .iter()
        .map(|h| header.find(h).unwrap_or_else(|| panic!("{h} in {header}")))
        .collect();
    lines
        .map(|l| {
            (0..4)
                .map(|i| {
                    let end = starts.get(i + 1).copied().unwrap_or(l.len()).min(l.len());
                    l.get(starts[i]..end).unwrap_or("").trim().to_string()
                })
                .collect()
        })
        .collect()
}

fn events_json(sim: &Sim) -> Vec<Value> {
    sim.json(&["get", "events", "-A"])["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn kubectl_get_events_sorted_by_last_timestamp_tells_the_demos_story() {
    let sim = Sim::start(&[]);
    let text = sim.ok(&["get", "events", "-A", "--sort-by=.lastTimestamp"]);
    let header: Vec<&str> = text
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "LAST",
            "SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "MESSAGE"
        ],
        "{text}"
    );
    let rows = event_rows(&text);
    let find = |reason: &str| {
        rows.iter()
            .find(|r| r[1] == reason)
            .unwrap_or_else(|| panic!("a {reason} event in\n{text}"))
    };
    let backoff = find("BackOff");
    assert_eq!(backoff[0], "Warning");
    assert!(backoff[2].starts_with("pod/pdf-recognizer-"), "{text}");
    assert!(
        backoff[3].starts_with("Back-off restarting failed container pdf-recognizer in pod "),
        "{text}"
    );
    let scheduling = find("FailedScheduling");
    assert_eq!(scheduling[0], "Warning");
    assert!(
        scheduling[3].starts_with("0/12 nodes are available: 12 Insufficient memory."),
        "{text}"
    );
    for reason in ["Pulled", "Created", "Started"] {
        assert_eq!(find(reason)[0], "Normal", "{reason}");
    }

    // Oldest first, as --sort-by orders them: the timestamps kubectl sorted by ascend.
    let mut items = events_json(&sim);
    let stamps = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|e| e["lastTimestamp"].as_str().unwrap_or("").to_string())
            .collect()
    };
    items.sort_by_key(|e| e["lastTimestamp"].as_str().unwrap_or("").to_string());
    let sorted_messages: Vec<&str> = items
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    let printed_messages: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(printed_messages.len(), sorted_messages.len(), "{text}");
    let last = stamps(&items).last().cloned().unwrap_or_default();
    let newest = items
        .iter()
        .rev()
        .find(|e| e["lastTimestamp"] == last.as_str())
        .unwrap();
    assert_eq!(
        printed_messages.last().copied(),
        newest["message"].as_str(),
        "the newest event is printed last:\n{text}"
    );

    // Repeats are one Event, counted, from its first to its last time.
    let backoff = items.iter().find(|e| e["reason"] == "BackOff").unwrap();
    assert!(backoff["count"].as_u64().unwrap_or(0) > 14, "{backoff}");
    assert!(backoff["firstTimestamp"].as_str() < backoff["lastTimestamp"].as_str());
    assert_eq!(backoff["source"]["component"], "kubelet");
    let scheduling = items
        .iter()
        .find(|e| e["reason"] == "FailedScheduling")
        .unwrap();
    assert_eq!(scheduling["source"]["component"], "default-scheduler");
    assert_eq!(scheduling["involvedObject"]["kind"], "Pod");
}

#[test]
fn a_scale_through_the_api_is_recorded_as_the_deployment_controller_would() {
    let sim = Sim::start(&[]);
    let before = sim.json(&["-n", "pos", "get", "deploy", "pos-catalog"]);
    let from = before["spec"]["replicas"].as_u64().unwrap();
    sim.ok(&[
        "-n",
        "pos",
        "scale",
        "deploy/pos-catalog",
        &format!("--replicas={}", from + 2),
    ]);
    let text = sim.ok(&["get", "events", "-n", "pos", "--sort-by=.lastTimestamp"]);
    let scaled = events_json(&sim)
        .into_iter()
        .find(|e| {
            e["reason"] == "ScalingReplicaSet" && e["involvedObject"]["name"] == "pos-catalog"
        })
        .unwrap_or_else(|| panic!("a ScalingReplicaSet event for pos-catalog in\n{text}"));
    let message = scaled["message"].as_str().unwrap();
    assert!(
        message.starts_with("Scaled up replica set pos-catalog-")
            && message.ends_with(&format!(" to {} from {from}", from + 2)),
        "{message}"
    );
    assert_eq!(scaled["source"]["component"], "deployment-controller");
    assert_eq!(scaled["involvedObject"]["kind"], "Deployment");
    let created = text
        .lines()
        .filter(|l| l.contains("SuccessfulCreate"))
        .count();
    assert_eq!(created, 2, "one SuccessfulCreate per new pod:\n{text}");
    assert!(
        text.lines().last().unwrap_or("").contains("pos-catalog"),
        "{text}"
    );

    // A pod deleted by hand: the kubelet stops it, its replica set makes another.
    let victim = sim
        .ok(&[
            "get",
            "pods",
            "-n",
            "pos",
            "-l",
            "app=pos-gateway",
            "-o",
            "name",
        ])
        .lines()
        .next()
        .unwrap()
        .to_string();
    sim.ok(&["-n", "pos", "delete", &victim]);
    let text = sim.ok(&["get", "events", "-n", "pos", "--sort-by=.lastTimestamp"]);
    let killing = text
        .lines()
        .find(|l| l.contains("Killing") && l.contains(&victim))
        .unwrap_or_else(|| panic!("Killing {victim} in\n{text}"));
    assert!(
        killing.contains("Stopping container pos-gateway"),
        "{killing}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("SuccessfulCreate") && l.contains("replicaset/pos-gateway-")),
        "{text}"
    );
}

/// The next report for which `pick` gives something; other reports are passed over.
async fn next_where<T>(
    rx: &mut tokio::sync::mpsc::Receiver<opsdeck::domain::SourceReport>,
    pick: impl Fn(&opsdeck::domain::Report) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
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

/// The kube adapter lists the events with their identity and counts, and a change made with
/// kubectl reaches it by watch, as the same Event objects kubectl prints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_lists_and_watches_events_as_kubectl_sees_them() {
    use opsdeck::domain::Report;
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor = opsdeck::adapters::kube::spawn(
        sim.cluster(),
        "demo".into(),
        std::time::Duration::from_secs(1),
        tx,
    );
    let listed = next_where(&mut rx, |r| match r {
        Report::Events(e) => Some(e.clone()),
        _ => None,
    })
    .await;
    let from_kubectl = tokio::task::block_in_place(|| events_json(&sim));
    assert_eq!(listed.len(), from_kubectl.len(), "{listed:?}");
    for e in &from_kubectl {
        let name = e["metadata"]["name"].as_str().unwrap();
        let ours = listed
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("{name} in {listed:?}"));
        assert_eq!(ours.count as u64, e["count"].as_u64().unwrap(), "{name}");
        assert_eq!(ours.reason, e["reason"].as_str().unwrap());
        assert_eq!(ours.warning, e["type"] == "Warning");
        let o = ours.involved();
        assert_eq!(o.kind, e["involvedObject"]["kind"].as_str().unwrap());
        assert_eq!(o.name, e["involvedObject"]["name"].as_str().unwrap());
        assert_eq!(o.namespace, e["metadata"]["namespace"].as_str().unwrap());
        assert_eq!(ours.source, e["source"]["component"].as_str().unwrap());
    }
    // Listed oldest first, so that a bounded store that takes them keeps the newest.
    assert!(listed.windows(2).all(|w| w[0].last_seen <= w[1].last_seen));

    tokio::task::block_in_place(|| {
        sim.ok(&["-n", "pos", "scale", "deploy/pos-catalog", "--replicas=1"]);
    });
    let scaled = next_where(&mut rx, |r| match r {
        Report::Events(e) => e.iter().find(|e| e.reason == "ScalingReplicaSet").cloned(),
        _ => None,
    })
    .await;
    assert_eq!(scaled.object, "Deployment/pos-catalog");
    assert!(
        scaled
            .message
            .starts_with("Scaled down replica set pos-catalog-"),
        "{scaled:?}"
    );
    assert_eq!(scaled.source, "deployment-controller");
}
