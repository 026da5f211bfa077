//! A panel's rows seen through the view filter: every `RowSet` method passes through, and
//! `out_of_scope` leaves out the rows of clusters not shown, of other namespaces and those the
//! drill-down narrows away.

use std::cmp::Ordering;

use super::{Narrow, ViewFilter};
use crate::app::panel::Panel;
use crate::app::rows::{
    AlertRows, BackupRows, ConfigRows, EventRows, JobRow, JobRows, NodeRows, PodRows, ServiceRows,
    SessionRows,
};
use crate::app::table::{RowSet, Sort};
use crate::domain::{AlertState, Level, Severity};

/// What a panel's rows answer for the view filter.
pub trait InScope {
    const PANEL: Panel;
    fn in_scope(&self, index: usize, namespace: Option<&str>, narrow: Option<&Narrow>) -> bool;
    /// The cluster (kubeconfig context) the row belongs to; `None` for rows of no cluster.
    fn context(&self, _index: usize) -> Option<&str> {
        None
    }
}

pub struct Scoped<'a, R> {
    pub rows: R,
    pub filter: &'a ViewFilter,
}

impl<'a, R: InScope> Scoped<'a, R> {
    pub fn new(rows: R, filter: &'a ViewFilter) -> Self {
        Scoped { rows, filter }
    }
}

impl<R: RowSet + InScope> RowSet for Scoped<'_, R> {
    type Id = R::Id;

    fn len(&self) -> usize {
        self.rows.len()
    }
    fn generation(&self) -> (u64, u64) {
        self.rows.generation()
    }
    fn id(&self, index: usize) -> Self::Id {
        self.rows.id(index)
    }
    fn index_of(&self, id: &Self::Id) -> Option<usize> {
        self.rows.index_of(id)
    }
    fn search_text(&self, index: usize, out: &mut String) {
        self.rows.search_text(index, out)
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        self.rows.compare(a, b, column)
    }
    fn compare_sorted(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        self.rows.compare_sorted(a, b, sort)
    }
    fn content_affects_order(&self, column: usize) -> bool {
        self.rows.content_affects_order(column)
    }
    fn columns(&self) -> &'static [&'static str] {
        self.rows.columns()
    }
    fn header(&self, column: usize) -> std::borrow::Cow<'static, str> {
        self.rows.header(column)
    }
    fn largest_first(&self, column: usize) -> bool {
        self.rows.largest_first(column)
    }
    fn hides_some(&self) -> bool {
        self.rows.hides_some()
    }
    fn hidden(&self, index: usize) -> bool {
        self.rows.hidden(index)
    }
    fn scope_key(&self) -> u64 {
        self.filter.scope_key(R::PANEL)
    }
    fn out_of_scope(&self, index: usize) -> bool {
        if let Some(context) = self.rows.context(index)
            && !self.filter.shows_context(R::PANEL, context)
        {
            return true;
        }
        let narrow = self.filter.narrow_for(R::PANEL);
        // A drill-down that names its namespace shows it whatever namespace is chosen; a
        // node's pods are all of them, whatever their namespace.
        let namespace = match narrow {
            Some(n) if n.namespace().is_some() || matches!(n, Narrow::PodsOnNode(_)) => None,
            _ => self.filter.namespace.as_deref(),
        };
        !self.rows.in_scope(index, namespace, narrow)
    }
}

impl InScope for PodRows<'_> {
    const PANEL: Panel = Panel::Pods;
    fn context(&self, i: usize) -> Option<&str> {
        self.0.get_index(i).map(|p| &*p.key.context)
    }
    fn in_scope(&self, i: usize, namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        let Some(pod) = self.0.get_index(i) else {
            return false;
        };
        if namespace.is_some_and(|ns| *pod.key.namespace != *ns) {
            return false;
        }
        match narrow {
            None => true,
            Some(Narrow::PodsOf { namespace, owner }) => {
                *pod.key.namespace == **namespace && pod.owner.as_deref() == Some(owner.as_str())
            }
            Some(Narrow::Pod { namespace, name }) => {
                *pod.key.namespace == **namespace && *pod.key.name == **name
            }
            // As the Overview counts them: crash-looping or exited in error.
            Some(Narrow::CrashLooping) => pod.is_crash_looping() || &*pod.status == "Error",
            Some(Narrow::PodsInTrouble) => pod.level() > Level::Ok,
            Some(Narrow::PodsOnNode(node)) => *pod.node == **node,
            Some(_) => true,
        }
    }
}

