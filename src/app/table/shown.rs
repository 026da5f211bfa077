//! A panel's table with its rows bound, behind one object-safe trait, so that what works on
//! "the shown table" (moving, filtering, sorting, following) needs no match over the panels:
//! each panel's spec (`app::panel_spec`) binds its `TableView` to its `RowSet` once.

use std::borrow::Cow;

use super::{RowSet, Sort, TableView};

/// The shown table's view and rows together.
pub trait ShownTable {
    fn sync(&mut self);
    fn move_by(&mut self, delta: isize);
    fn select(&mut self, position: usize);
    fn select_first(&mut self);
    fn scroll_into_view(&mut self, height: usize);
    fn set_filter(&mut self, filter: &str);
    fn set_sort(&mut self, sort: Sort);
    fn sort(&self) -> Sort;
    fn shows_descending(&self) -> bool;
    fn sort_by_column(&mut self, column: usize);
    /// The next column (`o` twice).
    fn cycle_sort(&mut self);
    fn reverse_sort(&mut self);
    fn set_sort_letters(&mut self, letters: Option<Vec<char>>);
    fn columns(&self) -> &'static [&'static str];
    fn header(&self, column: usize) -> Cow<'static, str>;
}

/// What a table view answers without its rows: what a follower mirrors, whether the sort
/// chooser is open.
pub trait ViewState {
    fn filter(&self) -> &str;
    fn sort(&self) -> Sort;
    fn selected(&self) -> usize;
    fn choosing_sort(&self) -> bool;
}

impl<Id> ViewState for TableView<Id> {
    fn filter(&self) -> &str {
        &self.filter
    }
    fn sort(&self) -> Sort {
        self.sort
    }
    fn selected(&self) -> usize {
        self.selected
    }
    fn choosing_sort(&self) -> bool {
        self.sort_letters.is_some()
    }
}

/// A view and the rows it shows, borrowed from the state side by side.
pub struct Bound<'a, R: RowSet> {
    pub view: &'a mut TableView<R::Id>,
    pub rows: R,
}

impl<R: RowSet> ShownTable for Bound<'_, R> {
    fn sync(&mut self) {
        self.view.sync(&self.rows);
    }
    fn move_by(&mut self, delta: isize) {
        self.view.move_by(&self.rows, delta);
    }
    fn select(&mut self, position: usize) {
        self.view.select(&self.rows, position);
    }
    fn select_first(&mut self) {
        self.view.select_first(&self.rows);
    }
    fn scroll_into_view(&mut self, height: usize) {
        self.view.scroll_into_view(height);
    }
    fn set_filter(&mut self, filter: &str) {
        self.view.set_filter(filter);
    }
    fn set_sort(&mut self, sort: Sort) {
        self.view.sort = sort;
    }
    fn sort(&self) -> Sort {
        self.view.sort
    }
    fn shows_descending(&self) -> bool {
        self.view.shows_descending
    }
    fn sort_by_column(&mut self, column: usize) {
        self.view.sort_by_column(column);
    }
    fn cycle_sort(&mut self) {
        self.view.cycle_sort(self.rows.columns().len());
    }
    fn reverse_sort(&mut self) {
        self.view.reverse_sort();
    }
    fn set_sort_letters(&mut self, letters: Option<Vec<char>>) {
        self.view.sort_letters = letters;
    }
    fn columns(&self) -> &'static [&'static str] {
        self.rows.columns()
    }
    fn header(&self, column: usize) -> Cow<'static, str> {
        self.rows.header(column)
    }
}
