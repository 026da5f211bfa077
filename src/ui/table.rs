//! The one table widget every panel uses: a header with the sort marker, only the visible rows
//! built and drawn, the selection highlighted, and columns dropped by priority when the terminal
//! is narrow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::look::Look;
use crate::app::table::TableView;
use crate::config::Role;

#[derive(Debug, Clone, Copy)]
pub enum Width {
    Fixed(u16),
    /// Takes the room left, at least this much.
    Fill(u16),
    /// At least `min`, and of the room left as much as its widest value needs (`widest`):
    /// spare room goes to what would be cut before it goes anywhere else.
    Grow {
        min: u16,
        widest: u16,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub width: Width,
    /// 0: always shown; higher numbers are dropped first when the table is too narrow.
    pub priority: u8,
}

pub const fn fixed(width: u16, priority: u8) -> Column {
    Column {
        width: Width::Fixed(width),
        priority,
    }
}

pub const fn fill(min: u16, priority: u8) -> Column {
    Column {
        width: Width::Fill(min),
        priority,
    }
}

/// A column that grows up to its widest value; `widest` tells it how wide that is.
pub const fn grow(min: u16, priority: u8) -> Column {
    Column {
        width: Width::Grow { min, widest: min },
        priority,
    }
}

impl Column {
    /// The width the column's widest value takes (for a `grow` column).
    pub fn widest(mut self, width: usize) -> Column {
        if let Width::Grow { min, .. } = self.width {
            let widest = u16::try_from(width).unwrap_or(u16::MAX).max(min);
            self.width = Width::Grow { min, widest };
        }
        self
    }

    fn min(&self) -> u16 {
        match self.width {
            Width::Fixed(w) | Width::Fill(w) | Width::Grow { min: w, .. } => w,
        }
    }
}

/// The widths of the `shown` columns in `inner` columns (one apart): each its minimum, then
/// the spare room to the growing columns up to their widest value, left to right, then to
/// headers wider than their column (`headers`, per shown column), then what is left to the
/// filling ones (shared). With none, the rest stays empty at the right.
pub fn spread(columns: &[Column], shown: &[usize], inner: u16, headers: &[u16]) -> Vec<u16> {
    let mut widths: Vec<u16> = shown.iter().map(|c| columns[*c].min()).collect();
    let used = widths.iter().sum::<u16>() + shown.len().saturating_sub(1) as u16;
    let mut spare = inner.saturating_sub(used);
    for (i, c) in shown.iter().enumerate() {
        if let Width::Grow { min, widest } = columns[*c].width {
            let more = widest.saturating_sub(min).min(spare);
            widths[i] += more;
            spare -= more;
        }
    }
    // Then each header as wide as it is drawn (its sort arrow, its letter while choosing).
    for (i, wanted) in headers.iter().enumerate().take(widths.len()) {
        let more = wanted.saturating_sub(widths[i]).min(spare);
        widths[i] += more;
        spare -= more;
    }
    let fills: Vec<usize> = (0..shown.len())
        .filter(|i| matches!(columns[shown[*i]].width, Width::Fill(_)))
        .collect();
    let count = fills.len() as u16;
    for (n, i) in fills.iter().enumerate() {
        // The first fills get the remainder of an uneven share.
        let share = spare / count + u16::from((n as u16) < spare % count);
        widths[*i] += share;
    }
    widths
}

/// Indices of the columns that fit in `width`.
pub fn fitting_columns(columns: &[Column], width: u16) -> Vec<usize> {
    // A fixed width of zero is a column the panel hides for now.
    let mut shown: Vec<usize> = (0..columns.len())
        .filter(|i| !matches!(columns[*i].width, Width::Fixed(0)))
        .collect();
    loop {
        let needed: u16 = shown.iter().map(|i| columns[*i].min()).sum::<u16>()
            + shown.len().saturating_sub(1) as u16
            + 2;
        if needed <= width || shown.len() <= 1 {
            return shown;
        }
        let drop = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].priority > 0)
            .max_by_key(|(pos, i)| (columns[**i].priority, *pos))
            .map(|(pos, _)| pos);
        match drop {
            Some(pos) => {
                shown.remove(pos);
            }
            None => return shown,
        }
    }
}

