//! `kubectl describe` and `kubectl get ns` against `opsdeck sim` as a process: the sections an
//! on-call engineer reads (a crash-looping container's last state, resources, conditions, QoS;
//! a deployment's conditions and strategy) are there with the simulator's values; and the
//! cockpit's own fetch of one object (the YAML view, the details) through the kube adapter.

mod sim_process;

use sim_process::Sim;

/// The namespace and name of the first pod whose STATUS is `status`.
fn pod_with_status(sim: &Sim, status: &str) -> (String, String) {
    let pods = sim.json(&["get", "pods", "-A"]);
    let items = pods["items"].as_array().expect("a pod list");
    let pod = items
        .iter()
        .find(|p| {
            let statuses = p["status"]["containerStatuses"].as_array();
            let waiting = statuses
                .and_then(|s| s.first())
                .and_then(|s| s["state"]["waiting"]["reason"].as_str());
            waiting == Some(status) || (status == "Pending" && p["status"]["phase"] == "Pending")
        })
        .unwrap_or_else(|| panic!("a pod that is {status}"));
    let meta = &pod["metadata"];
    (
        meta["namespace"].as_str().unwrap().to_string(),
        meta["name"].as_str().unwrap().to_string(),
    )
}

/// The value after `label:` on the line that starts with it (after indentation).
fn field<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix(label))
        .map(|rest| rest.trim_start_matches(':').trim())
        .collect()
}

#[test]
fn kubectl_describe_pod_shows_the_crash_looping_containers_last_state_resources_and_qos() {
    let sim = Sim::start(&[]);
    let (ns, name) = pod_with_status(&sim, "CrashLoopBackOff");
    let text = sim.ok(&["describe", "pod", "-n", &ns, &name]);
    assert_eq!(field(&text, "State"), ["Waiting"], "{text}");
    assert_eq!(field(&text, "Last State"), ["Terminated"], "{text}");
    // Reason appears twice: the waiting state's, then the last state's.
    assert_eq!(
        field(&text, "Reason"),
        ["CrashLoopBackOff", "OOMKilled"],
        "{text}"
    );
    assert_eq!(field(&text, "Exit Code"), ["137"], "{text}");
    assert_eq!(field(&text, "Finished").len(), 1, "{text}");
    assert_eq!(field(&text, "QoS Class"), ["Burstable"], "{text}");
    assert!(
        text.contains("Limits:") && text.contains("Requests:"),
        "{text}"
    );
    assert_eq!(field(&text, "memory"), ["512Mi", "256Mi"], "{text}");
    // The conditions table: type, status.
    let condition = |kind: &str| {
        text.lines()
            .map(str::split_whitespace)
            .find_map(|mut words| (words.next() == Some(kind)).then(|| words.next()))
            .flatten()
            .map(str::to_string)
    };
    assert_eq!(condition("Ready").as_deref(), Some("False"), "{text}");
    assert_eq!(
        condition("ContainersReady").as_deref(),
        Some("False"),
        "{text}"
    );
    assert_eq!(condition("PodScheduled").as_deref(), Some("True"), "{text}");
    assert!(field(&text, "Events").len() == 1, "{text}");
}

