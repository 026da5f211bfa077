//! The Checklist panel's state: which checklist is chosen, the run being walked, the note being
//! typed, the last run of each checklist (to say what changed), and the report just written.
//! Keys are in `keys.rs`; the view is `ui::panels::checklist`.

mod keys;

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui_textarea::TextArea;

pub use keys::{on_command, on_note_key};

use super::msg::{Effect, Msg};
use super::state::State;
use crate::checklist::checks::Facts;
use crate::checklist::{Catalog, Run, RunRecord, store};
use crate::domain::{Level, UnixTime};

/// What does not change while the cockpit runs.
#[derive(Debug, Clone, Default)]
pub struct ChecklistSettings {
    pub catalog: Catalog,
    /// `[checklists] reports`: reports are also written here.
    pub reports: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Finished {
    pub record: RunRecord,
    /// Where the report went (the Markdown files), or why not; `None` while it is written.
    pub written: Option<Result<Vec<PathBuf>, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct ChecklistState {
    /// The checklist chosen in the list.
    pub selected: usize,
    pub run: Option<Run>,
    /// Numbers runs, so a late query answer for an abandoned run is dropped.
    pub run_id: u64,
    /// The note being typed for the current step.
    pub note: Option<TextArea<'static>>,
    /// The last finished run of each checklist, by name.
    pub last_runs: HashMap<String, RunRecord>,
    /// The run just finished, shown until the operator goes back to the list.
    pub finished: Option<Finished>,
    /// The second the run was last judged; the checks run at most once a second.
    judged_at: Option<UnixTime>,
    /// The abandon key was pressed once; a second press abandons.
    pub abandon_armed: bool,
}

impl ChecklistState {
    /// The last runs kept in the state directory, for every known checklist.
    pub fn load_last_runs(&mut self, catalog: &Catalog, state_dir: Option<&std::path::Path>) {
        let Some(dir) = state_dir else { return };
        for c in &catalog.checklists {
            if let Some(record) = store::last_run(dir, &c.name) {
                self.last_runs.insert(c.name.clone(), record);
            }
        }
    }
}

/// Starts the selected checklist: its queries are run at once.
pub fn start(state: &mut State) -> Vec<Effect> {
    let catalog = &state.settings.checklists.catalog;
    let Some(checklist) = catalog.checklists.get(state.checklist.selected).cloned() else {
        return Vec::new();
    };
    let run = Run::new(checklist, state.now);
    state.checklist.run_id += 1;
    state.checklist.finished = None;
    state.checklist.judged_at = None;
    let probes = run.probes_to_run();
    state.checklist.run = Some(run);
    judge(state);
    if probes.is_empty() {
        return Vec::new();
    }
    vec![Effect::RunProbes {
        run: state.checklist.run_id,
        probes,
    }]
}

/// Runs the current run's queries again.
pub fn rerun_probes(state: &mut State) -> Vec<Effect> {
    let Some(run) = &state.checklist.run else {
        return Vec::new();
    };
    let probes = run.probes_to_run();
    if probes.is_empty() {
        state.notify("this checklist has no queries to run", Level::Ok, 3);
        return Vec::new();
    }
    state.notify(
        format!("running {} queries again", probes.len()),
        Level::Ok,
        3,
    );
    vec![Effect::RunProbes {
        run: state.checklist.run_id,
        probes,
    }]
}

/// A query's answer for step `step` of run `run`.
pub fn on_probe_answered(state: &mut State, msg: Msg) {
    if let Msg::ProbeAnswered { run, step, answer } = msg
        && run == state.checklist.run_id
        && let Some(current) = state.checklist.run.as_mut()
    {
        current.probe_answered(step, answer);
        state.checklist.judged_at = None;
        state.dirty = true;
    }
}

/// Judges the automatic steps against the estate, at most once a second (the pods check walks
/// every pod). Called before each frame and when a run starts.
pub fn judge(state: &mut State) {
    let ChecklistState { run, judged_at, .. } = &mut state.checklist;
    let Some(run) = run.as_mut() else { return };
    if *judged_at == Some(state.now) {
        return;
    }
    *judged_at = Some(state.now);
    run.refresh(&Facts {
        estate: &state.estate,
        now: state.now,
    });
}

/// Finishes the run: every manual step must be answered. The report is written off the UI
/// loop into the state directory and the configured reports directory.
pub fn finish(state: &mut State) -> Vec<Effect> {
    judge(state);
    let Some(run) = state.checklist.run.as_mut() else {
        return Vec::new();
    };
    if let Some(open) = run.first_unanswered() {
        run.current = open;
        let text = format!(
            "step {} is not answered yet: p pass, f fail, s skip",
            open + 1
        );
        state.notify(text, Level::Warn, 6);
        return Vec::new();
    }
    let Some(run) = state.checklist.run.take() else {
        return Vec::new();
    };
    let mut record = RunRecord::of(&run, &state.settings.operator, &state.context, state.now);
    if let Some(previous) = state.checklist.last_runs.get(&record.checklist) {
        record.compare_with(previous);
    }
    let mut dirs = Vec::new();
    if let Some(dir) = &state.settings.state_dir {
        dirs.push(store::runs_dir(dir, &record.checklist));
    }
    dirs.extend(state.settings.checklists.reports.clone());
    state
        .checklist
        .last_runs
        .insert(record.checklist.clone(), record.clone());
    let effects = if dirs.is_empty() {
        state.checklist.finished = Some(Finished {
            record,
            written: Some(Err("no state directory and no [checklists] reports".into())),
        });
        Vec::new()
    } else {
        state.checklist.finished = Some(Finished {
            record: record.clone(),
            written: None,
        });
        vec![Effect::WriteReport {
            record: Box::new(record),
            dirs,
        }]
    };
    state.checklist.abandon_armed = false;
    state.dirty = true;
    effects
}

pub fn on_report_written(state: &mut State, result: Result<Vec<PathBuf>, String>) {
    match &result {
        Ok(paths) => {
            if let Some(first) = paths.first() {
                state.notify(format!("report written: {}", first.display()), Level::Ok, 8);
            }
        }
        Err(e) => state.notify(format!("report not written: {e}"), Level::Crit, 10),
    }
    if let Some(finished) = state.checklist.finished.as_mut() {
        finished.written = Some(result);
    }
}
