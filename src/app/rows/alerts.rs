//! Alerts as rows, the listed ones and those remembered as resolved: searchable by name,
//! summary, severity, state and label values; grouped by alertname or a label, with silenced,
//! inhibited and resolved alerts shown or hidden.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use crate::app::table::{RowSet, Sort};
use crate::domain::{Alert, AlertEntry, AlertState, Estate, Severity};

pub const ALERT_COLUMNS: &[&str] = &[
    "GROUP", "SEVERITY", "STATE", "ALERT", "SUMMARY", "AGE", "SOURCE",
];

/// What alerts are grouped by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    None,
    /// By the `alertname` label, as Alertmanager groups by default.
    Name,
    Label(String),
}

impl Grouping {
    pub fn key<'a>(&self, alert: &'a Alert) -> Option<&'a str> {
        match self {
            Grouping::None => None,
            Grouping::Name => Some(&alert.name),
            Grouping::Label(label) => alert.label(label),
        }
    }

    /// The word for the panel's title: `alertname`, the label, or `none`.
    pub fn word(&self) -> &str {
        match self {
            Grouping::None => "none",
            Grouping::Name => "alertname",
            Grouping::Label(label) => label,
        }
    }
}

/// How the Alerts panel arranges its rows; changed by keys, so it counts in the rows'
/// generation through `revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertLens {
    pub group_by: Grouping,
    pub hide_silenced: bool,
    pub revision: u64,
}

impl Default for AlertLens {
    fn default() -> Self {
        AlertLens {
            group_by: Grouping::Name,
            hide_silenced: false,
            revision: 0,
        }
    }
}

impl AlertLens {
    /// alertname → each label the alerts carry (alphabetically) → no grouping → alertname.
    pub fn next_grouping(&mut self, alerts: &[Alert]) {
        let mut labels: Vec<&str> = alerts
            .iter()
            .flat_map(|a| a.labels.iter().map(|(k, _)| k.as_str()))
            .filter(|k| *k != "alertname")
            .collect();
        labels.sort_unstable();
        labels.dedup();
        self.group_by = match &self.group_by {
            Grouping::Name => labels
                .first()
                .map_or(Grouping::None, |l| Grouping::Label((*l).into())),
            Grouping::Label(current) => labels
                .iter()
                .find(|l| **l > current.as_str())
                .map_or(Grouping::None, |l| Grouping::Label((*l).into())),
            Grouping::None => Grouping::Name,
        };
        self.revision += 1;
    }

    pub fn toggle_silenced(&mut self) {
        self.hide_silenced = !self.hide_silenced;
        self.revision += 1;
    }
}

pub struct AlertRows<'a> {
    estate: &'a Estate,
    lens: &'a AlertLens,
    /// Each group's worst severity among its active alerts, so the worst group comes first.
    worst: HashMap<&'a str, Severity>,
    /// Each group's first row under the sort it was computed for.
    leaders: RefCell<(Option<Sort>, HashMap<&'a str, usize>)>,
}

/// Whether a row is one the lens hides on request: silenced, inhibited or resolved.
fn not_firing_actively(entry: AlertEntry<'_>) -> bool {
    entry.resolved_at.is_some() || entry.alert.state != AlertState::Active
}

