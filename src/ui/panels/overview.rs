//! The Overview: one tile per area with its worst state, counts and gauges, readable at a
//! glance on a shared screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::instances::{gauge_bar, percent};
use crate::app::State;
use crate::app::summary::{PodSummary, WorstPod};
use crate::config::Role;
use crate::domain::level::Thresholds;
use crate::ui::fit_line::{Part, drop, fit_line, keep, natural_width, shrink, shrink_middle};

/// Share of pods not ready: warn from 2 %, crit from 10 %.
const READY_PODS: Thresholds = Thresholds::new(0.02, 0.10);
use crate::domain::{Level, SourceKind};
use crate::ui::look::Look;
use crate::ui::text::clean;

fn tile(
    frame: &mut Frame,
    area: Rect,
    (look, selected): (Look, bool),
    title: &str,
    level: Level,
    lines: Vec<Line<'static>>,
) {
    // The selected tile (Enter opens it) has its title highlighted.
    let title_role = if selected {
        Role::Selection
    } else {
        Role::Title
    };
    let block = look
        .block(false)
        .border_style(look.level_style(level))
        .title(Line::from(vec![
            Span::styled(format!(" {title} "), look.style(title_role)),
            look.level(level),
            Span::raw(" "),
        ]));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub(super) fn muted(look: Look, text: impl Into<String>) -> Span<'static> {
    Span::styled(text.into(), look.style(Role::Muted))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: Look) {
    if state.estate.sources.is_empty() {
        let hint = state
            .settings
            .empty_hint
            .clone()
            .unwrap_or_else(|| "No sources configured.".into());
        let lines: Vec<Line> = hint.lines().map(|l| Line::from(l.to_string())).collect();
        frame.render_widget(
            Paragraph::new(lines).block(look.block(false).title(" Overview ")),
            area,
        );
        return;
    }
    if state.settings.present {
        return super::headlines::draw(frame, area, state, look);
    }
    let s = &state.summary;
    let e = &state.estate;
    let at = |tile: usize| state.view.tile == tile;
    let now = state.now;
    let with = |kinds: &[SourceKind], level| s.level_with_freshness(e, kinds, level, now);
    // A tile whose sources are not configured has nothing to judge: it says so, and is not
    // drawn "ok" (an empty Alerts tile read as "no alerts").
    let configured = |kinds: &[SourceKind]| e.sources.keys().any(|id| kinds.contains(&id.kind));
    let unconfigured = |kinds: &[SourceKind], lines: Vec<Line<'static>>, level: Level| {
        if configured(kinds) {
            (lines, level)
        } else {
            (
                vec![Line::from(muted(look, "not configured"))],
                Level::Unknown,
            )
        }
    };
    let thirds = || Layout::horizontal([Constraint::Ratio(1, 3); 3]);
    let inner = |r: Rect| r.width.saturating_sub(2) as usize;

    // The lower tiles (databases, backups, sources) are as tall as their lines, at most half
    // the screen: the room left goes to the upper ones, whose lists are longer.
    let columns = thirds().split(area);
    let databases = super::overview_lower::databases_lines(look, state, inner(columns[0]));
    let backups = super::overview_lower::backups_lines(look, state, inner(columns[1]));
    let sources = super::overview_lower::sources_lines(look, state, inner(columns[2]));
    let needed = databases.len().max(backups.len()).max(sources.len()) as u16 + 2;
    let [upper, lower] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(needed.min(area.height / 2)),
    ])
    .areas(area);
    let top = thirds().split(upper);
    let bottom = thirds().split(lower);
    // Each tile's lines are fitted to the room inside its borders.
    let room = |r: Rect| Room {
        width: inner(r),
        rows: r.height.saturating_sub(2) as usize,
    };

    let kube = [SourceKind::Kubernetes];
    let mut lines = super::overview_clusters::lines(look, state, inner(top[0]));
    let mut pods_room = room(top[0]);
    pods_room.rows = pods_room.rows.saturating_sub(lines.len());
    lines.extend(pods_lines(look, &s.pods, pods_room));
    let (lines, level) = unconfigured(&kube, lines, with(&kube, s.pods.level));
    tile(frame, top[0], (look, at(0)), "Pods", level, lines);

    let lines = super::overview_upper::services_lines(look, &s.services, room(top[1]));
    let kinds = [
        SourceKind::Kubernetes,
        SourceKind::Health,
        SourceKind::Prometheus,
    ];
    let (lines, level) = unconfigured(&kinds, lines, with(&kinds, s.services.level));
    tile(frame, top[1], (look, at(1)), "Services", level, lines);

    let alertmanager = [SourceKind::Alertmanager];
    let lines = super::overview_upper::alerts_lines(look, state, room(top[2]));
    let level = with(&alertmanager, s.alerts.level);
    let (lines, level) = unconfigured(&alertmanager, lines, level);
    tile(frame, top[2], (look, at(2)), "Alerts", level, lines);

    let stores = [SourceKind::Postgres, SourceKind::Redis];
    let (databases, level) = unconfigured(&stores, databases, with(&stores, s.databases));
    tile(
        frame,
        bottom[0],
        (look, at(3)),
        "Databases",
        level,
        databases,
    );
    let (backups, level) = unconfigured(
        &[SourceKind::Backups],
        backups,
        with(&[SourceKind::Backups], s.backups),
    );
    tile(frame, bottom[1], (look, at(4)), "Backups", level, backups);
    let worst = Level::worst(e.sources.values().map(|f| f.view(now).level()));
    tile(frame, bottom[2], (look, at(5)), "Sources", worst, sources);
}