#[test]
fn kubectl_describe_shows_a_pending_pod_unschedulable_and_a_deployments_conditions() {
    let sim = Sim::start(&[]);
    let (ns, name) = pod_with_status(&sim, "Pending");
    let text = sim.ok(&["describe", "pod", "-n", &ns, &name]);
    let scheduled = text
        .lines()
        .find(|l| l.trim_start().starts_with("PodScheduled"))
        .unwrap_or_else(|| panic!("a PodScheduled condition: {text}"));
    assert_eq!(
        scheduled.split_whitespace().collect::<Vec<_>>(),
        ["PodScheduled", "False"],
        "{text}"
    );
    // The reason is in the object kubectl read.
    let pod = sim.json(&["get", "pod", "-n", &ns, &name]);
    assert_eq!(pod["status"]["conditions"][0]["reason"], "Unschedulable");

    // pos-order is rolling out in the simulated estate; pdf-recognizer is done (one pod short).
    let conditions = |ns: &str, name: &str| -> (String, Vec<Vec<String>>) {
        let text = sim.ok(&["describe", "deployment", "-n", ns, name]);
        let rows = text
            .lines()
            .skip_while(|l| !l.starts_with("Conditions:"))
            .skip(3)
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect();
        (text, rows)
    };
    let (text, rolling) = conditions("pos", "pos-order");
    assert_eq!(rolling.len(), 2, "{text}");
    assert_eq!(
        rolling[1][..3],
        ["Progressing", "True", "ReplicaSetUpdated"],
        "{text}"
    );
    // The pod template carries the resources its pods have.
    assert!(
        text.contains("Limits:") && text.contains("Requests:"),
        "{text}"
    );
    assert_eq!(field(&text, "memory"), ["512Mi", "256Mi"], "{text}");
    let (_, done) = conditions("workflow", "pdf-recognizer");
    assert_eq!(
        done[0][..3],
        ["Available", "True", "MinimumReplicasAvailable"]
    );
    assert_eq!(
        done[1][..3],
        ["Progressing", "True", "NewReplicaSetAvailable"]
    );
    assert_eq!(field(&text, "StrategyType"), ["RollingUpdate"], "{text}");
    assert_eq!(
        field(&text, "RollingUpdateStrategy"),
        ["25% max unavailable, 25% max surge"],
        "{text}"
    );
    assert_eq!(field(&text, "NewReplicaSet").len(), 1, "{text}");
}

#[test]
fn kubectl_get_ns_lists_the_simulated_namespaces() {
    let sim = Sim::start(&[]);
    let text = sim.ok(&["get", "ns"]);
    let names: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for ns in ["agents", "data", "monitoring", "pos", "workflow"] {
        assert!(names.contains(&ns), "{ns} missing from {text}");
    }
    assert!(text.lines().skip(1).all(|l| l.contains("Active")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_fetches_one_object_as_kubectl_gets_it() {
    use opsdeck::adapters::kube::object;
    use opsdeck::domain::kube_object::{ObjectKind, ObjectRef};
    let sim = tokio::task::block_in_place(|| Sim::start(&[]));
    let (ns, name) = tokio::task::block_in_place(|| pod_with_status(&sim, "CrashLoopBackOff"));
    let kubectl = tokio::task::block_in_place(|| sim.json(&["get", "pod", "-n", &ns, &name]));
    let pod = object::get(&sim.cluster(), &ObjectRef::new(ObjectKind::Pod, &ns, &name))
        .await
        .expect("the pod");
    // The fetched object's fields are the server's.
    assert_eq!(pod["metadata"]["uid"], kubectl["metadata"]["uid"]);
    assert_eq!(pod["status"]["qosClass"], "Burstable");
    assert_eq!(
        pod["status"]["containerStatuses"][0]["lastState"],
        kubectl["status"]["containerStatuses"][0]["lastState"]
    );
    assert!(pod["metadata"].get("managedFields").is_none());
    let text = opsdeck::domain::yaml::text(&opsdeck::domain::yaml::lines(&pod));
    assert!(text.contains("      reason: OOMKilled\n"), "{text}");

    let deployment = ObjectRef::new(ObjectKind::Deployment, "pos", "pos-order");
    let got = object::get(&sim.cluster(), &deployment)
        .await
        .expect("the deployment");
    assert_eq!(got["spec"]["strategy"]["type"], "RollingUpdate");

    // An event, as the Events panel's `d` asks for it: the one kubectl lists.
    let events = tokio::task::block_in_place(|| sim.json(&["get", "events", "-n", &ns]));
    let first = &events["items"][0]["metadata"];
    let event_name = first["name"]
        .as_str()
        .expect("an event in the pod's namespace");
    let event = object::get(
        &sim.cluster(),
        &ObjectRef::new(ObjectKind::Event, &ns, event_name),
    )
    .await
    .expect("the event");
    assert_eq!(event["metadata"]["uid"], first["uid"]);
    assert_eq!(event["kind"], "Event");

    let missing = ObjectRef::new(ObjectKind::Pod, &ns, "no-such-pod");
    let error = object::get(&sim.cluster(), &missing).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("pods {ns}/no-such-pod not found (deleted since it was listed?)")
    );
}
