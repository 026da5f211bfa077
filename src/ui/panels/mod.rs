//! One module per panel: its columns, its cells and its details.

pub mod alerts;
pub mod backups;
pub mod checklist;
pub mod databases;
pub mod headlines;
pub mod http_check;
pub mod overview;
mod overview_lower;
pub mod pods;
pub mod services;

use ratatui::text::{Line, Span};

use super::look::Look;
use crate::config::Role;

/// `label: value` for details panes.
pub(crate) fn field(look: Look, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<13}"), look.style(Role::Muted)),
        Span::styled(value.into(), look.style(Role::Text)),
    ])
}

/// A heading inside a details pane.
pub(crate) fn heading(look: Look, text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), look.style(Role::Header)))
}
