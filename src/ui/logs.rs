//! The logs pane: the lines on screen (`LogPane::visible`), each made harmless (`clean`) and cut
//! to the width, errors and warnings in their colours, a workload's pods each in a colour of
//! their own, search matches highlighted and the match jumped to marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
use super::text::{clean, fit};
use crate::app::State;
use crate::app::logs::LogPane;
use crate::config::{Command, Mode, Role};
use crate::domain::logs::match_ranges;
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
    let dot = look.sym.dot;
    let title = format!(
        "Logs {} {dot} {}",
        clean(&pane.title),
        status(state, pane).join(&format!(" {dot} "))
    );
    let popup = Scrolled {
        title,
        lines,
        scroll: 0,
        down_key: None,
        max_width: MAX_WIDTH,
    };
    super::popup::draw(frame, area, look, popup);
    if let Some(prompt) = search_prompt(state, pane) {
        draw_prompt(frame, area, look, prompt);
    }
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
    let text = clean(&line.text);
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

/// What the title says after the pod's name: lines, container, following, filter, search.
fn status(state: &State, pane: &LogPane) -> Vec<String> {
    let keymap = &state.settings.keymap;
    let key = |c| {
        keymap
            .first_key(Mode::Pane, c)
            .map_or_else(String::new, |k| k.to_string())
    };
    let mut status = vec![format!("{} lines", pane.shown())];
    if pane.previous {
        status.push(format!(
            "previous container ({} for the current)",
            key(Command::PreviousLog)
        ));
    } else if let Some(at) = pane.restarted {
        let ago = crate::domain::time::format_age(at.age_at(state.now));
        status.push(format!(
            "restarted {ago} ago: {} shows the crashed container",
            key(Command::PreviousLog)
        ));
    }
    status.push(if pane.follow {
        "following".to_string()
    } else if pane.previous || pane.from_bottom == 0 {
        "at the end".to_string()
    } else {
        format!(
            "paused, {} newer ({} follows)",
            pane.from_bottom,
            key(Command::Follow)
        )
    });
    if !pane.search.is_empty() && state.filter_input.is_none() {
        let found = pane.buffer.matches(pane.min_level, &pane.search).len();
        status.push(format!(
            "\"{}\": {found} matches ({}/{} jump)",
            clean(&pane.search),
            key(Command::NextMatch),
            key(Command::PrevMatch)
        ));
    }
    status.push(match pane.min_level {
        LogLevel::Warn => "warnings and errors".to_string(),
        LogLevel::Error => "errors only".to_string(),
        _ => format!("all levels ({} filters)", key(Command::LogLevel)),
    });
    if let Some(container) = &pane.container {
        status.push(format!(
            "container {} ({})",
            clean(container),
            key(Command::Containers)
        ));
    }
    if pane.left_out > 0 {
        status.push(format!("{} pods not shown (max_streams)", pane.left_out));
    }
    if pane.buffer.dropped > 0 {
        status.push(format!("{} older dropped", pane.buffer.dropped));
    }
    for (source, why) in &pane.failed {
        let pod = pane.prefixes.get(usize::from(*source)).map_or("?", |p| p);
        status.push(format!("{}: {}", clean(pod), clean(why)));
    }
    if let Some(why) = pane.ended.as_ref().filter(|w| !w.is_empty()) {
        status.push(format!("ended: {}", clean(why)));
    } else if pane.ended.is_some() {
        status.push("ended".into());
    }
    status
}

/// The search being typed, shown on the pane's bottom border: `/ text_ · 3 matches`.
fn search_prompt(state: &State, pane: &LogPane) -> Option<String> {
    let input = state.filter_input.as_ref()?;
    let text = input.lines().join(" ");
    let found = pane.buffer.matches(pane.min_level, &text).len();
    let dot = crate::ui::symbols::Symbols::new(state.settings.ascii).dot;
    Some(format!(" / {}_ {dot} {found} matches ", clean(&text)))
}

fn draw_prompt(frame: &mut Frame, area: Rect, look: Look, prompt: String) {
    let width = area.width.saturating_sub(4).min(MAX_WIDTH);
    let x = area.x + (area.width - width) / 2 + 2;
    // The popup's bottom border (`popup::draw` leaves a row above and below).
    let y = area.y + area.height.saturating_sub(2);
    let room = width.saturating_sub(4);
    let text = fit(&prompt, room as usize, look.sym.ellipsis);
    let len = unicode_width::UnicodeWidthStr::width(&*text) as u16;
    frame.render_widget(
        Span::styled(text, look.style(Role::Accent)),
        Rect::new(x, y, len.min(room), 1),
    );
}
