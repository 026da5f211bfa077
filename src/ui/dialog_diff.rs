//! A ConfigMap edit's diff in its confirmation dialog: the key's value line by line, old →
//! new (`-` removed, `+` added, the rest kept), at most `MOST` lines, the rest counted.

use ratatui::text::{Line, Span};

use super::look::Look;
use super::text::clean;
use crate::actions::ActionKind;
use crate::actions::preflight_config::diff_lines;
use crate::config::Role;
use crate::domain::Level;

/// The diff's lines shown at most; a dialog must still fit 80x24 with its buttons.
const MOST: usize = 8;

pub fn lines(kind: &ActionKind, look: Look, width: usize) -> Vec<Line<'static>> {
    let ActionKind::EditConfigMap {
        key, old, value, ..
    } = kind
    else {
        return Vec::new();
    };
    let diff = diff_lines(old, value);
    let mut out = vec![Line::from(Span::styled(
        format!("Diff of {} (old → new):", clean(key)),
        look.style(Role::Muted),
    ))];
    let fit = |s: &str| super::text::fit(&clean(s), width.saturating_sub(2), "…");
    let changed: Vec<&String> = diff.iter().filter(|l| !l.starts_with("  ")).collect();
    // Long values: the changed lines first, so that what changes is what is seen.
    let shown: Vec<&String> = if diff.len() > MOST {
        changed.iter().copied().take(MOST).collect()
    } else {
        diff.iter().collect()
    };
    for line in &shown {
        let span = match line.as_bytes().first() {
            Some(b'-') => look.level_span(Level::Crit, &fit(line)),
            Some(b'+') => look.level_span(Level::Ok, &fit(line)),
            _ => Span::styled(fit(line), look.style(Role::Text)),
        };
        out.push(Line::from(vec![Span::raw("  "), span]));
    }
    if diff.len() > shown.len() {
        out.push(Line::from(Span::styled(
            format!(
                "  … {} more lines ({} changed)",
                diff.len() - shown.len(),
                changed.len()
            ),
            look.style(Role::Muted),
        )));
    }
    out
}
