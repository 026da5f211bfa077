//! The CronJobs' schedules, the demo's starting history, and a Job run to its end.

use super::*;

#[test]
fn schedules_fire_on_their_minute_and_hour() {
    let at = UnixTime::parse_rfc3339("2026-12-01T10:37:12Z").unwrap();
    let fire = |s| previous_fire(s, at).unwrap().rfc3339();
    assert_eq!(fire("*/5 * * * *"), "2026-12-01T10:35:00Z");
    assert_eq!(fire("0 2 * * *"), "2026-12-01T02:00:00Z");
    assert_eq!(fire("30 11 * * *"), "2026-11-30T11:30:00Z");
}

#[test]
fn the_demo_starts_with_a_failed_job_and_none_running() {
    let now = UnixTime::parse_rfc3339("2026-12-01T10:37:12Z").unwrap();
    let (cronjobs, jobs) = make(now);
    assert_eq!(cronjobs.len(), 3);
    assert!(jobs.iter().all(|j| j.job.status.finished()));
    let failed: Vec<_> = jobs
        .iter()
        .filter(|j| j.job.status == JobStatus::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].job.owner.as_deref(), Some(FAILING));
    assert_eq!(failed[0].job.failed, 3, "backoffLimit 2: three attempts");
}

#[test]
fn a_job_runs_its_pod_then_completes_and_old_ones_go() {
    let config = crate::config::DemoConfig::default();
    let start = UnixTime::parse_rfc3339("2026-12-01T10:34:00Z").unwrap();
    let mut world = World::generate(&config, 2, start);
    let pods_before = world.pods.len();
    let mut out = Vec::new();
    world.now = start.plus(60); // 10:35: cache-warmup fires
    world.advance_jobs(&mut out);
    let name = scheduled_name("cache-warmup", start.plus(60));
    let running = world.jobs.iter().find(|j| j.job.name == name).unwrap();
    assert_eq!(running.job.status, JobStatus::Running);
    assert_eq!(running.pods.len(), 1);
    assert!(out.iter().any(|r| matches!(r, Report::PodUpsert(_))));
    world.now = start.plus(60 + 25);
    out.clear();
    world.advance_jobs(&mut out);
    let done = world.jobs.iter().find(|j| j.job.name == name).unwrap();
    assert_eq!(done.job.status, JobStatus::Complete);
    assert_eq!(&*done.pods[0].status, "Completed");
    // Three successful kept: the oldest of the four went, with its pods.
    let warmups = world
        .jobs
        .iter()
        .filter(|j| j.job.owner.as_deref() == Some("cache-warmup"))
        .count();
    assert_eq!(warmups, 3);
    assert_eq!(
        world.pods.len(),
        pods_before,
        "the world's own pods are untouched"
    );
}
