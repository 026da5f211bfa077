//! A finished run as a record (the JSON report, kept so the next run can say what changed) and
//! as Markdown for people: the result, what changed since last time, each step with its
//! evidence and note.

use serde::{Deserialize, Serialize};

use super::outcome::Status;
use super::run::Run;
use crate::domain::UnixTime;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub checklist: String,
    pub title: String,
    pub operator: String,
    /// The Kubernetes context the estate came from.
    pub context: String,
    pub started: String,
    pub finished: String,
    /// `pass` (nothing failed) or `fail`.
    pub result: Status,
    pub counts: Counts,
    pub steps: Vec<StepRecord>,
    /// What differs from the previous run, when there was one.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// When the previous run finished.
    #[serde(default)]
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    pub id: String,
    pub title: String,
    /// The check's kind, or `manual`.
    pub kind: String,
    pub status: Status,
    pub evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Passed (or was skipped) last time, fails or warns now.
    New,
    /// Failed or warned last time, passes now.
    Fixed,
    /// Warned last time, fails now.
    Worse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub step: String,
    /// The step's title and its leading evidence.
    pub text: String,
}

impl RunRecord {
    /// The run's record as of `finished`; still-pending steps are recorded as they stand.
    pub fn of(run: &Run, operator: &str, context: &str, finished: UnixTime) -> RunRecord {
        let steps: Vec<StepRecord> = run
            .checklist
            .steps
            .iter()
            .zip(&run.outcomes)
            .zip(&run.notes)
            .map(|((step, outcome), note)| StepRecord {
                id: step.id.clone(),
                title: step.title.clone(),
                kind: step
                    .check
                    .as_ref()
                    .map_or("manual", |c| c.kind())
                    .to_string(),
                status: outcome.status,
                evidence: outcome.evidence.clone(),
                note: crate::ui::text::clean(note.trim()).into_owned(),
            })
            .collect();
        let mut counts = Counts::default();
        for s in &steps {
            match s.status {
                Status::Pass => counts.pass += 1,
                Status::Warn => counts.warn += 1,
                Status::Fail | Status::Pending => counts.fail += 1,
                Status::Skip => counts.skip += 1,
            }
        }
        RunRecord {
            checklist: run.checklist.name.clone(),
            title: run.checklist.title.clone(),
            operator: operator.to_string(),
            context: context.to_string(),
            started: run.started.rfc3339(),
            finished: finished.rfc3339(),
            result: if counts.fail > 0 {
                Status::Fail
            } else {
                Status::Pass
            },
            counts,
            steps,
            changes: Vec::new(),
            previous: None,
        }
    }

    /// Compares with the previous run of the same checklist, step by step (by id).
    pub fn compare_with(&mut self, previous: &RunRecord) {
        self.previous = Some(previous.finished.clone());
        self.changes = self
            .steps
            .iter()
            .filter_map(|now| {
                let before = previous.steps.iter().find(|p| p.id == now.id)?;
                let bad = |s: Status| s >= Status::Warn;
                let kind = if bad(now.status) && !bad(before.status) {
                    ChangeKind::New
                } else if !bad(now.status) && bad(before.status) && now.status == Status::Pass {
                    ChangeKind::Fixed
                } else if now.status == Status::Fail && before.status == Status::Warn {
                    ChangeKind::Worse
                } else {
                    return None;
                };
                let detail = match kind {
                    ChangeKind::Fixed => before.evidence.first(),
                    _ => now.evidence.first(),
                };
                let text = match detail {
                    Some(d) => format!("{}: {d}", now.title),
                    None => now.title.clone(),
                };
                Some(Change {
                    kind,
                    step: now.id.clone(),
                    text,
                })
            })
            .collect();
    }

    pub fn to_json(&self) -> String {
        // Evidence can quote an error that names a URL: no secret of one is written.
        let json = serde_json::to_string_pretty(self).expect("a run record always serialises");
        crate::domain::redact::urls(&json).into_owned() + "\n"
    }

    /// One line for a chat or a cron mail: the result and the counts.
    pub fn headline(&self) -> String {
        let c = &self.counts;
        format!(
            "{}: {} — {} passed, {} warnings, {} failed, {} skipped",
            self.checklist,
            self.result.word().to_uppercase(),
            c.pass,
            c.warn,
            c.fail,
            c.skip
        )
    }

    /// The headline, the changes and every step that did not pass, one line each.
    pub fn summary(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        for change in &self.changes {
            out.push_str(&format!(
                "  {}: {}\n",
                change_word(change.kind),
                change.text
            ));
        }
        for s in self.steps.iter().filter(|s| s.status >= Status::Warn) {
            let first = s.evidence.first().map_or("", String::as_str);
            out.push_str(&format!("  {} {}: {first}\n", mark(s.status), s.title));
        }
        crate::domain::redact::urls(&out).into_owned()
    }

    pub fn to_markdown(&self) -> String {
        let mut md = format!("# {}\n\n", self.title);
        md.push_str(&format!(
            "**{}** · {} passed · {} warnings · {} failed · {} skipped\n\n",
            self.result.word().to_uppercase(),
            self.counts.pass,
            self.counts.warn,
            self.counts.fail,
            self.counts.skip
        ));
        md.push_str(&format!(
            "Checklist `{}` · operator {} · context `{}` · started {} · finished {}\n\n",
            self.checklist, self.operator, self.context, self.started, self.finished
        ));
        if let Some(previous) = &self.previous {
            md.push_str(&format!("## Since the last run ({previous})\n\n"));
            if self.changes.is_empty() {
                md.push_str("Nothing changed.\n\n");
            }
            for change in &self.changes {
                md.push_str(&format!(
                    "- {}: {}\n",
                    change_word(change.kind),
                    change.text
                ));
            }
            if !self.changes.is_empty() {
                md.push('\n');
            }
        }
        md.push_str("## Steps\n\n");
        for (i, s) in self.steps.iter().enumerate() {
            md.push_str(&format!(
                "{}. {} **{}** — {}{}\n",
                i + 1,
                mark(s.status),
                s.status.word().to_uppercase(),
                s.title,
                if s.kind == "manual" { " (manual)" } else { "" }
            ));
            for line in &s.evidence {
                md.push_str(&format!("   - {line}\n"));
            }
            if !s.note.is_empty() {
                md.push_str(&format!("   - Note: {}\n", s.note.replace('\n', " ")));
            }
        }
        crate::domain::redact::urls(&md).into_owned()
    }
}

fn change_word(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::New => "new",
        ChangeKind::Fixed => "fixed",
        ChangeKind::Worse => "worse",
    }
}

/// The status's mark, as in the cockpit (colour is not carried into files).
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✔",
        Status::Warn => "▲",
        Status::Fail => "✖",
        Status::Skip => "–",
        Status::Pending => "…",
    }
}
