//! Every PostgreSQL session of every instance as one table: those blocking others first, then
//! the longest in their state (a query running, a transaction left idle).

use std::cmp::Ordering;

use super::{asc_none_last, desc_none_last};
use crate::app::table::RowSet;
use crate::domain::{Estate, PgInstance, PgSession, UnixTime};

pub const SESSION_COLUMNS: &[&str] = &[
    "INSTANCE",
    "PID",
    "USER",
    "APPLICATION",
    "STATE",
    // How long it has been in that state: a query running, a transaction left idle.
    "FOR",
    "BLOCKING",
    "WAIT",
    "QUERY",
];

/// The column the table is sorted by at first: how many sessions each one blocks.
pub const BLOCKING_COLUMN: usize = 6;

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
        if let Some(wait) = &s.wait_event {
            out.push(' ');
            out.push_str(wait);
        }
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let ((ia, x), (ib, y)) = (self.session(a), self.session(b));
        let by = match column {
            0 => ia.name.cmp(&ib.name),
            1 => x.pid.cmp(&y.pid),
            2 => x.user.cmp(&y.user),
            3 => x.application.cmp(&y.application),
            4 => x.state.cmp(&y.state),
            5 => desc_none_last(x.in_state_secs(self.now), y.in_state_secs(self.now)),
            BLOCKING_COLUMN => y.blocks.cmp(&x.blocks),
            7 => asc_none_last(x.wait_event.as_ref(), y.wait_event.as_ref()),
            8 => x.query.cmp(&y.query),
            _ => Ordering::Equal,
        };
        by.then_with(|| desc_none_last(x.in_state_secs(self.now), y.in_state_secs(self.now)))
            .then_with(|| (&ia.name, x.pid).cmp(&(&ib.name, y.pid)))
    }
    fn content_affects_order(&self, _: usize) -> bool {
        true
    }
    fn columns(&self) -> &'static [&'static str] {
        SESSION_COLUMNS
    }
    fn largest_first(&self, column: usize) -> bool {
        matches!(column, 5 | BLOCKING_COLUMN)
    }
}
