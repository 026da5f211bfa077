//! What the cockpit remembers of alerts that Alertmanager no longer lists. Alertmanager's v2 API
//! lists only active alerts, so an alert that resolves simply vanishes from the next poll; the
//! cockpit keeps it for `keep_secs` (shown dimmed as `resolved 2m ago`), and counts how often
//! an alert fired again within that time of resolving (flapping). Keyed by source and
//! fingerprint, as Alertmanager identifies an alert by its labels.

use std::collections::HashMap;

use super::{Alert, Estate, UnixTime};

/// How long a resolved alert is remembered by default (`[alerts] keep_resolved`).
pub const DEFAULT_KEEP_SECS: u64 = 15 * 60;

/// An alert the cockpit saw listed and then no longer listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The alert as it was last listed.
    pub alert: Alert,
    /// When the cockpit first saw it gone.
    pub at: UnixTime,
}

type Key = (String, String);

fn key(alert: &Alert) -> Key {
    (alert.source.clone(), alert.fingerprint.clone())
}

#[derive(Debug, Clone)]
pub struct AlertMemory {
    pub keep_secs: u64,
    /// Alerts seen resolved within `keep_secs`, in the order they resolved.
    pub resolved: Vec<Resolved>,
    /// When each alert fired again within `keep_secs` of resolving, oldest first.
    refired: HashMap<Key, Vec<UnixTime>>,
}

impl Default for AlertMemory {
    fn default() -> Self {
        AlertMemory::new(DEFAULT_KEEP_SECS)
    }
}

impl AlertMemory {
    pub fn new(keep_secs: u64) -> AlertMemory {
        AlertMemory {
            keep_secs,
            resolved: Vec::new(),
            refired: HashMap::new(),
        }
    }

    /// How much is remembered (resolved alerts, re-fires): what `observe` changed, if anything
    /// (it only adds and drops entries).
    pub fn remembered(&self) -> (usize, usize) {
        (
            self.resolved.len(),
            self.refired.values().map(Vec::len).sum(),
        )
    }

    fn within(&self, since: UnixTime, now: UnixTime) -> bool {
        since.age_at(now) < self.keep_secs
    }

    /// Takes one source's new list of alerts, `previous` being what it listed before: alerts
    /// no longer listed are remembered as resolved at `at`; alerts listed again while they are
    /// remembered fired again (a flap). A re-fired alert whose start is not after the
    /// resolution the cockpit saw (a source that kept the earlier episode's `startsAt`) is
    /// dated from when it was seen again: it never shows the previous episode's age.
    pub fn observe(&mut self, previous: &[Alert], current: &mut [Alert], at: UnixTime) {
        for alert in current.iter_mut() {
            let k = key(alert);
            let Some(pos) = self.resolved.iter().position(|r| key(&r.alert) == k) else {
                continue;
            };
            let gone = self.resolved.remove(pos);
            if !self.within(gone.at, at) {
                continue;
            }
            if alert.starts_at <= gone.at {
                alert.starts_at = at;
            }
            self.refired.entry(k).or_default().push(at);
        }
        for alert in previous {
            if !current.iter().any(|a| a.fingerprint == alert.fingerprint) {
                self.resolved.push(Resolved {
                    alert: alert.clone(),
                    at,
                });
            }
        }
        self.forget_older(at);
    }

    /// Forgets resolutions and flaps older than `keep_secs`; whether a resolved alert went.
    pub fn forget_older(&mut self, now: UnixTime) -> bool {
        let keep = self.keep_secs;
        let before = self.resolved.len();
        self.resolved.retain(|r| r.at.age_at(now) < keep);
        self.refired.retain(|_, times| {
            times.retain(|t| t.age_at(now) < keep);
            !times.is_empty()
        });
        self.resolved.len() != before
    }

    /// How many times the alert fired again within `keep_secs` of resolving, counting the
    /// re-fires of the last `keep_secs`.
    pub fn flaps(&self, alert: &Alert, now: UnixTime) -> usize {
        self.refired.get(&key(alert)).map_or(0, |times| {
            times.iter().filter(|t| self.within(**t, now)).count()
        })
    }
}

/// One row of the Alerts panel: an alert Alertmanager lists, or one remembered as resolved.
#[derive(Debug, Clone, Copy)]
pub struct AlertEntry<'a> {
    pub alert: &'a Alert,
    /// When the cockpit saw it resolve, for a remembered one.
    pub resolved_at: Option<UnixTime>,
}

impl Estate {
    /// Listed alerts, then resolved ones still remembered.
    pub fn alert_entries_len(&self) -> usize {
        self.alerts.len() + self.alert_memory.resolved.len()
    }

