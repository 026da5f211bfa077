//! The logs pane: the lines on screen (`LogPane::visible`), each made harmless (`clean`) and cut
//! to the width, errors and warnings in their colours, a workload's pods each in a colour of
//! their own, timestamps muted, search matches highlighted and the match jumped to marked; the
//! pane's state on its bottom border (`logs_status`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
use super::text::{clean, fit};
use crate::app::State;
use crate::app::logs::LogPane;
use crate::config::Role;
use crate::domain::logs::{STAMP_WIDTH, match_ranges};
use crate::domain::{LogLevel, LogLine};

/// Widest the pane gets: log lines are long.
const MAX_WIDTH: u16 = 200;

/// The text area inside the pane on a terminal of `size` (columns, rows): width and rows.
pub fn text_size(size: (u16, u16)) -> (usize, usize) {
    // As `popup::draw` places it: 2 columns of margin each side, a border all round.
    let width = size.0.saturating_sub(4).min(MAX_WIDTH).saturating_sub(2) as usize;
    let rows = size.1.saturating_sub(4) as usize;
    (width, rows)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look, pane: &LogPane) {
    let (width, rows) = text_size((area.width, area.height));
    let visible = pane.visible(width, rows);
    let shown = pane.shown();
    // The match jumped to, as a position among the visible lines.
    let current = pane.match_at.and_then(|m| {
        let first = shown - pane.from_bottom.min(shown) - visible.len();
        (shown - 1 - m).checked_sub(first)
    });
    let needle = pane.search.to_lowercase();
    let mut lines: Vec<Line<'static>> = visible
        .iter()
        .enumerate()
        .map(|(i, line)| draw_line(pane, look, line, width, &needle, current == Some(i)))
        .collect();
    if shown == 0 {
        let waiting = match &pane.ended {
            None => "waiting for the first lines...".to_string(),
            Some(why) if why.is_empty() => "the log is empty".to_string(),
            Some(why) => format!("no log: {}", clean(why)),
        };
        lines.push(Line::from(Span::styled(waiting, look.style(Role::Muted))));
    }
    // The popup's width, less its corners.
    let room = area
        .width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .saturating_sub(2);
    let title = super::logs_status::title(state, pane, room as usize, look.sym.dot);
    let popup = Scrolled {
        title,
        lines,
        scroll: 0,
        down_key: None,
        max_width: MAX_WIDTH,
    };
    super::popup::draw(frame, area, look, popup);
    draw_bottom(frame, area, state, look, pane);
}

fn draw_line(
    pane: &LogPane,
    look: Look,
    line: &LogLine,
    width: usize,
    needle: &str,
    current: bool,
) -> Line<'static> {
    let role = match line.level {
        LogLevel::Error => Role::Crit,
        LogLevel::Warn => Role::Warn,
        LogLevel::Debug => Role::Muted,
        _ => Role::Text,
    };
    let mut spans = Vec::new();
    let mut room = width;
    if let (Some(prefix), Some(source)) = (pane.prefix(line), line.source) {
        let colour = Role::SOURCES[usize::from(source) % Role::SOURCES.len()];
        let prefix = format!("{} ", clean(prefix));
        room = room.saturating_sub(unicode_width::UnicodeWidthStr::width(&*prefix));
        spans.push(Span::styled(prefix, look.style(colour)));
    }
    if let Some(stamp) = line.short_stamp().filter(|_| pane.timestamps) {
        room = room.saturating_sub(STAMP_WIDTH + 1);
        spans.push(Span::styled(format!("{stamp} "), look.style(Role::Muted)));
    }
    let text = clean(line.body());
    let text = if pane.wrap {
        text.into_owned()
    } else {
        fit(&text, room, look.sym.ellipsis)
    };
    let base = look.style(role);
    let mut at = 0;
    for range in match_ranges(&text, needle) {
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_string(), base));
        }
        spans.push(Span::styled(
            text[range.clone()].to_string(),
            look.style(Role::Match),
        ));
        at = range.end;
    }
    spans.push(Span::styled(text[at..].to_string(), base));
    let line = Line::from(spans);
    if current {
        // The match jumped to: the whole line stands out, as a selected row does.
        line.style(look.style(Role::Selection))
    } else {
        line.style(Style::default())
    }
}

/// The bottom line (see `logs_status`), drawn over the pane's bottom border.
fn draw_bottom(frame: &mut Frame, area: Rect, state: &State, look: Look, pane: &LogPane) {
    let width = area.width.saturating_sub(4).min(MAX_WIDTH);
    let x = area.x + (area.width - width) / 2 + 1;
    // The popup's bottom border (`popup::draw` leaves a row above and below).
    let y = area.y + area.height.saturating_sub(2);
    let room = width.saturating_sub(2);
    let text = super::logs_status::bottom_line(state, pane, room as usize, look.sym.dot);
    let len = unicode_width::UnicodeWidthStr::width(&*text) as u16;
    let role = if state.filter_input.is_some() {
        Role::Accent
    } else {
        Role::Title
    };
    frame.render_widget(
        Span::styled(text, look.style(role)),
        Rect::new(x, y, len.min(room), 1),
    );
}
