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
    // A production context says so, by its label, wherever the operator looks.
    if let Some(badge) = super::context_badge::production_badge(look, state) {
        right.push(badge);
        right.push(Span::styled(" ", bar));
    }
    if state.settings.readonly {
        let badge = if state.settings.present {
            format!(" PRESENTING {} READ-ONLY ", look.sym.dot)
        } else {
            " READ-ONLY ".to_string()
        };
        right.push(Span::styled(badge, look.style(Role::Readonly)));
        right.push(Span::styled(" ", bar));
    }
    // Open port-forwards are ports open on this host: always in sight, warned when broken.
    if !state.forwards.is_empty() {
        let broken = state
            .forwards
            .iter()
            .any(|f| f.broken_because(state).is_some());
        let level = if broken {
            crate::domain::Level::Warn
        } else {
            crate::domain::Level::Ok
        };
        right.push(Span::styled(
            // Its own word: a notice running up to it must not read as `...18080pf:1`.
            format!(" pf:{}", state.forwards.len()),
            look.level_style(level).bg(bar.bg.unwrap_or_default()),
        ));
    }
    let mut clock_and_help = Vec::new();
    // The zone always shows: a bastion's clock read as local time is an hour's mistake.
    let clock = format!(" {} UTC", state.now.clock_utc());
    clock_and_help.push(Span::styled(clock, bar));
    if let Some(key) = state.settings.keymap.first_key(Mode::Global, Command::Help) {
        clock_and_help.push(Span::styled(format!("  {key} help "), bar));
    }

    // With limited rights, what may be read says more than the namespaces asked for: in the
    // longest of its forms that fits (`kube_access.rs`).
    let forms: Vec<String> = match state.estate.kube_access.forms() {
        forms if !forms.is_empty() => forms.iter().map(|f| clean(f).into_owned()).collect(),
        // The namespace chosen in the picker, else what is watched.
        _ => vec![format!(
            "ns:{}",
            clean(
                state
                    .view
                    .namespace
                    .as_deref()
                    .unwrap_or(&state.settings.namespaces)
            )
        )],
    };
    let chars = |s: &str| s.chars().count();
    let ns_len = chars(&forms[0]);
    // The longest form in `room`, else the shortest cut to it.
    let ns_in = |room: usize| match forms.iter().find(|f| chars(f) <= room) {
        Some(form) => form.clone(),
        None => crate::ui::text::fit_words(&forms[forms.len() - 1], room, look.sym.ellipsis),
    };
    let context = |width: usize, ns: &str| {
        let name = crate::app::fleet::status_name(state);
        let name = crate::ui::text::fit(&clean(&name), width, look.sym.ellipsis);
        let sep = look.sym.separator;
        Span::styled(format!(" {name} {sep} {ns} {sep} "), bar)
    };
    let mut left = vec![context(usize::MAX, &forms[0])];
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
            let shown = fit_keeping_end(&text, notice.keep_end, room, look.sym.ellipsis);
            left.push(Span::styled(" ", bar));
            left.push(look.marked(notice.level, &shown));
        }
    } else {
        let help = if clock_and_help.len() > 1 {
            clock_and_help.pop()
        } else {
            None
        };
        right.extend(clock_and_help);
        // Each kind of source: its label and mark (with an age when stale), `gap` apart.
        let marks = |gap: &str| {
            let mut spans = Vec::new();
            for kind in KINDS {
                let Some(view) = state.estate.freshness_of(kind, state.now) else {
                    continue;
                };
                let (glyph, age) = match &view {
                    FreshnessView::Live => (look.sym.live, String::new()),
                    FreshnessView::Connecting => (look.sym.connecting, String::new()),
                    FreshnessView::Stale { age_secs } => (look.sym.stale, format_age(*age_secs)),
                    FreshnessView::Unreachable { .. } => (look.sym.crit, "down".to_string()),
                    FreshnessView::Relisting { .. } => {
                        (look.sym.connecting, "relisting".to_string())
                    }
                };
                if !spans.is_empty() {
                    spans.push(Span::styled(gap.to_string(), bar));
                }
                spans.push(Span::styled(kind.label(), bar));
                spans.push(Span::styled(
                    format!("{glyph}{age}"),
                    look.level_style(view.level())
                        .bg(bar.bg.unwrap_or_default()),
                ));
            }
            spans
        };
        // Narrow: the help key loses its word, then the marks their spacing, then the help key
        // goes, then the access note shortens and the context loses its end (it names the
        // cluster actions go to: last); the sources' marks and the clock with its zone always
        // show whole.
        let fixed = left.len();
        left.extend(marks(" "));
        let room = area.width as usize;
        let fits = |left: &[Span], right: &[Span], help: &Option<Span>| {
            width(left) + width(right) + help.as_ref().map_or(0, Span::width) <= room
        };
        let mut help = help;
        if !fits(&left, &right, &help) {
            let key = state.settings.keymap.first_key(Mode::Global, Command::Help);
            help = key.map(|k| Span::styled(format!("  {k} "), bar));
            if !fits(&left, &right, &help) {
                left.truncate(fixed);
                left.extend(marks(""));
            }
            let over = (width(&left) + width(&right) + help.as_ref().map_or(0, Span::width))
                .saturating_sub(room);
            if over > 0 {
                // A long access note gives way first (to a shorter form, and at the last cut
                // to 8 columns), then the help key, and the context's name last: it names the
                // cluster actions go to (`PROD` and `READ-ONLY` beside it made it short).
                let name = clean(&crate::app::fleet::status_name(state))
                    .chars()
                    .count();
                let floor = chars(&forms[forms.len() - 1]).min(8);
                let ns = ns_in(ns_len.saturating_sub(over).max(floor));
                left[0] = context(name, &ns);
                if !fits(&left, &right, &help) {
                    help = None;
                }
                let over = (width(&left) + width(&right) + help.as_ref().map_or(0, Span::width))
                    .saturating_sub(room);
                let name_cut = over.min(name.saturating_sub(2));
                left[0] = context(name - name_cut, &ns);
            }
            if !fits(&left, &right, &help) {
                help = None;
            }
        }
        right.extend(help);
    }
    let right_width = width(&right);
    let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width as u16)])
        .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)).style(bar), l);
    frame.render_widget(Paragraph::new(Line::from(right)).style(bar), r);
}

