//! Presenter mode's Overview: one figure per area, drawn large (quarter-cell pixels of an 8x8
//! font) so that a room reads it off a shared screen, with a line saying what it counts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_big_text::{BigText, PixelSize};

use crate::app::State;
use crate::config::Role;
use crate::domain::level::defaults;
use crate::domain::{FreshnessView, Level, SourceKind};
use crate::ui::look::Look;
use crate::ui::text::clean;

/// The sizes a figure may take, largest first: pixels, and the cells one character takes.
const SIZES: [(PixelSize, u16, u16); 2] = [(PixelSize::Full, 8, 8), (PixelSize::Quadrant, 4, 4)];

pub struct Headline {
    pub title: &'static str,
    pub figure: String,
    pub caption: String,
    pub level: Level,
}

/// The six figures, worst news first within each.
pub fn headlines(state: &State) -> [Headline; 6] {
    let s = &state.summary;
    let e = &state.estate;
    let now = state.now;
    let with = |kinds: &[SourceKind], level| s.level_with_freshness(e, kinds, level, now);
    let p = &s.pods;
    let trouble = p.crash_looping + p.failed + p.pending + p.not_ready;
    let worst_pg = e
        .postgres
        .iter()
        .map(|pg| (pg.connection_ratio(), pg.name.as_str()))
        .filter(|(r, _)| r.is_finite())
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let stale = e.backups.iter().filter(|b| !b.within_rpo(now)).count();
    let live = e
        .sources
        .values()
        .filter(|f| f.view(now) == FreshnessView::Live)
        .count();
    [
        Headline {
            title: "Pods",
            figure: trouble.to_string(),
            caption: format!(
                "of {} pods in trouble ({} crash-looping)",
                p.total, p.crash_looping
            ),
            level: with(&[SourceKind::Kubernetes], p.level),
        },
        Headline {
            title: "Services",
            figure: format!("{}/{}", s.services.fully_ready, s.services.workloads),
            caption: format!(
                "workloads ready, {} health checks down",
                s.services.health_down.len()
            ),
            level: with(
                &[SourceKind::Kubernetes, SourceKind::Health],
                s.services.level,
            ),
        },
        Headline {
            title: "Alerts",
            figure: s.alerts.critical.to_string(),
            caption: format!("critical firing, {} warnings", s.alerts.warning),
            level: with(&[SourceKind::Alertmanager], s.alerts.level),
        },
        Headline {
            title: "Databases",
            figure: worst_pg.map_or("-".into(), |(r, _)| format!("{:.0}%", r * 100.0)),
            caption: worst_pg.map_or("no PostgreSQL".into(), |(_, name)| {
                format!("of max_connections, {}", clean(name))
            }),
            level: with(&[SourceKind::Postgres, SourceKind::Redis], s.databases)
                .max(worst_pg.map_or(Level::Ok, |(r, _)| defaults::PG_CONNECTIONS.level(r))),
        },
        Headline {
            title: "Backups",
            figure: stale.to_string(),
            caption: format!("of {} backup sets beyond their RPO", e.backups.len()),
            level: with(&[SourceKind::Backups], s.backups),
        },
        Headline {
            title: "Sources",
            figure: format!("{live}/{}", e.sources.len()),
            caption: "sources live".into(),
            level: if live == e.sources.len() {
                Level::Ok
            } else {
                Level::Warn
            },
        },
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    let rows = Layout::vertical([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).split(area);
    let cells: Vec<Rect> = rows
        .iter()
        .flat_map(|row| {
            Layout::horizontal([Constraint::Ratio(1, 3); 3])
                .split(*row)
                .to_vec()
        })
        .collect();
    for (headline, cell) in headlines(state).into_iter().zip(cells) {
        draw_one(frame, cell, &headline, state.settings.ascii, look);
    }
}

fn draw_one(frame: &mut Frame, area: Rect, h: &Headline, ascii: bool, look: Look) {
    let block = look
        .block(false)
        .border_style(look.level_style(h.level))
        .title(Line::from(vec![
            Span::styled(format!(" {} ", h.title), look.style(Role::Title)),
            look.level(h.level),
            Span::raw(" "),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let style = look.level_style(h.level).add_modifier(Modifier::BOLD);
    let chars = h.figure.chars().count() as u16;
    // The largest size that fits with a row above and the caption below; block pixels need
    // Unicode, so `--ascii` (or no room) draws the figure as plain bold text.
    let size = SIZES
        .into_iter()
        .find(|(_, w, h)| !ascii && chars * w <= inner.width && h + 3 <= inner.height);
    let rows = size.map_or(1, |(_, _, h)| h);
    let [_, figure, caption] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(rows),
        Constraint::Min(0),
    ])
    .areas(inner);
    match size {
        Some((pixels, _, _)) => {
            let big = BigText::builder()
                .pixel_size(pixels)
                .style(style)
                .lines(vec![Line::from(h.figure.clone())])
                .centered()
                .build();
            frame.render_widget(big, figure);
        }
        None => frame.render_widget(
            Paragraph::new(Line::from(Span::styled(h.figure.clone(), style))).centered(),
            figure,
        ),
    }
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            h.caption.clone(),
            look.style(Role::Text),
        )))
        .centered()
        .wrap(ratatui::widgets::Wrap { trim: true }),
        caption,
    );
}
