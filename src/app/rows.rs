//! Each panel's rows as a [`RowSet`]: which fields a filter searches, how each column sorts, and
//! the column names the table shows. Pure functions over the estate.

use std::cmp::Ordering;

use super::table::RowSet;
use crate::domain::{
    Alert, BackupSet, Estate, PgInstance, PgSession, Pod, PodKey, PodStore, UnixTime, Workload,
};

pub const POD_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "NODE",
    "CPU",
    "MEMORY",
];
pub const SERVICE_COLUMNS: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "KIND",
    "READY",
    "REV",
    "IMAGE",
    "HEALTH",
    "P95",
    "ERRORS",
    "LOCKDOWN",
];
pub const ALERT_COLUMNS: &[&str] = &["SEVERITY", "STATE", "ALERT", "SUMMARY", "AGE", "SOURCE"];
pub const SESSION_COLUMNS: &[&str] = &[
    "INSTANCE",
    "PID",
    "USER",
    "APPLICATION",
    "STATE",
    "RUNNING",
    "WAIT",
    "QUERY",
];
pub const BACKUP_COLUMNS: &[&str] = &["SET", "KIND", "NEWEST", "RPO", "SIZE", "COUNT", "VERIFIED"];

/// Ascending, with rows that have no value last.
fn asc_none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Descending (largest first: the worst latency, the longest query), rows without a value last.
fn desc_none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn f64_key(value: Option<f64>) -> Option<i64> {
    value.map(|v| (v * 1_000_000.0) as i64)
}

pub struct PodRows<'a>(pub &'a PodStore);

impl PodRows<'_> {
    fn pod(&self, i: usize) -> &Pod {
        self.0
            .get_index(i)
            .expect("pod index from the table's own order")
    }
}

impl RowSet for PodRows<'_> {
    type Id = PodKey;

    fn len(&self) -> usize {
        self.0.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.membership_generation(), self.0.content_generation())
    }
    fn id(&self, i: usize) -> PodKey {
        self.pod(i).key.clone()
    }
    fn index_of(&self, id: &PodKey) -> Option<usize> {
        self.0.index_of(id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let p = self.pod(i);
        for field in [&*p.key.namespace, &*p.key.name, &*p.status, &*p.node] {
            out.push_str(field);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (a, b) = (self.pod(a), self.pod(b));
        let by = match column {
            0 => Ordering::Equal,
            1 => a.key.name.cmp(&b.key.name),
            2 => (a.ready_containers, a.total_containers)
                .cmp(&(b.ready_containers, b.total_containers)),
            3 => b
                .level()
                .cmp(&a.level())
                .then_with(|| a.status.cmp(&b.status)),
            4 => b.restarts.cmp(&a.restarts),
            5 => b.created.cmp(&a.created),
            6 => a.node.cmp(&b.node),
            7 => desc_none_last(a.cpu_millis, b.cpu_millis),
            8 => desc_none_last(a.memory_bytes, b.memory_bytes),
            _ => Ordering::Equal,
        };
        by.then_with(|| a.key.cmp(&b.key))
    }
    fn content_affects_order(&self, column: usize) -> bool {
        !matches!(column, 0 | 1 | 5)
    }
    fn columns(&self) -> &'static [&'static str] {
        POD_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 4 | 7 | 8)
    }
}

pub struct ServiceRows<'a>(pub &'a Estate);

impl ServiceRows<'_> {
    fn workload(&self, i: usize) -> &Workload {
        &self.0.workloads[i]
    }
}

impl RowSet for ServiceRows<'_> {
    type Id = (String, String);

    fn len(&self) -> usize {
        self.0.workloads.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.0.gens.workloads, self.0.gens.workloads)
    }
    fn id(&self, i: usize) -> (String, String) {
        let w = self.workload(i);
        (w.namespace.clone(), w.name.clone())
    }
    fn index_of(&self, id: &(String, String)) -> Option<usize> {
        self.0
            .workloads
            .iter()
            .position(|w| w.namespace == id.0 && w.name == id.1)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let w = self.workload(i);
        for field in [&w.namespace, &w.name, &w.image] {
            out.push_str(field);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (wa, wb) = (self.workload(a), self.workload(b));
        let kpi = |w: &Workload| self.0.kpis.get(&w.qualified_name());
        let by = match column {
            0 => Ordering::Equal,
            1 => wa.name.cmp(&wb.name),
            2 => wa.kind.cmp(&wb.kind),
            3 => wb.level().cmp(&wa.level()),
            4 => wa.revision.cmp(&wb.revision),
            5 => wa.image.cmp(&wb.image),
            6 => {
                let up = |w: &Workload| self.0.health.get(&w.qualified_name()).map(|h| h.up);
                asc_none_last(up(wa), up(wb))
            }
            7 => desc_none_last(
                f64_key(kpi(wa).and_then(|k| k.p95_ms)),
                f64_key(kpi(wb).and_then(|k| k.p95_ms)),
            ),
            8 => desc_none_last(
                f64_key(kpi(wa).and_then(|k| k.error_rate)),
                f64_key(kpi(wb).and_then(|k| k.error_rate)),
            ),
            9 => self
                .0
                .namespace_locked(&wb.namespace)
                .cmp(&self.0.namespace_locked(&wa.namespace)),
            _ => Ordering::Equal,
        };
        by.then_with(|| (&wa.namespace, &wa.name).cmp(&(&wb.namespace, &wb.name)))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        SERVICE_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 7 | 8)
    }
}

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

