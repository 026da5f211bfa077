//! One walk through a checklist: the automatic steps' live outcomes, the operator's answers
//! and notes, the queries' answers, and the step in focus. Plain data, changed by the app.

use std::sync::Arc;

use super::checks::{Facts, evaluate};
use super::def::Checklist;
use super::outcome::{Outcome, Status};
use super::probe::{Probe, ProbeAnswer};
use crate::domain::UnixTime;

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub checklist: Arc<Checklist>,
    pub started: UnixTime,
    /// Per step: the live outcome of an automatic step, the answer to a manual one.
    pub outcomes: Vec<Outcome>,
    /// Per step: the operator's note.
    pub notes: Vec<String>,
    /// Per step: the answer of its query (SQL, PromQL).
    pub probes: Vec<Option<ProbeAnswer>>,
    /// The step in focus.
    pub current: usize,
}

impl Run {
    pub fn new(checklist: Arc<Checklist>, started: UnixTime) -> Run {
        let n = checklist.steps.len();
        let outcomes = checklist
            .steps
            .iter()
            .map(|s| match &s.check {
                None => Outcome::pending("not answered yet"),
                Some(_) => Outcome::pending("waiting for data"),
            })
            .collect();
        Run {
            checklist,
            started,
            outcomes,
            notes: vec![String::new(); n],
            probes: vec![None; n],
            current: 0,
        }
    }

    /// The queries to run, by step.
    pub fn probes_to_run(&self) -> Vec<(usize, Probe)> {
        self.checklist
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.check.as_ref().and_then(Probe::of).map(|p| (i, p)))
            .collect()
    }

    /// Re-evaluates every automatic step against the estate. Returns whether any changed.
    pub fn refresh(&mut self, facts: &Facts) -> bool {
        let mut changed = false;
        for (i, step) in self.checklist.steps.iter().enumerate() {
            if let Some(check) = &step.check {
                let mut outcome = evaluate(check, facts, self.probes[i].as_ref());
                if step.warn_only && outcome.status == Status::Fail {
                    outcome.status = Status::Warn;
                }
                if outcome != self.outcomes[i] {
                    self.outcomes[i] = outcome;
                    changed = true;
                }
            }
        }
        changed
    }

    /// Records a query's answer; the next `refresh` judges it.
    pub fn probe_answered(&mut self, step: usize, answer: ProbeAnswer) {
        if let Some(slot) = self.probes.get_mut(step) {
            *slot = Some(answer);
        }
    }

    /// Answers a manual step. Automatic steps are not the operator's to answer.
    pub fn answer(&mut self, step: usize, status: Status) -> bool {
        let manual = self
            .checklist
            .steps
            .get(step)
            .is_some_and(|s| s.is_manual());
        if manual {
            let word = match status {
                Status::Pass => "answered pass",
                Status::Fail => "answered fail",
                _ => "skipped",
            };
            self.outcomes[step] = Outcome::new(status, word);
        }
        manual
    }

    /// Answers every unanswered manual step with `status` (headless runs).
    pub fn answer_unanswered(&mut self, status: Status, why: &str) {
        for (i, step) in self.checklist.steps.iter().enumerate() {
            if step.is_manual() && self.outcomes[i].status == Status::Pending {
                self.outcomes[i] = Outcome::new(status, why);
            }
        }
    }

    /// Steps with a result, and all steps.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.outcomes.iter().filter(|o| o.status.is_done()).count();
        (done, self.outcomes.len())
    }

    /// The first manual step not answered yet.
    pub fn first_unanswered(&self) -> Option<usize> {
        self.checklist
            .steps
            .iter()
            .enumerate()
            .position(|(i, s)| s.is_manual() && self.outcomes[i].status == Status::Pending)
    }

    /// The next step after the current one that still needs the operator, else the next one.
    pub fn advance(&mut self) {
        let n = self.outcomes.len();
        let next_open = (self.current + 1..n).find(|&i| {
            self.checklist.steps[i].is_manual() && self.outcomes[i].status == Status::Pending
        });
        self.current = next_open.unwrap_or((self.current + 1).min(n.saturating_sub(1)));
    }

    /// The first step after the current one (wrapping) that failed or warns.
    pub fn next_problem(&self) -> Option<usize> {
        let n = self.outcomes.len();
        (1..=n)
            .map(|k| (self.current + k) % n)
            .find(|&i| self.outcomes[i].status >= Status::Warn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Estate, Report, ServiceKpis, SourceId, SourceKind, SourceReport};

    #[test]
    fn a_warn_only_step_fails_as_a_warning_and_manual_steps_wait_for_answers() {
        let text = "title = \"T\"\n\
            [[steps]]\ntitle = \"Fast\"\ncheck = \"kpi\"\nservice = \"pos/pos-order\"\nkpi = \"p95_ms\"\nmax = 100\n\
            [[steps]]\ntitle = \"Fast, softly\"\ncheck = \"kpi\"\nservice = \"pos/pos-order\"\nkpi = \"p95_ms\"\nmax = 100\nseverity = \"warn\"\n\
            [[steps]]\ntitle = \"Looked\"\n";
        let checklist =
            crate::checklist::def::parse(std::path::Path::new("t.toml"), "t", text).unwrap();
        let now = UnixTime(1_000);
        let mut estate = Estate::default();
        let mut kpis = ServiceKpis::new("pos/pos-order");
        kpis.p95_ms = Some(250.0);
        estate.apply(SourceReport {
            source: SourceId::new(SourceKind::Prometheus, "prometheus"),
            at: now,
            report: Report::Kpis(vec![kpis]),
        });
        let mut run = Run::new(Arc::new(checklist), now);
        assert_eq!(run.progress(), (0, 3));
        assert!(run.refresh(&Facts {
            estate: &estate,
            now
        }));
        let statuses: Vec<_> = run.outcomes.iter().map(|o| o.status).collect();
        assert_eq!(statuses, [Status::Fail, Status::Warn, Status::Pending]);
        assert!(
            !run.refresh(&Facts {
                estate: &estate,
                now
            }),
            "nothing changed"
        );
        assert!(
            !run.answer(0, Status::Pass),
            "an automatic step takes no answer"
        );
        assert_eq!(run.first_unanswered(), Some(2));
        run.answer_unanswered(Status::Skip, "headless");
        assert_eq!(run.outcomes[2].evidence, ["headless"]);
        assert_eq!(run.progress(), (3, 3));
    }
}