/// A column drawn before the others that the rows' sort and letters know nothing of: the
/// cluster of each row while several are watched (`context_column`).
pub struct Lead<'a> {
    pub header: &'static str,
    pub width: u16,
    /// Row `i`'s cell.
    pub cell: Box<dyn Fn(usize) -> Cell<'static> + 'a>,
}

pub struct TableProps<'a, Id> {
    pub title: &'a str,
    pub headers: &'a [&'a str],
    pub columns: &'a [Column],
    pub view: &'a TableView<Id>,
    pub total: usize,
    pub focused: bool,
    pub lead: Option<Lead<'a>>,
}

/// Draws the table; `cells(row_index, widths)` builds one row's cells and is called only for
/// the rows on screen. `widths[column]` is the column's width on screen (0 when hidden), so long
/// values can be shortened where it matters (the middle of a pod name, not its unique end).
pub fn draw<Id, F>(frame: &mut Frame, area: Rect, look: Look, props: TableProps<'_, Id>, cells: F)
where
    Id: Clone + PartialEq,
    F: Fn(usize, &[u16]) -> Vec<Cell<'static>>,
{
    let view = props.view;
    // The lead column and its gap come off the width the others fit in.
    let lead_width = props.lead.as_ref().map_or(0, |l| l.width + 1);
    let shown = fitting_columns(props.columns, area.width.saturating_sub(lead_width));
    let visible = view.visible();
    let height = area.height.saturating_sub(3) as usize;
    let start = view.offset.min(visible.len());
    let end = (start + height).min(visible.len());

    let arrow = if view.shows_descending {
        look.sym.sort_descending
    } else {
        look.sym.sort_ascending
    };
    let letters = view.sort_letters.as_ref();
    // A header the arrow or a sort letter would cut asks for the room it needs.
    let header_widths: Vec<u16> = shown
        .iter()
        .map(|c| {
            let letter = letters.and_then(|l| l.get(*c)).map_or(0, |_| 2);
            let sorted = if view.sort.column == *c {
                arrow.chars().count()
            } else {
                0
            };
            (props.headers[*c].chars().count() + letter + sorted) as u16
        })
        .collect();
    let spread = spread(
        props.columns,
        &shown,
        area.width.saturating_sub(2 + lead_width),
        &header_widths,
    );
    let widths: Vec<Constraint> = props
        .lead
        .as_ref()
        .map(|l| l.width)
        .into_iter()
        .chain(spread.iter().copied())
        .map(Constraint::Length)
        .collect();
    let mut column_widths = vec![0u16; props.columns.len()];
    for (c, width) in shown.iter().zip(&spread) {
        column_widths[*c] = *width;
    }

    let lead_header = props.lead.as_ref().map(|l| Cell::from(l.header));
    let header = Row::new(lead_header.into_iter().chain(shown.iter().map(|c| {
        let letter = letters.and_then(|l| l.get(*c).copied());
        let sorted = (view.sort.column == *c).then_some(arrow);
        Cell::from(header_title(
            props.headers[*c],
            letter,
            sorted,
            column_widths[*c],
        ))
    })))
    .style(look.style(Role::Header));

    let rows = (start..end).map(|position| {
        let index = visible[position] as usize;
        let mut all = cells(index, &column_widths);
        let lead = props.lead.as_ref().map(|l| (l.cell)(index));
        let row: Vec<Cell> = lead
            .into_iter()
            .chain(shown.iter().map(|c| std::mem::take(&mut all[*c])))
            .collect();
        let row = Row::new(row);
        if position == view.selected && props.focused {
            row.style(look.style(Role::Selection))
        } else {
            row
        }
    });

    let mut title = vec![Span::styled(
        format!(" {} ", props.title),
        look.style(Role::Title),
    )];
    let count = if visible.len() == props.total {
        format!("{} ", props.total)
    } else {
        format!("{} of {} ", visible.len(), props.total)
    };
    title.push(Span::styled(count, look.style(Role::Muted)));
    if !view.filter.is_empty() {
        title.push(Span::styled(
            format!("/{} ", super::text::clean(&view.filter)),
            look.style(Role::Accent),
        ));
    }
    if let Some(letters) = letters {
        // The letters of the columns too narrow a terminal hides, so they can be chosen too.
        let hidden: Vec<String> = (0..props.headers.len())
            .filter(|c| !shown.contains(c))
            .filter_map(|c| Some(format!("{}:{}", letters.get(c)?, props.headers[c])))
            .collect();
        let mut hint = "sort by letter".to_string();
        if !hidden.is_empty() {
            hint.push_str(&format!(" · hidden {}", hidden.join(" ")));
        }
        title.push(Span::styled(format!("{hint} "), look.style(Role::Accent)));
    } else if !shown.contains(&view.sort.column)
        && let Some(name) = props.headers.get(view.sort.column)
    {
        title.push(Span::styled(
            format!("sorted by {name}{arrow} "),
            look.style(Role::Muted),
        ));
    }
    let position = if visible.is_empty() {
        String::new()
    } else {
        format!(" {}/{} ", view.selected + 1, visible.len())
    };
    let block = look
        .block(props.focused)
        .title(Line::from(title))
        .title_bottom(Line::from(Span::styled(position, look.style(Role::Muted))).right_aligned());

    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .style(look.style(Role::Text));
    frame.render_widget(table, area);
}

/// A header as drawn: the chooser's letter first while choosing (`a:AGE`), the sort arrow last;
/// a header too long for its column loses its end, never the letter or the arrow.
fn header_title(name: &str, letter: Option<char>, arrow: Option<&str>, width: u16) -> String {
    let prefix = letter.map(|l| format!("{l}:")).unwrap_or_default();
    let arrow = arrow.unwrap_or("");
    let room = (width as usize).saturating_sub(prefix.chars().count() + arrow.chars().count());
    let name: String = name.chars().take(room).collect();
    format!("{prefix}{name}{arrow}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_header_wider_than_its_column_gets_the_room_before_a_fill_column() {
        let columns = [fixed(8, 0), fill(10, 0)];
        // RESTARTS▼ is 9 wide: it takes one column of the fill's spare room, not the reverse.
        assert_eq!(spread(&columns, &[0, 1], 30, &[9, 4]), [9, 20]);
        assert_eq!(
            spread(&columns, &[0, 1], 19, &[9, 4]),
            [8, 10],
            "no room: cut"
        );
    }

    #[test]
    fn a_narrow_header_keeps_its_letter_and_arrow() {
        assert_eq!(
            super::header_title("RESTARTS", None, Some("▼"), 8),
            "RESTART▼"
        );
        assert_eq!(super::header_title("AGE", None, Some("▲"), 5), "AGE▲");
        assert_eq!(
            super::header_title("READY", Some('r'), Some("▲"), 5),
            "r:RE▲"
        );
        assert_eq!(super::header_title("NODE", Some('d'), None, 10), "d:NODE");
    }

    use super::*;

    #[test]
    fn narrow_tables_drop_the_least_important_columns_first() {
        let columns = [
            fixed(10, 0),
            fill(20, 0),
            fixed(8, 2),
            fixed(8, 1),
            fixed(12, 3),
        ];
        assert_eq!(fitting_columns(&columns, 200), [0, 1, 2, 3, 4]);
        // 10+20+8+8+12 plus 4 gaps and 2 borders is 64.
        assert_eq!(fitting_columns(&columns, 60), [0, 1, 2, 3]);
        assert_eq!(fitting_columns(&columns, 50), [0, 1, 3]);
        assert_eq!(
            fitting_columns(&columns, 10),
            [0, 1],
            "priority 0 never goes"
        );
    }

    /// Spare room goes to the column whose values were cut (up to its widest one) before a
    /// name column stretches into empty space; what no column needs stays at the right.
    #[test]
    fn spare_room_goes_to_the_cut_columns_up_to_their_widest_value() {
        let columns = [
            fixed(10, 0),
            grow(16, 0).widest(21),
            fixed(9, 0),
            grow(20, 4).widest(42),
        ];
        let all = [0, 1, 2, 3];
        // Minimums 55 and 3 gaps: 58; at 70, 12 spare go to NAME (5) then IMAGE (7).
        assert_eq!(spread(&columns, &all, 70, &[]), [10, 21, 9, 27]);
        // At 100 both are whole and 24 columns stay empty.
        assert_eq!(spread(&columns, &all, 100, &[]), [10, 21, 9, 42]);
        let with_fill = [fixed(10, 0), fill(16, 0), grow(20, 4).widest(30)];
        assert_eq!(spread(&with_fill, &[0, 1, 2], 80, &[]), [10, 38, 30]);
    }
}