/// All PostgreSQL sessions of all instances, as one table.
pub struct SessionRows<'a> {
    pub estate: &'a Estate,
    pub now: UnixTime,
}

impl<'a> SessionRows<'a> {
    pub fn session(&self, mut i: usize) -> (&'a PgInstance, &'a PgSession) {
        for instance in &self.estate.postgres {
            if i < instance.sessions.len() {
                return (instance, &instance.sessions[i]);
            }
            i -= instance.sessions.len();
        }
        panic!("session index from the table's own order")
    }
}

impl RowSet for SessionRows<'_> {
    type Id = (String, i32);

    fn len(&self) -> usize {
        self.estate.postgres.iter().map(|p| p.sessions.len()).sum()
    }
    fn generation(&self) -> (u64, u64) {
        (self.estate.gens.databases, self.estate.gens.databases)
    }
    fn id(&self, i: usize) -> (String, i32) {
        let (instance, session) = self.session(i);
        (instance.name.clone(), session.pid)
    }
    fn index_of(&self, id: &(String, i32)) -> Option<usize> {
        let mut base = 0;
        for instance in &self.estate.postgres {
            if instance.name == id.0 {
                return instance
                    .sessions
                    .iter()
                    .position(|s| s.pid == id.1)
                    .map(|p| base + p);
            }
            base += instance.sessions.len();
        }
        None
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let (instance, s) = self.session(i);
        for field in [
            instance.name.as_str(),
            &s.user,
            &s.application,
            s.state.word(),
            &s.query,
        ] {
            out.push_str(field);
            out.push(' ');
        }
        out.push_str(&s.pid.to_string());
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let ((ia, x), (ib, y)) = (self.session(a), self.session(b));
        let by = match column {
            0 => ia.name.cmp(&ib.name),
            1 => x.pid.cmp(&y.pid),
            2 => x.user.cmp(&y.user),
            3 => x.application.cmp(&y.application),
            4 => x.state.cmp(&y.state),
            5 => desc_none_last(x.running_secs(self.now), y.running_secs(self.now)),
            6 => asc_none_last(x.wait_event.as_ref(), y.wait_event.as_ref()),
            7 => x.query.cmp(&y.query),
            _ => Ordering::Equal,
        };
        by.then_with(|| desc_none_last(x.running_secs(self.now), y.running_secs(self.now)))
            .then_with(|| (&ia.name, x.pid).cmp(&(&ib.name, y.pid)))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        SESSION_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        column == 5
    }
}

pub struct BackupRows<'a> {
    pub estate: &'a Estate,
    pub now: UnixTime,
}

impl BackupRows<'_> {
    fn set(&self, i: usize) -> &BackupSet {
        &self.estate.backups[i]
    }
}

impl RowSet for BackupRows<'_> {
    type Id = String;

    fn len(&self) -> usize {
        self.estate.backups.len()
    }
    fn generation(&self) -> (u64, u64) {
        (self.estate.gens.backups, self.estate.gens.backups)
    }
    fn id(&self, i: usize) -> String {
        self.set(i).name.clone()
    }
    fn index_of(&self, id: &String) -> Option<usize> {
        self.estate.backups.iter().position(|b| &b.name == id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        let s = self.set(i);
        for field in [&s.name, &s.kind, &s.location] {
            out.push_str(field);
            out.push(' ');
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.set(a), self.set(b));
        let by = match column {
            0 => x.name.cmp(&y.name),
            1 => x.kind.cmp(&y.kind),
            2 => desc_none_last(x.age_secs(self.now), y.age_secs(self.now)),
            3 => x.rpo_secs.cmp(&y.rpo_secs),
            4 => desc_none_last(
                x.latest().map(|i| i.size_bytes),
                y.latest().map(|i| i.size_bytes),
            ),
            5 => y.items.len().cmp(&x.items.len()),
            6 => asc_none_last(
                x.verification.as_ref().map(|v| v.ok),
                y.verification.as_ref().map(|v| v.ok),
            ),
            _ => Ordering::Equal,
        };
        by.then_with(|| x.name.cmp(&y.name))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        BACKUP_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 2 | 4 | 5)
    }
}
