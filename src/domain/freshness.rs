//! How current a source's data is. Old data is never shown as if it were current: every source
//! is live, stale (with its age) or unreachable (with the reason).

use super::time::UnixTime;

/// What the cockpit knows about one source's connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// When the source last reported data or confirmed it is alive.
    pub last_ok: Option<UnixTime>,
    /// Set while the source cannot reach its backend; cleared by the next good report.
    pub unreachable: Option<String>,
    /// Set while the source lists everything again (why); cleared by the next good report.
    pub relisting: Option<String>,
    /// After this many seconds without a report the data is stale.
    pub stale_after_secs: u64,
}

/// Freshness as drawn at a given moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FreshnessView {
    /// Nothing heard yet.
    Connecting,
    Live,
    Stale {
        age_secs: u64,
    },
    Unreachable {
        reason: String,
        age_secs: Option<u64>,
    },
    /// The backend answers; the source is listing everything again (what it had stays meanwhile).
    Relisting {
        reason: String,
    },
}

impl Freshness {
    pub fn new(stale_after_secs: u64) -> Self {
        Self {
            last_ok: None,
            unreachable: None,
            relisting: None,
            stale_after_secs,
        }
    }

    pub fn mark_ok(&mut self, at: UnixTime) {
        self.last_ok = Some(at);
        self.unreachable = None;
        self.relisting = None;
    }

    pub fn mark_unreachable(&mut self, reason: String) {
        self.unreachable = Some(reason);
        self.relisting = None;
    }

    /// The backend answered (so it is reachable) and asked for a relist.
    pub fn mark_relisting(&mut self, reason: String) {
        self.unreachable = None;
        self.relisting = Some(reason);
    }

    pub fn view(&self, now: UnixTime) -> FreshnessView {
        let age = self.last_ok.map(|t| t.age_at(now));
        if let Some(reason) = &self.unreachable {
            return FreshnessView::Unreachable {
                reason: reason.clone(),
                age_secs: age,
            };
        }
        if let Some(reason) = &self.relisting {
            return FreshnessView::Relisting {
                reason: reason.clone(),
            };
        }
        match age {
            None => FreshnessView::Connecting,
            Some(a) if a > self.stale_after_secs => FreshnessView::Stale { age_secs: a },
            Some(_) => FreshnessView::Live,
        }
    }
}

impl FreshnessView {
    pub fn level(&self) -> super::Level {
        match self {
            FreshnessView::Live => super::Level::Ok,
            FreshnessView::Connecting
            | FreshnessView::Stale { .. }
            | FreshnessView::Relisting { .. } => super::Level::Unknown,
            FreshnessView::Unreachable { .. } => super::Level::Crit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_then_stale_then_unreachable_then_live_again() {
        let mut f = Freshness::new(10);
        assert_eq!(f.view(UnixTime(0)), FreshnessView::Connecting);
        f.mark_ok(UnixTime(100));
        assert_eq!(f.view(UnixTime(110)), FreshnessView::Live);
        assert_eq!(f.view(UnixTime(111)), FreshnessView::Stale { age_secs: 11 });
        f.mark_unreachable("connection refused".into());
        assert_eq!(
            f.view(UnixTime(120)),
            FreshnessView::Unreachable {
                reason: "connection refused".into(),
                age_secs: Some(20)
            }
        );
        f.mark_ok(UnixTime(121));
        assert_eq!(f.view(UnixTime(121)), FreshnessView::Live);
    }

    #[test]
    fn a_relist_is_not_an_outage_and_the_next_data_settles_it() {
        let mut f = Freshness::new(10);
        f.mark_unreachable("connection refused".into());
        f.mark_relisting("too old resource version".into());
        assert_eq!(
            f.view(UnixTime(5)),
            FreshnessView::Relisting {
                reason: "too old resource version".into()
            }
        );
        assert_ne!(f.view(UnixTime(5)).level(), crate::domain::Level::Crit);
        f.mark_ok(UnixTime(6));
        assert_eq!(f.view(UnixTime(6)), FreshnessView::Live);
    }
}
