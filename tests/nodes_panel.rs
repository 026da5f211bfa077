//! The Nodes panel at update level: `:nodes` / `:no` and `9` show it, `→` lists the pods on the
//! selected node (in every namespace), backspace comes back.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Panel, prepare_frame};

fn command(state: &mut opsdeck::app::State, text: &str) {
    press(state, [ch(':')]);
    press(state, text.chars().map(ch));
    press(state, [key(KeyCode::Enter)]);
}

#[test]
fn the_command_line_names_show_the_nodes_panel() {
    for name in ["nodes", "no"] {
        let mut state = demo_state((120, 40));
        command(&mut state, name);
        assert_eq!(state.panel, Panel::Nodes, ":{name}");
    }
    let mut state = demo_state((120, 40));
    press(&mut state, [ch('9')]);
    assert_eq!(state.panel, Panel::Nodes);
}

#[test]
fn right_on_a_node_lists_its_pods_in_every_namespace() {
    let mut state = demo_state((120, 40));
    command(&mut state, "ns pos");
    assert_eq!(state.view.namespace.as_deref(), Some("pos"));
    press(&mut state, [ch('9')]);
    prepare_frame(&mut state);
    let node = state
        .selected_node()
        .expect("a node is selected")
        .name
        .clone();
    let on_node: usize = state
        .estate
        .pods
        .iter()
        .filter(|p| *p.node == *node)
        .count();
    assert!(on_node > 0, "the demo schedules pods on {node}");
    press(&mut state, [key(KeyCode::Right)]);
    assert_eq!(state.panel, Panel::Pods);
    prepare_frame(&mut state);
    let shown: Vec<_> = state
        .tables
        .pods
        .visible()
        .iter()
        .map(|i| state.estate.pods.get_index(*i as usize).unwrap().clone())
        .collect();
    assert_eq!(
        shown.len(),
        on_node,
        "all the pods on {node}, not only pos's"
    );
    assert!(shown.iter().all(|p| *p.node == *node));
    assert!(shown.iter().any(|p| &*p.key.namespace != "pos"));
    press(&mut state, [key(KeyCode::Backspace)]);
    assert_eq!(state.panel, Panel::Nodes, "back to the nodes");
}

/// The Nodes panel with the node `name` selected (by the `/` filter).
fn on_node(name: &str) -> opsdeck::app::State {
    let mut state = demo_state((160, 48));
    press(&mut state, [ch('9'), ch('/')]);
    press(&mut state, name.chars().map(ch));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    assert_eq!(state.selected_node().map(|n| n.name.as_str()), Some(name));
    state
}

#[test]
fn cordon_of_a_cordoned_node_is_refused_with_why_and_uncordon_offers_kubectls_command() {
    let mut state = on_node("worker-12");
    press(&mut state, [ch('c')]);
    assert!(state.dialog.is_none(), "refused before any dialog");
    let notice = state.current_notice().map(|n| n.text.clone());
    assert!(
        notice.as_deref().is_some_and(
            |n| n.contains("Cordon node worker-12: already cordoned (SchedulingDisabled)")
        ),
        "{notice:?}"
    );
    press(&mut state, [key(KeyCode::Esc)]);
    press(&mut state, [ch('u')]);
    let dialog = state.dialog.as_ref().expect("uncordon's dialog");
    let preview = dialog.preview.as_ref().expect("uncordon is possible");
    assert_eq!(preview.cli, "kubectl uncordon worker-12");
    assert!(
        preview.change.contains("true → false"),
        "{}",
        preview.change
    );

    let mut state = on_node("worker-01");
    press(&mut state, [ch('c')]);
    let preview = state.dialog.as_ref().expect("dialog").preview.clone();
    let preview = preview.expect("cordon is possible");
    assert_eq!(preview.cli, "kubectl cordon worker-01");
    assert!(preview.warnings.iter().any(|w| w.contains("keep running")));
}
