//! A checklist as written in its TOML file: a name, a title and ordered steps, each either an
//! automatic check computed from the estate or a question for the operator. Parsing reports a
//! bad step with the file, the step's line and its number and title.

use std::path::Path;

use serde::Deserialize;

use crate::config::ConfigError;

/// How many restarts within the last day make a pod worth a look, unless a step says.
const DEFAULT_MAX_RESTARTS: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    /// What `opsdeck checklist run NAME` calls it: the file's stem unless it says otherwise.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub steps: Vec<Step>,
    /// Where it was read from (`assets/checklists/morning.toml` for the shipped ones).
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Stable across runs, so the next run can say what changed: `id`, else the title's slug.
    pub id: String,
    pub title: String,
    /// What to look at or which command to run.
    pub hint: Option<String>,
    /// `None`: a manual step, answered pass / fail / skip by the operator.
    pub check: Option<Check>,
    /// `severity = "warn"`: a failed check counts as a warning (the runbook's "review the
    /// logs" kind of finding), so it does not fail the run.
    pub warn_only: bool,
}

impl Step {
    pub fn is_manual(&self) -> bool {
        self.check.is_none()
    }
}

/// An automatic check; `check = "..."` in the file names the kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// Every configured HTTP health check up, and every workload's replicas ready.
    Services { namespace: Option<String> },
    /// No pod crash-looping or failing, none restarted more than `max_restarts` times with a
    /// restart in the last 24 h.
    Pods {
        namespace: Option<String>,
        #[serde(default = "default_max_restarts")]
        max_restarts: u32,
    },
    /// No firing critical alert; firing warnings are listed as a warning.
    Alerts,
    /// Every PostgreSQL instance (or the one named) below its connection warning threshold.
    Postgres { instance: Option<String> },
    /// Every Redis (or the one named) answering PING and below its memory warning threshold.
    Redis { instance: Option<String> },
    /// Every backup set (or the one named) within its RPO with its last verification passed.
    Backups { set: Option<String> },
    /// A service's KPI from Prometheus (`p95_ms`, `error_rate`, `requests_per_s`) within bounds.
    Kpi {
        service: String,
        kpi: KpiName,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A PromQL query's value within bounds.
    Promql {
        query: String,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A SQL query's single value within bounds, run read-only on a `[[postgres]]` instance.
    Sql {
        postgres: String,
        query: String,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// ERROR lines in the workloads' logs (all, or one `namespace/name`) within a window.
    LogErrors {
        workload: Option<String>,
        #[serde(default)]
        window: LogWindow,
        max: u64,
    },
}

fn default_max_restarts() -> u32 {
    DEFAULT_MAX_RESTARTS
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiName {
    P95Ms,
    ErrorRate,
    RequestsPerS,
}

impl KpiName {
    pub fn word(self) -> &'static str {
        match self {
            KpiName::P95Ms => "p95 (ms)",
            KpiName::ErrorRate => "error rate",
            KpiName::RequestsPerS => "requests/s",
        }
    }
}

/// The windows the error counts are kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum LogWindow {
    #[serde(rename = "15m")]
    Minutes15,
    #[default]
    #[serde(rename = "24h")]
    Hours24,
}

impl LogWindow {
    pub fn word(self) -> &'static str {
        match self {
            LogWindow::Minutes15 => "15 min",
            LogWindow::Hours24 => "24 h",
        }
    }
}

impl Check {
    /// The kind's name, as written after `check =`.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Services { .. } => "services",
            Check::Pods { .. } => "pods",
            Check::Alerts => "alerts",
            Check::Postgres { .. } => "postgres",
            Check::Redis { .. } => "redis",
            Check::Backups { .. } => "backups",
            Check::Kpi { .. } => "kpi",
            Check::Promql { .. } => "promql",
            Check::Sql { .. } => "sql",
            Check::LogErrors { .. } => "log_errors",
        }
    }

    /// Whether the value comes from a query run for the checklist rather than from the estate.
    pub fn is_probe(&self) -> bool {
        matches!(self, Check::Promql { .. } | Check::Sql { .. })
    }

    fn bounds(&self) -> Option<(Option<f64>, Option<f64>)> {
        match self {
            Check::Kpi { min, max, .. }
            | Check::Promql { min, max, .. }
            | Check::Sql { min, max, .. } => Some((*min, *max)),
            _ => None,
        }
    }
}

