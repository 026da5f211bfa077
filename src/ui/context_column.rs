//! The CONTEXT column every Kubernetes table leads with while several clusters are watched:
//! each row's cluster as its `[[kubernetes.context_styles]]` names it (`PROD prod-eu` in the
//! style's colour, so production rows carry its marker), and whether that cluster is down or
//! stale, so one dead cluster marks its own rows and no other's. Hidden with one cluster.

use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::context_badge::{style, style_of};
use super::look::Look;
use super::table::Lead;
use super::text::clean;
use crate::app::State;
use crate::config::Role;
use crate::domain::{FreshnessView, SourceId, SourceKind};

pub const HEADER: &str = "CONTEXT";
/// Long context names (EKS ARNs) are cut: the rest of the row needs the room.
const MAX_WIDTH: usize = 24;

/// A cluster's name as the column shows it, and how it is styled.
fn text(state: &State, look: Look, context: &str) -> (String, ratatui::style::Style) {
    let name = match style_of(state, context) {
        Some(s) => format!("{} {}", clean(&s.label), clean(context)),
        None => clean(context).into_owned(),
    };
    let freshness = state
        .estate
        .sources
        .get(&SourceId::new(SourceKind::Kubernetes, context))
        .map(|f| f.view(state.now));
    match freshness {
        Some(FreshnessView::Unreachable { .. }) => (
            format!("{name} down"),
            look.level_style(crate::domain::Level::Crit),
        ),
        Some(FreshnessView::Stale { .. }) => (
            format!("{name} stale"),
            look.level_style(crate::domain::Level::Warn),
        ),
        _ => match style_of(state, context) {
            Some(s) => (name, style(look, s)),
            None => (name, look.style(Role::Text)),
        },
    }
}

/// The column's width while several clusters are watched: the widest name as drawn (with its
/// label and a `stale` / `down` mark); `None` with one cluster.
pub fn width(state: &State, look: Look) -> Option<u16> {
    if !crate::app::fleet::is_fleet(state) {
        return None;
    }
    let widest = state
        .settings
        .watched
        .iter()
        .map(|c| text(state, look, c).0.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(HEADER.len(), MAX_WIDTH);
    Some(widest as u16)
}

/// One row's CONTEXT cell.
pub fn cell(state: &State, look: Look, context: &str, width: u16) -> Cell<'static> {
    let (text, style) = text(state, look, context);
    let text = super::text::fit(&text, width as usize, look.sym.ellipsis);
    Cell::from(Span::styled(text, style))
}

/// The lead column for a table whose row `i` is in the cluster `context_of(i)`.
pub fn lead<'a>(
    state: &'a State,
    look: Look<'a>,
    context_of: &'a dyn Fn(usize) -> Option<&'a str>,
) -> Option<Lead<'a>> {
    let width = width(state, look)?;
    Some(Lead {
        header: HEADER,
        width,
        cell: Box::new(move |i| match context_of(i) {
            Some(c) => cell(state, look, c, width),
            None => Cell::from(""),
        }),
    })
}
