//! Preflight of extending a silence: the alert is still silenced by it, and the new end is
//! later than the one it has (a shorter one would not extend it).

use super::preflight::{Refusal, alert_gone, find_alert};
use super::{Action, ActionKind, Target};
use crate::domain::time::format_age;
use crate::domain::{AlertState, Estate, SilenceState, UnixTime};

/// The change line of an extension, or why it cannot be done.
pub(super) fn describe(action: &Action, estate: &Estate, now: UnixTime) -> Result<String, Refusal> {
    let (
        ActionKind::ExtendSilence {
            silence,
            duration_secs,
            comment,
        },
        Target::Alert {
            source,
            fingerprint,
            ..
        },
    ) = (&action.kind, &action.target)
    else {
        return Err(Refusal::Invalid("not a silence extension".into()));
    };
    let alert = find_alert(estate, source, fingerprint)
        .ok_or_else(|| alert_gone(action, estate, source, fingerprint))?;
    if alert.state != AlertState::Silenced || !alert.silenced_by.contains(silence) {
        return Err(Refusal::Invalid(format!(
            "silence {silence} no longer silences {}",
            alert.name
        )));
    }
    let known = estate
        .silences
        .iter()
        .find(|s| &s.id == silence && &s.source == source)
        .filter(|s| s.state != SilenceState::Expired)
        .ok_or_else(|| Refusal::Invalid(format!("silence {silence} is not listed as active")))?;
    if *duration_secs == 0 {
        return Err(Refusal::Invalid("a silence needs a duration".into()));
    }
    if comment.trim().is_empty() {
        return Err(Refusal::Invalid(
            "a silence needs a comment: say why".into(),
        ));
    }
    let until = now.plus(*duration_secs as i64);
    if until <= known.ends_at {
        return Err(Refusal::Invalid(format!(
            "it already lasts until {} ({} from now): choose a longer one",
            when(known.ends_at, now),
            format_age((known.ends_at.0 - now.0).max(0) as u64)
        )));
    }
    Ok(format!(
        "silence {silence} by {} ends {} → {} ({} from now)",
        known.created_by,
        when(known.ends_at, now),
        when(until, now),
        format_age(*duration_secs)
    ))
}

/// A time of day within the next day (`16:13:20 UTC`), else with its date.
fn when(at: UnixTime, now: UnixTime) -> String {
    if at.0 - now.0 < 86_400 {
        format!("{} UTC", at.clock_utc())
    } else {
        at.rfc3339()
    }
}