impl InScope for ServiceRows<'_> {
    const PANEL: Panel = Panel::Services;
    fn context(&self, i: usize) -> Option<&str> {
        self.row(i)?.workload().map(|w| &*w.context)
    }
    fn in_scope(&self, i: usize, namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        let Some(row) = self.row(i) else {
            return false;
        };
        // A standalone check configured without a namespace belongs to none: left out when one
        // is chosen.
        if namespace.is_some() && row.namespace() != namespace {
            return false;
        }
        match narrow {
            None => true,
            Some(Narrow::Workload { namespace, name }) => {
                row.namespace() == Some(namespace.as_str()) && row.name() == name
            }
            // As the Services tile counts them: fewer ready than desired.
            Some(Narrow::NotReady) => row.workload().is_some_and(|w| w.ready < w.desired),
            Some(_) => true,
        }
    }
}

impl InScope for AlertRows<'_> {
    const PANEL: Panel = Panel::Alerts;
    fn in_scope(&self, i: usize, _namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        match narrow {
            Some(Narrow::FiringCritical) => {
                let e = self.entry(i);
                e.resolved_at.is_none()
                    && e.alert.severity == Severity::Critical
                    && e.alert.state == AlertState::Active
            }
            _ => true,
        }
    }
}

impl InScope for SessionRows<'_> {
    const PANEL: Panel = Panel::Databases;
    fn in_scope(&self, i: usize, _namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        match narrow {
            Some(Narrow::Instance(name)) => self.session(i).0.name == *name,
            _ => true,
        }
    }
}

impl InScope for BackupRows<'_> {
    const PANEL: Panel = Panel::Backups;
    fn in_scope(&self, i: usize, _namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        let Some(set) = self.estate.backups.get(i) else {
            return false;
        };
        match narrow {
            Some(Narrow::BackupSet(name)) => set.name == *name,
            Some(Narrow::BeyondRpo) => set.problem.is_some() || !set.within_rpo(self.now),
            _ => true,
        }
    }
}

/// Events follow the chosen namespace; no drill-down narrows them.
impl InScope for EventRows<'_> {
    const PANEL: Panel = Panel::Events;
    fn context(&self, i: usize) -> Option<&str> {
        self.events.get_index(i).map(|e| &*e.context)
    }
    fn in_scope(&self, i: usize, namespace: Option<&str>, _narrow: Option<&Narrow>) -> bool {
        let Some(event) = self.events.get_index(i) else {
            return false;
        };
        namespace.is_none_or(|ns| *event.namespace == *ns)
    }
}

/// Nodes belong to no namespace; no drill-down narrows them.
impl InScope for NodeRows<'_> {
    const PANEL: Panel = Panel::Nodes;
    fn context(&self, i: usize) -> Option<&str> {
        self.estate.nodes.get(i).map(|n| &*n.context)
    }
    fn in_scope(&self, _i: usize, _namespace: Option<&str>, _narrow: Option<&Narrow>) -> bool {
        true
    }
}

/// CronJobs and Jobs follow the chosen namespace; a CronJob's drill-down leaves it and its Jobs.
impl InScope for JobRows<'_> {
    const PANEL: Panel = Panel::Jobs;
    fn context(&self, i: usize) -> Option<&str> {
        self.row(i).map(|r| r.context())
    }
    fn in_scope(&self, i: usize, namespace: Option<&str>, narrow: Option<&Narrow>) -> bool {
        let Some(row) = self.row(i) else {
            return false;
        };
        if namespace.is_some_and(|ns| row.namespace() != ns) {
            return false;
        }
        match narrow {
            Some(Narrow::JobsOf { namespace, cronjob }) => {
                row.namespace() == namespace
                    && match row {
                        JobRow::Cron(c) => &c.name == cronjob,
                        JobRow::Job(j) => j.owner.as_ref() == Some(cronjob),
                    }
            }
            _ => true,
        }
    }
}

/// ConfigMaps and Secrets follow the chosen namespace; no drill-down narrows them.
impl InScope for ConfigRows<'_> {
    const PANEL: Panel = Panel::Config;
    fn context(&self, i: usize) -> Option<&str> {
        Some(&*self.config(i).context)
    }
    fn in_scope(&self, i: usize, namespace: Option<&str>, _narrow: Option<&Narrow>) -> bool {
        namespace.is_none_or(|ns| self.config(i).namespace == ns)
    }
}