/// A notice cut to `room` columns: its last `keep_end` bytes (an action's outcome, as
/// `notify_outcome` marked them) stay whole while the title before them gives way; without
/// them, or with no room for them, it is cut at a word's end.
fn fit_keeping_end(text: &str, keep_end: usize, room: usize, ellipsis: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let at = text.len().saturating_sub(keep_end);
    if keep_end == 0 || !text.is_char_boundary(at) || text.width() <= room {
        return crate::ui::text::fit_words(text, room, ellipsis);
    }
    let (head, tail) = text.split_at(at);
    // `title: outcome` or `title outcome`: the separator stays with the outcome.
    let core = head.trim_end_matches([':', ' ']);
    let sep = &head[core.len()..];
    let title_room = room.saturating_sub(tail.width() + sep.width());
    if title_room < 8 {
        return crate::ui::text::fit_words(text, room, ellipsis);
    }
    format!(
        "{}{sep}{tail}",
        crate::ui::text::fit(core, title_room, ellipsis)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_outcome_stays_whole_and_its_title_gives_way() {
        let text =
            "Run a command in workflow/workflow-orchestrator-6c9d8-x2x4z FAILED: exit status 3";
        let keep = "FAILED: exit status 3".len();
        let shown = super::fit_keeping_end(text, keep, 50, "…");
        assert_eq!(shown, "Run a command in workflow/w… FAILED: exit status 3");
        assert!(unicode_width::UnicodeWidthStr::width(shown.as_str()) <= 50);
        let ok = "Open a shell in pos/pos-gateway-7d9f8-x2x4z: sh: exit status 0";
        let shown = super::fit_keeping_end(ok, "sh: exit status 0".len(), 40, "…");
        assert_eq!(shown, "Open a shell in pos/…: sh: exit status 0");
        // Room enough: as it is.
        assert_eq!(super::fit_keeping_end(ok, 17, 80, "…"), ok);
    }
}
