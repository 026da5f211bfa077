//! The status bar: context and namespace filter, each kind of source's freshness (or the
//! current notice), the read-only badge, the UTC clock and the help key.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::look::Look;
use crate::app::State;
use crate::config::{Command, Mode, Role};
use crate::domain::{FreshnessView, SourceKind, time::format_age};
use crate::ui::text::clean;

const KINDS: [SourceKind; 7] = [
    SourceKind::Kubernetes,
    SourceKind::Alertmanager,
    SourceKind::Health,
    SourceKind::Prometheus,
    SourceKind::Postgres,
    SourceKind::Redis,
    SourceKind::Backups,
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let bar = look.style(Role::StatusBar);
    let mut right = Vec::new();
    if state.settings.readonly {
        let badge = if state.settings.present {
            format!(" PRESENTING {} READ-ONLY ", look.sym.dot)
        } else {
            " READ-ONLY ".to_string()
        };
        right.push(Span::styled(badge, look.style(Role::Readonly)));
        right.push(Span::styled(" ", bar));
    }
    let mut clock_and_help = Vec::new();
    let clock = if area.width >= 100 {
        format!(" {} UTC", state.now.clock_utc())
    } else {
        format!(" {}", state.now.clock_utc())
    };
    clock_and_help.push(Span::styled(clock, bar));
    if let Some(key) = state.settings.keymap.first_key(Mode::Global, Command::Help) {
        clock_and_help.push(Span::styled(format!("  {key} help "), bar));
    }

    let mut left = vec![Span::styled(
        format!(
            " {} {} ns:{} {} ",
            clean(&state.context),
            look.sym.separator,
            clean(&state.settings.namespaces),
            look.sym.separator
        ),
        bar,
    )];
    if let Some(room) = &state.room {
        use crate::app::room::Connection;
        let (text, level) = match &room.connection {
            Connection::Connected => (
                match &state.follow {
                    Some((operator, _)) => format!(
                        "room {} {} {} following {}",
                        clean(&room.name),
                        room.members.len(),
                        look.sym.dot,
                        clean(operator)
                    ),
                    None => format!("room {} {}", clean(&room.name), room.members.len()),
                },
                crate::domain::Level::Ok,
            ),
            Connection::Connecting => (
                format!("room {} …", clean(&room.name)),
                crate::domain::Level::Unknown,
            ),
            Connection::Disconnected(_) => (
                format!("room {} {} disconnected", clean(&room.name), look.sym.crit),
                crate::domain::Level::Crit,
            ),
        };
        left.push(Span::styled(
            format!("{text} {} ", look.sym.separator),
            look.level_style(level).bg(bar.bg.unwrap_or_default()),
        ));
    }
    let width = |spans: &[Span]| spans.iter().map(|s| s.width()).sum::<usize>();
    if let Some(notice) = state.current_notice() {
        // An outcome gets the bar before the clock: when it does not fit beside the context it
        // takes the context's room and the help key's, and what still does not fit is cut,
        // marked with an ellipsis (the full text is in the timeline). The clock stays, so the
        // outcome's own times (`until 16:15`) are never read as the clock or cut into it.
        let text = clean(&notice.text);
        let marked = look.marked(notice.level, &text);
        let all = width(&left) + marked.width() + width(&right) + width(&clock_and_help);
        if all <= area.width as usize {
            right.extend(clock_and_help);
            left.push(marked);
        } else {
            right.extend(clock_and_help.into_iter().take(1));
            left.clear();
            let mark = unicode_width::UnicodeWidthStr::width(look.sym.level(notice.level)) + 2;
            let room = (area.width as usize).saturating_sub(width(&right) + mark);
            let shown = crate::ui::text::fit_words(&text, room, look.sym.ellipsis);
            left.push(Span::styled(" ", bar));
            left.push(look.marked(notice.level, &shown));
        }
    } else {
        right.extend(clock_and_help);
        for kind in KINDS {
            let Some(view) = state.estate.freshness_of(kind, state.now) else {
                continue;
            };
            let (glyph, age) = match &view {
                FreshnessView::Live => (look.sym.live, String::new()),
                FreshnessView::Connecting => (look.sym.connecting, String::new()),
                FreshnessView::Stale { age_secs } => (look.sym.stale, format_age(*age_secs)),
                FreshnessView::Unreachable { .. } => (look.sym.crit, "down".to_string()),
                FreshnessView::Relisting { .. } => (look.sym.connecting, "relisting".to_string()),
            };
            left.push(Span::styled(kind.label(), bar));
            left.push(Span::styled(
                format!("{glyph}{age} "),
                look.level_style(view.level())
                    .bg(bar.bg.unwrap_or_default()),
            ));
        }
    }
    let right_width = width(&right);
    let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width as u16)])
        .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)).style(bar), l);
    frame.render_widget(Paragraph::new(Line::from(right)).style(bar), r);
}
