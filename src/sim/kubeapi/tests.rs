//! The mirror against a generated world: lists page, watches resume, old versions expire.

use super::*;
use crate::config::DemoConfig;
use crate::domain::UnixTime;
use crate::sim::World;

fn world(pods: usize) -> World {
    let config = DemoConfig {
        pods,
        ..DemoConfig::default()
    };
    let mut world = World::generate(&config, 1, UnixTime(1_800_000_000));
    world.serve_kubernetes(Policy::default(), 64);
    world
}

#[test]
fn lists_page_through_every_pod_once() {
    let w = world(300);
    let api = w.api.as_ref().unwrap();
    let mut seen = Vec::new();
    let mut query = ListQuery {
        limit: Some(70),
        ..ListQuery::default()
    };
    loop {
        let page = api.list(Resource::Pods, &query);
        // The estimate a client shows while listing: what the pages after this one hold.
        let after = 300 - seen.len() - page.items.len();
        assert_eq!(page.remaining, (after > 0).then_some(after));
        seen.extend(
            page.items
                .iter()
                .map(|p| p["metadata"]["name"].as_str().unwrap().to_string()),
        );
        match page.continue_token {
            Some(token) => query.continue_from = Some(token),
            None => break,
        }
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), 300);
    assert_eq!(unique.len(), 300);
    let pos = api.list(
        Resource::Deployments,
        &ListQuery {
            namespace: Some("pos".into()),
            ..ListQuery::default()
        },
    );
    assert!(
        pos.items
            .iter()
            .all(|d| d["metadata"]["namespace"] == "pos")
    );
    assert!(
        pos.items
            .iter()
            .any(|d| d["metadata"]["name"] == "pos-order")
    );
}

#[test]
fn changes_are_journalled_and_old_versions_expire() {
    let mut w = world(50);
    let start = w.api.as_ref().unwrap().resource_version();
    let (backlog, _rx) = w.api.as_ref().unwrap().watch_from(start).unwrap();
    assert!(backlog.is_empty());
    for i in 0..5 {
        let now = UnixTime(1_800_000_000 + i);
        let reports = w.step(now);
        w.absorb_kubernetes(&reports);
    }
    let api = w.api.as_ref().unwrap();
    let (backlog, _) = api.watch_from(start).unwrap();
    assert!(!backlog.is_empty(), "the world's steps changed something");
    assert!(backlog.windows(2).all(|p| p[0].rv < p[1].rv));
    // Push the journal past its 64 entries: the starting version is gone.
    let mut w = w;
    for i in 0..200 {
        let reports = w.step(UnixTime(1_800_000_100 + i));
        w.absorb_kubernetes(&reports);
    }
    let api = w.api.as_ref().unwrap();
    if api.resource_version() > start + 64 {
        assert!(api.watch_from(start).is_err());
    }
}