/// The file's shape before the steps are read one by one (so each keeps its line).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    name: Option<String>,
    title: String,
    description: Option<String>,
    #[serde(default)]
    steps: Vec<toml::Spanned<toml::Table>>,
}

/// What every step has, whatever its kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Common {
    title: String,
    id: Option<String>,
    hint: Option<String>,
    #[serde(default)]
    severity: Severity,
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Warn,
    #[default]
    Fail,
}

/// Reads a checklist; `stem` names it when the file does not.
pub fn parse(path: &Path, stem: &str, text: &str) -> Result<Checklist, ConfigError> {
    let raw: RawChecklist = crate::config::error::parse_toml(path, text)?;
    if raw.steps.is_empty() {
        return Err(invalid(
            path,
            1,
            "",
            "a checklist needs at least one [[steps]]".into(),
        ));
    }
    let mut steps: Vec<Step> = Vec::with_capacity(raw.steps.len());
    for (i, spanned) in raw.steps.into_iter().enumerate() {
        let line = text[..spanned.span().start.min(text.len())]
            .matches('\n')
            .count()
            + 1;
        let mut table = spanned.into_inner();
        let title = table
            .get("title")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string();
        let place = format!("step {} \"{title}\": ", i + 1);
        let fail = |message: String| invalid(path, line, &place, message);
        // The common keys are read first, the rest must make one check (or nothing: manual).
        let mut common = toml::Table::new();
        for key in ["title", "id", "hint", "severity"] {
            if let Some(value) = table.remove(key) {
                common.insert(key.into(), value);
            }
        }
        let common = toml::Value::Table(common)
            .try_into::<Common>()
            .map_err(|e| fail(e.message().trim().to_string()))?;
        if common.title.trim().is_empty() {
            return Err(fail("a step needs a `title`".into()));
        }
        let check = if table.get("check").and_then(|c| c.as_str()) == Some("manual") {
            table.remove("check");
            None
        } else if table.is_empty() {
            None
        } else if !table.contains_key("check") {
            let keys: Vec<_> = table.keys().map(|k| format!("`{k}`")).collect();
            return Err(fail(format!(
                "{} without `check`: a manual step has only title, id, hint and severity",
                keys.join(", ")
            )));
        } else {
            Some(
                toml::Value::Table(table)
                    .try_into::<Check>()
                    .map_err(|e| fail(message(&e)))?,
            )
        };
        if let Some((min, max)) = check.as_ref().and_then(Check::bounds)
            && min.is_none()
            && max.is_none()
        {
            return Err(fail(
                "give a bound: `max = ...` (at most) and/or `min = ...` (at least)".into(),
            ));
        }
        let id = common
            .id
            .unwrap_or_else(|| crate::domain::runbook::slug(&common.title));
        if steps.iter().any(|s| s.id == id) {
            return Err(fail(format!(
                "another step has the id `{id}`; give one of them an `id`"
            )));
        }
        steps.push(Step {
            id,
            title: common.title,
            hint: common.hint,
            warn_only: common.severity == Severity::Warn && check.is_some(),
            check,
        });
    }
    Ok(Checklist {
        name: raw.name.unwrap_or_else(|| stem.to_string()),
        title: raw.title,
        description: raw.description,
        steps,
        origin: path.display().to_string(),
    })
}

fn invalid(path: &Path, line: usize, place: &str, message: String) -> ConfigError {
    ConfigError::Invalid {
        path: path.into(),
        line,
        column: 1,
        key: place.to_string(),
        message,
    }
}

