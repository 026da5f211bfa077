//! Each source's state changes, written once to the log with the reason: connecting, live,
//! stale, unreachable (why). A source that repeats the same state writes nothing more; one that
//! flaps is limited to a few lines a minute, and the next line it writes says how many changes
//! were left out.

use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::domain::{Freshness, FreshnessView, SourceId, UnixTime};

/// Changes of one source logged per window at most; the rest are counted.
const CHANGES_PER_WINDOW: usize = 5;
const WINDOW_SECS: i64 = 60;

/// A source's state as the log tells it: the age of stale data is left out (it grows every
/// second and is not a change).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Told {
    Connecting,
    Live,
    Stale,
    Unreachable(String),
    Relisting,
}

impl Told {
    fn of(view: &FreshnessView) -> Self {
        match view {
            FreshnessView::Connecting => Told::Connecting,
            FreshnessView::Live => Told::Live,
            FreshnessView::Stale { .. } => Told::Stale,
            FreshnessView::Unreachable { reason, .. } => Told::Unreachable(reason.clone()),
            FreshnessView::Relisting { .. } => Told::Relisting,
        }
    }
}

/// A line for the log: a warning when the source is not live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub warn: bool,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct SourceLog {
    told: HashMap<SourceId, Told>,
    /// When each source's recent changes were logged, oldest first.
    logged: HashMap<SourceId, VecDeque<UnixTime>>,
    /// Changes left out since the source's last logged line.
    left_out: HashMap<SourceId, u32>,
}

impl SourceLog {
    /// The changes since the last call, to be logged. A source first seen connecting is not a
    /// change; first seen in any other state, that state is logged.
    pub fn observe(
        &mut self,
        sources: &BTreeMap<SourceId, Freshness>,
        now: UnixTime,
    ) -> Vec<Change> {
        let mut out = Vec::new();
        for (id, freshness) in sources {
            let view = freshness.view(now);
            let told = Told::of(&view);
            let before = self.told.insert(id.clone(), told.clone());
            if before.as_ref() == Some(&told) || (before.is_none() && told == Told::Connecting) {
                continue;
            }
            let recent = self.logged.entry(id.clone()).or_default();
            while recent.front().is_some_and(|t| now.0 - t.0 >= WINDOW_SECS) {
                recent.pop_front();
            }
            if recent.len() >= CHANGES_PER_WINDOW {
                *self.left_out.entry(id.clone()).or_default() += 1;
                continue;
            }
            recent.push_back(now);
            let mut text = format!("{} {} {}", id.kind.label(), id.name, describe(&view));
            if let Some(n) = self.left_out.remove(id).filter(|n| *n > 0) {
                text.push_str(&format!(
                    " ({n} more changes not logged: at most {CHANGES_PER_WINDOW} a minute)"
                ));
            }
            out.push(Change {
                warn: !matches!(told, Told::Live),
                text,
            });
        }
        out
    }
}

impl SourceLog {
    /// Writes the changes since the last call to the log (`opsdeck.log`).
    pub fn write(&mut self, state: &super::State) {
        for change in self.observe(&state.estate.sources, state.now) {
            if change.warn {
                tracing::warn!(target: "opsdeck::sources", "{}", change.text);
            } else {
                tracing::info!(target: "opsdeck::sources", "{}", change.text);
            }
        }
    }
}

fn describe(view: &FreshnessView) -> String {
    match view {
        FreshnessView::Connecting => "connecting".into(),
        FreshnessView::Live => "live".into(),
        FreshnessView::Stale { age_secs } => format!("stale: no report for {age_secs} s"),
        FreshnessView::Unreachable { reason, .. } => format!("unreachable: {reason}"),
        FreshnessView::Relisting { reason } => format!("relisting: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;

    fn sources(f: &Freshness) -> BTreeMap<SourceId, Freshness> {
        BTreeMap::from([(SourceId::new(SourceKind::Redis, "cache"), f.clone())])
    }

    fn texts(changes: Vec<Change>) -> Vec<String> {
        changes.into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn each_change_is_logged_once_with_its_reason() {
        let mut log = SourceLog::default();
        let mut f = Freshness::new(10);
        assert!(
            log.observe(&sources(&f), UnixTime(0)).is_empty(),
            "connecting"
        );
        f.mark_ok(UnixTime(1));
        assert_eq!(
            texts(log.observe(&sources(&f), UnixTime(1))),
            ["redis cache live"]
        );
        f.mark_unreachable("connection refused".into());
        let changes = log.observe(&sources(&f), UnixTime(2));
        assert_eq!(changes.len(), 1);
        assert!(changes[0].warn);
        assert_eq!(
            changes[0].text,
            "redis cache unreachable: connection refused"
        );
        for t in 3..300 {
            f.mark_unreachable("connection refused".into());
            assert!(
                log.observe(&sources(&f), UnixTime(t)).is_empty(),
                "the same state again is not logged"
            );
        }
        f.mark_unreachable("authentication failed".into());
        assert_eq!(
            texts(log.observe(&sources(&f), UnixTime(300))),
            ["redis cache unreachable: authentication failed"]
        );
    }

    #[test]
    fn stale_is_logged_once_though_its_age_grows() {
        let mut log = SourceLog::default();
        let mut f = Freshness::new(10);
        f.mark_ok(UnixTime(0));
        log.observe(&sources(&f), UnixTime(0));
        assert_eq!(
            texts(log.observe(&sources(&f), UnixTime(11))),
            ["redis cache stale: no report for 11 s"]
        );
        assert!(log.observe(&sources(&f), UnixTime(12)).is_empty());
    }

    #[test]
    fn a_flapping_source_is_rate_limited_and_says_how_much_was_left_out() {
        let mut log = SourceLog::default();
        let mut f = Freshness::new(10);
        let mut lines = Vec::new();
        for t in 0..40 {
            if t % 2 == 0 {
                f.mark_ok(UnixTime(t));
            } else {
                f.mark_unreachable("410 Gone".into());
            }
            lines.extend(texts(log.observe(&sources(&f), UnixTime(t))));
        }
        assert_eq!(lines.len(), CHANGES_PER_WINDOW, "{lines:?}");
        f.mark_unreachable("refused".into());
        let later = texts(log.observe(&sources(&f), UnixTime(100)));
        assert_eq!(
            later,
            ["redis cache unreachable: refused (35 more changes not logged: at most 5 a minute)"]
        );
    }
}
