//! A table's view state: selection, scroll, filter and sort, with the sorted and filtered row
//! order cached. The cache is keyed on the data's generations, the sort and the filter, so a
//! frame never sorts or filters; a filter keystroke that narrows the query only filters the rows
//! already shown.

use std::cmp::Ordering;

use super::search::SearchIndex;

mod shown;
mod sort_keys;
pub use shown::{Bound, ShownTable, ViewState};
pub use sort_keys::{column_for, sort_letters};

/// The rows of one panel, as the table needs to see them.
pub trait RowSet {
    /// What identifies a row across updates, so the selection stays on the same row.
    type Id: Clone + PartialEq;

    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `(membership, content)`: the first changes when rows come or go, the second when any
    /// row changes.
    fn generation(&self) -> (u64, u64);
    fn id(&self, index: usize) -> Self::Id;
    fn index_of(&self, id: &Self::Id) -> Option<usize>;
    /// Writes the row's searchable fields, separated by spaces, to `out` (which is empty).
    fn search_text(&self, index: usize, out: &mut String);
    /// Compares two rows by a column; ties are broken so the order is total.
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering;
    /// The order the table shows under `sort`: `compare`, reversed when descending. Rows that
    /// group themselves (alerts) override it to keep groups together whichever the direction.
    fn compare_sorted(&self, a: usize, b: usize, sort: Sort) -> Ordering {
        let order = self.compare(a, b, sort.column);
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    }
    /// Whether a change of content (not membership) can change the order under this column.
    fn content_affects_order(&self, column: usize) -> bool;
    /// Column names, also the table's headers.
    fn columns(&self) -> &'static [&'static str];
    /// A column's header as drawn, where it depends on the rows' lens (the alerts' group).
    fn header(&self, column: usize) -> std::borrow::Cow<'static, str> {
        self.columns().get(column).copied().unwrap_or("").into()
    }
    /// Whether `compare` puts the largest first under this column (restarts, p95, run time),
    /// so the header's arrow can show the order the operator sees.
    fn largest_first(&self, _column: usize) -> bool {
        false
    }
    /// Whether some rows are left out whatever the filter (e.g. silenced alerts on request).
    /// The choice must be part of `generation`, so that changing it recomputes the rows shown.
    fn hides_some(&self) -> bool {
        false
    }
    fn hidden(&self, _index: usize) -> bool {
        false
    }
    /// What the view filter (namespace, drill-down) leaves in: a key that changes whenever the
    /// scope does, and whether a row is out of it. Unlike `hidden`, a row out of scope is never
    /// kept for the selection's sake: the namespace chosen is all that is shown.
    fn scope_key(&self) -> u64 {
        0
    }
    fn out_of_scope(&self, _index: usize) -> bool {
        false
    }
}

