use super::*;

fn crumb(from: Panel, origin: Option<&str>, narrow: Narrow) -> Crumb {
    Crumb {
        context: None,
        narrow,
        from,
        origin: origin.map(String::from),
        details: false,
        details_view: Default::default(),
        target: TargetMark::Backups(TableMark {
            filter: String::new(),
            selected_id: None,
            offset: 0,
        }),
    }
}

#[test]
fn the_breadcrumb_names_each_step_once_and_only_the_top_narrows() {
    let mut view = ViewFilter::default();
    assert_eq!(view.breadcrumb(), None);
    view.stack.push(crumb(
        Panel::Alerts,
        Some("HighErrorRate"),
        Narrow::Workload {
            namespace: "workflow".into(),
            name: "pdf-recognizer".into(),
        },
    ));
    view.stack.push(crumb(
        Panel::Services,
        Some("workflow/pdf-recognizer"),
        Narrow::PodsOf {
            namespace: "workflow".into(),
            owner: "Deployment/pdf-recognizer".into(),
        },
    ));
    assert_eq!(
        view.breadcrumb().unwrap(),
        ["Alerts", "HighErrorRate", "workflow/pdf-recognizer", "pods"]
    );
    assert!(view.narrow_for(Panel::Pods).is_some());
    assert_eq!(
        view.narrow_for(Panel::Services),
        None,
        "only the shown view narrows"
    );
}

#[test]
fn the_scope_key_is_zero_where_nothing_narrows_and_changes_with_the_filter() {
    let mut view = ViewFilter::default();
    assert_eq!(view.scope_key(Panel::Pods), 0);
    view.namespace = Some("pos".into());
    view.changed();
    let first = view.scope_key(Panel::Pods);
    assert_ne!(first, 0);
    assert_eq!(view.scope_key(Panel::Services), first);
    assert_eq!(
        view.scope_key(Panel::Alerts),
        0,
        "alerts are not a Kubernetes panel"
    );
    view.namespace = Some("data".into());
    view.changed();
    assert_ne!(
        view.scope_key(Panel::Pods),
        first,
        "another namespace, other rows"
    );
}
