//! Text from outside (pod names, labels, annotations, query text) can carry terminal escape
//! sequences or bidi overrides. Everything external passes through here before it is drawn.

use std::borrow::Cow;

/// Characters that would steer the terminal or reorder text: C0/C1 controls, DEL, and Unicode
/// bidi and zero-width format characters.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// One line of external text, safe to draw: whitespace controls become spaces, every other
/// control or format character becomes `?`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if is_hostile(c) => '?',
                c => c,
            })
            .collect(),
    )
}

/// A hostname, address, URL or path: drawn clean and without secrets in URLs, or not at all in
/// presenter mode (a shared screen shows configured names only).
pub fn private(state: &crate::app::State, text: &str) -> String {
    if state.settings.present {
        "(hidden while presenting)".into()
    } else {
        clean(&crate::domain::redact::urls(text)).into_owned()
    }
}

/// Multi-line external text: each line cleaned.
pub fn clean_lines(text: &str) -> Vec<String> {
    text.lines().map(|l| clean(l).into_owned()).collect()
}

/// Cuts `text` to at most `width` columns, ending with `ellipsis` when cut.
pub fn fit(text: &str, width: usize, ellipsis: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let budget = width.saturating_sub(ellipsis.width());
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push_str(ellipsis);
    out
}

/// Cuts `text` to at most `width` columns at a word boundary, ending with `ellipsis` when cut,
/// so a shortened message never ends in half a word or half a figure (`until 10:0`).
pub fn fit_words(text: &str, width: usize, ellipsis: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let budget = width.saturating_sub(ellipsis.width());
    let mut cut = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        if c.is_whitespace() {
            cut = i;
        }
    }
    // A long token (an ID, a URL) at the cut: cutting before it would waste the room.
    if cut == 0 || used.saturating_sub(text[..cut].width()) > budget / 4 {
        return fit(text, width, ellipsis);
    }
    let mut out = text[..cut]
        .trim_end_matches([',', ';', ':', ' '])
        .to_string();
    out.push_str(ellipsis);
    out
}

/// Cuts `text` to at most `width` columns from its start, keeping its end: an image's tag
/// (`…/dox/pdf-recognizer:0.12.3`) is what tells one rollout from the next.
pub fn fit_start(text: &str, width: usize, ellipsis: &str) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let budget = width.saturating_sub(ellipsis.width());
    let mut used = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        start = i;
    }
    format!("{ellipsis}{}", &text[start..])
}

/// Cuts `text` to `width` columns by dropping its middle, keeping the end: for generated names
/// (`workflow-orchestrator-7c9f8b6d5f-x2kqp`) the end tells the rows apart.
pub fn fit_middle(text: &str, width: usize, ellipsis: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width || width < 8 {
        return if chars.len() <= width {
            text.to_string()
        } else {
            fit(text, width, ellipsis)
        };
    }
    let keep = width - 1;
    let tail = keep / 2;
    let head = keep - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(ellipsis);
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// How many of `width` cells a gauge filled to `ratio` (0..=1, clamped; NaN is empty) fills.
pub fn filled_cells(ratio: f64, width: usize) -> usize {
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (ratio * width as f64).round() as usize
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_image_is_cut_from_its_start_and_keeps_its_tag() {
        let image = "registry.local/dox/pdf-recognizer:0.12.3";
        assert_eq!(fit_start(image, 40, "…"), image);
        assert_eq!(
            fit_start(image, 32, "…"),
            "…local/dox/pdf-recognizer:0.12.3"
        );
        assert_eq!(fit_start(image, 8, "…"), "…:0.12.3");
    }

    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_defused() {
        assert_eq!(clean("pos-order"), "pos-order");
        assert_eq!(
            clean("evil\x1b[2J\x1b]52;c;aGk=\x07name"),
            "evil?[2J?]52;c;aGk=?name"
        );
        assert_eq!(clean("a\u{202e}b\u{9b}c"), "a?b?c");
        assert_eq!(clean("multi\nline\ttab"), "multi line tab");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn fit_words_never_ends_in_half_a_figure() {
        let text = "silence HighErrorRate: created until 10:07:24 UTC";
        assert_eq!(fit_words(text, 80, "…"), text);
        assert_eq!(
            fit_words(text, 44, "…"),
            "silence HighErrorRate: created until…"
        );
        assert_eq!(fit_words(text, 24, "…"), "silence HighErrorRate…");
        assert_eq!(fit_words("unbreakable-long-name", 8, "…"), "unbreak…");
        // A long ID at the cut is cut itself rather than leaving a quarter of the room empty.
        assert_eq!(
            fit_words("created silence 3f9c2a1e-55b1-4e0f-9d7a, until", 30, "…"),
            "created silence 3f9c2a1e-55b1…"
        );
    }

    #[test]
    fn fit_and_gauge_fill() {
        assert_eq!(fit("abcdef", 4, "…"), "abc…");
        assert_eq!(fit("abc", 4, "…"), "abc");
        assert_eq!(
            fit_middle("workflow-orchestrator-7c9f8b6d5f-x2kqp", 21, "…"),
            "workflow-o…6d5f-x2kqp"
        );
        assert_eq!(fit_middle("short", 21, "…"), "short");
        assert_eq!(filled_cells(0.5, 4), 2);
        assert_eq!(filled_cells(0.84, 10), 8);
        assert_eq!(filled_cells(f64::NAN, 2), 0);
        assert_eq!(filled_cells(7.0, 2), 2);
    }
}

/// Values as a one-line sparkline: each value one of eight heights between the smallest and
/// the largest, a gap as a space. A flat series sits at mid height.
pub fn sparkline(values: &[Option<f64>], heights: [&str; 8]) -> String {
    let present = values.iter().flatten();
    let (low, high) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(*v), h.max(*v))
    });
    values
        .iter()
        .map(|v| match v {
            None => " ",
            Some(_) if high <= low => heights[3],
            Some(v) => heights[(((v - low) / (high - low)) * 7.0).round() as usize],
        })
        .collect()
}

#[cfg(test)]
mod sparkline_tests {
    use super::sparkline;

    const H: [&str; 8] = ["1", "2", "3", "4", "5", "6", "7", "8"];

    #[test]
    fn heights_span_the_range_and_gaps_stay_gaps() {
        let values = [Some(0.0), Some(7.0), None, Some(3.5), Some(14.0)];
        // 7 of 0..14 is 3.5 of 7 steps: rounds to the fifth height; 3.5 to the third.
        assert_eq!(sparkline(&values, H), "15 38");
        assert_eq!(sparkline(&[Some(2.0), Some(2.0)], H), "44");
        assert_eq!(sparkline(&[None, None], H), "  ");
    }
}
