//! The Jobs panel at update level: `:jobs` (and `:cronjobs`, `:cj`, `:job`) shows it, CronJobs
//! with their Jobs under them, following the chosen namespace; `→` on a CronJob narrows to its
//! Jobs; `l` on a Job opens its newest pod's log; `r` runs a CronJob now (a dialog with
//! kubectl's command), `S` suspends or resumes, `ctrl-d` deletes a finished Job and refuses a
//! running one with why, and each refuses the wrong kind of row.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::rows::JobRow;
use opsdeck::app::{Msg, Panel, State, prepare_frame, update};
use opsdeck::domain::job::JobStatus;

fn command(state: &mut State, text: &str) {
    press(state, [ch(':')]);
    press(state, text.chars().map(ch));
    press(state, [key(KeyCode::Enter)]);
}

/// The Jobs panel with the row named `name` selected (by the `/` filter).
fn on_row(name: &str) -> State {
    let mut state = demo_state((160, 48));
    command(&mut state, "jobs");
    press(&mut state, [ch('/')]);
    press(&mut state, name.chars().map(ch));
    press(&mut state, [key(KeyCode::Enter)]);
    prepare_frame(&mut state);
    assert_eq!(state.selected_job_row().map(|r| r.name()), Some(name));
    state
}

fn shown(state: &mut State) -> Vec<(String, String)> {
    prepare_frame(state);
    let rows = opsdeck::app::rows::JobRows {
        estate: &state.estate,
        now: state.now,
    };
    state
        .tables
        .jobs
        .visible()
        .iter()
        .filter_map(|i| rows.row(*i as usize))
        .map(|r| (r.kind().to_string(), r.name().to_string()))
        .collect()
}

#[test]
fn the_command_line_names_show_cronjobs_with_their_jobs_under_them() {
    for name in ["jobs", "cronjobs", "cj", "job"] {
        let mut state = demo_state((120, 40));
        command(&mut state, name);
        assert_eq!(state.panel, Panel::Jobs, ":{name}");
    }
    let mut state = demo_state((120, 40));
    command(&mut state, "jobs");
    let rows = shown(&mut state);
    let at = |name: &str| rows.iter().position(|r| r.1 == name).expect(name);
    let warmup = at("cache-warmup");
    assert_eq!(rows[warmup].0, "CronJob");
    // Its three kept Jobs follow it.
    for row in &rows[warmup + 1..warmup + 4] {
        assert_eq!(row.0, "Job");
        assert!(row.1.starts_with("cache-warmup-"), "{rows:?}");
    }
    command(&mut state, "ns pos");
    let rows = shown(&mut state);
    assert_eq!(rows.len(), 4, "pos's CronJob and its Jobs: {rows:?}");
}

#[test]
fn right_on_a_cronjob_narrows_to_its_jobs_and_l_opens_the_newest_pods_log() {
    let mut state = on_row("report-export");
    press(&mut state, [key(KeyCode::Right)]);
    let rows = shown(&mut state);
    assert_eq!(rows.len(), 3, "the CronJob and its two Jobs: {rows:?}");
    assert!(rows.iter().all(|r| r.1.starts_with("report-export")));
    press(&mut state, [key(KeyCode::Backspace)]);
    assert!(state.view.stack.is_empty() && state.panel == Panel::Jobs);

    // A Job whose pods are gone says so; one with a pod opens its log.
    let mut state = on_row("report-export");
    press(&mut state, [ch('l')]);
    assert!(state.pane.is_none());
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("has no pods left"), "{notice}");
    let job = state
        .estate
        .jobs
        .iter()
        .find(|j| j.owner.as_deref() == Some("report-export") && j.status == JobStatus::Failed)
        .unwrap()
        .name
        .clone();
    let mut pod = state.estate.pods.iter().next().unwrap().clone();
    pod.key = opsdeck::domain::PodKey::new("data", format!("{job}-x7k2p"));
    pod.owner = Some(format!("Job/{job}").into());
    upsert_pod(&mut state, pod);
    let effects = press(&mut state, [ch('l')]);
    assert!(
        effects.iter().any(|e| matches!(e, opsdeck::app::Effect::OpenLogs { pods, .. } if pods[0].ends_with("-x7k2p"))),
        "{effects:?}"
    );
}

#[test]
fn run_now_suspend_and_delete_open_their_dialogs_or_say_why_not() {
    let mut state = on_row("cache-warmup");
    press(&mut state, [ch('r')]);
    let dialog = state.dialog.as_ref().expect("run now's dialog");
    let preview = dialog.preview.as_ref().expect("run now is possible");
    assert!(
        preview
            .cli
            .starts_with("kubectl -n pos create job cache-warmup-manual-")
            && preview.cli.ends_with(" --from=cronjob/cache-warmup"),
        "{}",
        preview.cli
    );
    press(&mut state, [key(KeyCode::Esc)]);
    press(&mut state, [ch('S')]);
    let preview = state
        .dialog
        .as_ref()
        .expect("suspend")
        .preview
        .clone()
        .expect("possible");
    assert_eq!(
        preview.change,
        "cronjob cache-warmup: spec.suspend false → true"
    );
    press(&mut state, [key(KeyCode::Esc)]);
    // A CronJob is not deleted from here.
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert!(state.dialog.is_none());
    let notice = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("select a Job"), "{notice}");

    // The failed Job is finished: delete is offered; run now is not (a Job, not a CronJob).
    let failed = state
        .estate
        .jobs
        .iter()
        .find(|j| j.status == JobStatus::Failed)
        .unwrap()
        .name
        .clone();
    let mut state = on_row(&failed);
    assert!(matches!(state.selected_job_row(), Some(JobRow::Job(_))));
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let preview = state
        .dialog
        .as_ref()
        .expect("delete")
        .preview
        .clone()
        .expect("finished");
    assert_eq!(preview.cli, format!("kubectl -n data delete job {failed}"));
    press(&mut state, [key(KeyCode::Esc)]);
    press(&mut state, [ch('r')]);
    assert!(state.dialog.is_none());

    // A running Job: refused before any dialog, with why.
    let mut state = on_row(&failed);
    let mut jobs = state.estate.jobs.clone();
    jobs.iter_mut().find(|j| j.name == failed).unwrap().status = JobStatus::Running;
    let source = state
        .estate
        .sources
        .keys()
        .find(|s| s.kind == opsdeck::domain::SourceKind::Kubernetes)
        .cloned()
        .unwrap();
    let at = state.now;
    update(
        &mut state,
        Msg::Report(opsdeck::domain::SourceReport {
            source,
            at,
            report: opsdeck::domain::Report::Jobs(jobs),
        }),
    );
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let refused = state
        .current_notice()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        state.dialog.is_none() && refused.contains("deleting it would stop its pod mid-run"),
        "{refused}"
    );
}