/// serde's message, with its wording for the check's tag made plain.
fn message(e: &toml::de::Error) -> String {
    let text = e.message().trim().to_string();
    match text.strip_prefix("unknown variant ") {
        Some(rest) => format!("unknown check {rest}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Checklist, String> {
        parse(Path::new("/c/morning.toml"), "morning", text).map_err(|e| e.to_string())
    }

    #[test]
    fn steps_of_every_kind_parse_in_order() {
        let c = parse_text(
            "title = \"Morning\"\n\
             [[steps]]\ntitle = \"Services up\"\ncheck = \"services\"\n\
             [[steps]]\ntitle = \"Pods\"\ncheck = \"pods\"\nnamespace = \"pos\"\n\
             [[steps]]\ntitle = \"Failed workflows\"\ncheck = \"sql\"\npostgres = \"workflow-db\"\n\
             query = \"SELECT 1\"\nmax = 10\n\
             [[steps]]\ntitle = \"Errors\"\ncheck = \"log_errors\"\nwindow = \"15m\"\nmax = 5\n\
             [[steps]]\ntitle = \"Grafana reviewed\"\nhint = \"Open the dashboard\"\n",
        )
        .unwrap();
        assert_eq!(c.name, "morning");
        let kinds: Vec<_> = c
            .steps
            .iter()
            .map(|s| s.check.as_ref().map_or("manual", Check::kind))
            .collect();
        assert_eq!(kinds, ["services", "pods", "sql", "log_errors", "manual"]);
        assert_eq!(
            c.steps[1].check,
            Some(Check::Pods {
                namespace: Some("pos".into()),
                max_restarts: 5
            })
        );
        assert_eq!(c.steps[4].id, "grafana-reviewed");
        assert_eq!(c.steps[4].hint.as_deref(), Some("Open the dashboard"));
    }

    #[test]
    fn a_bad_step_names_file_line_and_step() {
        let head = "title = \"T\"\n[[steps]]\ntitle = \"Fine\"\ncheck = \"alerts\"\n\n";
        let err = parse_text(&format!(
            "{head}[[steps]]\ntitle = \"Backups\"\ncheck = \"backup\"\n"
        ))
        .unwrap_err();
        assert!(
            err.starts_with("/c/morning.toml:6:1: step 2 \"Backups\": unknown check `backup`"),
            "{err}"
        );
        assert!(err.contains("backups"), "the kinds are listed: {err}");
        let err = parse_text(&format!(
            "{head}[[steps]]\ntitle = \"Q\"\ncheck = \"sql\"\npostgres = \"db\"\nmax = 1\n"
        ))
        .unwrap_err();
        assert!(err.contains("step 2 \"Q\": missing field `query`"), "{err}");
        let err = parse_text(&format!(
            "{head}[[steps]]\ntitle = \"Q\"\ncheck = \"promql\"\nquery = \"up\"\n"
        ))
        .unwrap_err();
        assert!(err.contains(":6:1: step 2 \"Q\": give a bound"), "{err}");
        let err = parse_text(&format!(
            "{head}[[steps]]\ntitle = \"P\"\ncheck = \"pods\"\nmax_restart = 3\n"
        ))
        .unwrap_err();
        assert!(err.contains("unknown field `max_restart`"), "{err}");
        let err =
            parse_text(&format!("{head}[[steps]]\ntitle = \"M\"\nhnit = \"x\"\n")).unwrap_err();
        assert!(err.contains("`hnit` without `check`"), "{err}");
        let err = parse_text(&format!(
            "{head}[[steps]]\ntitle = \"S\"\ncheck = \"alerts\"\nseverity = \"high\"\n"
        ))
        .unwrap_err();
        assert!(
            err.contains("step 2 \"S\": unknown variant `high`, expected `warn` or `fail`"),
            "{err}"
        );
        let err = parse_text(&format!("{head}[[steps]]\ntitle = \"Fine\"\n")).unwrap_err();
        assert!(err.contains("id `fine`"), "{err}");
        let err = parse_text("title = \"T\"\n").unwrap_err();
        assert!(err.contains("at least one [[steps]]"), "{err}");
        let err = parse_text("title = \"T\"\n[[steps]]\ncheck = \"alerts\"\n").unwrap_err();
        assert!(err.contains("step 1 \"\": missing field `title`"), "{err}");
    }
}
