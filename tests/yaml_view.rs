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
        ObjectRef::new(ObjectKind::Pod, &pod.key.namespace, &pod.key.name)
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
        ObjectRef::new(ObjectKind::Deployment, "pos", "pos-order")
    );
    assert_eq!(
        object.path(),
        "/apis/apps/v1/namespaces/pos/deployments/pos-order"
    );

    let mut state = demo_state((120, 40));
    assert!(press(&mut state, [ch('4'), ch('d')]).is_empty());
    assert!(state.pane.is_none());
}