impl<'a> AlertRows<'a> {
    pub fn new(estate: &'a Estate, lens: &'a AlertLens) -> AlertRows<'a> {
        let mut worst: HashMap<&str, Severity> = HashMap::new();
        for i in 0..estate.alert_entries_len() {
            let Some(entry) = estate.alert_entry(i) else {
                continue;
            };
            if let Some(key) = lens.group_by.key(entry.alert) {
                let severity = if not_firing_actively(entry) {
                    Severity::None
                } else {
                    entry.alert.severity
                };
                worst
                    .entry(key)
                    .and_modify(|w| *w = (*w).min(severity))
                    .or_insert(severity);
            }
        }
        AlertRows {
            estate,
            lens,
            worst,
            leaders: RefCell::default(),
        }
    }

    pub(crate) fn entry(&self, i: usize) -> AlertEntry<'a> {
        self.estate
            .alert_entry(i)
            .expect("row indices come from len()")
    }

    fn alert(&self, i: usize) -> &'a Alert {
        self.entry(i).alert
    }

    /// The order of two rows as if they were in one group: what fires before what has resolved
    /// (the latest first), then the sort, then the newest first.
    fn within_group(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        let (ex, ey) = (self.entry(a), self.entry(b));
        let (x, y) = (ex.alert, ey.alert);
        let by = by_column(x, y, sort.column);
        let by = if sort.descending { by.reverse() } else { by };
        let resolved = ex
            .resolved_at
            .is_some()
            .cmp(&ey.resolved_at.is_some())
            .then(ey.resolved_at.cmp(&ex.resolved_at));
        resolved
            .then(by)
            .then_with(|| y.starts_at.cmp(&x.starts_at))
            .then_with(|| x.fingerprint.cmp(&y.fingerprint))
    }

    /// The order of the groups two rows are in; alerts without the label last. Under GROUP, by
    /// the group's name; under SEVERITY, the group with the worst active alert first; under any
    /// other column, the group whose first row comes first (so that AGE puts the group of the newest alert on top, and
    /// reversed, the group of the oldest).
    fn group_order(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        let (x, y) = (self.alert(a), self.alert(b));
        let (gx, gy) = match (self.lens.group_by.key(x), self.lens.group_by.key(y)) {
            (Some(gx), Some(gy)) => (gx, gy),
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => return Ordering::Equal,
        };
        if gx == gy {
            return Ordering::Equal;
        }
        let directed = |order: Ordering| {
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        };
        let by = if sort.column == 0 {
            // The group column: the groups by name, as its header's arrow says.
            directed(gx.cmp(gy))
        } else if sort.column == 1 {
            directed(self.worst[gx].cmp(&self.worst[gy]))
        } else {
            let leaders = self.leaders(sort);
            self.within_group(leaders[gx], leaders[gy], sort)
        };
        by.then(gx.cmp(gy))
    }

    /// Each group's first row under `sort`, computed once per sort.
    fn leaders(&self, sort: Sort) -> std::cell::Ref<'_, HashMap<&'a str, usize>> {
        let stale = self.leaders.borrow().0 != Some(sort);
        if stale {
            let mut first: HashMap<&'a str, usize> = HashMap::new();
            for i in 0..self.len() {
                let Some(key) = self.lens.group_by.key(self.alert(i)) else {
                    continue;
                };
                first
                    .entry(key)
                    .and_modify(|j| {
                        if self.within_group(i, *j, sort) == Ordering::Less {
                            *j = i;
                        }
                    })
                    .or_insert(i);
            }
            *self.leaders.borrow_mut() = (Some(sort), first);
        }
        std::cell::Ref::map(self.leaders.borrow(), |(_, map)| map)
    }
}

/// Two alerts under one column, ascending as the column reads (AGE: the newest first).
fn by_column(x: &Alert, y: &Alert, column: usize) -> Ordering {
    match column {
        // The group column sorts the groups; within a group, the worst first.
        0 | 1 => x.severity.cmp(&y.severity).then(x.state.cmp(&y.state)),
        2 => x.state.cmp(&y.state),
        3 => x.name.cmp(&y.name),
        4 => x.summary.cmp(&y.summary),
        5 => y.starts_at.cmp(&x.starts_at),
        6 => x.source.cmp(&y.source),
        _ => Ordering::Equal,
    }
}

impl RowSet for AlertRows<'_> {
    type Id = (String, String);

    fn len(&self) -> usize {
        self.estate.alert_entries_len()
    }
    fn generation(&self) -> (u64, u64) {
        // Both counters only grow, so their sum changes whenever either does.
        let generation = self.estate.gens.alerts + self.lens.revision;
        (generation, generation)
    }
    fn id(&self, i: usize) -> (String, String) {
        let a = self.alert(i);
        (a.source.clone(), a.fingerprint.clone())
    }
    fn index_of(&self, id: &(String, String)) -> Option<usize> {
        // An alert is listed or remembered as resolved, never both: one index either way.
        (0..self.len()).find(|i| {
            let a = self.alert(*i);
            a.source == id.0 && a.fingerprint == id.1
        })
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let entry = self.entry(i);
        let a = entry.alert;
        let state = if entry.resolved_at.is_some() {
            "resolved"
        } else {
            a.state.word()
        };
        for field in [
            a.name.as_str(),
            a.summary.as_str(),
            a.severity.word(),
            state,
        ] {
            out.push_str(field);
            out.push(' ');
        }
        // Each label as `key=value`, so that `namespace=workflow` finds what has that label and
        // a bare value finds it too.
        for (key, value) in &a.labels {
            out.push_str(key);
            out.push('=');
            out.push_str(value);
            out.push(' ');
        }
        out.push_str(&a.source);
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        self.compare_sorted(
            a,
            b,
            Sort {
                column,
                descending: false,
            },
        )
    }
    fn compare_sorted(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        self.group_order(a, b, sort)
            .then_with(|| self.within_group(a, b, sort))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        ALERT_COLUMNS
    }
    fn header(&self, column: usize) -> std::borrow::Cow<'static, str> {
        match column {
            0 => self.lens.group_by.word().to_uppercase().into(),
            _ => ALERT_COLUMNS.get(column).copied().unwrap_or("").into(),
        }
    }
    fn hides_some(&self) -> bool {
        self.lens.hide_silenced
    }
    fn hidden(&self, index: usize) -> bool {
        not_firing_actively(self.entry(index))
    }
}

/// The alert the Alerts table's selection is on, listed or remembered as resolved.
pub fn selected_alert(state: &crate::app::State) -> Option<AlertEntry<'_>> {
    let i = state.tables.alerts.selected_index()?;
    state.estate.alert_entry(i)
}
