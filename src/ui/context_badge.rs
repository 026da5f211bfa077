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
    if crate::app::fleet::is_fleet(state) {
        return fleet_badge(look, state);
    }
    let s = style_of(state, &state.context).filter(|s| s.production)?;
    Some(Span::styled(
        format!(" {} ", clean(&s.label)),
        style(look, s).add_modifier(Modifier::REVERSED),
    ))
}

/// With several clusters shown: which of them are production, `PROD prod-eu,prod-us`, in the
/// first one's style.
fn fleet_badge(look: Look, state: &State) -> Option<Span<'static>> {
    let production: Vec<(&str, &ContextStyle)> = crate::app::fleet::shown(state)
        .into_iter()
        .filter_map(|c| style_of(state, c).filter(|s| s.production).map(|s| (c, s)))
        .collect();
    let (_, first) = production.first()?;
    let names: Vec<String> = production
        .iter()
        .map(|(c, _)| clean(c).into_owned())
        .collect();
    Some(Span::styled(
        format!(" {} {} ", clean(&first.label), names.join(",")),
        style(look, first).add_modifier(Modifier::REVERSED),
    ))
}
