//! `d` on a Kubernetes row at update level: the fetch asked of the runtime, the answer shown as
//! YAML, search, copy, save, refresh, a refusal shown in place, Esc; and the drawn screen.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::pane::PaneKind;
use opsdeck::app::yaml_pane::{Fetch, YamlPane};
use opsdeck::app::{Effect, Msg, State, update};
use opsdeck::domain::kube_object::{ObjectKind, ObjectRef};
use serde_json::json;

fn yaml_pane(state: &State) -> &YamlPane {
    match state.pane.as_ref().map(|p| &p.kind) {
        Some(PaneKind::Yaml(pane)) => pane,
        other => panic!("no YAML pane: {other:?}"),
    }
}

/// Filters the Pods panel to the crash-looping pod, presses `d`, and returns the fetch asked.
fn describe_crashing_pod(state: &mut State) -> (u64, ObjectRef) {
    press(
        state,
        [ch('2'), ch('/')].into_iter().chain(typed("crashloop")),
    );
    press(state, [key(KeyCode::Enter)]);
    let effects = press(state, [ch('d')]);
    match effects.as_slice() {
        [Effect::FetchObject { seq, object }] => (*seq, object.clone()),
        other => panic!("expected one fetch: {other:?}"),
    }
}

fn screen(state: &mut State) -> String {
    opsdeck::snapshot::to_text(&opsdeck::snapshot::render(state))
}

fn pod_object(name: &str) -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "workflow", "labels": {"app": "pdf-recognizer"}},
        "spec": {"containers": [{"name": "pdf-recognizer", "image": "registry.local/dox/pdf-recognizer:0.9.9"}]},
        "status": {"phase": "Running", "qosClass": "Burstable",
                   "containerStatuses": [{"name": "pdf-recognizer", "restartCount": 14,
                       "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]},
    })
}

#[test]
fn d_on_a_pod_fetches_it_once_and_shows_its_yaml() {
    let mut state = demo_state((120, 40));
    let (seq, object) = describe_crashing_pod(&mut state);
    let pod = state.selected_pod().expect("the crash-looping pod").clone();
    assert_eq!(
        object,
        ObjectRef::new(ObjectKind::Pod, &pod.key.namespace, &pod.key.name).in_cluster("demo")
    );
    assert_eq!(yaml_pane(&state).fetch, Fetch::Fetching);
    assert!(screen(&mut state).contains(&format!(
        "fetching pods {}/{}…",
        pod.key.namespace, pod.key.name
    )));

    // An answer to an older fetch is not this pane's.
    update(
        &mut state,
        Msg::ObjectFetched {
            seq: seq - 1,
            result: Ok(json!({"kind": "Other"})),
        },
    );
    assert_eq!(yaml_pane(&state).fetch, Fetch::Fetching);

    update(
        &mut state,
        Msg::ObjectFetched {
            seq,
            result: Ok(pod_object(&pod.key.name)),
        },
    );
    let text: Vec<String> = yaml_pane(&state).lines().iter().map(|l| l.text()).collect();
    assert!(
        text[0].starts_with(&format!("# pods workflow/{}, fetched", pod.key.name)),
        "{text:?}"
    );
    for line in [
        "kind: Pod",
        "  qosClass: Burstable",
        "        exitCode: 137",
        "        reason: OOMKilled",
    ] {
        assert!(
            text.iter().any(|l| l == line),
            "{line} missing from {text:?}"
        );
    }
    let drawn = screen(&mut state);
    assert!(drawn.contains("qosClass: Burstable"), "{drawn}");
    assert!(
        drawn.contains(&format!("lines 1-{} of {}", text.len(), text.len())),
        "{drawn}"
    );
}

