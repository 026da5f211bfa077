//! `opsdeck checklist list` and `opsdeck checklist run NAME`: a checklist walked without a
//! terminal, for cron and the team's channel. The sources start as for the cockpit; once they
//! have answered (or the wait is over) the automatic steps are judged, the queries run, the
//! report is written and a summary printed. Exit status: 0 nothing failed, 1 a step failed,
//! 2 a usage or config error.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::app::Msg;
use crate::checklist::checks::Facts;
use crate::checklist::{Catalog, Check, Outcome, Run, RunRecord, Status, store};
use crate::cli::{ChecklistRunArgs, ManualAnswer, ReportFormat};
use crate::domain::UnixTime;
use crate::startup::{self, Startup};

pub const EXIT_PASSED: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Prints the checklists, one per line, and the files that could not be read.
pub fn list(catalog: &Catalog) -> u8 {
    let mut out = std::io::stdout().lock();
    for c in &catalog.checklists {
        let auto = c.steps.iter().filter(|s| !s.is_manual()).count();
        let _ = writeln!(
            out,
            "{:<16} {:<36} {:>2} steps ({auto} automatic)  {}",
            c.name,
            c.title,
            c.steps.len(),
            c.origin
        );
    }
    for problem in &catalog.problems {
        eprintln!("opsdeck: checklist skipped: {problem}");
    }
    if catalog.problems.is_empty() {
        EXIT_PASSED
    } else {
        EXIT_USAGE
    }
}

/// Runs one checklist headless; returns the exit status.
pub async fn run(startup: &Startup, args: &ChecklistRunArgs) -> u8 {
    let catalog = &startup.settings.checklists.catalog;
    let Some(checklist) = catalog.get(&args.name).cloned() else {
        match catalog.problem_for(&args.name) {
            Some(problem) => eprintln!("opsdeck: {problem}"),
            None => eprintln!(
                "opsdeck: no checklist `{}`; there are: {}",
                args.name,
                catalog
                    .checklists
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        return EXIT_USAGE;
    };
    let (mut state, mut inputs, runner) = startup::start(startup, (120, 40));
    progress(&format!(
        "{}: waiting for {} sources (at most {})…",
        args.name,
        state.estate.sources.len(),
        humantime::format_duration(args.wait)
    ));
    crate::snapshot::wait_for_first_data(&mut state, &mut inputs.reports, args.wait).await;
    let needs_log_errors = checklist
        .steps
        .iter()
        .any(|s| matches!(s.check, Some(Check::LogErrors { .. })));
    if needs_log_errors {
        progress(&format!(
            "{}: reading {} pods' logs for the error counts…",
            args.name,
            state.estate.pods.len()
        ));
        read_log_errors_once(&mut state, &mut inputs, &runner, args.wait).await;
    }
    let mut run = Run::new(checklist, state.now);
    let probes = run.probes_to_run();
    if !probes.is_empty() {
        progress(&format!("{}: running {} queries…", args.name, probes.len()));
    }
    let answers = futures::future::join_all(
        probes
            .iter()
            .map(|(step, probe)| async { (*step, runner.prober.run(probe).await) }),
    )
    .await;
    for (step, answer) in answers {
        run.probe_answered(step, answer);
    }
    // Whatever arrived while the queries ran counts too.
    while let Ok(report) = inputs.reports.try_recv() {
        crate::app::update(&mut state, Msg::Report(report));
    }
    let now = UnixTime::now();
    run.refresh(&Facts {
        estate: &state.estate,
        now,
    });
    let waited = humantime::format_duration(args.wait);
    for (i, outcome) in run.outcomes.iter_mut().enumerate() {
        if outcome.status == Status::Pending && !run.checklist.steps[i].is_manual() {
            let why = outcome.evidence.first().cloned().unwrap_or_default();
            *outcome = Outcome::new(
                Status::Fail,
                format!("unreachable: no answer within {waited} ({why})"),
            );
        }
    }
    let (manual, word) = match args.manual {
        ManualAnswer::Skip => (Status::Skip, "skip"),
        ManualAnswer::Fail => (Status::Fail, "fail"),
    };
    run.answer_unanswered(
        manual,
        &format!("not answered: headless run (--manual {word})"),
    );
    let mut record = RunRecord::of(&run, &state.settings.operator, &state.context, now);
    let state_dir = state.settings.state_dir.clone();
    if let Some(previous) = state_dir
        .as_deref()
        .and_then(|d| store::last_run(d, &record.checklist))
    {
        record.compare_with(&previous);
    }
    let mut dirs: Vec<PathBuf> = state_dir
        .iter()
        .map(|d| store::runs_dir(d, &record.checklist))
        .collect();
    dirs.extend(state.settings.checklists.reports.clone());
    let mut written = match store::write(&record, &dirs) {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("opsdeck: {e}");
            Vec::new()
        }
    };
    if let Some(path) = &args.report {
        match write_report(&record, path, args.format) {
            Ok(()) => written.insert(0, path.clone()),
            Err(e) => {
                eprintln!("opsdeck: {e}");
                return EXIT_USAGE;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{}", record.summary());
    for path in &written {
        let _ = writeln!(out, "report: {}", path.display());
    }
    if record.result == Status::Fail {
        EXIT_FAILED
    } else {
        EXIT_PASSED
    }
}

/// A line of progress on stderr, when a person is watching (not from cron).
fn progress(text: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprintln!("{text}");
    }
}

/// The report in the format asked for, or the one its extension says.
fn write_report(
    record: &RunRecord,
    path: &Path,
    format: Option<ReportFormat>,
) -> Result<(), String> {
    let format = format.unwrap_or(match path.extension().and_then(|e| e.to_str()) {
        Some("json") => ReportFormat::Json,
        _ => ReportFormat::Md,
    });
    let text = match format {
        ReportFormat::Md => record.to_markdown(),
        ReportFormat::Json => record.to_json(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// One pass over the pods' logs for the error counts, as the cockpit makes every interval.
async fn read_log_errors_once(
    state: &mut crate::app::State,
    inputs: &mut crate::app::runtime::Inputs,
    runner: &crate::app::runner::Runner,
    wait: std::time::Duration,
) {
    state.now = UnixTime::now();
    let Some(crate::app::Effect::ReadLogErrors(scans)) =
        crate::app::logs::schedule_error_reads(state)
    else {
        return;
    };
    runner.read_log_errors(scans);
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, inputs.inbox.recv()).await {
        let done = matches!(msg, Msg::LogErrorsPassDone);
        crate::app::update(state, msg);
        if done {
            break;
        }
    }
}
