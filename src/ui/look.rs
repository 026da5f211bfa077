//! The theme and the glyphs together: how a level, a freshness or a block looks.

use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders};

use super::symbols::Symbols;
use crate::app::State;
use crate::config::{Role, Theme};
use crate::domain::{FreshnessView, Level, Severity, time::format_age};

#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub theme: &'a Theme,
    pub sym: &'static Symbols,
}

impl<'a> Look<'a> {
    pub fn of(state: &'a State) -> Self {
        Look {
            theme: &state.settings.theme,
            sym: Symbols::new(state.settings.ascii),
        }
    }

    pub fn style(&self, role: Role) -> Style {
        self.theme.style(role)
    }

    pub fn level_style(&self, level: Level) -> Style {
        self.theme.level(level)
    }

    /// `✖ crit`: symbol and word, so colour is never the only signal.
    pub fn level(&self, level: Level) -> Span<'static> {
        Span::styled(
            format!("{} {}", self.sym.level(level), level.word()),
            self.level_style(level),
        )
    }

    /// An alert's severity as symbol and word: `✖ critical`, `▲ warning`, `ℹ info`; info is
    /// not "ok", and an alert without a known severity is not either (`? none`).
    pub fn severity(&self, severity: Severity) -> Span<'static> {
        self.severity_marked(severity, severity.word())
    }

    /// A text after the severity's symbol, in its style (`ℹ NodeDiskPressure`).
    pub fn severity_marked(&self, severity: Severity, text: &str) -> Span<'static> {
        let (symbol, role) = match severity {
            Severity::Critical => (self.sym.crit, Role::Crit),
            Severity::Warning => (self.sym.warn, Role::Warn),
            Severity::Info => (self.sym.info, Role::Accent),
            Severity::None => (self.sym.unknown, Role::Unknown),
        };
        Span::styled(format!("{symbol} {text}"), self.style(role))
    }

    /// A symbol with a text of our choosing, in the level's style.
    pub fn marked(&self, level: Level, text: &str) -> Span<'static> {
        Span::styled(
            format!("{} {text}", self.sym.level(level)),
            self.level_style(level),
        )
    }

    /// A text in the level's style, without its symbol (what follows a kept `mark`).
    pub fn level_span(&self, level: Level, text: &str) -> Span<'static> {
        Span::styled(text.to_string(), self.level_style(level))
    }

    pub fn freshness(&self, view: &FreshnessView) -> Span<'static> {
        let (glyph, text) = match view {
            FreshnessView::Connecting => (self.sym.connecting, "connecting".to_string()),
            FreshnessView::Live => (self.sym.live, "live".to_string()),
            FreshnessView::Stale { age_secs } => {
                (self.sym.stale, format!("stale {}", format_age(*age_secs)))
            }
            FreshnessView::Unreachable { .. } => (self.sym.crit, "unreachable".to_string()),
            FreshnessView::Relisting { .. } => (self.sym.connecting, "relisting".to_string()),
        };
        Span::styled(format!("{glyph} {text}"), self.level_style(view.level()))
    }

    /// What marks figures from a source that is not live, where they are drawn: `◐ 20s old`,
    /// `✖ unreachable, 2m old`, `◌ connecting`. `None` for a live source.
    pub fn source_mark(&self, view: &FreshnessView) -> Option<Span<'static>> {
        let text = match view {
            FreshnessView::Live => return None,
            FreshnessView::Connecting => format!("{} connecting", self.sym.connecting),
            FreshnessView::Stale { age_secs } => {
                format!("{} {} old", self.sym.stale, format_age(*age_secs))
            }
            FreshnessView::Unreachable {
                age_secs: Some(age),
                ..
            } => format!("{} unreachable, {} old", self.sym.crit, format_age(*age)),
            FreshnessView::Unreachable { age_secs: None, .. } => {
                format!("{} unreachable", self.sym.crit)
            }
            FreshnessView::Relisting { .. } => format!("{} relisting", self.sym.connecting),
        };
        Some(Span::styled(text, self.level_style(view.level())))
    }

    /// The same spans, dimmed: figures that are not current.
    pub fn dimmed(&self, spans: Vec<Span<'static>>) -> Vec<Span<'static>> {
        let muted = self.style(Role::Muted);
        spans
            .into_iter()
            .map(|s| Span::styled(s.content, muted))
            .collect()
    }

    /// A bordered block; focused blocks get the focus border.
    pub fn block(&self, focused: bool) -> Block<'static> {
        let border = if focused {
            Role::BorderFocus
        } else {
            Role::Border
        };
        Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Plain)
            .border_set(self.sym.border)
            .border_style(self.style(border))
    }
}
