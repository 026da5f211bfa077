//! Snapshots of a cockpit watching two clusters at 80x24 and 160x48: the Pods and Services
//! tables led by the CONTEXT column (the production one labelled `PROD`), the rows of the
//! cluster that went down marked so while the other's are not, the status bar naming the
//! fleet and its production cluster, and the Overview's line per cluster. Read them by eye
//! when they change.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::KeyCode;
use opsdeck::app::{Msg, Settings, State, update};
use opsdeck::config::ContextStyle;
use opsdeck::domain::cluster_row::no_context;
use opsdeck::domain::{Report, SourceId, SourceKind, SourceReport};
use opsdeck::snapshot::{render, to_text};

/// The demo estate as cluster `demo` (production), and the same estate reported again as
/// cluster `staging`, which then goes down.
fn fleet(size: (u16, u16)) -> State {
    let base = settings("default", "default", false);
    let settings = Arc::new(Settings {
        watched: vec!["demo".into(), "staging".into()],
        context_styles: vec![ContextStyle {
            context: "demo".into(),
            label: "PROD".into(),
            color: None,
            production: true,
        }],
        ..(*base).clone()
    });
    let mut state = demo_state_with(settings, size, 300, 3);
    let staging = SourceId::new(SourceKind::Kubernetes, "staging");
    state.estate.register_source(staging.clone(), 10);
    let estate = &state.estate;
    let pods = estate
        .pods
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.key.context = no_context();
            p
        })
        .collect();
    let reports = vec![
        Report::PodsReset(pods),
        Report::Workloads(estate.workloads.clone()),
        Report::Namespaces(estate.namespaces.clone()),
        Report::Nodes(estate.nodes.clone()),
        Report::Unreachable("connection refused".into()),
    ];
    let at = state.now;
    for report in reports {
        let report = SourceReport {
            source: staging.clone(),
            at,
            report,
        };
        update(&mut state, Msg::Report(report));
    }
    state
}

#[test]
fn fleet_tables_status_bar_and_overview() {
    for size in [(80, 24), (160, 48)] {
        let mut state = fleet(size);
        let (w, h) = size;
        insta::assert_snapshot!(
            format!("fleet_overview_{w}x{h}"),
            to_text(&render(&mut state))
        );
        press(&mut state, [ch('2'), ch('/')]);
        press(&mut state, typed("pos-catalog"));
        press(&mut state, [key(KeyCode::Enter)]);
        insta::assert_snapshot!(format!("fleet_pods_{w}x{h}"), to_text(&render(&mut state)));
        press(&mut state, [ch('3'), ch('/')]);
        press(&mut state, typed("pos-"));
        press(&mut state, [key(KeyCode::Enter)]);
        insta::assert_snapshot!(
            format!("fleet_services_{w}x{h}"),
            to_text(&render(&mut state))
        );
    }
}
