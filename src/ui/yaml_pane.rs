//! The YAML view: one Kubernetes object over the whole screen, coloured by the theme's YAML
//! roles, each line made harmless (`clean`) and cut to the width (copy and save keep it
//! whole), matches of the search highlighted; the title names the object, the bottom border
//! says where the view is and what the keys do, or shows the search being typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use super::look::Look;
use super::text::{clean, fit};
use crate::app::State;
use crate::app::pane::Pane;
use crate::app::yaml_pane::{Fetch, YamlPane, text_rows};
use crate::config::{Command, Mode, Role};
use crate::domain::logs::match_ranges;
use crate::domain::yaml::{Token, YamlLine};

/// Widest the view gets, as the logs pane.
const MAX_WIDTH: u16 = 200;

fn role(token: Token) -> Role {
    match token {
        Token::Key => Role::YamlKey,
        Token::Str => Role::YamlString,
        Token::Number => Role::YamlNumber,
        Token::Comment => Role::YamlComment,
        Token::Punct => Role::Text,
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    look: Look,
    pane: &Pane,
    yaml: &YamlPane,
) {
    let width = area.width.saturating_sub(4).min(MAX_WIDTH);
    let height = area.height.saturating_sub(2);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let inner_width = usize::from(width.saturating_sub(2));
    let rows = usize::from(height.saturating_sub(2)).min(text_rows(state.size).max(1));
    let all = yaml.lines();
    let first = usize::from(pane.scroll).min(all.len().saturating_sub(rows));
    let needle = yaml.search.to_ascii_lowercase();
    let mut lines: Vec<Line<'static>> = all
        .iter()
        .skip(first)
        .take(rows)
        .map(|l| draw_line(l, look, inner_width, &needle))
        .collect();
    match &yaml.fetch {
        Fetch::Fetching => lines.push(Line::from(Span::styled(
            format!("fetching {}…", clean(&yaml.object.title())),
            look.style(Role::Muted),
        ))),
        Fetch::Failed(why) => lines.push(Line::from(look.marked(
            crate::domain::Level::Crit,
            &fit(&clean(why), inner_width.saturating_sub(2), "…"),
        ))),
        Fetch::Shown { .. } => {}
    }
    let title = format!(
        " {} ",
        fit(
            &clean(&yaml.object.title()),
            inner_width.saturating_sub(2),
            "…"
        )
    );
    let bottom = bottom_line(state, yaml, first, rows, inner_width.saturating_sub(2));
    let bottom_role = if state.filter_input.is_some() {
        Role::Accent
    } else {
        Role::Muted
    };
    let block = look
        .block(true)
        .title(Span::styled(title, look.style(Role::Title)))
        .title_bottom(Span::styled(bottom, look.style(bottom_role)));
    super::popup::clear_beneath(frame, area, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .style(look.style(Role::Text))
            .block(block),
        rect,
    );
}

/// One YAML line: its tokens in their colours, the search's matches over them, cut to `width`.
fn draw_line(line: &YamlLine, look: Look, width: usize, needle: &str) -> Line<'static> {
    let pieces: Vec<(Role, String)> = line
        .parts
        .iter()
        .map(|(t, s)| (role(*t), clean(s).into_owned()))
        .collect();
    let text: String = pieces.iter().map(|(_, s)| s.as_str()).collect();
    let ranges = match_ranges(&text, needle);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let (mut current, mut run, mut used, mut at) = (Role::Text, String::new(), 0, 0);
    'pieces: for (piece_role, s) in &pieces {
        for (i, ch) in s.char_indices() {
            let here = if ranges.iter().any(|r| r.contains(&(at + i))) {
                Role::Match
            } else {
                *piece_role
            };
            let w = ch.width().unwrap_or(0);
            if used + w > width {
                break 'pieces;
            }
            if here != current && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), look.style(current)));
            }
            current = here;
            run.push(ch);
            used += w;
        }
        at += s.len();
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, look.style(current)));
    }
    Line::from(spans)
}

/// Where the view is (`lines 1-40 of 212`), the match, and the keys; or the search being typed.
fn bottom_line(state: &State, yaml: &YamlPane, first: usize, rows: usize, room: usize) -> String {
    if let Some(input) = &state.filter_input {
        let typed = input.lines().join(" ");
        return format!(" /{}▏ ", fit(&clean(&typed), room.saturating_sub(4), "…"));
    }
    let total = yaml.lines().len();
    let mut parts = Vec::new();
    if total > 0 {
        let last = (first + rows).min(total);
        parts.push(format!("lines {}-{last} of {total}", first + 1));
    }
    if !yaml.search.is_empty() {
        let needle = yaml.search.to_ascii_lowercase();
        let count = yaml
            .lines()
            .iter()
            .filter(|l| l.text().to_ascii_lowercase().contains(&needle))
            .count();
        let lines = if count == 1 {
            "line matches"
        } else {
            "lines match"
        };
        parts.push(match yaml.match_line {
            Some(line) => format!(
                "\"{}\" at line {} ({count} {lines})",
                clean(&yaml.search),
                line + 1
            ),
            None => format!("\"{}\": {count} {lines}", clean(&yaml.search)),
        });
    }
    let keymap = &state.settings.keymap;
    let key = |c: Command, what: &str| {
        keymap
            .first_key(Mode::Pane, c)
            .map(|k| format!("{k} {what}"))
    };
    let keys: Vec<String> = [
        key(Command::Filter, "search"),
        key(Command::Copy, "copy"),
        key(Command::SaveLogs, "save"),
        key(Command::Refresh, "refresh"),
    ]
    .into_iter()
    .flatten()
    .collect();
    parts.push(keys.join(" "));
    format!(" {} ", fit(&parts.join(" · "), room, "…"))
}
