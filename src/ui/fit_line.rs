//! One line made of parts that give way in a stated order when the line is too wide: extras
//! are dropped and names shortened before a value is ever cut, so a narrow tile still reads
//! `positivity-db ▲ 84%` (the bar dropped) and `▲ PostgresLongRunni… 2m` (the age kept).

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::text::{fit, fit_middle, fit_words};

/// How a part gives way; parts with a higher rank give way first.
#[derive(Debug, Clone, Copy, PartialEq)]
enum How {
    /// A value: never cut by the fitting (only by the edge, when nothing else is left).
    Keep,
    /// Dropped whole (a bar, a label word, an extra detail).
    Drop(u8),
    /// Cut with an ellipsis (at its end, or in its middle for generated names); dropped
    /// whole only when fewer than `min` columns are left for it (0: never dropped).
    Shrink { rank: u8, min: usize, middle: bool },
}

/// Spans that give way together (a gauge's filled and empty cells are one bar).
pub struct Part {
    spans: Vec<Span<'static>>,
    how: How,
}

impl Part {
    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.width()).sum()
    }
}

pub fn keep(span: Span<'static>) -> Part {
    Part {
        spans: vec![span],
        how: How::Keep,
    }
}

pub fn drop(rank: u8, spans: Vec<Span<'static>>) -> Part {
    Part {
        spans,
        how: How::Drop(rank),
    }
}

/// A name: shortened at its end, never dropped.
pub fn shrink(rank: u8, span: Span<'static>) -> Part {
    Part {
        spans: vec![span],
        how: How::Shrink {
            rank,
            min: 0,
            middle: false,
        },
    }
}

/// A generated name (`pdf-recognizer-kz4tqxx7vs-6q2fr`): shortened in its middle, so that the
/// end that tells it apart stays.
pub fn shrink_middle(rank: u8, span: Span<'static>) -> Part {
    Part {
        spans: vec![span],
        how: How::Shrink {
            rank,
            min: 0,
            middle: true,
        },
    }
}

/// An extra text: shortened while at least `min` columns of it fit, else dropped.
pub fn shrink_or_drop(rank: u8, min: usize, span: Span<'static>) -> Part {
    Part {
        spans: vec![span],
        how: How::Shrink {
            rank,
            min,
            middle: false,
        },
    }
}

/// An extra cut to `room`: whole items where it lists some two spaces apart (`  168/200
/// active 40  idle 114`, no figure left dangling as `114…`), else at a word.
fn fit_extra(text: &str, room: usize, ellipsis: &str) -> String {
    let body = text.trim_start();
    let lead = &text[..text.len() - body.len()];
    let whole = body
        .match_indices("  ")
        .map(|(i, _)| format!("{lead}{}", &body[..i]))
        .filter(|t| t.width() <= room)
        .last();
    whole.unwrap_or_else(|| fit_words(text, room, ellipsis))
}

/// The width of the parts before any gives way.
pub fn natural_width(parts: &[Part]) -> usize {
    parts.iter().map(Part::width).sum()
}

/// The parts as a line of at most `width` columns where the giving way allows it.
pub fn fit_line(parts: Vec<Part>, width: usize, ellipsis: &str) -> Line<'static> {
    let mut parts: Vec<Option<Part>> = parts.into_iter().map(Some).collect();
    let total = |parts: &[Option<Part>]| -> usize { parts.iter().flatten().map(Part::width).sum() };
    // Highest rank first; among equals, the rightmost first.
    let mut order: Vec<(u8, usize)> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p.as_ref()?.how {
            How::Keep => None,
            How::Drop(rank) | How::Shrink { rank, .. } => Some((rank, i)),
        })
        .collect();
    order.sort_by(|a, b| b.cmp(a));
    for (_, i) in order {
        let over = total(&parts).saturating_sub(width);
        if over == 0 {
            break;
        }
        let Some(part) = parts[i].as_mut() else {
            continue;
        };
        match part.how {
            How::Keep => {}
            How::Drop(_) => parts[i] = None,
            How::Shrink { min, middle, .. } => {
                let now = part.width();
                let room = now.saturating_sub(over);
                // A name keeps at least one character and its ellipsis.
                let floor = ellipsis.width() + 1;
                if min > 0 && room < min {
                    parts[i] = None;
                } else if let Some(span) = part.spans.first_mut() {
                    let room = room.max(floor);
                    let cut = if middle {
                        fit_middle(&span.content, room, ellipsis)
                    } else if min > 0 {
                        fit_extra(&span.content, room, ellipsis)
                    } else {
                        fit(&span.content, room, ellipsis)
                    };
                    span.content = cut.into();
                }
            }
        }
    }
    Line::from(
        parts
            .into_iter()
            .flatten()
            .flat_map(|p| p.spans)
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn extras_go_first_then_names_shrink_and_values_stay() {
        let parts = || {
            vec![
                keep(Span::raw("▲ ")),
                shrink(1, Span::raw("PostgresLongRunningQuery")),
                keep(Span::raw(" 2m")),
                shrink_or_drop(3, 8, Span::raw("  Query running for more than 5 minutes")),
            ]
        };
        assert_eq!(
            text(&fit_line(parts(), 80, "…")),
            "▲ PostgresLongRunningQuery 2m  Query running for more than 5 minutes"
        );
        // The extra is cut at a word.
        assert_eq!(
            text(&fit_line(parts(), 47, "…")),
            "▲ PostgresLongRunningQuery 2m  Query running…"
        );
        // Too little room for the extra to say anything: it goes, the name stays whole.
        assert_eq!(
            text(&fit_line(parts(), 32, "…")),
            "▲ PostgresLongRunningQuery 2m"
        );
        assert_eq!(
            text(&fit_line(parts(), 25, "…")),
            "▲ PostgresLongRunning… 2m"
        );
    }

    #[test]
    fn a_list_of_figures_loses_whole_items() {
        let extra = "  168/200  active 40  idle 114  idle-tx 12";
        assert_eq!(fit_extra(extra, 29, "…"), "  168/200  active 40");
        assert_eq!(fit_extra(extra, 30, "…"), "  168/200  active 40  idle 114");
        assert_eq!(fit_extra("  one long phrase", 12, "…"), "  one long…");
    }

    #[test]
    fn a_bar_is_dropped_before_the_name_is_cut() {
        let parts = vec![
            shrink(1, Span::raw("positivity-db")),
            drop(2, vec![Span::raw(" ███████"), Span::raw("░")]),
            keep(Span::raw(" ▲ 84%")),
        ];
        assert_eq!(text(&fit_line(parts, 24, "…")), "positivity-db ▲ 84%");
    }
}
