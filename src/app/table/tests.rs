//! The table view's selection, sort, filter and scrolling, on a fake row set.

use super::*;

/// Rows are (name, value); membership and content counters are set by hand.
struct Fake {
    rows: Vec<(String, u32)>,
    generation: (u64, u64),
    /// Rows left out whatever the filter (as silenced alerts on request).
    hide: Vec<String>,
}

impl RowSet for Fake {
    type Id = String;
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn generation(&self) -> (u64, u64) {
        self.generation
    }
    fn id(&self, i: usize) -> String {
        self.rows[i].0.clone()
    }
    fn index_of(&self, id: &String) -> Option<usize> {
        self.rows.iter().position(|r| &r.0 == id)
    }
    fn search_text(&self, i: usize, out: &mut String) {
        out.push_str(&self.rows[i].0);
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        match column {
            0 => self.rows[a].0.cmp(&self.rows[b].0),
            _ => self.rows[a]
                .1
                .cmp(&self.rows[b].1)
                .then_with(|| self.rows[a].0.cmp(&self.rows[b].0)),
        }
    }
    fn content_affects_order(&self, column: usize) -> bool {
        column == 1
    }
    fn columns(&self) -> &'static [&'static str] {
        &["NAME", "VALUE"]
    }
    fn hides_some(&self) -> bool {
        !self.hide.is_empty()
    }
    fn hidden(&self, i: usize) -> bool {
        self.hide.contains(&self.rows[i].0)
    }
}

fn fake(names: &[(&str, u32)]) -> Fake {
    Fake {
        rows: names.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
        generation: (1, 1),
        hide: Vec::new(),
    }
}

fn shown(view: &TableView<String>, rows: &Fake) -> Vec<String> {
    view.visible()
        .iter()
        .map(|i| rows.rows[*i as usize].0.clone())
        .collect()
}

#[test]
fn sorts_filters_case_insensitively_and_requires_every_word() {
    let rows = fake(&[("pos-order", 3), ("Pos-Payment", 1), ("workflow", 2)]);
    let mut view = TableView::new(Sort {
        column: 1,
        descending: false,
    });
    view.sync(&rows);
    assert_eq!(
        shown(&view, &rows),
        ["Pos-Payment", "workflow", "pos-order"]
    );
    view.set_filter("POS");
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["Pos-Payment", "pos-order"]);
    view.set_filter("pos pay");
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["Pos-Payment"]);
    view.set_filter("");
    view.reverse_sort();
    view.sync(&rows);
    assert_eq!(
        shown(&view, &rows),
        ["pos-order", "workflow", "Pos-Payment"]
    );
}

#[test]
fn a_bang_word_excludes_the_rows_that_contain_it() {
    let rows = fake(&[("pos-order", 3), ("pos-payment", 1), ("workflow", 2)]);
    let mut view = TableView::new(Sort {
        column: 0,
        descending: false,
    });
    view.set_filter("pos !PAY");
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["pos-order"]);
    view.set_filter("!pos");
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["workflow"]);
    // While `!word` is being typed, the lone `!` hides nothing.
    view.set_filter("pos !");
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["pos-order", "pos-payment"]);
}

#[test]
fn filter_words_never_match_across_rows_and_data_changes_rebuild_the_index() {
    let mut rows = fake(&[("alpha", 1), ("beta", 2)]);
    let mut view = TableView::new(Sort {
        column: 0,
        descending: false,
    });
    view.set_filter("ab");
    view.sync(&rows);
    assert!(
        shown(&view, &rows).is_empty(),
        "\"alpha\" + \"beta\" must not match \"ab\""
    );
    rows.rows[1].0 = "tab".into();
    rows.generation.1 += 1;
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["tab"]);
}

#[test]
fn selection_follows_its_row_when_the_order_changes() {
    let mut rows = fake(&[("a", 1), ("b", 2), ("c", 3)]);
    let mut view = TableView::new(Sort {
        column: 1,
        descending: false,
    });
    view.sync(&rows);
    view.move_by(&rows, 1);
    assert_eq!(
        view.selected_index().map(|i| rows.rows[i].0.as_str()),
        Some("b")
    );
    rows.rows[1].1 = 0; // b now sorts first
    rows.generation.1 += 1;
    view.sync(&rows);
    assert_eq!(view.selected, 0);
    assert_eq!(
        view.selected_index().map(|i| rows.rows[i].0.as_str()),
        Some("b")
    );
}

#[test]
fn a_vanished_selection_clamps_and_movement_stays_in_bounds() {
    let mut rows = fake(&[("a", 1), ("b", 2), ("c", 3)]);
    let mut view = TableView::new(Sort {
        column: 0,
        descending: false,
    });
    view.sync(&rows);
    view.move_by(&rows, 10);
    assert_eq!(view.selected, 2);
    rows.rows.pop();
    rows.generation.0 += 1;
    view.sync(&rows);
    assert_eq!(view.selected, 1);
    view.move_by(&rows, -10);
    assert_eq!(view.selected, 0);
}

#[test]
fn content_changes_do_not_resort_when_the_sort_column_cannot_change() {
    let mut rows = fake(&[("b", 1), ("a", 2)]);
    let mut view = TableView::new(Sort {
        column: 0,
        descending: false,
    });
    view.sync(&rows);
    let key = view.order_key.clone();
    rows.generation.1 += 1;
    view.sync(&rows);
    assert_eq!(
        view.order_key, key,
        "sorted by name: a content change keeps the order"
    );
    assert_eq!(shown(&view, &rows), ["a", "b"]);
}

#[test]
fn scrolling_keeps_the_selection_in_view() {
    let rows = fake(
        &(0..100)
            .map(|i| (Box::leak(format!("r{i:03}").into_boxed_str()) as &str, i))
            .collect::<Vec<_>>(),
    );
    let mut view = TableView::new(Sort {
        column: 0,
        descending: false,
    });
    view.sync(&rows);
    view.move_by(&rows, 30);
    view.scroll_into_view(10);
    assert_eq!(view.offset, 21);
    view.move_by(&rows, -25);
    view.scroll_into_view(10);
    assert_eq!(view.offset, 5);
}

#[test]
fn a_row_hidden_under_the_selection_stays_until_the_selection_leaves_it() {
    let mut rows = fake(&[("a", 1), ("b", 2), ("c", 3)]);
    let mut view = TableView::new(Sort {
        column: 1,
        descending: false,
    });
    view.sync(&rows);
    view.select(&rows, 1);
    // "b" becomes one of the hidden rows (silenced, with silenced ones hidden).
    rows.hide = vec!["b".into()];
    rows.generation = (2, 2);
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["a", "b", "c"]);
    assert_eq!(view.selected_index(), Some(1), "still on b");
    assert!(view.keeps_a_hidden_row());
    // Moving off it hides it; the selection stays on the row moved to.
    view.move_by(&rows, 1);
    view.sync(&rows);
    assert_eq!(shown(&view, &rows), ["a", "c"]);
    assert_eq!(rows.id(view.selected_index().unwrap()), "c");
    assert!(!view.keeps_a_hidden_row());
}
