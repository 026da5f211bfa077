//! Port-forward in `update`: `F` on a pod or a workload opens the dialog with kubectl's
//! command and the ports to edit, confirming asks the runner to open it, the forwards list
//! shows what the runner reports (local port, bytes each way, broken), closes one with its
//! key, and the status bar counts them. No terminal, no backend.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::{ActionKind, Target};
use opsdeck::app::dialog::{FieldKind, Focus, forward_ports};
use opsdeck::app::pane::PaneKind;
use opsdeck::app::{Effect, Msg, Panel, State, prepare_frame, update};

fn on_row(panel: Panel, filter: &str) -> State {
    let mut state = demo_state((160, 48));
    state.panel = panel;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    state
}

fn selected_pod_name(state: &State) -> String {
    state.selected_pod().expect("a pod").key.name.to_string()
}

fn ports_field(state: &mut State) {
    let dialog = state.dialog.as_mut().expect("dialog");
    let i = dialog
        .fields
        .iter()
        .position(|f| f.kind == FieldKind::Ports)
        .expect("a Ports field");
    dialog.focus = Focus::Field(i);
}

fn confirm(state: &mut State) -> Vec<Effect> {
    allow(state);
    state.dialog.as_mut().expect("dialog").focus = Focus::Confirm;
    press(state, [key(KeyCode::Enter)])
}

