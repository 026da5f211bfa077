//! Word wrapping with a hanging indent: a labelled value (`CLI         kubectl -n pos ...`, a
//! help line's keys and description) continues under its value, never under its label.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// `head` (of `head_width` columns) then `body` wrapped at words into `width` columns; the
/// continuation lines start `head_width` columns in. A word longer than the room is cut.
pub fn hanging(
    head: Vec<Span<'static>>,
    head_width: usize,
    body: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let room = width.saturating_sub(head_width).max(8);
    let mut lines = Vec::new();
    let mut first = Some(head);
    for chunk in wrap_words(body, room) {
        let mut spans = first
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(head_width))]);
        spans.push(Span::styled(chunk, style));
        lines.push(Line::from(spans));
    }
    if let Some(head) = first {
        lines.push(Line::from(head));
    }
    lines
}

/// `text` cut into lines of at most `width` columns, at spaces where it can be.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A word wider than a line: cut it where the line ends.
        while line.width() > width {
            let mut cut = String::new();
            let mut rest = String::new();
            for c in line.chars() {
                if rest.is_empty() && (cut.width() + c.to_string().width()) <= width {
                    cut.push(c);
                } else {
                    rest.push(c);
                }
            }
            lines.push(cut);
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn continuation_lines_start_under_the_value() {
        let lines = hanging(
            vec![Span::raw("CLI         ")],
            12,
            "kubectl -n pos rollout undo deployment/pos-payment --to-revision=2",
            Style::default(),
            40,
        );
        assert_eq!(
            text(&lines),
            [
                "CLI         kubectl -n pos rollout undo",
                "            deployment/pos-payment",
                "            --to-revision=2",
            ]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_and_nothing_is_lost() {
        assert_eq!(
            wrap_words("a registry.local/pos/pos-payment:3.1.0 b", 12),
            ["a", "registry.loc", "al/pos/pos-p", "ayment:3.1.0", "b"]
        );
        assert_eq!(wrap_words("", 5), [""]);
    }
}
