//! Alerts as rows: searchable by name, summary, severity, state and label values.

use std::cmp::Ordering;

use crate::app::table::RowSet;
use crate::domain::{Alert, Estate};

pub const ALERT_COLUMNS: &[&str] = &["SEVERITY", "STATE", "ALERT", "SUMMARY", "AGE", "SOURCE"];

pub struct AlertRows<'a>(pub &'a Estate);

impl AlertRows<'_> {
    fn alert(&self, i: usize) -> &Alert {
        &self.0.alerts[i]
    }
}

impl RowSet for AlertRows<'_> {
    type Id = (String, String);

    fn len(&self) -> usize {
        self.0.alerts.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.gens.alerts, self.0.gens.alerts)
    }
    fn id(&self, i: usize) -> (String, String) {
        let a = self.alert(i);
        (a.source.clone(), a.fingerprint.clone())
    }
    fn index_of(&self, id: &(String, String)) -> Option<usize> {
        self.0
            .alerts
            .iter()
            .position(|a| a.source == id.0 && a.fingerprint == id.1)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let a = self.alert(i);
        for field in [
            a.name.as_str(),
            a.summary.as_str(),
            a.severity.word(),
            a.state.word(),
        ] {
            out.push_str(field);
            out.push(' ');
        }
        for (_, value) in &a.labels {
            out.push_str(value);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.alert(a), self.alert(b));
        let by = match column {
            0 => x.severity.cmp(&y.severity).then(x.state.cmp(&y.state)),
            1 => x.state.cmp(&y.state),
            2 => x.name.cmp(&y.name),
            3 => x.summary.cmp(&y.summary),
            4 => y.starts_at.cmp(&x.starts_at),
            5 => x.source.cmp(&y.source),
            _ => Ordering::Equal,
        };
        by.then_with(|| y.starts_at.cmp(&x.starts_at))
            .then_with(|| x.fingerprint.cmp(&y.fingerprint))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        ALERT_COLUMNS
    }
}