fn screen(state: &mut State) -> String {
    prepare_frame(state);
    let backend = ratatui::backend::TestBackend::new(state.size.0, state.size.1);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal.draw(|f| opsdeck::ui::view(f, state)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// Opens a forward on the selected pod with `ports` typed, confirmed and reported open on
/// `local`: its sequence number.
fn open_forward(state: &mut State, ports: &str, local: u16) -> u64 {
    press(state, [ch('F')]);
    ports_field(state);
    press(state, typed(ports));
    let effects = confirm(state);
    let Some(Effect::Execute { seq, .. }) = effects.last() else {
        panic!("no Execute: {effects:?}");
    };
    let seq = *seq;
    update(state, Msg::ForwardOpened { seq, local });
    update(
        state,
        Msg::ActionFinished {
            seq,
            result: Ok(format!("open on 127.0.0.1:{local}")),
        },
    );
    seq
}

#[test]
fn f_on_a_pod_offers_8080_and_shows_the_kubectl_command_for_the_ports_typed() {
    let mut state = on_row(Panel::Pods, "pos-catalog");
    let pod = selected_pod_name(&state);
    let effects = press(&mut state, [ch('F')]);
    assert!(
        matches!(effects.as_slice(), [Effect::CheckPermission { .. }]),
        "{effects:?}"
    );
    let dialog = state.dialog.as_ref().expect("a dialog");
    assert_eq!(
        dialog.action.title(),
        format!("Forward a port of pos/{pod}")
    );
    let preview = dialog.preview.as_ref().expect("a preview");
    assert_eq!(
        preview.cli,
        format!("kubectl -n pos port-forward pod/{pod} 8080:8080")
    );
    assert!(
        preview.change.contains("127.0.0.1:8080"),
        "{}",
        preview.change
    );
    // Low risk: no name to type.
    assert!(!dialog.requires_typed_name());

    // The offered 8080 is replaced by what is typed, kubectl's LOCAL:REMOTE.
    ports_field(&mut state);
    press(&mut state, typed("3000:80"));
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(
        dialog.preview.as_ref().unwrap().cli,
        format!("kubectl -n pos port-forward pod/{pod} 3000:80")
    );
    let effects = confirm(&mut state);
    let Some(Effect::Execute { intent, .. }) = effects.last() else {
        panic!("no Execute: {effects:?}");
    };
    assert_eq!(
        intent.action.kind,
        ActionKind::PortForward {
            local: 3000,
            remote: 80,
            via: None
        }
    );
    // In the list as opening until the runner says where it is open.
    assert_eq!(state.forwards.len(), 1);
    assert_eq!(state.forwards[0].local, None);
}

#[test]
fn ports_are_read_as_kubectl_reads_them() {
    assert_eq!(forward_ports("8080"), Ok((8080, 8080)));
    assert_eq!(forward_ports(" 3000:8080 "), Ok((3000, 8080)));
    assert!(forward_ports("0").is_err());
    assert!(forward_ports("70000").is_err());
    assert!(forward_ports("http").is_err());
    assert!(forward_ports(":8080").is_err());

    let mut state = on_row(Panel::Pods, "pos-catalog");
    press(&mut state, [ch('F')]);
    ports_field(&mut state);
    press(&mut state, typed("web"));
    allow(&mut state);
    let dialog = state.dialog.as_ref().unwrap();
    assert!(!dialog.confirm_enabled());
    assert!(
        dialog.blocked_because().unwrap().starts_with("ports:"),
        "{:?}",
        dialog.blocked_because()
    );
}

/// `F` on a Services row: the workload's first ready pod, and the port the workload's
/// Service sends to; without a Service, the offered 8080. Returns the ports and `via`.
fn forward_of_workload(name: &str) -> (u16, u16, String, String) {
    let mut state = on_row(Panel::Services, name);
    let w = state.selected_workload().expect("a workload").clone();
    assert_eq!(w.name, name);
    press(&mut state, [ch('F')]);
    let dialog = state.dialog.as_ref().expect("a dialog");
    let Target::Pod { namespace, name } = &dialog.action.target else {
        panic!("not a pod: {:?}", dialog.action.target);
    };
    assert_eq!(namespace, &w.namespace);
    let pod = state
        .estate
        .pods
        .get(&opsdeck::domain::PodKey::in_cluster(
            "demo",
            namespace.as_str(),
            name.as_str(),
        ))
        .expect("the pod is in the estate");
    assert_eq!(pod.owner.as_deref(), Some(w.owner_ref().as_str()));
    assert_eq!(&*pod.status, "Running");
    let ActionKind::PortForward {
        local,
        remote,
        via: Some(via),
    } = &dialog.action.kind
    else {
        panic!("{:?}", dialog.action.kind);
    };
    let change = dialog.preview.as_ref().unwrap().change.clone();
    assert!(
        change.contains(&format!("a ready pod of {via}")),
        "{change}"
    );
    (*local, *remote, via.clone(), change)
}

#[test]
fn f_on_a_workload_forwards_its_first_ready_pod_to_its_services_target_port() {
    // pos-catalog's Service listens on 80 and sends to the pods' 8080: 8080 is forwarded.
    let (local, remote, via, change) = forward_of_workload("pos-catalog");
    assert_eq!((local, remote), (8080, 8080));
    assert_eq!(via, "service/pos-catalog:80");
    assert!(
        change.contains("forwarded to port 8080 of pod pos-catalog-"),
        "{change}"
    );
    // The runbooks' `kubectl port-forward svc/grafana 3000:3000`.
    let (local, remote, via, _) = forward_of_workload("grafana");
    assert_eq!(
        (local, remote, via.as_str()),
        (3000, 3000, "service/grafana:3000")
    );
}

#[test]
fn f_on_a_workload_without_a_service_offers_8080_and_names_the_workload() {
    let state = on_row(Panel::Services, "");
    let bare = state
        .estate
        .workloads
        .iter()
        .find(|w| w.service.is_none() && w.kind == opsdeck::domain::WorkloadKind::Deployment)
        .expect("a deployment without a Service in the demo")
        .name
        .clone();
    let (local, remote, via, _) = forward_of_workload(&bare);
    assert_eq!((local, remote), (8080, 8080));
    assert_eq!(via, format!("deployment/{bare}"));
}

#[test]
fn read_only_refuses_a_port_forward() {
    let settings = {
        let mut s = (*settings("default", "default", false)).clone();
        s.readonly = true;
        std::sync::Arc::new(s)
    };
    let mut state = demo_state_with(settings, (160, 48), 300, 3);
    state.panel = Panel::Pods;
    prepare_frame(&mut state);
    let effects = press(&mut state, [ch('F')]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.dialog.is_none());
    let notice = state.current_notice().expect("a notice");
    assert_eq!(notice.text, "Read-only cockpit: port-forward refused");
}

#[test]
fn the_list_shows_what_the_runner_reports_and_closes_the_chosen_one() {
    let mut state = on_row(Panel::Pods, "pos-catalog");
    let pod = selected_pod_name(&state);
    let seq = open_forward(&mut state, "8080", 8081);
    update(
        &mut state,
        Msg::ForwardStats {
            seq,
            sent: 41,
            received: 3482,
            broken: None,
        },
    );
    assert!(
        screen(&mut state).contains("pf:1"),
        "the status bar counts it"
    );

    // ctrl-p opens the list; the command line's :pf too.
    press(&mut state, [ctrl('p')]);
    assert!(matches!(
        state.pane.as_ref().map(|p| &p.kind),
        Some(PaneKind::Forwards { .. })
    ));
    let text = screen(&mut state);
    assert!(text.contains("Port-forwards: 1 open"), "{text}");
    assert!(
        text.contains(&format!("127.0.0.1:8081 → pos/{pod}:8080")),
        "{text}"
    );
    assert!(text.contains("sent 41 B"), "{text}");
    assert!(text.contains("received 3.4 KiB"), "{text}");
    assert!(text.contains("✔ open"), "{text}");
    assert!(text.contains("x closes the chosen one"), "{text}");

    let effects = press(&mut state, [ch('x')]);
    assert_eq!(effects, vec![Effect::CloseForward(seq)]);
    assert!(state.forwards.is_empty());
    let text = screen(&mut state);
    assert!(text.contains("No port-forwards open"), "{text}");
    assert!(!text.contains("pf:"), "{text}");
    // The notice says so first (its end is what 80 columns cut), and the timeline no longer
    // says "open".
    assert!(
        state
            .current_notice()
            .is_some_and(|n| n.text.starts_with("closed port-forward 127.0.0.1:8081")),
        "{:?}",
        state.current_notice()
    );
    let entry = state
        .timeline
        .iter()
        .find(|e| e.seq == seq)
        .expect("its entry");
    assert!(
        matches!(&entry.status, opsdeck::app::timeline::Status::Succeeded(s) if s.starts_with("closed")),
        "{:?}",
        entry.status
    );

    press(&mut state, [key(KeyCode::Esc), ch(':')]);
    press(&mut state, typed("pf"));
    press(&mut state, [key(KeyCode::Enter)]);
    assert!(matches!(
        state.pane.as_ref().map(|p| &p.kind),
        Some(PaneKind::Forwards { .. })
    ));
}

#[test]
fn a_forward_whose_pod_goes_away_shows_as_broken() {
    let mut state = on_row(Panel::Pods, "pos-catalog");
    let pod = state.selected_pod().expect("a pod").clone();
    open_forward(&mut state, "8080", 8080);
    assert_eq!(state.forwards[0].broken_because(&state), None);
    use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
    let report = SourceReport {
        source: SourceId::new(SourceKind::Kubernetes, "demo"),
        at: state.now,
        report: Report::PodDelete(pod.key.clone()),
    };
    update(&mut state, Msg::Report(report));
    let why = state.forwards[0].broken_because(&state);
    assert_eq!(why, Some(format!("pod {} is gone", pod.key.name)));
    press(&mut state, [ctrl('p')]);
    let text = screen(&mut state);
    assert!(
        text.contains(&format!("broken: pod {} is gone", pod.key.name)),
        "{text}"
    );
}

#[test]
fn a_forward_that_fails_to_open_leaves_the_list() {
    let mut state = on_row(Panel::Pods, "pos-catalog");
    press(&mut state, [ch('F')]);
    let effects = confirm(&mut state);
    let Some(Effect::Execute { seq, .. }) = effects.last() else {
        panic!("no Execute: {effects:?}");
    };
    assert_eq!(state.forwards.len(), 1);
    update(
        &mut state,
        Msg::ActionFinished {
            seq: *seq,
            result: Err("no free local port on 127.0.0.1 from 8080 to 8180".into()),
        },
    );
    assert!(state.forwards.is_empty());
}