/// Where a table was (filter, selected row, scroll), to come back to after a drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMark<Id> {
    pub filter: String,
    pub selected_id: Option<Id>,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OrderKey {
    membership: u64,
    scope: u64,
    /// Zero when content changes cannot reorder under the sort column.
    content: u64,
    sort: Sort,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct VisibleKey {
    membership: u64,
    scope: u64,
    content: u64,
    sort: Sort,
    filter: String,
}

#[derive(Debug, Clone)]
pub struct TableView<Id> {
    /// Position of the selection within the visible rows.
    pub selected: usize,
    /// First visible row drawn.
    pub offset: usize,
    pub filter: String,
    pub sort: Sort,
    selected_id: Option<Id>,
    /// A row the rows hide (`hidden`) that stays shown because the selection is on it: an alert
    /// silenced under the cursor stays where the operator can see it, and expire it, until the
    /// selection moves away.
    kept: Option<Id>,
    order: Vec<u32>,
    visible: Vec<u32>,
    order_key: Option<OrderKey>,
    visible_key: Option<VisibleKey>,
    search: SearchIndex,
    /// Whether the rows are shown largest first under the sort column, for the header arrow.
    pub shows_descending: bool,
    /// While the sort key waits for a letter: each column's letter, which the headers show.
    /// Taken from the rows' column names, so that what is shown is what a letter chooses.
    pub sort_letters: Option<Vec<char>>,
}

impl<Id: Clone + PartialEq> TableView<Id> {
    pub fn new(sort: Sort) -> Self {
        Self {
            selected: 0,
            offset: 0,
            filter: String::new(),
            sort,
            selected_id: None,
            kept: None,
            order: Vec::new(),
            visible: Vec::new(),
            order_key: None,
            visible_key: None,
            search: SearchIndex::default(),
            shows_descending: false,
            sort_letters: None,
        }
    }

    /// Row indices in display order, after filtering. Valid after [`TableView::sync`].
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// Index into the row set of the selected row.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).map(|i| *i as usize)
    }

    /// Brings the cached order up to date with the rows; cheap when nothing changed.
    pub fn sync<R: RowSet<Id = Id>>(&mut self, rows: &R) {
        let (membership, content) = rows.generation();
        let scope = rows.scope_key();
        let order_key = OrderKey {
            membership,
            scope,
            content: if rows.content_affects_order(self.sort.column) {
                content
            } else {
                0
            },
            sort: self.sort,
        };
        let order_changed = self.order_key.as_ref() != Some(&order_key);
        self.shows_descending = rows.largest_first(self.sort.column) != self.sort.descending;
        if order_changed {
            let sort = self.sort;
            self.order.clear();
            self.order.extend(0..rows.len() as u32);
            self.order
                .sort_unstable_by(|a, b| rows.compare_sorted(*a as usize, *b as usize, sort));
            self.order_key = Some(order_key);
        }
        let visible_key = VisibleKey {
            membership,
            scope,
            content,
            sort: self.sort,
            filter: self.filter.clone(),
        };
        if self.visible_key.as_ref() == Some(&visible_key) {
            return;
        }
        if self.filter.trim().is_empty() {
            self.visible.clone_from(&self.order);
        } else {
            self.search.ensure(rows);
            let hit = self.search.matching(&self.filter);
            self.visible.clear();
            self.visible
                .extend(self.order.iter().copied().filter(|i| hit[*i as usize]));
        }
        if scope != 0 {
            self.visible.retain(|i| !rows.out_of_scope(*i as usize));
        }
        self.kept = None;
        if rows.hides_some() {
            let selected = self.selected_id.clone();
            let mut kept = None;
            self.visible.retain(|i| {
                let i = *i as usize;
                if !rows.hidden(i) {
                    return true;
                }
                let id = rows.id(i);
                let keep = selected.as_ref() == Some(&id);
                if keep {
                    kept = Some(id);
                }
                keep
            });
            self.kept = kept;
        }
        self.visible_key = Some(visible_key);
        self.restore_selection(rows);
    }

    fn restore_selection<R: RowSet<Id = Id>>(&mut self, rows: &R) {
        let found = self
            .selected_id
            .as_ref()
            .and_then(|id| rows.index_of(id))
            .and_then(|index| self.visible.iter().position(|v| *v as usize == index));
        match found {
            Some(position) => self.selected = position,
            None => {
                self.selected = self.selected.min(self.visible.len().saturating_sub(1));
                self.selected_id = self.selected_index().map(|i| rows.id(i));
            }
        }
    }

    /// Moves the selection by `delta` rows (clamped) and remembers which row it is on.
    pub fn move_by<R: RowSet<Id = Id>>(&mut self, rows: &R, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        let target = (self.selected as isize + delta).clamp(0, last.max(0));
        self.select(rows, target as usize);
    }

    pub fn select<R: RowSet<Id = Id>>(&mut self, rows: &R, position: usize) {
        self.selected = position.min(self.visible.len().saturating_sub(1));
        self.selected_id = self.selected_index().map(|i| rows.id(i));
        if self.kept.is_some() && self.kept != self.selected_id {
            // The selection left a row that is only shown because it was on it.
            self.visible_key = None;
        }
    }

    /// Where the table is now, to come back to.
    pub fn mark(&self) -> TableMark<Id> {
        TableMark {
            filter: self.filter.clone(),
            selected_id: self.selected_id.clone(),
            offset: self.offset,
        }
    }

    /// Back where [`TableView::mark`] was; the next sync finds the row again.
    pub fn restore(&mut self, mark: TableMark<Id>) {
        self.filter = mark.filter;
        self.selected_id = mark.selected_id;
        self.offset = mark.offset;
        self.visible_key = None;
    }

    /// Whether a row that is hidden is shown because the selection is on it.
    pub fn keeps_a_hidden_row(&self) -> bool {
        self.kept.is_some()
    }

    /// Scrolls so that the selection is within a viewport of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(height));
    }

    pub fn set_filter(&mut self, filter: &str) {
        if self.filter != filter {
            self.filter = filter.to_string();
            self.offset = 0;
        }
    }

    pub fn cycle_sort(&mut self, columns: usize) {
        self.sort = Sort {
            column: (self.sort.column + 1) % columns.max(1),
            descending: false,
        };
    }

    pub fn reverse_sort(&mut self) {
        self.sort.descending = !self.sort.descending;
    }

    /// Sorts by `column`, or reverses the order when it is the sorted column already.
    pub fn sort_by_column(&mut self, column: usize) {
        if self.sort.column == column {
            self.reverse_sort();
        } else {
            self.sort = Sort {
                column,
                descending: false,
            };
        }
    }

    /// After the order changed on request, the selection goes to the first row: what the new
    /// order puts on top is what the operator asked to see.
    pub fn select_first<R: RowSet<Id = Id>>(&mut self, rows: &R) {
        self.sync(rows);
        self.select(rows, 0);
        self.offset = 0;
    }
}

#[cfg(test)]
mod tests;
