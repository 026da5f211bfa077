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
        let after = 300 + crate::sim::daemonsets::NODE_PODS - seen.len() - page.items.len();
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
    let all = 300 + crate::sim::daemonsets::NODE_PODS;
    assert_eq!(seen.len(), all);
    assert_eq!(unique.len(), all);
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

/// A drain meets a finished Job's pod on its node: evicting it deletes it (it was refused as
/// "not found" among the workloads' pods, and the drain failed there).
#[test]
fn a_jobs_pod_is_evicted_as_any_other() {
    let mut w = world(300);
    let reports = w.create_job("pos", "cache-warmup-manual-x", Some("cache-warmup"), true);
    assert!(!reports.is_empty());
    w.publish_k8s(reports);
    let pod = w
        .api
        .as_ref()
        .unwrap()
        .pods
        .iter_in(Some("pos"))
        .find(|e| e.object.key.name.starts_with("cache-warmup-manual-x-"))
        .map(|e| e.object.key.name.to_string())
        .expect("the Job's pod is served");
    w.api_evict("pos", &pod, false)
        .expect("the Job's pod is evicted");
    assert!(w.api.as_ref().unwrap().pod("pos", &pod).is_none());
    assert!(
        w.jobs
            .iter()
            .all(|j| j.pods.iter().all(|p| *p.key.name != *pod))
    );
}

#[test]
fn a_budget_allows_one_eviction_then_refuses_until_the_replacement_is_ready() {
    let mut w = world(300);
    let catalog: Vec<String> = w
        .api
        .as_ref()
        .unwrap()
        .pods
        .iter_in(Some("pos"))
        .filter(|e| e.object.key.name.starts_with("pos-catalog-"))
        .map(|e| e.object.key.name.to_string())
        .take(2)
        .collect();
    let allowed = |w: &crate::sim::World| {
        w.api
            .as_ref()
            .unwrap()
            .get(Resource::PodDisruptionBudgets, "pos", "pos-catalog")
            .unwrap()["status"]["disruptionsAllowed"]
            .clone()
    };
    assert_eq!(allowed(&w), 1);
    // A dry run changes nothing.
    w.api_evict("pos", &catalog[0], true).expect("a dry run");
    assert_eq!(allowed(&w), 1);
    w.api_evict("pos", &catalog[0], false)
        .expect("the first eviction");
    assert!(w.api.as_ref().unwrap().pod("pos", &catalog[0]).is_none());
    assert_eq!(allowed(&w), 0, "its replacement is not Ready yet");
    let refused = w.api_evict("pos", &catalog[1], false).unwrap_err();
    assert_eq!(
        (refused.code, refused.message.as_str()),
        (429, super::VIOLATION)
    );
    // Two ticks later the replacement runs, Ready: the next one may go.
    for _ in 0..2 {
        let now = w.now.plus(1);
        let reports = w.step(now);
        w.absorb_kubernetes(&reports);
    }
    assert_eq!(allowed(&w), 1);
    w.api_evict("pos", &catalog[1], false)
        .expect("allowed again");
}