/// The room inside a tile's borders.
#[derive(Clone, Copy)]
pub(super) struct Room {
    pub(super) width: usize,
    pub(super) rows: usize,
}

/// A level's symbol and a space, in its style: kept whole when the text after it shrinks.
pub(super) fn mark(look: Look, level: Level) -> Part {
    keep(look.marked(level, ""))
}

pub(super) fn fitted(look: Look, parts: Vec<Part>, width: usize) -> Line<'static> {
    fit_line(parts, width, look.sym.ellipsis)
}

fn pods_lines(look: Look, p: &PodSummary, room: Room) -> Vec<Line<'static>> {
    let w = room.width;
    let counted =
        |level, text: String| fitted(look, vec![mark(look, level), shrink(1, text.into())], w);
    let mut lines = vec![fitted(
        look,
        vec![shrink(
            1,
            format!("{} pods, {} running", p.total, p.running).into(),
        )],
        w,
    )];
    if p.crash_looping > 0 {
        lines.push(counted(
            Level::Crit,
            format!("{} crash-looping", p.crash_looping),
        ));
    }
    if p.failed > 0 {
        lines.push(counted(Level::Crit, format!("{} failed", p.failed)));
    }
    if p.pending + p.not_ready > 0 {
        let text = format!("{} pending, {} unready", p.pending, p.not_ready);
        lines.push(counted(Level::Warn, text));
    }
    let restarted = format!("{} restarted <1h", p.restarted_recently);
    lines.push(fitted(look, vec![shrink(1, muted(look, restarted))], w));
    if p.total > 0 {
        let ready = p.running.saturating_sub(p.not_ready) as f64 / p.total as f64;
        let level = READY_PODS.level(1.0 - ready);
        let mut bar = vec![Span::raw(" ")];
        bar.extend(gauge_bar(look, ready, level, 8));
        lines.push(fitted(
            look,
            vec![
                keep(Span::raw("ready")),
                drop(2, bar),
                keep(Span::raw(" ")),
                keep(percent(look, ready, level)),
            ],
            w,
        ));
    }
    for (namespace, count, level) in &p.by_namespace {
        let name = clean(namespace).into_owned();
        let pad = " ".repeat(11usize.saturating_sub(name.chars().count()));
        lines.push(fitted(
            look,
            vec![
                mark(look, *level),
                shrink(1, Span::styled(name, look.level_style(*level))),
                drop(2, vec![Span::raw(pad)]),
                keep(muted(look, format!("{count:>6}"))),
            ],
            w,
        ));
    }
    // A tall tile names the pods in trouble, when every namespace has been listed.
    if !p.worst_pods.is_empty() && lines.len() + 2 < room.rows {
        lines.push(Line::default());
        for pod in &p.worst_pods {
            let item = worst_pod_lines(look, pod, w);
            if lines.len() + item.len() > room.rows {
                break;
            }
            lines.extend(item);
        }
    }
    lines
}

/// A pod in trouble and what makes it so (its status, readiness while running, restarts): on
/// one line where both fit, else the reason indented under the name, so neither is lost.
fn worst_pod_lines(look: Look, pod: &WorstPod, width: usize) -> Vec<Line<'static>> {
    let name = format!("{}/{}", clean(&pod.namespace), clean(&pod.name));
    let mut why = clean(&pod.status).into_owned();
    if pod.status == "Running" && pod.ready.0 < pod.ready.1 {
        why.push_str(&format!(" {}/{} ready", pod.ready.0, pod.ready.1));
    }
    if pod.restarts > 0 {
        why.push_str(&format!(", {} restarts", pod.restarts));
    }
    let style = look.level_style(pod.level);
    let one = vec![
        mark(look, pod.level),
        shrink_middle(1, Span::styled(name.clone(), style)),
        keep(Span::raw(format!(" {why}"))),
    ];
    if natural_width(&one) <= width {
        return vec![fitted(look, one, width)];
    }
    vec![
        fitted(
            look,
            vec![
                mark(look, pod.level),
                shrink_middle(1, Span::styled(name, style)),
            ],
            width,
        ),
        fitted(
            look,
            vec![keep(Span::raw("  ")), shrink(1, Span::raw(why))],
            width,
        ),
    ]
}