    pub fn alert_entry(&self, index: usize) -> Option<AlertEntry<'_>> {
        match self.alerts.get(index) {
            Some(alert) => Some(AlertEntry {
                alert,
                resolved_at: None,
            }),
            None => self
                .alert_memory
                .resolved
                .get(index - self.alerts.len())
                .map(|r| AlertEntry {
                    alert: &r.alert,
                    resolved_at: Some(r.at),
                }),
        }
    }

    /// Forgets what resolved more than `keep_secs` ago (the clock moved on); whether any row went.
    pub fn forget_resolved_alerts(&mut self, now: UnixTime) -> bool {
        let went = self.alert_memory.forget_older(now);
        if went {
            self.gens.alerts += 1;
        }
        went
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AlertState, Report, Severity, SourceId, SourceKind, SourceReport};

    fn alert(fingerprint: &str, starts_at: i64) -> Alert {
        Alert {
            fingerprint: fingerprint.into(),
            source: "eu".into(),
            name: format!("Alert{fingerprint}"),
            severity: Severity::Critical,
            state: AlertState::Active,
            starts_at: UnixTime(starts_at),
            summary: String::new(),
            description: String::new(),
            runbook: None,
            labels: vec![],
            silenced_by: Vec::new(),
        }
    }

    fn list(estate: &mut Estate, at: i64, alerts: Vec<Alert>) {
        estate.apply(SourceReport {
            source: SourceId::new(SourceKind::Alertmanager, "eu"),
            at: UnixTime(at),
            report: Report::Alerts(alerts),
        });
    }

    fn entries(estate: &Estate) -> Vec<(String, Option<i64>)> {
        (0..estate.alert_entries_len())
            .filter_map(|i| estate.alert_entry(i))
            .map(|e| (e.alert.fingerprint.clone(), e.resolved_at.map(|t| t.0)))
            .collect()
    }

    #[test]
    fn an_alert_no_longer_listed_is_remembered_as_resolved_until_keep_runs_out() {
        let mut estate = Estate::default();
        list(&mut estate, 1000, vec![alert("a", 900), alert("b", 950)]);
        list(&mut estate, 1002, vec![alert("b", 950)]);
        assert_eq!(estate.alerts.len(), 1, "only what is listed is firing");
        assert_eq!(
            entries(&estate),
            [("b".to_string(), None), ("a".to_string(), Some(1002))]
        );
        // Still there 14m59s later, gone at 15m.
        assert!(!estate.forget_resolved_alerts(UnixTime(1002 + 899)));
        assert_eq!(estate.alert_entries_len(), 2);
        let gens = estate.gens.alerts;
        assert!(estate.forget_resolved_alerts(UnixTime(1002 + 900)));
        assert_eq!(entries(&estate), [("b".to_string(), None)]);
        assert!(estate.gens.alerts > gens, "the rows changed");
    }

    #[test]
    fn a_refired_alert_is_counted_as_a_flap_and_never_keeps_the_old_episodes_age() {
        let mut estate = Estate::default();
        list(&mut estate, 1000, vec![alert("a", 900)]);
        list(&mut estate, 1030, vec![]);
        // Back with Alertmanager's new startsAt: that is its age.
        list(&mut estate, 1060, vec![alert("a", 1055)]);
        let a = &estate.alerts[0];
        assert_eq!(a.starts_at, UnixTime(1055));
        assert_eq!(estate.alert_memory.flaps(a, UnixTime(1060)), 1);
        assert_eq!(estate.alert_entries_len(), 1, "no longer resolved");
        // Gone and back again, this time with the first episode's startsAt: dated from when
        // it was seen again.
        list(&mut estate, 1100, vec![]);
        list(&mut estate, 1130, vec![alert("a", 900)]);
        let a = &estate.alerts[0];
        assert_eq!(a.starts_at, UnixTime(1130));
        assert_eq!(estate.alert_memory.flaps(a, UnixTime(1130)), 2);
        // The flaps are forgotten keep_secs after they happened.
        assert_eq!(estate.alert_memory.flaps(a, UnixTime(1060 + 900)), 1);
        assert_eq!(estate.alert_memory.flaps(a, UnixTime(1130 + 900)), 0);
    }

    #[test]
    fn an_alert_back_after_keep_ran_out_is_a_new_alert_not_a_flap() {
        let mut estate = Estate::default();
        estate.alert_memory.keep_secs = 60;
        list(&mut estate, 1000, vec![alert("a", 900)]);
        list(&mut estate, 1010, vec![]);
        list(&mut estate, 1100, vec![alert("a", 1090)]);
        assert_eq!(
            estate.alert_memory.flaps(&estate.alerts[0], UnixTime(1100)),
            0
        );
        assert_eq!(estate.alerts[0].starts_at, UnixTime(1090));
    }

    #[test]
    fn another_sources_alerts_are_neither_resolved_nor_refired_by_this_one() {
        let mut estate = Estate::default();
        let mut us = alert("a", 900);
        us.source = "us".into();
        estate.apply(SourceReport {
            source: SourceId::new(SourceKind::Alertmanager, "us"),
            at: UnixTime(1000),
            report: Report::Alerts(vec![us]),
        });
        list(&mut estate, 1000, vec![alert("a", 900)]);
        list(&mut estate, 1010, vec![]);
        assert_eq!(
            entries(&estate),
            [("a".to_string(), None), ("a".to_string(), Some(1010))]
        );
        assert_eq!(estate.alert_entry(0).unwrap().alert.source, "us");
    }
}
