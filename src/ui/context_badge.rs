//! A context as its `[[kubernetes.context_styles]]` names it: `PROD prod-eu` in the style's
//! colour role. The label is the signal, so it reads the same in 16 colours and under
//! `NO_COLOR`; the colour (and bold) add to it.

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use super::look::Look;
use super::text::clean;
use crate::app::State;
use crate::config::ContextStyle;

/// The style of `context`, when one matches.
pub fn style_of<'a>(state: &'a State, context: &str) -> Option<&'a ContextStyle> {
    crate::config::context_styles::style_of(&state.settings.context_styles, context)
}

/// The style's colour, bold.
pub fn style(look: Look, style: &ContextStyle) -> Style {
    look.style(style.role()).add_modifier(Modifier::BOLD)
}

/// `PROD prod-eu`, or the plain name when no style matches.
pub fn named(look: Look, state: &State, context: &str) -> Span<'static> {
    match style_of(state, context) {
        Some(s) => Span::styled(
            format!("{} {}", clean(&s.label), clean(context)),
            style(look, s),
        ),
        None => Span::styled(
            clean(context).into_owned(),
            look.style(crate::config::Role::Text),
        ),
    }
}

/// The status bar's badge while the current context is production: ` PROD `, reversed.
pub fn production_badge(look: Look, state: &State) -> Option<Span<'static>> {
    let s = style_of(state, &state.context).filter(|s| s.production)?;
    Some(Span::styled(
        format!(" {} ", clean(&s.label)),
        style(look, s).add_modifier(Modifier::REVERSED),
    ))
}
