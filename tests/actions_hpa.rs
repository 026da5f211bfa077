//! The dialogs of an autoscaled workload and of a container's resources, in `update`: the
//! scale dialog warns that the HPA sets the replicas back, `A` edits the HPA's bounds, `R` a
//! container's requests and limits with the change (old → new) and kubectl's command carrying
//! only what was changed. No terminal, no backend.

mod common;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::actions::ActionKind;
use opsdeck::app::dialog::{FieldKind, Focus};
use opsdeck::app::{Effect, Panel, State, prepare_frame};

fn on_service(filter: &str) -> State {
    let mut state = demo_state((160, 48));
    state.panel = Panel::Services;
    press(&mut state, [ch('/')]);
    press(&mut state, typed(filter));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    state
}

/// Replaces the text of the dialog's field `kind` with `text`, by keys.
fn retype(state: &mut State, kind: FieldKind, text: &str) {
    let dialog = state.dialog.as_mut().expect("dialog");
    let i = dialog
        .fields
        .iter()
        .position(|f| f.kind == kind)
        .expect("field");
    dialog.focus = Focus::Field(i);
    let len = dialog.fields[i].value().chars().count();
    press(state, (0..len).map(|_| key(KeyCode::Backspace)));
    press(state, typed(text));
}

fn hpa_of(state: &State, name: &str) -> opsdeck::domain::Hpa {
    state
        .estate
        .hpas
        .iter()
        .find(|h| h.name == name)
        .cloned()
        .expect("the demo autoscales it")
}

#[test]
fn scaling_an_autoscaled_workload_warns_that_its_hpa_sets_the_replicas_back() {
    let mut state = on_service("pos-catalog");
    let h = hpa_of(&state, "pos-catalog");
    press(&mut state, [ch('s')]);
    press(&mut state, typed(&(h.max + 1).to_string()));
    let dialog = state.dialog.as_ref().expect("the scale dialog");
    let warnings = &dialog.preview.as_ref().expect("a preview").warnings;
    let said = format!(
        "HPA pos-catalog (min {}, max {}) will set the replicas back; change its bounds instead (A).",
        h.min, h.max
    );
    assert!(warnings.contains(&said), "{warnings:?}");
    // A workload no HPA scales gets no such warning.
    let mut state = on_service("pos-payment");
    press(&mut state, [ch('s'), ch('9')]);
    let warnings = &state
        .dialog
        .as_ref()
        .unwrap()
        .preview
        .as_ref()
        .unwrap()
        .warnings;
    assert!(!warnings.iter().any(|w| w.contains("HPA")), "{warnings:?}");
}

#[test]
fn the_hpa_action_edits_min_and_max_and_says_kubectls_patch() {
    let mut state = on_service("pos-catalog");
    let h = hpa_of(&state, "pos-catalog");
    let effects = press(&mut state, [ch('A')]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::CheckPermission { .. })),
        "{effects:?}"
    );
    let dialog = state.dialog.as_ref().expect("the HPA dialog");
    assert_eq!(
        dialog.action.kind,
        ActionKind::HpaBounds {
            hpa: "pos-catalog".into(),
            min: h.min,
            max: h.max
        }
    );
    assert!(
        dialog.preview.is_err(),
        "the bounds as they are change nothing"
    );
    retype(&mut state, FieldKind::MinReplicas, &(h.min + 1).to_string());
    retype(&mut state, FieldKind::MaxReplicas, &(h.max + 4).to_string());
    let dialog = state.dialog.as_ref().unwrap();
    let preview = dialog.preview.as_ref().expect("a valid change");
    assert_eq!(
        preview.change,
        format!(
            "HPA pos-catalog: min {} → {}, max {} → {}",
            h.min,
            h.min + 1,
            h.max,
            h.max + 4
        )
    );
    assert_eq!(
        preview.cli,
        format!(
            "kubectl -n pos patch hpa pos-catalog -p '{{\"spec\":{{\"minReplicas\":{},\"maxReplicas\":{}}}}}'",
            h.min + 1,
            h.max + 4
        )
    );
    retype(&mut state, FieldKind::MaxReplicas, "0");
    let refused = state.dialog.as_ref().unwrap().blocked_because().unwrap();
    assert!(refused.contains("at least min"), "{refused}");

    // On a workload without an HPA: a notice, no dialog.
    let mut state = on_service("pos-payment");
    press(&mut state, [ch('A')]);
    assert!(state.dialog.is_none());
}

#[test]
fn set_resources_sends_only_the_quantities_changed_and_shows_old_to_new() {
    let mut state = on_service("pdf-recognizer");
    press(&mut state, [ch('R')]);
    let dialog = state.dialog.as_ref().expect("the resources dialog");
    let value = |state: &State, kind| {
        let d = state.dialog.as_ref().unwrap();
        d.fields.iter().find(|f| f.kind == kind).unwrap().value()
    };
    assert_eq!(value(&state, FieldKind::Container), "pdf-recognizer");
    assert_eq!(value(&state, FieldKind::RequestsCpu), "100m");
    assert_eq!(value(&state, FieldKind::LimitsMemory), "512Mi");
    assert!(dialog.preview.is_err(), "nothing changed yet");
    retype(&mut state, FieldKind::LimitsMemory, "4Gi");
    let dialog = state.dialog.as_ref().unwrap();
    assert_eq!(
        dialog.action.kind,
        ActionKind::SetResources {
            container: "pdf-recognizer".into(),
            requests_cpu: None,
            requests_memory: None,
            limits_cpu: None,
            limits_memory: Some("4Gi".into()),
        }
    );
    let preview = dialog.preview.as_ref().expect("a change");
    assert_eq!(preview.change, "pdf-recognizer: limits.memory 512Mi → 4Gi");
    assert_eq!(
        preview.cli,
        "kubectl -n workflow set resources deployment/pdf-recognizer -c pdf-recognizer --limits=memory=4Gi"
    );
    assert!(preview.warnings.iter().any(|w| w.contains("replaced")));
    retype(&mut state, FieldKind::RequestsCpu, "lots");
    let refused = state.dialog.as_ref().unwrap().blocked_because().unwrap();
    assert!(refused.contains("not a quantity"), "{refused}");
}
