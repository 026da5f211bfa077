//! `opsdeck audit`: the audit log as a table, or as JSON, optionally only the recent part.

use std::io::Write;

use crate::actions::audit::{AuditLog, AuditRecord, Phase};
use crate::cli::AuditArgs;

pub fn print(audit: Option<&AuditLog>, args: &AuditArgs) -> color_eyre::Result<()> {
    match write(audit, args) {
        // `opsdeck audit | head` closes the pipe early: that is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn write(audit: Option<&AuditLog>, args: &AuditArgs) -> color_eyre::Result<()> {
    let Some(audit) = audit else {
        color_eyre::eyre::bail!(
            "no audit log: no state directory could be found; pass --audit-file"
        );
    };
    let (records, bad) = audit.read().map_err(|e| {
        color_eyre::eyre::eyre!("cannot read the audit log {}: {e}", audit.path().display())
    })?;
    // Judged over the whole file: an outcome may fall after `--since`'s cut.
    let unknown: std::collections::HashSet<String> =
        crate::actions::audit::without_outcome(&records)
            .iter()
            .map(|r| r.id.clone())
            .collect();
    let records = match args.since {
        Some(since) => {
            let cutoff = std::time::SystemTime::now() - since;
            records
                .into_iter()
                .filter(|r| humantime::parse_rfc3339(&r.time).is_ok_and(|t| t >= cutoff))
                .collect()
        }
        None => records,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = serde_json::to_string_pretty(&records)?;
        writeln!(out, "{text}")?;
    } else {
        write!(out, "{}", table(&records, &unknown))?;
    }
    if bad > 0 {
        eprintln!(
            "opsdeck: {bad} line(s) of {} could not be read (cut short by a crash?)",
            audit.path().display()
        );
    }
    Ok(())
}

/// One line per record: time, phase, operator, where (the Kubernetes context, the database
/// instance, the Alertmanager), action, target, and the change or the result.
/// An intent among `unknown` (no outcome anywhere in the log) says `outcome unknown`.
pub fn table(records: &[AuditRecord], unknown: &std::collections::HashSet<String>) -> String {
    let mut out = format!(
        "{:<20}  {:<7}  {:<20}  {:<14}  {:<17}  {:<36}  {}\n",
        "TIME", "PHASE", "OPERATOR", "CONTEXT", "ACTION", "TARGET", "DETAIL"
    );
    for r in records {
        let (phase, detail) = match r.phase {
            Phase::Intent if unknown.contains(&r.id) => (
                "intent",
                format!(
                    "{} — outcome unknown (no outcome recorded: opsdeck stopped while it ran?)",
                    r.change.clone().unwrap_or_default()
                ),
            ),
            Phase::Intent => ("intent", r.change.clone().unwrap_or_default()),
            Phase::Outcome => (
                "outcome",
                format!(
                    "{} {}{}",
                    r.result.as_deref().unwrap_or("?"),
                    r.message.as_deref().unwrap_or(""),
                    r.duration_ms
                        .map_or(String::new(), |ms| format!(" ({ms} ms)"))
                ),
            ),
        };
        // A two-person action names its approver in the intent's detail.
        let detail = match (&r.approved_by, r.phase) {
            (Some(by), Phase::Intent) => {
                let request = r
                    .request
                    .map_or(String::new(), |n| format!(", request {n}"));
                format!("{detail} (approved by {by}{request})")
            }
            _ => detail,
        };
        out.push_str(&format!(
            "{:<20}  {:<7}  {:<20}  {:<14}  {:<17}  {:<36}  {}\n",
            r.time, phase, r.operator, r.context, r.action, r.target, detail
        ));
    }
    out
}