#[test]
fn search_copy_save_and_refresh_in_the_yaml_view() {
    let mut state = demo_state((120, 40));
    let dir = tempfile::tempdir().unwrap();
    let mut settings = (*state.settings).clone();
    settings.state_dir = Some(dir.path().into());
    state.settings = std::sync::Arc::new(settings);
    let (seq, object) = describe_crashing_pod(&mut state);
    update(
        &mut state,
        Msg::ObjectFetched {
            seq,
            result: Ok(pod_object(&object.name)),
        },
    );

    press(&mut state, [ch('/')].into_iter().chain(typed("oomkilled")));
    let pane = yaml_pane(&state);
    let at = pane.match_line.expect("a match");
    assert!(pane.lines()[at].text().contains("OOMKilled"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(state.filter_input.is_none());
    // No second match: n says so and stays.
    press(&mut state, [ch('n')]);
    assert_eq!(yaml_pane(&state).match_line, Some(at));
    assert!(
        state
            .current_notice()
            .unwrap()
            .text
            .contains("no match below")
    );
    press(&mut state, [ch('N')]);
    assert_eq!(yaml_pane(&state).match_line, Some(at));

    let copied = press(&mut state, [ch('y')]);
    let [Effect::Copy(text)] = copied.as_slice() else {
        panic!("{copied:?}")
    };
    assert!(
        text.contains("reason: OOMKilled\n") && text.contains("kind: Pod\n"),
        "{text}"
    );

    let saved = press(&mut state, [ch('s')]);
    let [Effect::WriteFile { path, contents }] = saved.as_slice() else {
        panic!("{saved:?}")
    };
    assert_eq!(path.parent().unwrap(), dir.path().join("objects"));
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        file.starts_with(&format!("workflow_pods_{}_", object.name)) && file.ends_with(".yaml"),
        "{file}"
    );
    assert_eq!(contents, text);

    let refreshed = press(&mut state, [ch('r')]);
    let [
        Effect::FetchObject {
            seq: again,
            object: same,
        },
    ] = refreshed.as_slice()
    else {
        panic!("{refreshed:?}")
    };
    assert!(*again > seq);
    assert_eq!(*same, object);
    assert_eq!(yaml_pane(&state).search, "oomkilled", "the search is kept");

    press(&mut state, [key(KeyCode::Esc)]);
    assert!(state.pane.is_none());
}

#[test]
fn a_refusal_is_shown_in_place_of_the_object() {
    let mut state = demo_state((80, 24));
    let (seq, _) = describe_crashing_pod(&mut state);
    let why = "not permitted: get pods in workflow".to_string();
    update(
        &mut state,
        Msg::ObjectFetched {
            seq,
            result: Err(why.clone()),
        },
    );
    assert_eq!(yaml_pane(&state).fetch, Fetch::Failed(why.clone()));
    assert!(screen(&mut state).contains(&why));
    // Nothing to copy: said so, nothing sent.
    assert!(press(&mut state, [ch('y')]).is_empty());
}

#[test]
fn d_on_a_workload_asks_for_it_and_elsewhere_says_why_not() {
    let mut state = demo_state((120, 40));
    press(
        &mut state,
        [ch('3'), ch('/')].into_iter().chain(typed("pos-order")),
    );
    press(&mut state, [key(KeyCode::Enter)]);
    let effects = press(&mut state, [ch('d')]);
    let [Effect::FetchObject { object, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        *object,
        ObjectRef::new(ObjectKind::Deployment, "pos", "pos-order").in_cluster("demo")
    );
    assert_eq!(
        object.path(),
        "/apis/apps/v1/namespaces/pos/deployments/pos-order"
    );

    let mut state = demo_state((120, 40));
    assert!(press(&mut state, [ch('4'), ch('d')]).is_empty());
    assert!(state.pane.is_none());
}

/// The crash-looping pod as the simulator serves it: its last container OOMKilled when the row
/// says it last restarted.
fn crashing_pod_object(state: &State) -> serde_json::Value {
    let pod = state.selected_pod().expect("a pod selected");
    let mut object = pod_object(&pod.key.name);
    let last = &mut object["status"]["containerStatuses"][0];
    last["state"] = json!({"waiting": {"reason": "CrashLoopBackOff"}});
    let finished = pod.last_restart.expect("it restarted");
    last["lastState"]["terminated"]["finishedAt"] = json!(finished.rfc3339());
    object["spec"]["containers"][0]["resources"] =
        json!({"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}});
    object["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False", "reason": "ContainersNotReady"},
        {"type": "PodScheduled", "status": "True"}]);
    object
}

#[test]
fn open_pod_details_fetch_the_pod_and_show_its_containers_last_state() {
    let mut state = demo_state((160, 48));
    press(
        &mut state,
        [ch('2'), ch('/')].into_iter().chain(typed("crashloop")),
    );
    press(&mut state, [key(KeyCode::Enter)]);
    // Nothing is fetched until the details open.
    assert!(state.details_fetch.is_none());
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let [Effect::FetchObject { seq, object }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let pod = state.selected_pod().unwrap().clone();
    assert_eq!(object.name, &*pod.key.name);
    assert!(screen(&mut state).contains("fetching pods…"));
    // Keys that leave the selection where it is fetch nothing more.
    assert!(press(&mut state, [ch('j')]).is_empty());

    let (seq, answer) = (*seq, crashing_pod_object(&state));
    update(
        &mut state,
        Msg::ObjectFetched {
            seq,
            result: Ok(answer),
        },
    );
    let text = screen(&mut state);
    insta::assert_snapshot!("pod_details_fetched_160x48", text);
    let ago = opsdeck::domain::time::format_age(pod.last_restart.unwrap().age_at(state.now));
    let last = format!("last     ✖ Terminated: OOMKilled, exit 137, {ago} ago");
    assert!(text.contains(&last), "{text}");
    assert!(text.contains("requests cpu=100m, memory=256Mi"), "{text}");
    assert!(text.contains("QoS class    Burstable"), "{text}");

    // Another restart of the pod: its details are fetched again.
    let mut restarted = pod.clone();
    restarted.restarts += 1;
    upsert_pod(&mut state, restarted);
    let fetch = state.details_fetch.as_ref().expect("a fetch");
    assert!(fetch.seq > seq, "fetched again");
    // Until the new answer, the last one stays shown.
    assert!(screen(&mut state).contains("OOMKilled, exit 137"));
}

#[test]
fn open_workload_details_show_its_strategy_and_conditions() {
    let mut state = demo_state((160, 48));
    press(
        &mut state,
        [ch('3'), ch('/')].into_iter().chain(typed("pos-order")),
    );
    press(&mut state, [key(KeyCode::Enter)]);
    let effects = press(&mut state, [key(KeyCode::Enter)]);
    let [Effect::FetchObject { seq, object }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        *object,
        ObjectRef::new(ObjectKind::Deployment, "pos", "pos-order").in_cluster("demo")
    );
    let deployment = json!({"kind": "Deployment",
        "spec": {"strategy": {"type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}},
        "status": {"conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
            {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
             "message": "ReplicaSet \"pos-order-abc\" is progressing."}]}});
    update(
        &mut state,
        Msg::ObjectFetched {
            seq: *seq,
            result: Ok(deployment),
        },
    );
    let text = screen(&mut state);
    assert!(
        text.contains("Strategy     RollingUpdate: max surge 25%, max unavailable 25%"),
        "{text}"
    );
    // (The message wraps in the pane.)
    assert!(
        text.contains("✔ Progressing True  ReplicaSetUpdated: ReplicaSet"),
        "{text}"
    );
    assert!(
        text.contains("✔ Available True  MinimumReplicasAvailable"),
        "{text}"
    );

    // A refusal is said in the details, in place of the fetched part.
    let mut state = demo_state((160, 48));
    press(&mut state, [ch('3'), key(KeyCode::Enter)]);
    let Some(seq) = state.details_fetch.as_ref().map(|f| f.seq) else {
        panic!("a fetch")
    };
    let why = "not permitted: get deployments in agents";
    update(
        &mut state,
        Msg::ObjectFetched {
            seq,
            result: Err(why.into()),
        },
    );
    assert!(screen(&mut state).contains(why));
}

/// `d` on an event asks for that Event object.
#[test]
fn d_on_an_event_asks_for_that_event() {
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('8')]);
    let event = state.selected_event().expect("the demo has events").clone();
    let effects = press(&mut state, [ch('d')]);
    match effects.as_slice() {
        [Effect::FetchObject { object, .. }] => assert_eq!(
            *object,
            ObjectRef::new(ObjectKind::Event, &event.namespace, &event.name).in_cluster("demo")
        ),
        other => panic!("expected one fetch: {other:?}"),
    }
    assert!(screen(&mut state).contains(&format!(
        "fetching events {}/{}",
        event.namespace, event.name
    )));
}
