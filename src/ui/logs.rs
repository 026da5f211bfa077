//! The logs pane: the newest lines that fit (or, scrolled up, the ones the reader is at), each
//! made harmless (`clean`) and cut to the width, errors and warnings in their colours.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::look::Look;
use super::popup::Scrolled;
use super::text::{clean, fit};
use crate::app::State;
use crate::app::logs::LogPane;
use crate::config::{Command, Mode, Role};
use crate::domain::LogLevel;

/// Widest the pane gets: log lines are long.
const MAX_WIDTH: u16 = 200;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look, pane: &LogPane) {
    let width = area
        .width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .saturating_sub(2) as usize;
    let rows = area.height.saturating_sub(4) as usize;
    let shown: Vec<_> = pane.buffer.at_least(pane.min_level).collect();
    let end = shown.len().saturating_sub(pane.from_bottom);
    // Wrapped, a line takes as many rows as its width needs: go back until the rows are full.
    let mut start = end;
    let mut used = 0;
    while start > 0 {
        let text_width = unicode_width::UnicodeWidthStr::width(&*shown[start - 1].text);
        let height = if pane.wrap {
            text_width.div_ceil(width.max(1)).max(1)
        } else {
            1
        };
        if used + height > rows && start < end {
            break;
        }
        used += height;
        start -= 1;
    }
    let mut lines: Vec<Line<'static>> = shown[start..end]
        .iter()
        .map(|line| {
            let role = match line.level {
                LogLevel::Error => Role::Crit,
                LogLevel::Warn => Role::Warn,
                LogLevel::Debug => Role::Muted,
                _ => Role::Text,
            };
            let text = clean(&line.text);
            let text = if pane.wrap {
                text.into_owned()
            } else {
                fit(&text, width, look.sym.ellipsis)
            };
            Line::from(Span::styled(text, look.style(role)))
        })
        .collect();
    if shown.is_empty() {
        let waiting = match &pane.ended {
            None => "waiting for the first lines...".to_string(),
            Some(why) if why.is_empty() => "the log is empty".to_string(),
            Some(why) => format!("no log: {}", clean(why)),
        };
        lines.push(Line::from(Span::styled(waiting, look.style(Role::Muted))));
    }
    let keymap = &state.settings.keymap;
    let key = |c| {
        keymap
            .first_key(Mode::Pane, c)
            .map_or_else(String::new, |k| k.to_string())
    };
    let mut status = vec![format!("{} lines", shown.len())];
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
    status.push(match pane.min_level {
        LogLevel::Warn => "warnings and errors".to_string(),
        LogLevel::Error => "errors only".to_string(),
        _ => format!("all levels ({} filters)", key(Command::LogLevel)),
    });
    if pane.buffer.dropped > 0 {
        status.push(format!("{} older dropped", pane.buffer.dropped));
    }
    if let Some(why) = pane.ended.as_ref().filter(|w| !w.is_empty()) {
        status.push(format!("ended: {}", clean(why)));
    } else if pane.ended.is_some() {
        status.push("ended".into());
    }
    let title = format!("Logs {} · {}", clean(&pane.title), status.join(" · "));
    let popup = Scrolled {
        title,
        lines,
        scroll: 0,
        down_key: None,
        max_width: MAX_WIDTH,
    };
    super::popup::draw(frame, area, look, popup);
}
