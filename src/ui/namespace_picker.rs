//! The namespace picker's lines: `all` first, recently chosen ones marked, each with its pod
//! count and the worst state of its pods; the namespace shown now named.

use ratatui::text::{Line, Span};

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::app::namespaces::NamespaceRow;
use crate::config::Role;

pub fn lines(
    state: &State,
    look: Look,
    rows: &[NamespaceRow],
    selected: usize,
) -> (String, Vec<Line<'static>>) {
    let width = rows
        .iter()
        .map(|r| r.name.as_deref().map_or(3, |n| clean(n).chars().count()))
        .max()
        .unwrap_or(3);
    let mut lines: Vec<Line<'static>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let marker = if i == selected { "▶ " } else { "  " };
            let name = row.name.as_deref().map_or("all".into(), clean);
            let pods = if row.pods == 1 { "pod " } else { "pods" };
            let mut spans = vec![
                Span::raw(marker),
                look.marked(row.level, ""),
                Span::raw(format!("{name:<width$}  {:>6} {pods}", row.pods)),
            ];
            let mut notes = Vec::new();
            if row.recent {
                notes.push("recent");
            }
            if row.name == state.view.namespace {
                notes.push("shown");
            }
            if !notes.is_empty() {
                spans.push(Span::styled(
                    format!("  ({})", notes.join(", ")),
                    look.style(Role::Muted),
                ));
            }
            let line = Line::from(spans);
            if i == selected {
                line.style(look.style(Role::Selection))
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} shows only that namespace in Pods, Services, Events and the Overview (nothing is listed again)",
            super::pane::select_key(state)
        ),
        look.style(Role::Muted),
    )));
    ("Namespaces".into(), lines)
}
